"""A person's GDPR rights in the actor map: export and erasure, by the territory admin."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actor_gdpr import actor_erase
from trajectoires.cooperation.actors import actor_update
from trajectoires.cooperation.models import Actor, Tie
from trajectoires.core.models import AuditEntry
from trajectoires.steering.models import Celebration
from trajectoires.steering.services import journal_entry_create

from .actor_data import make_actor, make_tie

pytestmark = pytest.mark.django_db
LIST = "/territoires/ungersheim/acteurs/"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def anne(world):
    """A person with everything a person can have: contacts, an account, ties, tags."""
    mairie = make_actor(world, "Mairie d'Ungersheim", kind="organisation", code="agent")
    anne = make_actor(
        world,
        "Anne Martin",
        code="elu",
        organisation=mairie,
        function="Adjointe",
        email="anne.martin@example.org",
        phone="06 11 22 33 44",
        notes="Rencontrée au forum",
        user_email="viewer@ungersheim.example",
        visibility="partners",
    )
    make_tie(anne, mairie, held_on=datetime.date(2025, 3, 1))
    make_tie(mairie, anne, held_on=datetime.date(2026, 3, 1), tie_type="joint_project")
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Forum de la transition",
        occurred_on=datetime.date(2026, 4, 2),
    )
    entry.actors.add(anne)
    celebration = Celebration.objects.create(
        territory=world.territory,
        title="Inauguration du verger",
        achieved_on=datetime.date(2026, 5, 1),
        achievement="Cent arbres plantés",
    )
    celebration.actors.add(anne)
    return anne


def test_the_admin_downloads_everything_stored_about_a_person(client, world, anne):
    client_as(client, world, "admin")
    response = client.post(f"{LIST}{anne.pk}/donnees.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="acteur-{anne.pk}.json"'
    data = json.loads(response.content)
    assert data["actor"] | {"created_at": "", "updated_at": ""} == {
        "id": anne.pk,
        "kind": "person",
        "name": "Anne Martin",
        "category": {"code": "elu", "label": "Élu"},
        "organisation": "Mairie d'Ungersheim",
        "function": "Adjointe",
        "email": "anne.martin@example.org",
        "phone": "06 11 22 33 44",
        "notes": "Rencontrée au forum",
        "platform_account": "viewer@ungersheim.example",
        "visibility": "partners",
        "created_at": "",
        "updated_at": "",
        "erased_at": None,
    }
    assert [
        (tie["round"]["date"], tie["direction"], tie["other_actor"], tie["type"]) for tie in data["ties"]
    ] == [
        ("2025-03-01", "from", "Mairie d'Ungersheim", "information"),
        ("2026-03-01", "to", "Mairie d'Ungersheim", "joint_project"),
    ]
    assert data["ties"][0]["quality"] == 3
    assert [entry["title"] for entry in data["journal_entries"]] == ["Forum de la transition"]
    assert [item["title"] for item in data["celebrations"]] == ["Inauguration du verger"]
    assert [row["action"] for row in data["history"]] == ["actor.create"]
    audit = AuditEntry.objects.get(action="actor.export")
    assert (audit.object_id, audit.object_repr, audit.changes) == (str(anne.pk), "", {})


@pytest.mark.parametrize("role", ["editor", "viewer", "contributor", "staff"])
def test_only_the_territory_admin_exports_and_erases(client, world, anne, role):
    client_as(client, world, role)
    assert client.post(f"{LIST}{anne.pk}/donnees.json").status_code == 404
    assert client.get(f"{LIST}{anne.pk}/effacer/").status_code == 404
    assert client.post(f"{LIST}{anne.pk}/effacer/", {"confirm": "yes"}).status_code == 404
    assert "Données personnelles (RGPD)" not in page_text(client.get(f"{LIST}{anne.pk}/"))
    assert Actor.objects.get(pk=anne.pk).erased_at is None


def test_an_export_is_a_post_and_organisations_have_none(client, world, anne):
    client_as(client, world, "admin")
    assert client.get(f"{LIST}{anne.pk}/donnees.json").status_code == 405
    assert client.post(f"{LIST}{anne.organisation_id}/donnees.json").status_code == 404
    page = page_text(client.get(f"{LIST}{anne.pk}/"))
    assert "Données personnelles (RGPD) " in page and "Télécharger ses données (JSON)" in page


def test_erasure_needs_the_confirmation(client, world, anne):
    client_as(client, world, "admin")
    response = client.post(f"{LIST}{anne.pk}/effacer/")
    assert "Cochez la case pour confirmer l’effacement." in page_text(response)
    assert Actor.objects.get(pk=anne.pk).name == "Anne Martin"


def test_erasure_pseudonymises_the_person_and_keeps_the_network(client, world, anne):
    ties_before = list(Tie.objects.order_by("id").values_list("id", "source_id", "target_id", "tie_type"))
    client_as(client, world, "admin")
    response = client.post(f"{LIST}{anne.pk}/effacer/", {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(f"{LIST}{anne.pk}/", 302)]
    text = page_text(response)
    assert "Les données de la personne ont été effacées ; sa place dans le réseau est conservée." in text
    assert f"Personne effacée n° {anne.pk}" in text
    erased = Actor.objects.get(pk=anne.pk)
    assert (erased.name, erased.function, erased.email, erased.phone, erased.notes, erased.user) == (
        f"Personne effacée n° {anne.pk}", "", "", "", "", None,
    )  # fmt: skip
    assert erased.erased_at is not None
    assert (erased.category.code, erased.organisation.name, erased.visibility) == (
        "elu", "Mairie d'Ungersheim", "partners",
    )  # fmt: skip
    assert (
        list(Tie.objects.order_by("id").values_list("id", "source_id", "target_id", "tie_type"))
        == ties_before
    )
    assert list(erased.journal_entries.values_list("title", flat=True)) == ["Forum de la transition"]
    assert "Effacer ses données personnelles" not in text


def test_the_trail_keeps_nothing_of_an_erased_person(client, world, anne):
    actor_update(actor=world.people["editor"], record=anne, phone="06 99 99 99 99", function="Maire")
    client_as(client, world, "admin")
    client.post(f"{LIST}{anne.pk}/effacer/", {"confirm": "yes"})
    erase = AuditEntry.objects.get(action="actor.erase")
    assert erase.object_repr == ""
    assert set(erase.changes) == {"name", "function", "email", "phone", "notes", "user", "erased_at"}
    trail = json.dumps(list(AuditEntry.objects.values("object_repr", "changes")), ensure_ascii=False)
    for personal in ("Anne", "Martin", "anne.martin@", "06 11 22 33 44", "06 99", "Rencontrée", "Adjointe"):
        assert personal not in trail
    history = page_text(client.get("/territoires/ungersheim/historique/"))
    assert "actor.erase" in history and "Anne" not in history


def test_an_erased_person_keeps_their_pseudonym(world, anne):
    admin = world.people["admin"]
    erased = actor_erase(actor=admin, record=anne)
    with pytest.raises(ValidationError) as refused:
        actor_update(actor=admin, record=erased, name="Anne Martin", email="anne@example.org")
    assert refused.value.message_dict == {
        "name": ["Les données de cette personne ont été effacées : ce champ ne peut plus être modifié."],
        "email": ["Les données de cette personne ont été effacées : ce champ ne peut plus être modifié."],
    }
    actor_update(actor=admin, record=erased, category=erased.category, visibility="private")
    assert Actor.objects.get(pk=anne.pk).visibility == "private"
    with pytest.raises(ValidationError):
        actor_erase(actor=admin, record=erased)


def test_the_edit_form_of_an_erased_person_has_no_personal_field(client, world, anne):
    client_as(client, world, "admin")
    client.post(f"{LIST}{anne.pk}/effacer/", {"confirm": "yes"})
    form = client.get(f"{LIST}{anne.pk}/modifier/")
    assert set(form.context["form"].fields) == {"category", "organisation", "visibility"}
    response = client.post(
        f"{LIST}{anne.pk}/modifier/",
        {"category": anne.category.code, "organisation": anne.organisation_id, "visibility": "alliance"},
    )
    assert response.status_code == 302
    assert Actor.objects.get(pk=anne.pk).visibility == "alliance"
