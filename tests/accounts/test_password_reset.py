"""Resetting a forgotten password: request by e-mail, link, new password."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from tests.accounts.support import main_text
from trajectoires.accounts.models import SignInAttempt, User
from trajectoires.accounts.signin import MAX_FAILURES_PER_EMAIL, sign_in_attempt_record
from trajectoires.core.models import AuditEntry

pytestmark = pytest.mark.django_db
REQUEST = "/compte/mot-de-passe/oublie/"
NEW_PASSWORD = "une phrase de passe toute neuve"
SENT = (
    "Consultez votre messagerie Si un compte utilise cette adresse, nous venons de lui envoyer un lien pour "
    "choisir un nouveau mot de passe. Ce lien ne sert qu'une fois et reste valable quelques jours. "
    "Rien après quelques minutes ? Regardez dans vos courriers indésirables, et vérifiez que vous "
    "avez bien saisi l'adresse de votre compte. Retour à la connexion"
)


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_the_whole_reset_from_the_request_to_signing_in(client, member):
    for _attempt in range(MAX_FAILURES_PER_EMAIL):
        sign_in_attempt_record(email=member.email, address="203.0.113.9", outcome="failed")

    response = client.post(REQUEST, {"email": "Member@example.org"}, follow=True)
    assert response.redirect_chain == [("/compte/mot-de-passe/oublie/envoye/", 302)]
    assert main_text(response) == SENT
    (message,) = mail.outbox
    assert message.to == ["member@example.org"]
    assert message.subject == "Réinitialisez votre mot de passe Trajectoires"
    assert message.body.startswith(
        "Bonjour,\n\nQuelqu'un a demandé à réinitialiser le mot de passe du compte Trajectoires de "
        "member@example.org. Pour choisir un nouveau mot de passe, ouvrez ce lien :\n\n"
        "http://testserver/compte/mot-de-passe/nouveau/"
    )
    assert "votre mot de passe ne change pas." in message.body

    # The link leads to the form at an address without the token (so no Referer leaks it).
    form_page = client.get(link_in(message), follow=True)
    form_url = f"/compte/mot-de-passe/nouveau/{link_in(message).split('/')[4]}/set-password/"
    assert form_page.redirect_chain == [(form_url, 302)]
    assert main_text(form_page).startswith("Choisissez un nouveau mot de passe Nouveau mot de passe :")

    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain == [("/compte/mot-de-passe/change/", 302)]
    assert main_text(done).startswith("Votre mot de passe a été changé Vous pouvez maintenant vous connecter")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="account.password_reset")
    assert (entry.actor_label, entry.object_id, entry.changes) == (
        str(member.pk),
        str(member.pk),
        {"password": ["•••", "•••"]},
    )

    # The reset proved who holds the account: the failures before it no longer pause it.
    signed_in = client.post("/compte/connexion/", {"username": member.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and client.session[SESSION_KEY] == str(member.pk)
    # The link works once.
    assert main_text(client.get(link_in(message))).startswith("Ce lien ne fonctionne plus")


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, member):
    response = client.post(REQUEST, {"email": "nobody@example.org"}, follow=True)
    assert response.redirect_chain == [("/compte/mot-de-passe/oublie/envoye/", 302)]
    assert main_text(response) == SENT
    assert mail.outbox == []


def test_the_e_mail_is_written_in_the_person_s_language(client, member):
    User.objects.filter(pk=member.pk).update(language="en")
    client.post(REQUEST, {"email": "member@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Reset your Trajectoires password"
    assert message.body.startswith("Hello,\n\nSomeone asked to reset the password")
    assert "http://testserver/en/compte/mot-de-passe/nouveau/" in message.body


def test_a_weak_or_mismatched_password_is_refused_and_nothing_changes(client, member):
    client.post(REQUEST, {"email": "member@example.org"})
    form_url = client.get(link_in(mail.outbox[0])).url
    response = client.post(form_url, {"new_password1": "court", "new_password2": "autre"})
    text = main_text(response)
    assert (
        "Confirmation du nouveau mot de passe : Saisissez le même mot de passe que précédemment, pour "
        "vérification. Les deux mots de passe ne correspondent pas." in text
    )
    response = client.post(form_url, {"new_password1": "motdepasse", "new_password2": "motdepasse"})
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in main_text(response)
    member.refresh_from_db()
    assert member.check_password("a long member password")
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()
    assert SignInAttempt.objects.count() == 0


def test_a_broken_link_says_so_and_offers_a_new_one(client, member):
    response = client.get("/compte/mot-de-passe/nouveau/MQ/not-a-token/")
    assert main_text(response) == (
        "Ce lien ne fonctionne plus Un lien de réinitialisation ne sert qu'une fois et reste valable "
        "quelques jours. Votre messagerie a aussi pu le couper en deux. Demander un nouveau lien"
    )
    assert '<a href="/compte/mot-de-passe/oublie/">Demander un nouveau lien</a>' in response.content.decode()


def test_the_request_form_names_its_field_when_the_address_is_not_one(client):
    response = client.post(REQUEST, {"email": "pas une adresse"})
    assert "Adresse électronique : Saisissez une adresse de courriel valide." in main_text(response)
    assert mail.outbox == []
