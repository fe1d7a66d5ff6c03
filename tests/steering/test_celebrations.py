"""Celebrations of intermediate victories (F9): written by the team and contributors, linked to
journal entries and actors, audited, shown on the timeline."""

import pytest
from django.core.exceptions import ValidationError

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.steering.celebrations import celebration_create, celebration_update
from trajectoires.steering.models import Celebration
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
NEW = "/territoires/ungersheim/celebrations/nouvelle/"


@pytest.fixture
def world():
    return build_world()


def entry(world, title, visibility="private"):
    return journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title=title,
        occurred_on="2026-04-10",
        visibility=visibility,
    )


def elsewhere_entry(world, title):
    return journal_entry_create(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        title=title,
        occurred_on="2026-04-10",
    )


def data(**values):
    return {
        "title": "Le verger <b>a donné</b>",
        "achieved_on": "2026-09-12",
        "achievement": "Deux tonnes de pommes.",
        "participants": "Les bénévoles, l'école.",
        "visibility": "partners",
    } | values


def test_an_editor_celebrates_with_linked_entries_and_actors(client, world, make_actor):
    planting = entry(world, "Plantation du verger")
    orchard = make_actor(world.territory, "Les Croqueurs de pommes")
    client_as(client, world, "editor")
    response = client.post(NEW, data(journal_entries=[planting.pk], actors=[orchard.pk]), follow=True)
    celebration = Celebration.objects.get()
    assert response.redirect_chain == [(f"/territoires/ungersheim/celebrations/{celebration.pk}/", 302)]
    assert (celebration.author, celebration.visibility) == (world.people["editor"], "partners")
    body = page_text(response)
    assert "La célébration a été enregistrée." in body
    assert "Le verger <b>a donné</b> Célébration · 12 septembre 2026 · Partenaires" in body
    assert "Le verger &lt;b&gt;a donné&lt;/b&gt;" in response.content.decode()
    assert "Ce qui a été accompli Deux tonnes de pommes. Qui y a pris part Les bénévoles, l'école." in body
    assert "Acteurs Les Croqueurs de pommes" in body
    assert "Entrées du journal liées Plantation du verger · 10 avril 2026" in body
    audit = AuditEntry.objects.get(action="celebration.create")
    assert audit.scope == f"territory:{world.territory.pk}"
    assert audit.changes["journal_entries"] == [None, [planting.pk]]
    assert audit.changes["actors"] == [None, [orchard.pk]]
    # The entry says where it was celebrated.
    assert "Célébrée dans Le verger <b>a donné</b>" in page_text(
        client.get(f"/territoires/ungersheim/journal/{planting.pk}/")
    )


def test_bad_input_is_named_and_nothing_written(client, world):
    other = elsewhere_entry(world, "Ailleurs")
    client_as(client, world, "editor")
    response = client.post(NEW, data(achievement="", achieved_on="hier", journal_entries=[other.pk]))
    body = page_text(response)
    assert "Ce qui a été accompli : Ce champ est obligatoire." in body
    assert "Date : Saisissez une date valide." in body
    assert (
        f"Entrées du journal liées : Sélectionnez un choix valide. {other.pk} n’en fait pas partie." in body
    )
    assert Celebration.objects.count() == 0


def test_the_service_refuses_links_to_another_territory(world, make_actor):
    stranger = make_actor(world.elsewhere, "Voisin")
    with pytest.raises(ValidationError) as refused:
        celebration_create(
            actor=world.people["editor"],
            territory=world.territory,
            title="X",
            achieved_on="2026-01-01",
            achievement="Y",
            actors=[stranger],
        )
    assert refused.value.message_dict == {"actors": ["Choisissez des acteurs de ce territoire."]}
    with pytest.raises(ValidationError) as refused:
        celebration_create(
            actor=world.people["editor"],
            territory=world.territory,
            title="X",
            achieved_on="2026-01-01",
            achievement="Y",
            journal_entries=[elsewhere_entry(world, "Ailleurs")],
        )
    assert refused.value.message_dict == {
        "journal_entries": ["Choisissez des entrées du journal de ce territoire."]
    }
    assert Celebration.objects.count() == 0


def test_a_contributor_celebrates_and_edits_their_own_only(client, world):
    client_as(client, world, "contributor")
    client.post(NEW, data(title="Atelier réussi"))
    own = Celebration.objects.get(title="Atelier réussi")
    assert client.get(f"/territoires/ungersheim/celebrations/{own.pk}/modifier/").status_code == 200
    other = celebration_create(
        actor=world.people["editor"],
        territory=world.territory,
        title="Conseil",
        achieved_on="2026-01-01",
        achievement="Vote.",
        visibility="partners",
    )
    assert client.get(f"/territoires/ungersheim/celebrations/{other.pk}/modifier/").status_code == 404
    assert client.post(f"/territoires/ungersheim/celebrations/{other.pk}/supprimer/").status_code == 404
    client_as(client, world, "viewer")
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, data()).status_code == 404
    assert Celebration.objects.count() == 2


def test_links_the_editor_cannot_see_stay(world):
    secret = entry(world, "Note privée", visibility="private")
    public = entry(world, "Compte rendu public", visibility="partners")
    celebration = celebration_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Fête",
        achieved_on="2026-01-01",
        achievement="Oui.",
        journal_entries=[secret, public],
        visibility="partners",
    )
    contributor = world.people["contributor"]
    celebration.author = contributor
    celebration.save()
    celebration_update(
        actor=contributor, celebration=celebration, journal_entries=[], title="Fête du village"
    )
    assert list(celebration.journal_entries.all()) == [secret]


def test_an_editor_deletes_a_celebration_and_the_list_is_the_timeline(client, world):
    celebration = celebration_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Fête",
        achieved_on="2026-01-01",
        achievement="Oui.",
        visibility="public",
    )
    client_as(client, world, "editor")
    page = client.get(f"/territoires/ungersheim/celebrations/{celebration.pk}/supprimer/")
    assert "Supprimer « Fête » ? Les entrées du journal qu’elle relie restent." in page_text(page)
    response = client.post(f"/territoires/ungersheim/celebrations/{celebration.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [
        ("/territoires/ungersheim/celebrations/", 302),
        ("/territoires/ungersheim/journal/?type=celebration", 302),
    ]
    assert "La célébration a été supprimée." in page_text(response)
    assert Celebration.objects.count() == 0
    audit = AuditEntry.objects.get(action="celebration.delete")
    assert audit.changes["title"] == ["Fête", None]
