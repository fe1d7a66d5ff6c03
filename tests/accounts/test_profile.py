"""The profile page: name and language, and personal API tokens."""

import datetime
import hashlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.accounts.support import main_text
from trajectoires.accounts.models import ApiToken, User
from trajectoires.accounts.services import api_token_authenticate, api_token_create
from trajectoires.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PROFILE = "/compte/profil/"
TOKENS = "/compte/profil/jetons/"
WARNING = "Copiez-le maintenant : il ne sera plus jamais affiché."


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_the_profile_page_needs_a_signed_in_person(client):
    assert client.get(PROFILE).url == "/compte/connexion/?next=/compte/profil/"
    assert (
        client.post(TOKENS, {"name": "x", "scope": "read"}).url
        == "/compte/connexion/?next=/compte/profil/jetons/"
    )
    assert ApiToken.objects.count() == 0


def test_the_profile_page_shows_the_person_s_labelled_fields(signed_in):
    response = signed_in.get(PROFILE)
    assert main_text(response).startswith(
        "Mon compte member@example.org Profil Nom complet : Langue : Les pages s'ouvrent dans cette langue "
        "quand vous vous connectez, et nous vous écrivons dans cette langue. Français English "
        "Enregistrer le profil Jetons d'API personnels"
    )
    html = response.content.decode()
    assert '<label for="id_full_name">Nom complet\xa0:</label>' in html
    assert 'value="Maël Member"' in html and '<option value="fr" selected>Français</option>' in html
    assert "Vous n'avez pas encore de jeton d'API." in main_text(response)


def test_saving_the_profile_in_english_leads_to_english_pages(signed_in, member):
    response = signed_in.post(PROFILE, {"full_name": "  Maël Martin ", "language": "en"}, follow=True)
    assert response.redirect_chain == [("/en/compte/profil/", 302)]
    assert '<html lang="en">' in response.content.decode()
    assert "Your profile was saved." in response.content.decode()
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Maël Martin", "en")
    entry = AuditEntry.objects.get(action="account.update")
    assert (entry.actor_label, entry.object_type, entry.object_id, entry.object_repr) == (
        str(member.pk),
        "accounts.user",
        str(member.pk),
        "",
    )
    # Which fields changed, never their values: the trail stays free of personal data.
    assert entry.changes == {"full_name": ["•••", "•••"], "language": ["•••", "•••"]}

    back = signed_in.post("/en/compte/profil/", {"full_name": "Maël Martin", "language": "fr"}, follow=True)
    assert back.redirect_chain == [("/compte/profil/", 302)]
    assert "Votre profil a été enregistré." in back.content.decode()
    assert list(AuditEntry.objects.filter(action="account.update").values_list("changes", flat=True)) == [
        {"language": ["•••", "•••"]},
        {"full_name": ["•••", "•••"], "language": ["•••", "•••"]},
    ]


def test_saving_an_unchanged_profile_writes_nothing(signed_in):
    signed_in.post(PROFILE, {"full_name": "Maël Member", "language": "fr"})
    assert AuditEntry.objects.filter(action="account.update").count() == 0


