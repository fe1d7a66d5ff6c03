"""The demo alliance: territories on real areas of the official geography, one account per role,
four demo funders, and a few journal entries at each visibility level.

Everything here is demonstration content; names and descriptions say so. Loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trajectoires.accounts.models import Funder
from trajectoires.accounts.organisations import assembly_role_grant, funder_create
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_item, referential_items
from trajectoires.steering.models import Vision
from trajectoires.steering.services import journal_entry_create
from trajectoires.steering.vision import OrientationInput, vision_save
from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.models import Territory
from trajectoires.territories.services import partnership_create, territory_create
from trajectoires.territories.teams import membership_grant

from .demo_assessments import assessments_load
from .demo_diagnostics import diagnostics_load
from .demo_effects import effects_load, report_load
from .demo_evaluation import evaluation_load
from .demo_funding import funding_load
from .demo_funding_reports import funding_reports_load
from .demo_governance import governance_load
from .demo_planning import planning_load
from .demo_stories import stories_load
from .demo_workspace import workspace_load

DEMO_PASSWORD = "trajectoires-demo"  # noqa: S105 — printed to whoever runs the demo, on purpose


@dataclass(frozen=True)
class DemoTerritory:
    name: str
    kind: str
    areas: tuple[str, ...]
    joined: datetime.date
    description: str


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # what `make run` prints
    is_staff: bool = False
    territory: str = ""  # territory name and role in it
    territory_role: str = ""
    funder: str = ""  # funder slug and role in it
    funder_role: str = ""
    assembly_role: str = ""


TERRITORIES = [
    DemoTerritory(
        "Ungersheim",
        TerritoryKind.COMMUNE,
        ("68343",),
        datetime.date(2021, 3, 15),
        "Territoire de démonstration. Petite commune rurale du Haut-Rhin qui relie alimentation, énergie "
        "et vie locale dans un même projet de territoire.",
    ),
    DemoTerritory(
        "Grande-Synthe",
        TerritoryKind.COMMUNE,
        ("59271",),
        datetime.date(2021, 9, 1),
        "Territoire de démonstration. Ville moyenne du littoral du Nord qui fait de la transition un "
        "levier de mieux-vivre immédiat pour ses habitants.",
    ),
    DemoTerritory(
        "Communauté de communes du Thouarsais",
        TerritoryKind.EPCI,
        ("247900798",),
        datetime.date(2022, 1, 10),
        "Territoire de démonstration. Intercommunalité rurale des Deux-Sèvres engagée dans une trajectoire "
        "énergétique de long terme avec ses communes.",
    ),
    DemoTerritory(
        "Agglomération de La Rochelle",
        TerritoryKind.EPCI,
        ("241700434",),
        datetime.date(2022, 6, 20),
        "Territoire de démonstration. Communauté d'agglomération littorale qui coopère avec ses acteurs "
        "socio-économiques et ses chercheurs autour d'un cap commun.",
    ),
    DemoTerritory(
        "Grenoble-Alpes-Métropole",
        TerritoryKind.EPCI,
        ("200040715",),
        datetime.date(2023, 2, 1),
        "Territoire de démonstration. Métropole alpine qui ouvre sa gouvernance et instruit ses "
        "controverses avec les habitants.",
    ),
    DemoTerritory(
        "Biovallée",
        TerritoryKind.OTHER,
        ("242600252", "200040509", "242600534"),
        datetime.date(2021, 5, 5),
        "Territoire de démonstration. Périmètre de projet porté par trois communautés de communes de la "
        "vallée de la Drôme, à la manière d'un PETR.",
    ),
]

FUNDERS = [  # name, type in the référentiel, the demo territory it works with ("": none yet — signing
    # an engagement contract makes it a partner, demo_funding.py)
    ("Services de l'État dans le Haut-Rhin (démonstration)", "etat", "Ungersheim"),
    ("Fondation Territoires vivants (démonstration)", "fondation", "Biovallée"),
    ("Région Grand Est (démonstration)", "region", ""),
    ("Département de la Drôme (démonstration)", "departement", ""),
]

ACCOUNTS = [
    DemoAccount("staff@trajectoires.demo", "Camille Martin", "platform staff", is_staff=True),
    DemoAccount(
        "admin@ungersheim.demo",
        "Jeanne Keller",
        "territory admin — Ungersheim",
        territory="Ungersheim",
        territory_role="admin",
    ),
    DemoAccount(
        "editeur@ungersheim.demo",
        "Lucas Meyer",
        "territory editor — Ungersheim",
        territory="Ungersheim",
        territory_role="editor",
    ),
    DemoAccount(
        "contributeur@ungersheim.demo",
        "Inès Haddad",
        "territory contributor — Ungersheim",
        territory="Ungersheim",
        territory_role="contributor",
    ),
    DemoAccount(
        "lecteur@ungersheim.demo",
        "Paul Schmitt",
        "territory viewer — Ungersheim",
        territory="Ungersheim",
        territory_role="viewer",
    ),
    DemoAccount(
        "admin@biovallee.demo",
        "Sofia Roux",
        "territory admin — Biovallée",
        territory="Biovallée",
        territory_role="admin",
    ),
    *(
        DemoAccount(
            f"admin@{slug}.demo",
            name,
            f"territory admin — {territory}",
            territory=territory,
            territory_role="admin",
        )
        for slug, name, territory in (
            ("grande-synthe", "Karim Dupont", "Grande-Synthe"),
            ("thouarsais", "Élise Moreau", "Communauté de communes du Thouarsais"),
            ("larochelle", "Yann Le Gall", "Agglomération de La Rochelle"),
            ("grenoble", "Léa Garnier", "Grenoble-Alpes-Métropole"),
        )
    ),
    DemoAccount(
        "admin@etat-haut-rhin.demo",
        "Marc Weber",
        "funder admin — État dans le Haut-Rhin",
        funder="services-de-letat-dans-le-haut-rhin-demonstration",
        funder_role="admin",
    ),
    DemoAccount(
        "charge@etat-haut-rhin.demo",
        "Claire Hoffmann",
        "funder officer — État dans le Haut-Rhin",
        funder="services-de-letat-dans-le-haut-rhin-demonstration",
        funder_role="officer",
    ),
    DemoAccount(
        "admin@region-grand-est.demo",
        "Thomas Muller",
        "funder admin — Région Grand Est",
        funder="region-grand-est-demonstration",
        funder_role="admin",
    ),
    DemoAccount(
        "admin@departement-drome.demo",
        "Agnès Blanc",
        "funder admin — Département de la Drôme",
        funder="departement-de-la-drome-demonstration",
        funder_role="admin",
    ),
    DemoAccount(
        "admin@territoires-vivants.demo",
        "Romain Petit",
        "funder admin — Fondation Territoires vivants",
        funder="fondation-territoires-vivants-demonstration",
        funder_role="admin",
    ),
    DemoAccount(
        "secretariat@assemblee.demo", "Nadia Benali", "assembly secretariat", assembly_role="secretariat"
    ),
    DemoAccount("delegue@assemblee.demo", "Hugo Lefèvre", "assembly delegate", assembly_role="delegate"),
]

JOURNAL = [  # territory, title, date, visibility, key action codes, text
    (
        "Ungersheim",
        "Chantier participatif au verger communal",
        datetime.date(2026, 4, 18),
        "public",
        ["K4", "K10"],
        "Une quarantaine d'habitants ont planté les arbres du verger avec les agents. Démonstration.",
    ),
    (
        "Ungersheim",
        "Réunion avec la sous-préfecture sur le projet alimentaire",
        datetime.date(2026, 5, 6),
        "partners",
        ["K5"],
        "Point d'étape avec l'État territorial sur le financement. Démonstration.",
    ),
    (
        "Ungersheim",
        "Bilan d'étape de la régie agricole",
        datetime.date(2026, 6, 2),
        "private",
        ["K9"],
        "Premiers chiffres et premières difficultés, à discuter en équipe. Démonstration.",
    ),
    (
        "Ungersheim",
        "Récit de la fête des récoltes",
        datetime.date(2026, 9, 20),
        "alliance",
        ["K2", "K10"],
        "Ce que les habitants ont raconté de la saison. Démonstration.",
    ),
]


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing of the demo; return the names of what was created."""
    created = _territories() + _funders()
    created += _accounts()
    created += _journal()
    created += _vision()
    created += workspace_load()
    created += planning_load()
    created += governance_load()
    created += evaluation_load()
    created += assessments_load()
    created += diagnostics_load()
    created += stories_load()
    created += effects_load()
    created += report_load()
    created += funding_load()
    created += funding_reports_load()
    return created


