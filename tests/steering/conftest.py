"""Fixtures of the steering tests: actors on demand."""

import pytest

from trajectoires.cooperation.models import Actor
from trajectoires.referential.selectors import referential_item


@pytest.fixture
def make_actor(db):
    def make(territory, name, *, visibility="public", category="habitant_association", kind="organisation"):
        return Actor.objects.create(
            territory=territory,
            kind=kind,
            name=name,
            category=referential_item("actor_category", category),
            visibility=visibility,
        )

    return make
