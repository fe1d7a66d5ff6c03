"""Fixtures for the JSON API: callers (anonymous, session, tokens) and territories on real areas."""

import datetime

import pytest
from django.test import Client

from trajectoires.accounts.models import TokenScope, User
from trajectoires.accounts.services import api_token_create
from trajectoires.geo.selectors import area_from_reference
from trajectoires.territories.services import territory_create

JOINED = datetime.date(2024, 3, 1)


@pytest.fixture
def token_of(db):
    """A personal token's secret text for a user, with the given scope."""

    def make(user: User, scope: str = TokenScope.READ) -> str:
        return api_token_create(user=user, name="tests", scope=scope)[1]

    return make


@pytest.fixture
def bearer():
    def header(raw: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return header


@pytest.fixture
def csrf_client(db) -> Client:
    """A browser-like client: Django checks CSRF on it, as it does for real sessions."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def make_territory(staff):
    def make(name: str, kind: str, *references: str, joined: datetime.date = JOINED, description: str = ""):
        return territory_create(
            actor=staff,
            name=name,
            kind=kind,
            areas=[area_from_reference(reference) for reference in references],
            alliance_joined_on=joined,
            description=description,
        )

    return make