def _territories() -> list[str]:
    created = []
    for demo in TERRITORIES:
        if Territory.objects.filter(name=demo.name).exists():
            continue
        areas = [area_from_reference(code) for code in demo.areas]
        if None in areas:
            raise LookupError(f"The geography has no area {demo.areas}: run `trajectoires geo import` first.")
        territory_create(
            actor=None,
            name=demo.name,
            kind=demo.kind,
            areas=areas,
            alliance_joined_on=demo.joined,
            description=demo.description,
        )
        created.append(demo.name)
    return created


def _funders() -> list[str]:
    created = []
    for name, kind, territory_name in FUNDERS:
        if Funder.objects.filter(name=name).exists():
            continue
        funder = funder_create(actor=None, name=name, kind=referential_item("funder_type", kind))
        if territory_name:
            partnership_create(
                actor=None,
                territory=Territory.objects.get(name=territory_name),
                funder=funder,
                since=datetime.date(2025, 1, 1),
            )
        created.append(name)
    return created


def _accounts() -> list[str]:
    created = []
    users = get_user_model().objects
    for account in ACCOUNTS:
        if users.filter(email=account.email).exists():
            continue
        user = users.create_user(
            account.email, DEMO_PASSWORD, full_name=account.full_name, is_staff=account.is_staff
        )
        if account.territory:
            membership_grant(
                actor=None,
                target=Territory.objects.get(name=account.territory),
                user=user,
                role=account.territory_role,
            )
        if account.funder:
            membership_grant(
                actor=None,
                target=Funder.objects.get(slug=account.funder),
                user=user,
                role=account.funder_role,
            )
        if account.assembly_role:
            assembly_role_grant(actor=None, user=user, role=account.assembly_role)
        created.append(account.email)
    return created


