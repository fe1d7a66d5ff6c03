"""The demo workspaces: for each demo territory, its actors (the « 4 Fantastiques » and the others),
three survey rounds of cooperation ties that grow denser and more mixed over time, a vision, journal
entries of every type, celebrations and narratives. Demonstration content throughout: people are
named by their function only, and every text says it is a demonstration.

Loaded through the same services as the pages (so every write is audited and the network metrics
are computed by the background task); a territory that already has actors is left as it is.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.cooperation.actors import actor_create
from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.rounds import survey_round_create, tie_create
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.celebrations import celebration_create
from trajectoires.steering.models import Vision
from trajectoires.steering.narratives import narrative_create
from trajectoires.steering.services import journal_entry_create
from trajectoires.steering.vision import OrientationInput, vision_save
from trajectoires.territories.models import Territory


@dataclass(frozen=True)
class Place:
    territory: str
    admin: str  # e-mail of the demo account that writes the workspace
    services: str  # « Services de … »
    council: str  # « Conseil … »
    state: str  # the State's departmental services
    prefecture: str
    chamber: str
    theme: str  # what the vision is about, in a few words
    needs: tuple[tuple[str, tuple[str, ...]], ...]  # orientations: title, need codes (none: no vision)


PLACES = [
    Place(
        "Ungersheim",
        "admin@ungersheim.demo",
        "la commune d'Ungersheim",
        "municipal d'Ungersheim",
        "DDT du Haut-Rhin",
        "Préfecture du Haut-Rhin",
        "Chambre d'agriculture d'Alsace",
        "se nourrir, produire son énergie et prendre soin",
        (),
    ),
    Place(
        "Grande-Synthe",
        "admin@grande-synthe.demo",
        "la ville de Grande-Synthe",
        "municipal de Grande-Synthe",
        "DDTM du Nord",
        "Sous-préfecture de Dunkerque",
        "Chambre d'agriculture du Nord-Pas de Calais",
        "mieux vivre tout de suite, avec les habitants",
        (
            ("Des quartiers où l'on vit mieux", ("shelter", "living_together")),
            ("Une alimentation saine pour tous", ("food", "care")),
            ("Une énergie moins chère", ("energy",)),
        ),
    ),
    Place(
        "Communauté de communes du Thouarsais",
        "admin@thouarsais.demo",
        "la communauté de communes",
        "communautaire du Thouarsais",
        "DDT des Deux-Sèvres",
        "Préfecture des Deux-Sèvres",
        "Chambre d'agriculture des Deux-Sèvres",
        "une trajectoire énergétique portée par les communes",
        (
            ("Produire localement une énergie renouvelable", ("energy", "local_production")),
            ("Se déplacer autrement à la campagne", ("mobility",)),
            ("Préserver l'eau et les paysages", ("water", "link_with_nature")),
        ),
    ),
    Place(
        "Agglomération de La Rochelle",
        "admin@larochelle.demo",
        "l'agglomération de La Rochelle",
        "communautaire de La Rochelle",
        "DDTM de la Charente-Maritime",
        "Préfecture de la Charente-Maritime",
        "Chambre d'agriculture de la Charente-Maritime",
        "un littoral qui s'adapte avec ses acteurs",
        (
            ("S'adapter à la montée de la mer", ("safety", "shelter")),
            ("Une économie bas carbone avec les entreprises", ("local_production", "energy")),
            ("Apprendre et chercher ensemble", ("information_education",)),
        ),
    ),
    Place(
        "Grenoble-Alpes-Métropole",
        "admin@grenoble.demo",
        "la métropole",
        "métropolitain de Grenoble",
        "DDT de l'Isère",
        "Préfecture de l'Isère",
        "Chambre d'agriculture de l'Isère",
        "une métropole qui décide avec ses habitants",
        (
            ("Respirer un air sain", ("care", "mobility")),
            ("Décider ensemble", ("living_together", "information_education")),
            ("Protéger l'eau des montagnes", ("water", "link_with_nature")),
        ),
    ),
    Place(
        "Biovallée",
        "admin@biovallee.demo",
        "la Biovallée",
        "de développement de la Biovallée",
        "DDT de la Drôme",
        "Préfecture de la Drôme",
        "Chambre d'agriculture de la Drôme",
        "une vallée bio, sobre et solidaire",
        (
            ("Une agriculture biologique pour tous", ("food", "local_production")),
            ("Une vallée sobre en énergie", ("energy",)),
            ("Une vallée solidaire", ("living_together", "care")),
        ),
    ),
]

# kind, name, category, organisation (a name of this list), function, visibility
CAST = [
    ("organisation", "Services de {services}", "agent", "", "", "public"),
    ("organisation", "Conseil {council}", "elu", "", "", "public"),
    ("organisation", "{state}", "etat_territorial", "", "", "public"),
    ("organisation", "{prefecture}", "etat_territorial", "", "", "public"),
    ("organisation", "{chamber}", "socio_economique", "", "", "public"),
    ("organisation", "Coopérative citoyenne d'énergie (démonstration)", "socio_economique", "", "", "public"),
    ("organisation", "Association des habitants (démonstration)", "habitant_association", "", "", "public"),
    ("organisation", "Laboratoire universitaire partenaire (démonstration)", "chercheur", "", "", "public"),
    ("organisation", "Radio locale (démonstration)", "media", "", "", "public"),
    ("person", "L'exécutif (démonstration)", "elu", "Conseil {council}", "Maire ou président", "partners"),
    ("person", "L'élue à la transition (démonstration)", "elu", "Conseil {council}", "Adjointe", "partners"),
    (
        "person",
        "Le directeur général des services (démonstration)",
        "agent",
        "Services de {services}",
        "DGS",
        "private",
    ),
    (
        "person",
        "La cheffe de projet transition (démonstration)",
        "agent",
        "Services de {services}",
        "Cheffe de projet",
        "private",
    ),
    (
        "person",
        "Le responsable technique (démonstration)",
        "agent",
        "Services de {services}",
        "Services techniques",
        "private",
    ),
    (
        "person",
        "La référente territoriale de l'État (démonstration)",
        "etat_territorial",
        "{state}",
        "Chargée de territoire",
        "partners",
    ),
    (
        "person",
        "Le sous-préfet (démonstration)",
        "etat_territorial",
        "{prefecture}",
        "Sous-préfet",
        "partners",
    ),
    (
        "person",
        "L'agricultrice élue consulaire (démonstration)",
        "socio_economique",
        "{chamber}",
        "Élue consulaire",
        "private",
    ),
    (
        "person",
        "Le gérant de la coopérative (démonstration)",
        "socio_economique",
        "Coopérative citoyenne d'énergie (démonstration)",
        "Gérant",
        "private",
    ),
    (
        "person",
        "La présidente de l'association (démonstration)",
        "habitant_association",
        "Association des habitants (démonstration)",
        "Présidente",
        "private",
    ),
    (
        "person",
        "La chercheuse en sociologie (démonstration)",
        "chercheur",
        "Laboratoire universitaire partenaire (démonstration)",
        "Chercheuse",
        "private",
    ),
    (
        "person",
        "Le journaliste (démonstration)",
        "media",
        "Radio locale (démonstration)",
        "Journaliste",
        "private",
    ),
]

ROUNDS = [  # title, date, visibility, ties across categories to add at random
    ("Enquête coopération 2023", datetime.date(2023, 5, 15), "partners", 3),
    ("Enquête coopération 2024", datetime.date(2024, 11, 20), "public", 8),
    ("Enquête coopération 2026", datetime.date(2026, 5, 12), "public", 14),
]
# Ties between the « 4 Fantastiques » that appear round after round (index of ROUNDS from which on).
FANTASTIC_TIES = [
    ("L'exécutif", "Le directeur général des services", 0),
    ("L'élue à la transition", "La cheffe de projet transition", 0),
    ("L'élue à la transition", "La référente territoriale de l'État", 1),
    ("La cheffe de projet transition", "Le gérant de la coopérative", 1),
    ("L'exécutif", "L'agricultrice élue consulaire", 2),
    ("La cheffe de projet transition", "Le sous-préfet", 2),
    ("La référente territoriale de l'État", "L'agricultrice élue consulaire", 2),
]
TIE_TYPES = ["information", "resources", "joint_project", "decision"]
FREQUENCIES = ["yearly", "monthly", "weekly"]
JOURNAL = [  # title, date, type, visibility, key actions, actors (name starts), text
    (
        "Séminaire des élus et des agents : {theme}",
        datetime.date(2025, 1, 20),
        "meeting",
        "public",
        ("K1", "K7"),
        ("L'exécutif", "Le directeur général des services"),
        "Une journée pour partager le cap et le vocabulaire de la transition entre élus et agents. "
        "Démonstration.",
    ),
    (
        "Le conseil adopte la vision : {theme}",
        datetime.date(2025, 3, 10),
        "decision",
        "public",
        ("K1", "K3"),
        ("L'exécutif", "L'élue à la transition"),
        "Vote du conseil après six mois de travail avec les habitants et les partenaires. Démonstration.",
    ),
    (
        "Atelier citoyen avec l'association des habitants",
        datetime.date(2025, 6, 14),
        "event",
        "public",
        ("K4",),
        ("La présidente de l'association",),
        "Soixante habitants ont cartographié ce qui compte pour eux dans le quartier. Démonstration.",
    ),
    (
        "Point d'étape avec les services de l'État",
        datetime.date(2025, 10, 2),
        "meeting",
        "partners",
        ("K5",),
        ("La référente territoriale de l'État", "La cheffe de projet transition"),
        "Les financements possibles et le calendrier des autorisations, à la même table. Démonstration.",
    ),
    (
        "Le chantier pilote prend du retard",
        datetime.date(2026, 2, 5),
        "difficulty",
        "private",
        ("K9",),
        ("Le responsable technique",),
        "Un fournisseur défaillant : il faut revoir le calendrier et le dire aux habitants. Démonstration.",
    ),
    (
        "Associer la radio locale dès le départ",
        datetime.date(2026, 4, 22),
        "learning",
        "alliance",
        ("K2", "K10"),
        ("Le journaliste",),
        "Les récits portés par la radio ont fait venir des habitants qu'on ne voyait jamais. Démonstration.",
    ),
    (
        "Première saison réussie du projet pilote",
        datetime.date(2026, 9, 15),
        "success",
        "public",
        ("K9", "K10"),
        ("La cheffe de projet transition", "Le gérant de la coopérative"),
        "Les premiers résultats sont au rendez-vous ; le pilote sera ajusté puis étendu. Démonstration.",
    ),
]
CELEBRATIONS = [  # title, date, achievement, participants, journal entries (indexes of JOURNAL), visibility
    (
        "Le cap est adopté",
        datetime.date(2025, 3, 10),
        "La vision du territoire est adoptée, avec les habitants et les partenaires. Démonstration.",
        "Élus, agents, habitants, services de l'État",
        (1, 2),
        "public",
    ),
    (
        "Le pilote tient ses promesses",
        datetime.date(2026, 9, 20),
        "Une fête pour la première saison du projet pilote, ouverte à tous. Démonstration.",
        "L'équipe du pilote, la coopérative, les habitants",
        (6,),
        "public",
    ),
]
NARRATIVES = [  # title, format, audience, date, orientations (indexes), visibility, text
    (
        "Le film des habitants",
        "video",
        "Habitants et écoles",
        datetime.date(2025, 9, 1),
        (0,),
        "public",
        "Des habitants racontent, caméra à la main, ce que la transition change dans leur vie. "
        "Démonstration.",
    ),
    (
        "Exposition « Notre territoire en 2040 »",
        "exhibition",
        "Tous publics",
        datetime.date(2026, 5, 20),
        (0, 1),
        "public",
        "Des dessins et des récits du territoire désirable, exposés à la médiathèque. Démonstration.",
    ),
]


def workspace_load() -> list[str]:
    """Create the workspace of each demo territory that has no actor yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.actors.exists():
            continue
        author = get_user_model().objects.get(email=place.admin)
        actors = _actors(place, territory, author)
        vision = _vision(place, territory, author)
        _rounds(territory, author, actors)
        entries = _journal(place, territory, author, actors)
        _celebrations(territory, author, actors, entries)
        _narratives(territory, author, vision)
        created.append(f"workspace of {place.territory}")
    return created


