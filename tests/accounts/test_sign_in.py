"""Signing in: throttled per e-mail address and per client address, in the person's language."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings

from tests.accounts.support import main_text
from tests.pages import page_text
from trajectoires.accounts.models import SignInAttempt, SignInOutcome, User
from trajectoires.accounts.signin import email_key, sign_in_attempt_record

pytestmark = pytest.mark.django_db
URL = "/compte/connexion/"
T0 = datetime.datetime(2026, 11, 26, 13, 0, tzinfo=datetime.UTC)  # 14:00 in Paris
NO_MATCH = "Cette adresse électronique et ce mot de passe ne correspondent à aucun compte actif."
PAUSED = (
    "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est suspendue : "
    "réessayez à {time} (dans {minutes})."
)


def at(minutes: float, seconds: float = 0) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes, seconds=seconds)


def fail(email: str, *, when: datetime.datetime, address: str = "127.0.0.1") -> None:
    with mock.patch("django.utils.timezone.now", return_value=when):
        sign_in_attempt_record(email=email, address=address, outcome=SignInOutcome.FAILED)


def sign_in(client, email: str, password: str, *, when: datetime.datetime, **extra):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return client.post(URL, {"username": email, "password": password}, **extra)


def outcomes() -> list[tuple[str, str | None]]:
    return list(SignInAttempt.objects.order_by("at", "id").values_list("outcome", "ip_address"))


def test_a_sign_in_is_recorded_under_a_digest_of_the_address_never_the_address(client, member):
    response = sign_in(client, "Member@Example.org ", "a long member password", when=T0)
    assert response.status_code == 302 and response.url == "/"
    attempt = SignInAttempt.objects.get()
    assert (attempt.outcome, attempt.ip_address, attempt.at) == ("succeeded", "127.0.0.1", T0)
    assert attempt.email_key == email_key("member@example.org") and len(attempt.email_key) == 64
    assert "member" not in str(SignInAttempt.objects.values().get())


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, member):
    wrong = sign_in(client, "member@example.org", "not the password", when=T0)
    unknown = sign_in(client, "nobody@example.org", "not the password", when=T0)
    assert NO_MATCH in page_text(wrong)
    assert page_text(wrong) == page_text(unknown)
    assert outcomes() == [("failed", "127.0.0.1"), ("failed", "127.0.0.1")]
    assert SESSION_KEY not in client.session


def test_five_failures_in_fifteen_minutes_pause_the_account_even_with_the_right_password(client, member):
    for minute in range(5):
        fail("member@example.org", when=at(minute))
    refused = sign_in(client, "member@example.org", "a long member password", when=at(5))
    # The oldest failure that still counts (14:00) leaves the window at 14:15.
    assert PAUSED.format(time="14:15", minutes="10 minutes") in page_text(refused)
    assert NO_MATCH not in page_text(refused)
    assert SESSION_KEY not in client.session
    assert outcomes()[-1] == ("refused", "127.0.0.1")

    # A refusal does not count as a failure: the time announced holds.
    again = sign_in(client, "member@example.org", "a long member password", when=at(14, 30))
    assert PAUSED.format(time="14:15", minutes="1 minute") in page_text(again)

    # The moment the oldest failure is fifteen minutes old, the right password opens the account.
    allowed = sign_in(client, "member@example.org", "a long member password", when=at(15))
    assert allowed.status_code == 302 and allowed.url == "/"
    assert client.session[SESSION_KEY] == str(member.pk)
    assert [outcome for outcome, _ in outcomes()] == ["failed"] * 5 + ["refused", "refused", "succeeded"]


def test_four_failures_or_five_over_more_than_fifteen_minutes_do_not_pause(client, member):
    fail("member@example.org", when=at(0))
    for minute in range(2, 6):
        fail("member@example.org", when=at(minute))
    response = sign_in(client, "member@example.org", "a long member password", when=at(15, 1))
    assert response.status_code == 302


def test_an_address_without_an_account_is_paused_just_the_same(client, member):
    for minute in range(5):
        fail("nobody@example.org", when=at(minute))
    refused = sign_in(client, "nobody@example.org", "whatever", when=at(6))
    assert PAUSED.format(time="14:15", minutes="9 minutes") in page_text(refused)
    # Other accounts are not affected by someone else's failures.
    assert sign_in(client, "member@example.org", "a long member password", when=at(6)).status_code == 302


def test_a_successful_sign_in_clears_the_failures_before_it(client, member):
    for minute in range(4):
        fail("member@example.org", when=at(minute))
    assert sign_in(client, "member@example.org", "a long member password", when=at(4)).status_code == 302
    client.logout()
    fail("member@example.org", when=at(5))
    assert sign_in(client, "member@example.org", "a long member password", when=at(6)).status_code == 302


def test_twenty_failures_from_one_address_pause_every_account_from_it(client, member):
    for index in range(20):
        fail(f"guess{index}@example.org", when=at(index / 2), address="203.0.113.9")
    refused = sign_in(
        client, "member@example.org", "a long member password", when=at(10), REMOTE_ADDR="203.0.113.9"
    )
    assert PAUSED.format(time="14:15", minutes="5 minutes") in page_text(refused)
    assert outcomes()[-1] == ("refused", "203.0.113.9")
    # Nineteen are not enough, and another address is not paused.
    SignInAttempt.objects.filter(outcome="failed").order_by("at").first().delete()
    assert (
        sign_in(
            client, "member@example.org", "a long member password", when=at(10), REMOTE_ADDR="203.0.113.9"
        ).status_code
        == 302
    )


def test_another_address_is_not_paused_by_the_failures_of_one(client, member):
    for index in range(20):
        fail(f"guess{index}@example.org", when=at(index / 2), address="203.0.113.9")
    response = sign_in(
        client, "member@example.org", "a long member password", when=at(10), REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 302


def test_an_ipv6_client_counts_as_its_network(client, member):
    sign_in(client, "member@example.org", "nope", when=T0, REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    sign_in(client, "member@example.org", "nope", when=T0, REMOTE_ADDR="2001:db8:1:2:bbbb::2")
    assert outcomes() == [("failed", "2001:db8:1:2::"), ("failed", "2001:db8:1:2::")]


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(client, member):
    forwarded = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 192.0.2.50"}
    sign_in(client, "member@example.org", "nope", when=T0, **forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=1):
        sign_in(client, "member@example.org", "nope", when=T0, **forwarded)
    assert outcomes() == [("failed", "10.0.0.1"), ("failed", "192.0.2.50")]


def test_attempts_older_than_thirty_days_are_forgotten(client, member):
    fail("member@example.org", when=at(0))
    sign_in(client, "member@example.org", "nope", when=T0 + datetime.timedelta(days=30, minutes=1))
    assert SignInAttempt.objects.count() == 1


def test_the_person_lands_on_pages_in_their_language(client, member):
    User.objects.filter(pk=member.pk).update(language="en")
    response = sign_in(client, "member@example.org", "a long member password", when=T0)
    assert response.url == "/en/"
    client.logout()
    with mock.patch("django.utils.timezone.now", return_value=at(1)):
        response = client.post(
            "/en/compte/connexion/?next=/en/territoires/",
            {"username": "member@example.org", "password": "a long member password", "next": "/territoires/"},
        )
    assert response.url == "/en/territoires/"


def test_a_french_speaker_signing_in_from_an_english_page_lands_in_french(client, member):
    response = client.post(
        "/en/compte/connexion/",
        {"username": "member@example.org", "password": "a long member password", "next": "/en/territoires/"},
    )
    assert response.url == "/territoires/"


def test_the_paused_message_in_english(client, member):
    for minute in range(5):
        fail("member@example.org", when=at(minute))
    with mock.patch("django.utils.timezone.now", return_value=at(14)):
        response = client.post("/en/compte/connexion/", {"username": "member@example.org", "password": "x"})
    assert (
        "Too many failed attempts to sign in. For your security, signing in is paused: "
        "try again at 2:15 p.m. (in 1 minute)." in page_text(response)
    )


def test_the_sign_in_page_offers_to_reset_the_password(client):
    response = client.get(URL)
    assert main_text(response) == (
        "Se connecter Adresse électronique : Mot de passe : Se connecter Mot de passe oublié ?"
    )
    assert '<a href="/compte/mot-de-passe/oublie/">Mot de passe oublié ?</a>' in response.content.decode()
