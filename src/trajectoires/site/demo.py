"""The demo alliance: territories on real areas of the official geography, and demo accounts.

Everything here is demonstration content; each description says so. Loading twice changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from trajectoires.geo.selectors import area_from_reference
from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.models import Territory
from trajectoires.territories.services import territory_create

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
    role: str
    is_staff: bool = False


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

ACCOUNTS = [
    DemoAccount("staff@trajectoires.demo", "Camille Martin", "platform staff", is_staff=True),
]


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing of the demo; return the names of what was created."""
    created = []
    users = get_user_model().objects
    for account in ACCOUNTS:
        if not users.filter(email=account.email).exists():
            users.create_user(
                account.email, DEMO_PASSWORD, full_name=account.full_name, is_staff=account.is_staff
            )
            created.append(account.email)
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


def demo_logins() -> list[tuple[str, str, str]]:
    return [(account.email, DEMO_PASSWORD, account.role) for account in ACCOUNTS]