def _fill(text: str, place: Place) -> str:
    return text.format(**place.__dict__)


def _actors(place: Place, territory: Territory, author) -> dict[str, Actor]:
    categories = {item.code: item for item in referential_items("actor_category")}
    actors: dict[str, Actor] = {}
    for kind, name, category, organisation, function, visibility in CAST:
        name = _fill(name, place)
        actors[name] = actor_create(
            actor=author,
            territory=territory,
            kind=kind,
            name=name,
            category=categories[category],
            organisation=actors.get(_fill(organisation, place)),
            function=function,
            visibility=visibility,
        )
    return actors


def _vision(place: Place, territory: Territory, author) -> Vision | None:
    existing = Vision.objects.filter(territory=territory).first()
    if existing or not place.needs:
        return existing
    needs = {item.code: item for item in referential_items("essential_need")}
    return vision_save(
        actor=author,
        territory=territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement=f"Démonstration. {place.territory} : {place.theme}.",
        orientations=[
            OrientationInput(title, [needs[code] for code in codes]) for title, codes in place.needs
        ],
        reason="Vision adoptée par le conseil (démonstration)",
        visibility="public",
    )


def _named(actors: dict[str, Actor], start: str) -> Actor:
    return next(actor for name, actor in actors.items() if name.startswith(start))


