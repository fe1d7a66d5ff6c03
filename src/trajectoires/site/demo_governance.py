"""The demo governance of each demo territory: a council of development where the « 4 Fantastiques »
sit together with its meetings, a citizen workshop, decisions at every level of the participation
ladder over three years, trainings of élus and agents, the DGS and a transverse expertise pole —
and its controversies (demo_controversies.py).

Demonstration content throughout. Loaded through the same services as the pages (so every write is
audited); a territory that already has a participation space is left as it is (and one that already
has a controversy keeps its own).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from trajectoires.cooperation.models import Actor
from trajectoires.governance.capacity import team_structure_save, training_create
from trajectoires.governance.decisions import decision_create
from trajectoires.governance.spaces import meeting_record, space_create
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .demo_controversies import controversies_load
from .demo_workspace import PLACES

DEMO = "Démonstration."
# title, decided on, level, in the development council, co-construction started on
DECISIONS = [
    ("Tarifs de la cantine scolaire", (2024, 6, 20), "inform", False, None),
    ("Plan de circulation du centre", (2024, 11, 14), "consult", False, None),
    ("Règlement des jardins partagés", (2025, 3, 27), "concert", True, None),
    ("Programme de rénovation des écoles", (2025, 9, 25), "co_construct", True, (2025, 1, 15)),
    ("Budget participatif de la transition", (2026, 4, 16), "co_decide", True, (2025, 10, 2)),
    ("Schéma des mobilités douces", (2026, 6, 18), "co_construct", True, (2026, 1, 12)),
]
# title, date, hours, organiser, training-action, change management, participant name prefixes
TRAININGS = [
    ("Conduire le changement dans une collectivité", (2025, 2, 6), Decimal("14"), "Centre national de la "
     "fonction publique territoriale", False, True, ("L'exécutif", "Le directeur général", "La cheffe")),
    ("Formation-action : piloter un projet transversal", (2025, 10, 9), Decimal("21"),
     "Réseau de territoires (démonstration)", True, True,
     ("L'élue", "La cheffe", "Le responsable", "La référente")),
    ("Animer une concertation", (2026, 3, 12), Decimal("7"), "Association d'éducation populaire "
     "(démonstration)", False, False, ("L'élue", "Association des habitants", "Coopérative citoyenne")),
]  # fmt: skip


def governance_load() -> list[str]:
    """Create the governance of each demo territory that has no participation space yet, then the
    controversies of each one that has none (they are instructed in its spaces)."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.participation_spaces.exists():
            continue
        author = get_user_model().objects.get(email=place.admin)
        actors = list(Actor.objects.filter(territory=territory).select_related("category"))
        council = _spaces(territory, author, actors)
        _decisions(territory, author, council)
        _capacity(territory, author, actors)
        created.append(f"governance of {place.territory}")
    return created + controversies_load()


def _named(actors: list[Actor], start: str) -> Actor:
    return next(actor for actor in actors if actor.name.startswith(start))


def _spaces(territory, author, actors: list[Actor]):
    organisations = [actor for actor in actors if actor.kind == "organisation"]
    council = space_create(
        actor=author,
        territory=territory,
        name="Conseil de développement (démonstration)",
        kind="development_council",
        purpose=f"{DEMO} Élus, services, État et acteurs socio-économiques y préparent les grandes "
        "décisions.",
        members=organisations,
        visibility="public",
    )
    for held_on, present in ((datetime.date(2025, 3, 6), 6), (datetime.date(2025, 9, 18), 8)):
        meeting_record(
            actor=author,
            space=council,
            held_on=held_on,
            agenda=f"{DEMO} Point d'étape de la trajectoire ; décisions à préparer.",
            minutes=f"{DEMO} Les membres ont examiné les propositions et formulé leurs avis.",
            attendees=organisations[:present],
        )
    space_create(
        actor=author,
        territory=territory,
        name="Atelier citoyen des mobilités (démonstration)",
        kind="workshop",
        purpose=f"{DEMO} Des habitants tirés au sort travaillent sur les déplacements du quotidien.",
        members=[actor for actor in actors if actor.category.code in ("habitant_association", "elu")][:4],
        visibility="public",
    )
    return council


def _decisions(territory, author, council) -> None:
    levels = {item.code: item for item in referential_items("participation_level")}
    for title, decided_on, level, in_council, started in DECISIONS:
        decision_create(
            actor=author,
            territory=territory,
            title=f"{title} (démonstration)",
            decided_on=datetime.date(*decided_on),
            participation_level=levels[level],
            description=f"{DEMO} Une décision du mandat et la façon dont les habitants y ont pris part.",
            space=council if in_council else None,
            co_construction_started_on=datetime.date(*started) if started else None,
            visibility="public",
        )


def _capacity(territory, author, actors: list[Actor]) -> None:
    for title, held_on, hours, organiser, action, change, prefixes in TRAININGS:
        training_create(
            actor=author,
            territory=territory,
            title=f"{title} (démonstration)",
            held_on=datetime.date(*held_on),
            hours=hours,
            organisation=organiser,
            is_training_action=action,
            change_management=change,
            participants=[_named(actors, prefix) for prefix in prefixes],
            visibility="public",
        )
    team_structure_save(
        actor=author,
        territory=territory,
        dgs=_named(actors, "Le directeur général"),
        dgs_role=f"{DEMO} Le DGS porte la transversalité : il réunit chaque mois les chefs de service "
        "autour de la trajectoire.",
        pole_name="Pôle transition (démonstration)",
        pole_missions=f"{DEMO} Accompagner les services sur les projets transversaux, tenir le journal, "
        "préparer l'évaluation.",
        pole_services="Urbanisme\nTransition écologique\nAction sociale\nFinances",
        pole_members=[_named(actors, "La cheffe"), _named(actors, "Le responsable")],
        visibility="public",
    )
