"""A small alliance with one person per role around one territory, for permission tests."""

import datetime
from dataclasses import dataclass

from trajectoires.accounts.models import AssemblyMembership, Funder, FunderMembership, User
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_item
from trajectoires.territories.models import Territory, TerritoryMembership, TerritoryPartnership
from trajectoires.territories.services import territory_create

ROLES = [
    "anonymous", "member_elsewhere", "admin", "editor", "contributor", "viewer",
    "partner_funder", "other_funder", "assembly_delegate", "staff",
]  # fmt: skip


@dataclass
class World:
    territory: Territory
    elsewhere: Territory
    partner: Funder
    other_funder: Funder
    people: dict[str, User | None]


def person(email: str, **fields) -> User:
    # No password: hashing with Argon2 would make each test slow, and tests sign in with force_login.
    return User.objects.create_user(email, None, full_name=email.split("@")[0].title(), **fields)


def build_world() -> World:
    joined = datetime.date(2024, 1, 1)
    territory = territory_create(
        actor=None,
        name="Ungersheim",
        kind="commune",
        areas=[area_from_reference("68343")],
        alliance_joined_on=joined,
    )
    elsewhere = territory_create(
        actor=None,
        name="Grande-Synthe",
        kind="commune",
        areas=[area_from_reference("59271")],
        alliance_joined_on=joined,
    )
    state = referential_item("funder_type", "etat")
    partner = Funder.objects.create(name="Préfecture du Haut-Rhin", slug="prefecture-68", kind=state)
    other_funder = Funder.objects.create(name="Fondation Lointaine", slug="fondation-lointaine", kind=state)
    TerritoryPartnership.objects.create(territory=territory, funder=partner, since=joined)
    people: dict[str, User | None] = {"anonymous": None}
    for role in ("admin", "editor", "contributor", "viewer"):
        people[role] = person(f"{role}@ungersheim.example")
        TerritoryMembership.objects.create(user=people[role], territory=territory, role=role)
    people["member_elsewhere"] = person("admin@grande-synthe.example")
    TerritoryMembership.objects.create(user=people["member_elsewhere"], territory=elsewhere, role="admin")
    people["partner_funder"] = person("officer@prefecture.example")
    FunderMembership.objects.create(user=people["partner_funder"], funder=partner, role="officer")
    people["other_funder"] = person("officer@fondation.example")
    FunderMembership.objects.create(user=people["other_funder"], funder=other_funder, role="officer")
    people["assembly_delegate"] = person("delegate@assemblee.example")
    AssemblyMembership.objects.create(user=people["assembly_delegate"], role="delegate")
    people["staff"] = person("staff@trajectoires.example", is_staff=True)
    return World(territory, elsewhere, partner, other_funder, people)


def client_as(client, world: World, role: str):
    if world.people[role] is not None:
        client.force_login(world.people[role])
    return client
