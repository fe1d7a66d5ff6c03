"""Actors for the tests, written through the services as the pages write them."""

import datetime

from trajectoires.cooperation.actors import actor_create
from trajectoires.cooperation.models import SurveyRound, Tie
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_item


def category(code: str) -> Item:
    return referential_item("actor_category", code)


def make_actor(
    world, name: str, *, kind="person", code="elu", visibility="private", territory=None, by="admin", **fields
):
    return actor_create(
        actor=world.people[by],
        territory=territory or world.territory,
        kind=kind,
        name=name,
        category=category(code),
        visibility=visibility,
        **fields,
    )


def make_tie(source, target, *, held_on=datetime.date(2026, 3, 1), tie_type="information"):
    survey_round, _created = SurveyRound.objects.get_or_create(
        territory=source.territory, held_on=held_on, defaults={"title": f"Enquête {held_on:%Y}"}
    )
    return Tie.objects.create(
        round=survey_round, source=source, target=target, tie_type=tie_type, frequency="monthly", quality=3
    )
