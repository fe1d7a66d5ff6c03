"""Who calls the API: personal tokens (stored hashed, revocable, read or read-and-write) and sessions."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trajectoires.accounts.models import (
    ApiToken,
    AssemblyMembership,
    Funder,
    FunderMembership,
    TokenScope,
)
from trajectoires.accounts.services import api_token_create, api_token_revoke
from trajectoires.referential.selectors import referential_item
from trajectoires.territories.models import TerritoryMembership

pytestmark = pytest.mark.django_db
UNKNOWN_TOKEN = {
    "error": {"status": 401, "code": "invalid_token", "message": "Ce jeton est inconnu ou a été révoqué."}
}
SIGN_IN = {
    "error": {
        "status": 401,
        "code": "not_authenticated",
        "message": "Connectez-vous, ou envoyez un jeton personnel, pour utiliser ceci.",
    }
}


def test_a_token_is_stored_as_a_digest_only(member):
    token, raw = api_token_create(user=member, name="Tableau de bord", scope=TokenScope.READ)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw.startswith(f"trj_{token.prefix}_")
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in [str(value) for value in stored.values()]


def test_me_with_a_read_token(client, member, token_of, bearer):
    response = client.get("/api/v1/me", **bearer(token_of(member)))
    assert (response.status_code, response.json()) == (
        200,
        {
            "email": "member@example.org",
            "full_name": "Maël Member",
            "language": "fr",
            "is_staff": False,
            "authenticated_by": "token",
            "scope": "read",
        },
    )
    assert ApiToken.objects.get().last_used_at is not None


def test_me_with_the_session(client, staff):
    client.force_login(staff)
    assert client.get("/api/v1/me").json() == {
        "email": "staff@example.org",
        "full_name": "Sam Staff",
        "language": "fr",
        "is_staff": True,
        "authenticated_by": "session",
        "scope": "read_write",
    }


def test_a_token_speaks_for_its_owner_even_beside_another_session(client, staff, member, token_of, bearer):
    client.force_login(staff)
    assert client.get("/api/v1/me", **bearer(token_of(member))).json()["email"] == "member@example.org"


def test_me_needs_someone(client):
    for url in ("/api/v1/me", "/api/v1/me/memberships"):
        response = client.get(url)
        assert (response.status_code, response.json()) == (401, SIGN_IN)


@pytest.mark.parametrize("header", ["Bearer trj_0000_unknown", "Bearer ", "bearer nothing"])
def test_an_unknown_token_is_a_401_and_never_falls_back_to_the_session(client, staff, header):
    client.force_login(staff)
    response = client.get("/api/v1/territories/", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()) == (401, UNKNOWN_TOKEN)


def test_a_revoked_token_is_a_401_even_on_public_data(client, member, bearer):
    token, raw = api_token_create(user=member, name="old", scope=TokenScope.READ_WRITE)
    assert client.get("/api/v1/areas/42218", **bearer(raw)).status_code == 200
    api_token_revoke(user=member, token=token)
    for url in ("/api/v1/areas/42218", "/api/v1/me"):
        response = client.get(url, **bearer(raw))
        assert (response.status_code, response.json()) == (401, UNKNOWN_TOKEN)


def test_a_token_of_an_inactive_account_is_a_401(client, member, token_of, bearer):
    raw = token_of(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(raw)).json() == UNKNOWN_TOKEN


def test_another_scheme_is_a_401_that_says_how(client):
    response = client.get(
        "/api/v1/me", HTTP_AUTHORIZATION="Basic bWU6cGFzc3dvcmQ=", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (response.status_code, response.json()) == (
        401,
        {
            "error": {
                "status": 401,
                "code": "invalid_token",
                "message": "Send a personal token as “Authorization: Bearer trj_…”.",
            }
        },
    )


def test_my_memberships_in_english(client, member, make_territory, token_of, bearer):
    ungersheim = make_territory("Ungersheim", "commune", "68343")
    loire = make_territory("Loire", "departement", "42")
    TerritoryMembership.objects.create(user=member, territory=ungersheim, role="admin")
    TerritoryMembership.objects.create(user=member, territory=loire, role="contributor")
    state = referential_item("funder_type", "etat")
    funder = Funder.objects.create(name="Préfecture du Haut-Rhin", slug="prefecture-68", kind=state)
    FunderMembership.objects.create(user=member, funder=funder, role="officer")
    AssemblyMembership.objects.create(user=member, role="delegate")
    headers = bearer(token_of(member))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me/memberships", HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.json() == [
        {
            "kind": "territory",
            "role": "contributor",
            "role_label": "Territory contributor",
            "target_name": "Loire",
            "target_slug": "loire",
        },
        {
            "kind": "territory",
            "role": "admin",
            "role_label": "Territory admin",
            "target_name": "Ungersheim",
            "target_slug": "ungersheim",
        },
        {
            "kind": "funder",
            "role": "officer",
            "role_label": "Funder officer",
            "target_name": "Préfecture du Haut-Rhin",
            "target_slug": "prefecture-68",
        },
        {
            "kind": "assembly",
            "role": "delegate",
            "role_label": "Assembly delegate",
            "target_name": "Assemblée des territoires en transition",
            "target_slug": "",
        },
    ]
    assert len(queries) == 5  # the token, its last use, and the three membership tables


def test_answers_follow_the_language_asked_for(client, member, token_of, bearer):
    raw = token_of(member)
    english = client.get("/api/v1/nowhere", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", **bearer(raw))
    french = client.get("/api/v1/nowhere", **bearer(raw))
    assert (english.headers["Content-Language"], english.json()["error"]["message"]) == (
        "en",
        "Nothing was found at this address.",
    )
    assert (french.headers["Content-Language"], french.json()["error"]["message"]) == (
        "fr",
        "Rien n'a été trouvé à cette adresse.",
    )
