"""Transferability sheets: written by those who edit the pilot, published to the alliance only when
complete; a published sheet reaches every signed-in member whatever the pilot's visibility (and
anyone when the pilot is public), without the pilot's iterations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text
from tests.trust.world import ROLES, build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.planning.models import TransferabilitySheet
from trajectoires.planning.sheets import published_sheets, sheet_publish, sheet_save, sheet_unpublish

from .test_pilots import iterate, make_pilot

pytestmark = pytest.mark.django_db
SHEETS = "/fiches-de-transferabilite/"
SECTIONS = {
    "context": "Une commune rurale de 2 000 habitants.",
    "prerequisites": "Un cuisinier formé, deux maraîchers.",
    "costs": "0,40 € de plus par repas.",
    "pitfalls": "Les vacances scolaires cassent la demande.",
    "contacts": "Service restauration, mairie d’Ungersheim.",
}


@pytest.fixture
def world():
    return build_world()


def sheet_url(pilot, suffix=""):
    return f"/territoires/{pilot.territory.slug}/pilotes/{pilot.pk}/fiche/{suffix}"


def published_pilot(world, visibility="private", title="Cantine 100 % locale"):
    pilot = make_pilot(world, title=title, visibility=visibility)
    iterate(world, pilot, "adjust", tried="Un essai secret.")
    sheet_save(actor=world.people["editor"], pilot=pilot, **SECTIONS)
    sheet_publish(actor=world.people["editor"], pilot=pilot)
    return pilot


def test_an_editor_writes_the_sheet_and_publishes_it_through_the_pages(client, world):
    pilot = make_pilot(world)
    client_as(client, world, "editor")
    body = page_text(client.get(sheet_url(pilot)))
    assert "Fiche de transférabilité : Cantine 100 % locale Ungersheim · En cours · non publiée" in body
    assert "Contexte Pas encore rédigée. Prérequis Pas encore rédigée." in body
    response = client.post(
        sheet_url(pilot, "modifier/"), SECTIONS | {"costs": "<script>x</script>"}, follow=True
    )
    assert response.redirect_chain == [(sheet_url(pilot), 302)]
    body = page_text(response)
    assert "La fiche de transférabilité a été enregistrée." in body
    assert (
        "Hypothèse testée Si la cantine achète aux maraîchers du village, alors les repas seront locaux. "
        "Contexte Une commune rurale de 2 000 habitants. Prérequis Un cuisinier formé, deux maraîchers. "
        "Coûts <script>x</script> Écueils Les vacances scolaires cassent la demande. "
        "Contacts Service restauration, mairie d’Ungersheim."
    ) in body
    assert "&lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert AuditEntry.objects.get(action="transferability_sheet.create").changes["context"] == [
        None,
        SECTIONS["context"],
    ]
    response = client.post(sheet_url(pilot, "publier/"), follow=True)
    body = page_text(response)
    assert "La fiche de transférabilité est publiée pour l’alliance." in body
    assert "Retirer de l’alliance" in body
    sheet = TransferabilitySheet.objects.get()
    assert sheet.published_at is not None and sheet.published_by == world.people["editor"]
    assert AuditEntry.objects.get(action="transferability_sheet.publish").changes == {
        "published": [False, True]
    }
    assert "Fiche de transférabilité Publiée pour l’alliance le" in page_text(
        client.get(f"/territoires/ungersheim/pilotes/{pilot.pk}/")
    )
    response = client.post(sheet_url(pilot, "depublier/"), follow=True)
    assert "La fiche de transférabilité n’est plus publiée." in page_text(response)
    assert TransferabilitySheet.objects.get().published_at is None
    assert AuditEntry.objects.get(action="transferability_sheet.unpublish").changes == {
        "published": [True, False]
    }


def test_publishing_with_empty_sections_names_each_of_them_and_writes_nothing(client, world):
    pilot = make_pilot(world)
    with pytest.raises(ValidationError) as refused:
        sheet_publish(actor=world.people["editor"], pilot=pilot)
    assert refused.value.message_dict == {
        section: [f"Rédigez la section «\xa0{title}\xa0» : une fiche publiée a toutes ses sections."]
        for section, title in (
            ("context", "Contexte"),
            ("prerequisites", "Prérequis"),
            ("costs", "Coûts"),
            ("pitfalls", "Écueils"),
            ("contacts", "Contacts"),
        )
    }
    assert TransferabilitySheet.objects.count() == 0
    sheet_save(actor=world.people["editor"], pilot=pilot, context="Ici.", costs="Peu.", pitfalls="   ")
    client_as(client, world, "editor")
    body = page_text(client.post(sheet_url(pilot, "publier/")))
    assert (
        "La fiche n’a pas été publiée : "
        "Rédigez la section « Prérequis » : une fiche publiée a toutes ses sections. "
        "Rédigez la section « Écueils » : une fiche publiée a toutes ses sections. "
        "Rédigez la section « Contacts » : une fiche publiée a toutes ses sections."
    ) in body
    assert TransferabilitySheet.objects.get().published_at is None
    assert not AuditEntry.objects.filter(action="transferability_sheet.publish").exists()


def test_a_published_sheet_keeps_all_its_sections(client, world):
    pilot = published_pilot(world)
    with pytest.raises(ValidationError) as refused:
        sheet_save(actor=world.people["editor"], pilot=pilot, costs="", contacts=" ")
    assert refused.value.message_dict == {
        "costs": ["Rédigez la section «\xa0Coûts\xa0» : une fiche publiée a toutes ses sections."],
        "contacts": ["Rédigez la section «\xa0Contacts\xa0» : une fiche publiée a toutes ses sections."],
    }
    assert TransferabilitySheet.objects.get().costs == SECTIONS["costs"]
    client_as(client, world, "editor")
    body = page_text(client.post(sheet_url(pilot, "modifier/"), SECTIONS | {"costs": ""}))
    assert (
        "Coûts : L’argent, le temps et les personnes qu’il a demandés. Rédigez la section « Coûts »" in body
    )


def test_publishing_twice_changes_nothing_and_unpublishing_an_unpublished_sheet_neither(world):
    pilot = published_pilot(world)
    first = TransferabilitySheet.objects.get().published_at
    sheet_publish(actor=world.people["admin"], pilot=pilot)
    assert TransferabilitySheet.objects.get().published_at == first
    sheet_unpublish(actor=world.people["admin"], pilot=pilot)
    sheet_unpublish(actor=world.people["admin"], pilot=pilot)
    assert AuditEntry.objects.filter(action__startswith="transferability_sheet.").count() == 3


def test_only_those_who_edit_the_pilot_write_and_publish_its_sheet(client, world):
    pilot = make_pilot(world, visibility="alliance")
    for role in ("viewer", "contributor", "member_elsewhere"):
        with pytest.raises(PermissionDenied):
            sheet_save(actor=world.people[role], pilot=pilot, context="X")
        with pytest.raises(PermissionDenied):
            sheet_publish(actor=world.people[role], pilot=pilot)
        client.logout()
        client_as(client, world, role)
        assert client.get(sheet_url(pilot, "modifier/")).status_code == 404
        assert client.post(sheet_url(pilot, "publier/")).status_code == 404
    client_as(client, world, "editor")
    assert client.get(sheet_url(pilot, "publier/")).status_code == 405
    client.logout()
    assert client.post(sheet_url(pilot, "publier/")).status_code == 302
    assert TransferabilitySheet.objects.count() == 0


SIGNED_IN = set(ROLES) - {"anonymous"}
TEAM = {"admin", "editor", "viewer"}


@pytest.mark.parametrize("role", ROLES)
def test_a_published_sheet_of_a_private_pilot_reaches_every_signed_in_member_without_iterations(
    client, world, role
):
    pilot = published_pilot(world)
    client_as(client, world, role)
    response = client.get(sheet_url(pilot))
    if role not in SIGNED_IN:
        assert response.status_code == 404
        assert client.get(SHEETS).status_code == 200
        assert "Cantine 100 % locale" not in page_text(client.get(SHEETS))
        return
    body = page_text(response)
    assert (
        "Fiche de transférabilité : Cantine 100 % locale Ungersheim · Ajusté · publiée pour l’alliance le"
        in body
    )
    assert "Hypothèse testée Si la cantine achète aux maraîchers du village" in body
    assert "Écueils Les vacances scolaires cassent la demande." in body
    assert ("Un essai secret." in body) is (role in TEAM)
    assert ("Itérations : essayé, observé, décidé" in body) is (role in TEAM)
    assert (f'/pilotes/{pilot.pk}/"' in response.content.decode()) is (role in TEAM)
    assert client.get(f"/territoires/ungersheim/pilotes/{pilot.pk}/").status_code == (
        200 if role in TEAM else 404
    )
    assert "Cantine 100 % locale Ungersheim · Ajusté · publiée le" in page_text(client.get(SHEETS))


@pytest.mark.parametrize("role", ["anonymous", "member_elsewhere", "viewer"])
def test_a_published_sheet_of_a_public_pilot_reaches_anyone(client, world, role):
    pilot = published_pilot(world, visibility="public")
    client_as(client, world, role)
    body = page_text(client.get(sheet_url(pilot)))
    assert "Fiche de transférabilité : Cantine 100 % locale" in body
    assert "Un essai secret." in body  # the pilot itself is public
    assert "Cantine 100 % locale" in page_text(client.get(SHEETS))


@pytest.mark.parametrize(
    ("role", "reads"),
    [("anonymous", False), ("member_elsewhere", False), ("contributor", False), ("viewer", True)],
)
def test_an_unpublished_sheet_reads_as_its_pilot(client, world, role, reads):
    pilot = make_pilot(world)
    sheet_save(actor=world.people["editor"], pilot=pilot, **SECTIONS)
    client_as(client, world, role)
    assert client.get(sheet_url(pilot)).status_code == (200 if reads else 404)
    assert "Cantine 100 % locale" not in page_text(client.get(SHEETS))


def test_the_alliance_list_shows_the_sections_pages_and_costs_the_same_queries(client, world):
    client_as(client, world, "member_elsewhere")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(SHEETS)
        return len(queries)

    published_pilot(world, title="Pilote 0")
    published_pilot(world, visibility="public", title="Pilote 1")
    one = count()
    for index in range(2, 40):
        published_pilot(world, visibility=("private", "public")[index % 2], title=f"Pilote {index}")
    assert count() == one
    body = page_text(client.get(SHEETS))
    assert ("Pilote 39 Ungersheim · Ajusté · publiée le") in body
    assert "Contexte Une commune rurale de 2 000 habitants. Prérequis Un cuisinier formé" in body
    assert "Page 1 sur 2" in body
    assert "Pilote 0 " in page_text(client.get(SHEETS, {"page": 2}))
    # The selector itself: a visitor reaches only the sheets of public pilots.
    assert published_sheets(None).count() == 20
    assert published_sheets(world.people["member_elsewhere"]).count() == 40


def test_the_sheet_page_costs_the_same_queries_whatever_the_pilot_s_size(client, world):
    small = published_pilot(world, visibility="public")
    big = published_pilot(world, visibility="public", title="Grand")
    for _ in range(6):
        iterate(world, big)
    client_as(client, world, "viewer")

    def count(pilot):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(sheet_url(pilot)).status_code == 200
        return len(queries)

    assert count(small) == count(big)