def test_a_bad_profile_names_its_fields_and_writes_nothing(signed_in, member):
    response = signed_in.post(PROFILE, {"full_name": "x" * 201, "language": "de"})
    assert response.status_code == 200
    text = main_text(response)
    assert (
        "Nom complet : Assurez-vous que cette valeur comporte au plus 200 caractères (actuellement 201)."
        in text
    )
    assert (
        "Langue : Les pages s'ouvrent dans cette langue quand vous vous connectez, et nous vous écrivons "
        "dans cette langue. Sélectionnez un choix valide. de n’en fait pas partie."
    ) in text
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Maël Member", "fr")
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_a_new_token_is_shown_once_and_stored_only_as_a_digest(signed_in, member):
    response = signed_in.post(TOKENS, {"name": "Export vers le tableur", "scope": "read_write"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = main_text(response)
    assert (
        "Votre nouveau jeton « Export vers le tableur » "
        "Copiez-le maintenant : il ne sera plus jamais affiché. "
        "Gardez-le secret, comme un mot de passe : quiconque le détient agit en votre nom par l'API. "
        "S'il a fuité, révoquez-le. Jeton Vos jetons" in text
    )
    raw = re.search(r'id="new-token-text" value="(trj_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scope, token.revoked_at) == (
        member,
        "Export vers le tableur",
        "read_write",
        None,
    )
    assert raw.startswith(f"trj_{token.prefix}_") and token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values().get())
    assert api_token_authenticate(raw) == token
    entry = AuditEntry.objects.get(action="api_token.create")
    assert (entry.actor_label, entry.object_id) == (str(member.pk), str(token.pk))
    assert entry.changes == {"name": ["•••", "•••"], "scope": ["•••", "•••"]}

    again = signed_in.get(PROFILE)
    assert raw not in again.content.decode() and WARNING not in main_text(again)
    assert f"Export vers le tableur trj_{token.prefix}… Lecture et écriture" in main_text(again)


def test_the_token_list_shows_use_and_revocation(signed_in, member):
    token, _raw = api_token_create(user=member, name="Script", scope="read")
    created = datetime.datetime(2026, 3, 2, 9, 5, tzinfo=datetime.UTC)
    ApiToken.objects.filter(pk=token.pk).update(created_at=created, last_used_at=created)
    old, _raw = api_token_create(user=member, name="Ancien", scope="read")
    ApiToken.objects.filter(pk=old.pk).update(
        created_at=created - datetime.timedelta(days=1), revoked_at=created
    )
    text = main_text(signed_in.get(PROFILE))
    assert (
        "Vos jetons Nom Préfixe Accès Créé le Dernière utilisation État "
        f"Script trj_{token.prefix}… Lecture 02/03/2026 10:05 02/03/2026 10:05 Actif · Révoquer "
        f"Ancien trj_{old.prefix}… Lecture 01/03/2026 10:05 Jamais Révoqué le 02/03/2026 10:05"
    ) in text


def test_revoking_a_token_closes_the_api_to_it(signed_in, member):
    token, raw = api_token_create(user=member, name="Script", scope="read")
    html = signed_in.get(PROFILE).content.decode()
    assert f'action="/compte/profil/jetons/{token.pk}/revoquer/"' in html
    assert 'aria-label="Révoquer le jeton « Script »">Révoquer</button>' in html

    response = signed_in.post(f"/compte/profil/jetons/{token.pk}/revoquer/", follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Le jeton « Script » a été révoqué : il n'ouvre plus l'accès à l'API." in main_text(response)
    token.refresh_from_db()
    assert token.revoked_at is not None and api_token_authenticate(raw) is None
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert (entry.actor_label, entry.object_id) == (str(member.pk), str(token.pk))
    assert "Révoquer" not in main_text(response).split("Vos jetons")[1].split("Créer un jeton")[0]


def test_no_one_revokes_someone_else_s_token(signed_in, staff):
    token, _raw = api_token_create(user=staff, name="Staff script", scope="read")
    assert signed_in.post(f"/compte/profil/jetons/{token.pk}/revoquer/").status_code == 404
    assert signed_in.post("/compte/profil/jetons/999999/revoquer/").status_code == 404
    assert signed_in.get(f"/compte/profil/jetons/{token.pk}/revoquer/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


def test_a_bad_token_request_names_its_fields_and_creates_nothing(signed_in):
    response = signed_in.post(TOKENS, {"name": "  ", "scope": "admin"})
    text = main_text(response)
    assert (
        "Nom du jeton : À quoi sert le jeton, par exemple « Export vers notre tableur ». "
        "Ce champ est obligatoire." in text
    )
    assert "Accès : Sélectionnez un choix valide. admin n’en fait pas partie." in text
    assert WARNING not in text
    assert ApiToken.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="api_token.").exists()


def test_the_token_form_address_leads_back_to_the_profile(signed_in):
    assert signed_in.get(TOKENS).url == PROFILE


def test_the_profile_costs_the_same_queries_with_1_and_50_tokens(signed_in, member):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(PROFILE).status_code == 200
        return len(queries)

    api_token_create(user=member, name="T0", scope="read")
    one = count_queries()
    for index in range(1, 50):
        token, _raw = api_token_create(user=member, name=f"T{index}", scope="read")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now(), last_used_at=timezone.now())
    assert count_queries() == one
    assert main_text(signed_in.get(PROFILE)).count("Actif · Révoquer") == 49


def test_the_profile_page_in_english(client):
    person = User.objects.create_user("en@example.org", "a long english password", language="en")
    client.force_login(person)
    text = main_text(client.get("/en/compte/profil/"))
    assert text.startswith("My account en@example.org Profile Full name: Language:")
    assert "You have no API token yet." in text