def _rounds(territory: Territory, author, actors: dict[str, Actor]) -> None:
    """Each round keeps the ties of the one before and adds ties across categories."""
    rng = random.Random(territory.name)  # noqa: S311 — reproducible demonstration content
    people = [actor for actor in actors.values() if actor.kind == "person"]
    cross = [(a, b) for a in people for b in people if a.pk < b.pk and a.category_id != b.category_id]
    rng.shuffle(cross)
    members = [(actor, actor.organisation) for actor in people if actor.organisation]
    for number, (title, held_on, visibility, cross_count) in enumerate(ROUNDS):
        survey = survey_round_create(
            actor=author, territory=territory, title=title, held_on=held_on, visibility=visibility
        )
        fantastic = [
            (_named(actors, a), _named(actors, b)) for a, b, since in FANTASTIC_TIES if since <= number
        ]
        pairs = {frozenset(pair): pair for pair in [*members, *fantastic, *cross[:cross_count]]}
        for source, target in pairs.values():
            tie_create(
                actor=author,
                survey_round=survey,
                source=source,
                target=target,
                tie_type=rng.choice(TIE_TYPES),
                frequency=rng.choice(FREQUENCIES),
                quality=min(4, 1 + number + rng.randrange(2)),
                openness=rng.randint(2, 4),
                reliability=rng.randint(2, 4),
                shared_mission=min(4, 2 + number),
            )