def _journal() -> list[str]:
    created = []
    for territory_name, title, occurred_on, visibility, key_actions, body in JOURNAL:
        territory = Territory.objects.get(name=territory_name)
        if territory.journal_entries.filter(title=title).exists():
            continue
        author = get_user_model().objects.get(email="admin@ungersheim.demo")
        journal_entry_create(
            actor=author,
            territory=territory,
            title=title,
            occurred_on=occurred_on,
            body=body,
            visibility=visibility,
            key_actions=list(referential_items("key_action").filter(code__in=key_actions)),
        )
        created.append(title)
    return created


def _vision() -> list[str]:
    territory = Territory.objects.get(name="Ungersheim")
    if Vision.objects.filter(territory=territory).exists():
        return []
    needs = {item.code: item for item in referential_items("essential_need")}
    vision_save(
        actor=get_user_model().objects.get(email="admin@ungersheim.demo"),
        territory=territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement="Démonstration. Un village qui se nourrit de ses terres, produit son énergie et prend soin "
        "de ses habitants, fidèle à son passé minier.",
        attachments="Le carreau de la mine, les vergers, la fête des récoltes.",
        stakes_to_lose="Des terres agricoles et des commerces de proximité.",
        stakes_to_gain="Des emplois locaux, une alimentation saine et des factures d'énergie maîtrisées.",
        visibility="public",
        reason="Vision adoptée en conseil municipal (démonstration)",
        orientations=[
            OrientationInput("Se nourrir des terres du village", [needs["food"], needs["local_production"]]),
            OrientationInput("Produire et économiser l'énergie", [needs["energy"]]),
            OrientationInput("Vivre ensemble et prendre soin", [needs["living_together"], needs["care"]]),
        ],
    )
    return ["vision of Ungersheim"]


def demo_logins() -> list[tuple[str, str, str]]:
    return [(account.email, DEMO_PASSWORD, account.role) for account in ACCOUNTS]
