import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.accounts.models import FunderMembership, User
from trajectoires.core.models import AuditEntry
from trajectoires.territories.models import Invitation, TerritoryMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def invite(client, world, email="nouvelle@ungersheim.example", role="editor", as_role="admin"):
    client_as(client, world, as_role)
    return client.post("/territoires/ungersheim/equipe/inviter/", {"email": email, "role": role}, follow=True)


def link_in(message) -> str:
    return re.search(r"http://testserver(/invitations/[\w-]+/)", message.body).group(1)


def test_an_invited_person_creates_an_account_and_joins(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world)
    assert "Une invitation a été envoyée à nouvelle@ungersheim.example." in page_text(response)
    (message,) = mail.outbox
    assert message.to == ["nouvelle@ungersheim.example"]
    assert message.subject == "Invitation à rejoindre Ungersheim sur Trajectoires"
    link = link_in(message)
    invitation = Invitation.objects.get()
    assert invitation.digest != link.split("/")[2] and len(invitation.digest) == 64

    client.logout()
    page = client.get(link)
    assert (
        "Vous êtes invité·e à rejoindre l'équipe de Ungersheim, en tant que nouvelle@ungersheim.example."
        in page_text(page)
    )
    response = client.post(
        link,
        {
            "full_name": "Nina Nouvelle",
            "password": "un mot de passe solide",
            "password_again": "un mot de passe solide",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/territoires/ungersheim/equipe/"
    user = User.objects.get(email="nouvelle@ungersheim.example")
    assert TerritoryMembership.objects.get(user=user).role == "editor"
    assert Invitation.objects.get().accepted_by == user
    actions = list(
        AuditEntry.objects.filter(scope=f"territory:{world.territory.pk}").values_list("action", flat=True)
    )
    assert actions[:2] == ["membership.join", "invitation.create"]
    assert "nouvelle@" not in str(list(AuditEntry.objects.values_list("changes", "object_repr")))

    client.logout()
    reused = client.get(link)
    assert reused.status_code == 404
    assert "Cette invitation a déjà été utilisée." in page_text(reused)


def test_an_expired_invitation_is_refused(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.logout()
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 404
    assert "Cette invitation a expiré : demandez-en une nouvelle." in page_text(response)
    assert not User.objects.filter(email="nouvelle@ungersheim.example").exists()


def test_a_signed_in_member_with_the_invited_address_joins_in_one_click(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, email=world.people["partner_funder"].email, role="contributor")
    client_as(client, world, "partner_funder")
    response = client.post(link_in(mail.outbox[0]), follow=True)
    assert "Bienvenue dans l'équipe de Ungersheim." in page_text(response)
    assert TerritoryMembership.objects.get(user=world.people["partner_funder"]).role == "contributor"


def test_the_invitation_of_someone_else_cannot_be_taken(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world)
    client_as(client, world, "member_elsewhere")
    response = client.post(link_in(mail.outbox[0]), follow=True)
    assert "Cette invitation a été envoyée à une autre adresse électronique" in page_text(response)
    assert not TerritoryMembership.objects.filter(
        user=world.people["member_elsewhere"], territory=world.territory
    ).exists()


def test_inviting_a_member_again_names_the_field(client, world):
    response = invite(client, world, email=world.people["viewer"].email)
    assert response.status_code == 400
    assert "viewer@ungersheim.example est déjà membre de cette équipe." in page_text(response)
    assert Invitation.objects.count() == 0


@pytest.mark.parametrize("role", ["editor", "contributor", "viewer", "member_elsewhere", "partner_funder"])
def test_only_admins_invite(client, world, role):
    response = invite(client, world, as_role=role)
    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_the_last_admin_can_neither_leave_nor_be_demoted(client, world):
    admin = TerritoryMembership.objects.get(user=world.people["admin"])
    client_as(client, world, "admin")
    response = client.post(
        f"/territoires/ungersheim/equipe/{admin.pk}/role/", {"role": "viewer"}, follow=True
    )
    assert (
        "Une équipe garde au moins un administrateur : désignez d'abord un autre administrateur."
        in page_text(response)
    )
    response = client.post(f"/territoires/ungersheim/equipe/{admin.pk}/retirer/", follow=True)
    assert "Une équipe garde au moins un administrateur" in page_text(response)
    admin.refresh_from_db()
    assert admin.role == "admin"

    editor = TerritoryMembership.objects.get(user=world.people["editor"])
    client.post(f"/territoires/ungersheim/equipe/{editor.pk}/role/", {"role": "admin"})
    client.post(f"/territoires/ungersheim/equipe/{admin.pk}/retirer/")
    assert not TerritoryMembership.objects.filter(pk=admin.pk).exists()
    changes = dict(
        AuditEntry.objects.filter(action__startswith="membership.").values_list("action", "changes")
    )
    assert changes == {
        "membership.change_role": {"role": ["editor", "admin"]},
        "membership.remove": {"role": ["admin", None]},
    }


def test_the_team_page_is_for_the_team_and_addresses_for_admins(client, world):
    assert client_as(client, world, "viewer").get("/territoires/ungersheim/equipe/").status_code == 200
    body = page_text(client.get("/territoires/ungersheim/equipe/"))
    assert "Editor Éditeur du territoire" in body
    assert "editor@ungersheim.example" not in body
    client_as(client, world, "admin")
    assert "editor@ungersheim.example" in page_text(client.get("/territoires/ungersheim/equipe/"))
    for role in ("member_elsewhere", "partner_funder", "assembly_delegate"):
        client_as(client, world, role)
        assert client.get("/territoires/ungersheim/equipe/").status_code == 404


def test_a_funder_admin_invites_an_officer(client, world, django_capture_on_commit_callbacks):
    funder_admin = world.people["other_funder"]
    FunderMembership.objects.filter(user=funder_admin).update(role="admin")
    client.force_login(funder_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/financeurs/fondation-lointaine/equipe/inviter/",
            {"email": "agent@fondation.example", "role": "officer"},
        )
    client.logout()
    link = link_in(mail.outbox[0])
    client.post(
        link,
        {
            "full_name": "Agent Fondation",
            "password": "un mot de passe solide",
            "password_again": "un mot de passe solide",
        },
    )
    membership = FunderMembership.objects.get(user__email="agent@fondation.example")
    assert (membership.funder, membership.role) == (world.other_funder, "officer")


def test_the_history_of_changes_names_actors_and_survives_erasure(client, world):
    client_as(client, world, "admin")
    editor = TerritoryMembership.objects.get(user=world.people["editor"])
    client.post(f"/territoires/ungersheim/equipe/{editor.pk}/role/", {"role": "viewer"})
    body = page_text(client.get("/territoires/ungersheim/historique/"))
    assert "Admin membership.change_role" in body
    assert "role : editor → viewer" in body
    erased_pk = world.people["admin"].pk
    world.people["admin"].delete()
    client_as(client, world, "staff")
    body = page_text(client.get("/territoires/ungersheim/historique/"))
    assert f"compte effacé n°{erased_pk} membership.change_role" in body


def test_staff_read_the_whole_platform_history_and_others_do_not(client, world):
    client_as(client, world, "staff")
    body = page_text(client.get("/"))
    assert "Historique des modifications" in body
    history = page_text(client.get("/historique/"))
    assert "Historique des modifications — toute la plateforme" in history
    assert "territory.create Ungersheim" in history and "territory.create Grande-Synthe" in history
    for role in ("admin", "partner_funder", "assembly_delegate"):
        client_as(client, world, role)
        assert client.get("/historique/").status_code == 404
