"""Deleting one's account (GDPR erasure): confirmed by the password, refusable by other apps."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError

from tests.accounts.support import main_text
from trajectoires.accounts.models import (
    ApiToken,
    AssemblyMembership,
    Funder,
    FunderMembership,
    SignInAttempt,
    User,
)
from trajectoires.accounts.services import account_delete, account_update, api_token_create
from trajectoires.accounts.signals import account_deleting
from trajectoires.accounts.signin import sign_in_attempt_record
from trajectoires.core.models import AuditEntry
from trajectoires.referential.selectors import referential_items

pytestmark = pytest.mark.django_db
DELETE = "/compte/supprimer/"
PASSWORD = "a long member password"


@pytest.fixture
def member_with_ties(member):
    """The member, with an Assembly role, a funder role, a token and a past profile change."""
    funder = Funder.objects.create(name="ADEME", slug="ademe", kind=referential_items("funder_type")[0])
    FunderMembership.objects.create(user=member, funder=funder, role="officer")
    AssemblyMembership.objects.create(user=member, role="delegate")
    api_token_create(user=member, name="Script de Maël", scope="read")
    account_update(user=member, full_name="Maël Martin", language="fr")
    sign_in_attempt_record(email=member.email, address="203.0.113.9", outcome="failed")
    return member


@pytest.fixture
def refusing_receiver():
    def refuse(sender, user, **kwargs):
        raise ValidationError(
            "Vous êtes le dernier administrateur d'Ungersheim : nommez d'abord quelqu'un d'autre."
        )

    account_deleting.connect(refuse, sender=User, dispatch_uid="test-refuse")
    yield refuse
    account_deleting.disconnect(sender=User, dispatch_uid="test-refuse")


def test_the_deletion_page_explains_what_is_erased(client, member):
    client.force_login(member)
    assert main_text(client.get(DELETE)) == (
        "Supprimer mon compte La suppression de votre compte est définitive : elle ne peut pas être annulée. "
        "Elle efface : votre compte : votre adresse électronique, votre nom, votre mot de passe et votre "
        "langue ; vos appartenances à des territoires, à des financeurs et à l'Assemblée ; vos jetons d'API "
        "personnels. Le journal d'audit garde la trace de ce qui a été fait avec ce compte sous son seul "
        "numéro, sans votre nom ni votre adresse électronique. Ce que vous avez écrit pour des territoires y "
        "reste, sans plus porter votre nom. Votre mot de passe : Pour confirmer qu'il s'agit bien de vous. "
        "Supprimer définitivement mon compte Conserver mon compte"
    )


def test_only_a_signed_in_person_reaches_it(client):
    assert client.get(DELETE).url == "/compte/connexion/?next=/compte/supprimer/"


def test_deleting_erases_the_account_and_leaves_a_pseudonymous_trail(client, member_with_ties):
    member_id = member_with_ties.pk
    client.force_login(member_with_ties)
    response = client.post(DELETE, {"password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Votre compte a été supprimé. Merci d'avoir participé." in main_text(response)
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(pk=member_id).exists()
    assert (
        FunderMembership.objects.count(),
        AssemblyMembership.objects.count(),
        ApiToken.objects.count(),
        SignInAttempt.objects.count(),
    ) == (0, 0, 0, 0)
    assert Funder.objects.filter(slug="ademe").exists()

    entry = AuditEntry.objects.get(action="account.delete")
    assert (entry.actor_label, entry.object_type, entry.object_id, entry.object_repr, entry.changes) == (
        str(member_id),
        "accounts.user",
        str(member_id),
        "",
        {},
    )
    trail = list(AuditEntry.objects.filter(actor_label=str(member_id)).values())
    assert [row["action"] for row in reversed(trail)] == [
        "api_token.create",
        "account.update",
        "account.delete",
    ]
    assert not any(word in str(trail) for word in ("Maël", "Martin", "member@", "Script"))


def test_deleting_in_english_confirms_in_english(client, member):
    User.objects.filter(pk=member.pk).update(language="en")
    client.force_login(member)
    response = client.post("/en/compte/supprimer/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/en/", 302)]
    assert "Your account was deleted. Thank you for having taken part." in main_text(response)


def test_a_wrong_password_deletes_nothing(client, member_with_ties):
    client.force_login(member_with_ties)
    response = client.post(DELETE, {"password": "not my password"})
    assert (
        "Votre mot de passe : Pour confirmer qu'il s'agit bien de vous. Ce mot de passe est incorrect."
        in (main_text(response))
    )
    assert User.objects.filter(pk=member_with_ties.pk).exists()
    assert (
        FunderMembership.objects.count(),
        AssemblyMembership.objects.count(),
        ApiToken.objects.count(),
    ) == (
        1,
        1,
        1,
    )
    assert not AuditEntry.objects.filter(action="account.delete").exists()
    assert client.session[SESSION_KEY] == str(member_with_ties.pk)
    # The wrong password counts as a failed attempt, like one at the sign-in.
    assert SignInAttempt.objects.filter(outcome="failed").count() == 2


def test_an_empty_password_names_the_field(client, member):
    client.force_login(member)
    response = client.post(DELETE, {"password": ""})
    assert "Votre mot de passe : Pour confirmer qu'il s'agit bien de vous. Ce champ est obligatoire." in (
        main_text(response)
    )
    assert User.objects.filter(pk=member.pk).exists()


def test_the_password_check_is_throttled_like_a_sign_in(client, member):
    client.force_login(member)
    for _attempt in range(5):
        client.post(DELETE, {"password": "guess"})
    response = client.post(DELETE, {"password": PASSWORD})
    assert "Trop de tentatives de connexion ont échoué." in main_text(response)
    assert User.objects.filter(pk=member.pk).exists()


def test_a_receiver_can_refuse_and_then_nothing_is_deleted(client, member_with_ties, refusing_receiver):
    client.force_login(member_with_ties)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="message message-error" role="alert">' in html
    assert (
        "sans plus porter votre nom. Vous êtes le dernier administrateur d'Ungersheim : nommez d'abord "
        "quelqu'un d'autre. Votre mot de passe :" in main_text(response)
    )
    assert User.objects.filter(pk=member_with_ties.pk).exists()
    assert (
        FunderMembership.objects.count(),
        AssemblyMembership.objects.count(),
        ApiToken.objects.count(),
    ) == (
        1,
        1,
        1,
    )
    assert not AuditEntry.objects.filter(action="account.delete").exists()
    assert client.session[SESSION_KEY] == str(member_with_ties.pk)


def test_a_receiver_sees_the_account_before_it_goes(member):
    seen = []

    def remember(sender, user, **kwargs):
        seen.append((sender, user.pk, User.objects.filter(pk=user.pk).exists()))

    account_deleting.connect(remember, sender=User, dispatch_uid="test-remember")
    try:
        member_id = member.pk
        account_delete(user=member, password=PASSWORD)
    finally:
        account_deleting.disconnect(sender=User, dispatch_uid="test-remember")
    assert seen == [(User, member_id, True)]
    assert not User.objects.filter(pk=member_id).exists()


def test_the_service_refuses_a_wrong_password_by_naming_the_field(member):
    with pytest.raises(ValidationError) as error:
        account_delete(user=member, password="nope")
    assert error.value.message_dict == {"password": ["Ce mot de passe est incorrect."]}
    assert User.objects.filter(pk=member.pk).exists()
