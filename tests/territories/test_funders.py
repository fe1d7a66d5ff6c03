import pytest
from django.core.exceptions import PermissionDenied

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.accounts.models import AssemblyMembership, Funder
from trajectoires.accounts.organisations import assembly_role_grant
from trajectoires.core.models import AuditEntry
from trajectoires.referential.selectors import referential_item
from trajectoires.territories.models import TerritoryPartnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_the_funders_are_listed_with_their_partner_territories(client, world):
    body = page_text(client.get("/financeurs/"))
    assert "Fondation Lointaine État (services déconcentrés, préfecture) 0" in body
    assert "Préfecture du Haut-Rhin État (services déconcentrés, préfecture) 1" in body
    page = page_text(client.get("/financeurs/prefecture-68/"))
    assert "Territoires partenaires Ungersheim · depuis le 1 janvier 2024" in page


def test_staff_add_a_funder_and_a_partnership(client, world):
    client_as(client, world, "staff")
    assert '<option value="ademe">' in client.get("/financeurs/nouveau/").content.decode()
    response = client.post(
        "/financeurs/nouveau/",
        {"name": "ADEME Grand Est", "kind": "ademe", "siren": "385290309"},
        follow=True,
    )
    funder = Funder.objects.get(name="ADEME Grand Est")
    assert funder.kind == referential_item("funder_type", "ademe")  # by code, of the current version
    assert response.redirect_chain == [("/financeurs/ademe-grand-est/", 302)]
    assert "Le financeur « ADEME Grand Est » a été créé." in page_text(response)
    response = client.post(
        "/financeurs/ademe-grand-est/partenariats/",
        {"territory": world.territory.pk, "since": "2026-01-15"},
        follow=True,
    )
    assert "ADEME Grand Est est désormais partenaire de Ungersheim." in page_text(response)
    assert TerritoryPartnership.objects.filter(funder=funder, territory=world.territory).exists()
    assert list(
        AuditEntry.objects.filter(action__in=["funder.create", "partnership.create"])
        .order_by("id")
        .values_list("action", "scope")
    ) == [
        ("funder.create", f"funder:{funder.pk}"),
        ("partnership.create", f"territory:{world.territory.pk}"),
    ]
    again = client.post(
        "/financeurs/ademe-grand-est/partenariats/", {"territory": world.territory.pk, "since": "2026-02-01"}
    )
    assert again.status_code == 400
    assert "ADEME Grand Est est déjà partenaire de Ungersheim." in page_text(again)


def test_a_bad_siren_is_named_and_nothing_written(client, world):
    client_as(client, world, "staff")
    response = client.post(
        "/financeurs/nouveau/", {"name": "Sous-préfecture", "kind": "etat", "siren": "12AB"}
    )
    assert "Un SIREN compte neuf chiffres." in page_text(response)
    assert not Funder.objects.filter(name="Sous-préfecture").exists()


@pytest.mark.parametrize("role", ["admin", "partner_funder", "assembly_delegate"])
def test_only_staff_manage_funders(client, world, role):
    client_as(client, world, role)
    assert client.get("/financeurs/nouveau/").status_code == 404
    response = client.post(
        "/financeurs/fondation-lointaine/partenariats/",
        {"territory": world.territory.pk, "since": "2026-01-15"},
    )
    assert response.status_code == 404
    assert not TerritoryPartnership.objects.filter(funder=world.other_funder).exists()
    with pytest.raises(PermissionDenied):
        assembly_role_grant(actor=world.people[role], user=world.people[role], role="delegate")


def test_staff_grant_assembly_roles_with_an_audit_entry(world):
    assembly_role_grant(actor=world.people["staff"], user=world.people["admin"], role="secretariat")
    assert AssemblyMembership.objects.filter(user=world.people["admin"], role="secretariat").exists()
    assert AuditEntry.objects.get(action="assembly_membership.grant").changes == {
        "role": [None, "secretariat"]
    }
