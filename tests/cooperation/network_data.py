"""Actors, rounds and ties for the network tests. Actors are created directly (their own write path
is tested with the actor map); rounds and ties through the services, as the pages write them."""

import datetime

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.rounds import survey_round_create, tie_create
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_item

HELD_ON = datetime.date(2025, 3, 1)


def category(code: str) -> Item:
    return referential_item("actor_category", code)


def actor(territory, name: str, code: str = "elu", *, visibility: str = "public", kind: str = "organisation"):
    return Actor.objects.create(
        territory=territory, kind=kind, name=name, category=category(code), visibility=visibility
    )


def survey_round(world, *, held_on=HELD_ON, title="Enquête 2025", visibility="public", by="admin"):
    return survey_round_create(
        actor=world.people[by], territory=world.territory, title=title, held_on=held_on, visibility=visibility
    )


def tie(world, survey_round, source, target, *, tie_type="information", by="admin", **values):
    values = {"frequency": "monthly", "quality": 3} | values
    return tie_create(
        actor=world.people[by],
        survey_round=survey_round,
        source=source,
        target=target,
        tie_type=tie_type,
        **values,
    )
