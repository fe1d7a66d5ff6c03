import pytest
from django.test import Client

from trajectoires.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers(client):
    response = client.get("/annuaire/commune/42218/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_a_form_posted_without_its_csrf_token_is_refused_and_writes_nothing(staff):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    response = strict.post(
        "/territoires/nouveau/",
        {"name": "X", "kind": "commune", "areas": "42218", "alliance_joined_on": "2026-01-01"},
    )
    assert response.status_code == 403
    assert "Le formulaire a expiré ou n'a pas été envoyé depuis cette page." in response.content.decode()
    assert not Territory.objects.exists()


def test_an_oversize_form_is_refused(client, staff, settings):
    client.force_login(staff)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/territoires/nouveau/", {"name": "X" * 5000, "kind": "commune"})
    assert response.status_code == 400
    assert "La demande n'a pas pu être lue : elle est peut-être trop volumineuse" in response.content.decode()
    assert not Territory.objects.exists()