def _journal(place: Place, territory: Territory, author, actors: dict[str, Actor]) -> list:
    key_actions = {item.code: item for item in referential_items("key_action")}
    return [
        journal_entry_create(
            actor=author,
            territory=territory,
            title=_fill(title, place),
            occurred_on=occurred_on,
            entry_type=entry_type,
            visibility=visibility,
            key_actions=[key_actions[code] for code in codes],
            actors=[_named(actors, name) for name in names],
            body=body,
        )
        for title, occurred_on, entry_type, visibility, codes, names, body in JOURNAL
    ]


def _celebrations(territory: Territory, author, actors: dict[str, Actor], entries: list) -> None:
    for title, achieved_on, achievement, participants, linked, visibility in CELEBRATIONS:
        celebration_create(
            actor=author,
            territory=territory,
            title=title,
            achieved_on=achieved_on,
            achievement=achievement,
            participants=participants,
            actors=[_named(actors, "L'exécutif"), _named(actors, "La présidente de l'association")],
            journal_entries=[entries[index] for index in linked],
            visibility=visibility,
        )


def _narratives(territory: Territory, author, vision: Vision | None) -> None:
    orientations = list(vision.orientations.order_by("position")) if vision else []
    for title, narrative_format, audience, told_on, linked, visibility, body in NARRATIVES:
        narrative_create(
            actor=author,
            territory=territory,
            title=title,
            body=body,
            format=narrative_format,
            audience=audience,
            told_on=told_on,
            orientations=[orientations[index] for index in linked if index < len(orientations)],
            visibility=visibility,
        )
