"""The pages of the diagnostic sensible (C1, F2): the diagnostics, one diagnostic read as a document,
its downloads, and the writes — write, move, share, say who reads the notes, record and erase an
interview — as each role sees them. No name of a person met leaves the platform in a download."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.evaluation.test_diagnostics import MET, SECTIONS, a_diagnostic, a_person, an_interview, complete
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import (
    diagnostic_create,
    diagnostic_move,
    diagnostic_share,
    note_readers_set,
)
from trajectoires.evaluation.models import Diagnostic, DiagnosticShare, Interview

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/diagnostic/"
TODAY = timezone.localdate()
ROLES = ("anonymous", "admin", "editor", "viewer", "contributor", "partner_funder", "other_funder")


@pytest.fixture
def world():
    return build_world()


def date(value):
    """A date or a moment as the pages show it: a moment on its local day (Paris, not UTC)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def two_diagnostics(world):
    """A private diagnostic with every section and two interviews (Jeanne Martin, a profile), and a
    draft shared with the partners."""
    private = a_diagnostic(world, **SECTIONS)
    jeanne = a_person(world)
    an_interview(world, private, interviewee=jeanne, profile="", notes="Jeanne Martin raconte la cantine.")
    an_interview(
        world,
        private,
        profile="Élu rural",
        consent_given=True,
        consent_scope="quotable",
        consent_recorded_on=MET,
        publishable=True,
        notes="Il parle des réunions.",
    )
    partners = diagnostic_create(
        actor=world.people["editor"],
        territory=world.territory,
        title="Diagnostic des partenaires",
        visibility="partners",
        context_history="Une ancienne cité minière.",
    )
    return private, partners


# The list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_role_the_diagnostics_it_may_read(client, world):
    private, partners = two_diagnostics(world)
    private_row = f"Diagnostic sensible 2026 Brouillon {date(private.created_at)} — — 2"
    partners_row = f"Diagnostic des partenaires Brouillon {date(partners.created_at)} — — 0"
    expected = {
        "anonymous": [],
        "admin": [partners_row, private_row],
        "editor": [partners_row, private_row],
        "viewer": [partners_row, private_row],
        "contributor": [partners_row],
        "partner_funder": [partners_row],
        "other_funder": [],
    }
    for role in ROLES:
        client.logout()
        client_as(client, world, role)
        body = page_text(client.get(BASE))
        assert "Le diagnostic sensible de Ungersheim" in body, role
        shown = [row for row in (partners_row, private_row) if row in body]
        assert sorted(shown, key=body.index) == expected[role], role
        assert ("Nouveau diagnostic" in body) is (role in ("admin", "editor")), role
        if not expected[role]:
            assert "Aucun diagnostic que vous pouvez lire pour l’instant." in body
    client_as(client, world, "viewer")
    page = client.get(BASE).content.decode()
    assert (
        '<caption id="diagnostics-caption">'
        "Les diagnostics du territoire, du plus récent au plus ancien</caption>" in page
    )
    assert f'<a href="{BASE}{private.pk}/">Diagnostic sensible 2026</a>' in page


def test_the_workspace_navigation_leads_to_the_diagnostic(client, world):
    client_as(client, world, "viewer")
    page = client.get("/territoires/ungersheim/evaluation/autoevaluation/").content.decode()
    assert f'<a href="{BASE}">Diagnostic sensible</a>' in page
    assert page.index(">Autoévaluation</a>") < page.index(f'<a href="{BASE}">Diagnostic sensible</a>')
    assert (
        f'<a href="{BASE}" aria-current="page">Diagnostic sensible</a>' in client.get(BASE).content.decode()
    )


# The document ------------------------------------------------------------------------------------


SECTIONS_READ = [
    "Contexte et histoire Une ancienne cité minière qui a connu la fermeture des puits.",
    "Acteurs et relations Jeanne Martin, agricultrice, relie les maraîchers et la cantine.",
    "Perceptions La transition est vue comme une affaire de la mairie.",
    "Blocages Les services travaillent en silos.",
    "Récits à l’œuvre Le récit de la « ville pionnière » rassemble.",
    "Dynamiques et leviers La régie agricole est un levier ; Martin y croit.",
]
SECTIONS_HIDDEN = [
    text.replace("Jeanne Martin", "Entretien n° 1").replace("Martin", "Entretien n° 1")
    for text in SECTIONS_READ
]


def in_order(body, parts):
    positions = [body.index(part) for part in parts]
    return positions == sorted(positions)


def test_the_admin_reads_the_diagnostic_as_a_document_with_who_was_met_and_the_notes(client, world):
    private, _partners = two_diagnostics(world)
    client_as(client, world, "admin")
    url = f"{BASE}{private.pk}/"
    page = client.get(url).content.decode()
    body = page_text(client.get(url))
    assert in_order(
        body,
        [
            "Diagnostic sensible 2026 Diagnostic sensible · Brouillon · Privé",
            f"Statut Brouillon Commencé le {date(private.created_at)} Partagé avec Aucun financeur",
            "Télécharger (JSON) · Télécharger les entretiens (CSV)",
            *SECTIONS_READ,
            "Entretiens Les entretiens, dans l’ordre de leur enregistrement Entretien Date de l’entretien "
            "Mené par Consentement Peut être cité Qui Notes Effacé Actions",
            "Entretien n° 1 12 mars 2026 Léa, chargée de mission Non donné Non Jeanne Martin "
            "Jeanne Martin raconte la cantine. — Modifier : Entretien n° 1 · Effacer : Entretien n° 1",
            "Entretien n° 2 12 mars 2026 Léa, chargée de mission Peut être cité anonymement dans le "
            "diagnostic (recueilli le 12 mars 2026) Oui Élu rural Il parle des réunions. —",
            "Ce que vous pouvez faire Enregistrer un entretien Modifier Commencer le diagnostic "
            "Qui lit les notes Supprimer",
            "Partager avec un financeur partenaire Un diagnostic se partage une fois terminé : "
            "ses financeurs le lisent alors tant qu’il le reste.",
        ],
    )
    titles = [f'<h2 id="section-{code}">' for code in SECTIONS]
    assert in_order(page, titles)
    assert '<h2 id="section-context_history">Contexte et histoire</h2>' in page
    assert f'<a href="{url}diagnostic.json" download>Télécharger (JSON)</a>' in page
    assert f'<a href="{url}entretiens.csv" download>Télécharger les entretiens (CSV)</a>' in page
    assert (
        f'<a href="{url}statut/in_progress/" role="button" class="secondary">Commencer le diagnostic</a>'
        in page
    )


@pytest.mark.parametrize("role", ["viewer", "contributor", "partner_funder"])
def test_who_neither_writes_nor_reads_the_notes_reads_it_pseudonymised(client, world, role):
    private, partners = two_diagnostics(world)
    Diagnostic.objects.filter(pk=partners.pk).update(actors_relations="Paul Durand anime l’association.")
    paul = a_person(world, "Paul Durand")
    an_interview(world, partners, interviewee=paul, profile="", notes="Paul Durand raconte.")
    client_as(client, world, role)
    body = page_text(client.get(f"{BASE}{partners.pk}/"))
    assert in_order(
        body,
        [
            "Contexte et histoire Une ancienne cité minière.",
            "Acteurs et relations Entretien n° 1 anime l’association.",
            "Perceptions Pas encore rédigée.",
            "Entretiens Qui a été rencontré et les notes sont lus par les personnes que l’administrateur du "
            "territoire autorise : chaque entretien est désigné ici par son numéro.",
            "Entretien Date de l’entretien Mené par Consentement Peut être cité Effacé "
            "Entretien n° 1 12 mars 2026 Léa, chargée de mission Non donné Non —",
        ],
    )
    assert "Paul" not in body and "Durand" not in body and "raconte" not in body
    assert "Qui Notes" not in body and "Ce que vous pouvez faire" not in body
    private_page = client.get(f"{BASE}{private.pk}/")
    assert private_page.status_code == (200 if role == "viewer" else 404)
    if role == "viewer":
        body = page_text(private_page)
        assert in_order(body, SECTIONS_HIDDEN)
        assert "Jeanne" not in body and "Martin" not in body and "Élu rural" not in body
        assert "raconte la cantine" not in body


def test_the_editor_writes_it_but_does_not_read_the_notes_until_allowed(client, world):
    private, _partners = two_diagnostics(world)
    url = f"{BASE}{private.pk}/"
    client_as(client, world, "editor")
    body = page_text(client.get(url))
    assert in_order(body, SECTIONS_READ)
    assert "Entretien n° 1 12 mars 2026 Léa, chargée de mission Non donné Non — Entretien n° 2" in body
    assert "raconte la cantine" not in body and "Élu rural" not in body
    assert "Ce que vous pouvez faire Modifier Commencer le diagnostic" in body
    assert "Enregistrer un entretien" not in body and "Qui lit les notes" not in body
    for path in (
        "entretiens/nouveau/",
        "entretiens/1/modifier/",
        "entretiens/1/effacer/",
        "lecteurs-des-notes/",
    ):
        assert client.get(url + path).status_code == 404, path

    client_as(client, world, "admin")
    form = page_text(client.get(url + "lecteurs-des-notes/"))
    assert (
        "Qui peut enregistrer les entretiens et lire leurs notes : Des membres du territoire ; ses "
        "administrateurs le peuvent toujours. Contributor (Contributeur du territoire) "
        "Editor (Éditeur du territoire) Viewer (Lecteur du territoire)"
    ) in form
    response = client.post(
        url + "lecteurs-des-notes/", {"note_readers": [world.people["editor"].pk]}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Les personnes qui lisent les notes ont été enregistrées." in page_text(response)
    assert list(private.note_readers.all()) == [world.people["editor"]]
    assert AuditEntry.objects.get(action="diagnostic.readers").changes == {
        "note_readers": [[], [world.people["editor"].pk]]
    }
    client_as(client, world, "editor")
    body = page_text(client.get(url))
    assert "Non Jeanne Martin Jeanne Martin raconte la cantine." in body
    assert "Ce que vous pouvez faire Enregistrer un entretien Modifier" in body


# Writes through the pages ------------------------------------------------------------------------


def diagnostic_data(**values):
    return {"title": "Diagnostic 2027", "visibility": "partners"} | SECTIONS | values


def test_a_writer_writes_and_changes_a_diagnostic_through_its_form(client, world):
    client_as(client, world, "editor")
    form = page_text(client.get(f"{BASE}nouveau/"))
    assert (
        "Nouveau diagnostic Rédigez chaque section à partir de ce que les entretiens vous ont appris"
    ) in form
    assert (
        "Blocages : Ce qui empêche ou freine la transition : conflits, peurs, habitudes, règles, moyens qui "
        "manquent — dit sans accuser personne."
    ) in form
    response = client.post(f"{BASE}nouveau/", diagnostic_data(blockages="  "), follow=True)
    diagnostic = Diagnostic.objects.get()
    assert response.redirect_chain == [(f"{BASE}{diagnostic.pk}/", 302)]
    body = page_text(response)
    assert "Le diagnostic a été créé." in body
    assert "Diagnostic 2027 Diagnostic sensible · Brouillon · Partenaires" in body
    assert "Blocages Pas encore rédigée." in body
    assert (diagnostic.author, diagnostic.blockages, diagnostic.perceptions) == (
        world.people["editor"],
        "",
        SECTIONS["perceptions"],
    )
    assert AuditEntry.objects.get(action="diagnostic.create").changes["title"] == [None, "Diagnostic 2027"]

    edit = client.get(f"{BASE}{diagnostic.pk}/modifier/").content.decode()
    assert "Modifier le diagnostic" in edit and 'value="Diagnostic 2027"' in edit
    response = client.post(
        f"{BASE}{diagnostic.pk}/modifier/", diagnostic_data(blockages="Les silos."), follow=True
    )
    assert "Le diagnostic a été enregistré." in page_text(response)
    diagnostic.refresh_from_db()
    assert diagnostic.blockages == "Les silos."
    assert AuditEntry.objects.get(action="diagnostic.update").changes == {"blockages_length": [0, 10]}
    body = page_text(client.post(f"{BASE}{diagnostic.pk}/modifier/", diagnostic_data(title=" ")))
    assert "Titre : Par exemple : Diagnostic sensible 2026. Ce champ est obligatoire." in body


def test_moves_go_through_confirmation_pages_that_show_the_services_refusals(client, world):
    diagnostic = a_diagnostic(world, context_history="Une cité minière.")
    url = f"{BASE}{diagnostic.pk}/"
    client_as(client, world, "editor")
    response = client.post(url + "statut/in_progress/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "Le diagnostic est désormais « En cours »." in body
    assert "Ce que vous pouvez faire Modifier Marquer comme terminé" in body
    confirm = page_text(client.get(url + "statut/completed/"))
    assert (
        "Marquer comme terminé Faire passer « Diagnostic sensible 2026 » à « Terminé » ? Chaque section doit "
        "être rédigée et au moins un entretien enregistré."
    ) in confirm
    body = page_text(client.post(url + "statut/completed/"))
    assert (
        "Écrivez la section « Acteurs et relations » avant de terminer le diagnostic. "
        "Écrivez la section « Perceptions » avant de terminer le diagnostic. "
        "Écrivez la section « Blocages » avant de terminer le diagnostic. "
        "Écrivez la section « Récits à l’œuvre » avant de terminer le diagnostic. "
        "Écrivez la section « Dynamiques et leviers » avant de terminer le diagnostic. "
        "Enregistrez au moins un entretien avant de terminer le diagnostic."
    ) in body
    assert Diagnostic.objects.get().status == "in_progress"
    body = page_text(client.post(url + "statut/validated/"))
    assert "Un diagnostic ne peut pas passer de « En cours » à « Validé par l’équipe »." in body
    assert client.get(url + "statut/nonsense/").status_code == 404

    Diagnostic.objects.filter(pk=diagnostic.pk).update(**SECTIONS)
    an_interview(world, diagnostic)
    client.post(url + "statut/completed/")
    body = page_text(client.get(url))
    assert f"Statut Terminé Commencé le {date(diagnostic.created_at)} Terminé le {date(TODAY)}" in body
    assert "Ce diagnostic est terminé : il est figé jusqu’à ce qu’il soit rouvert." in body
    assert "Ce que vous pouvez faire Rouvrir" in body and "Valider au nom de l’équipe" not in body
    body = page_text(client.post(url + "statut/validated/"))
    assert "Seul l’administrateur du territoire valide le diagnostic ou le rouvre une fois validé." in body
    body = page_text(client.post(url + "modifier/", diagnostic_data()))
    assert "Ce diagnostic est terminé : rouvrez-le pour le modifier." in body

    client_as(client, world, "admin")
    assert "Ce que vous pouvez faire Enregistrer" not in page_text(client.get(url))
    assert "Rouvrir Valider au nom de l’équipe Qui lit les notes Supprimer" in page_text(client.get(url))
    response = client.post(url + "statut/validated/", follow=True)
    body = page_text(response)
    assert "Le diagnostic est désormais « Validé par l’équipe »." in body
    assert f"Validé le {date(TODAY)}, par Admin" in body
    moves = AuditEntry.objects.filter(action="diagnostic.move").order_by("pk")
    assert [entry.changes["status"] for entry in moves] == [
        ["draft", "in_progress"],
        ["in_progress", "completed"],
        ["completed", "validated"],
    ]


def interview_data(**values):
    return {
        "profile": "Commerçante du centre-bourg",
        "interviewed_on": "2026-03-20",
        "interviewer": "Léa",
        "notes": "Elle parle du marché.",
    } | values


def test_an_interview_without_consent_marked_quotable_shows_the_error_and_writes_nothing(client, world):
    diagnostic = a_diagnostic(world)
    client_as(client, world, "admin")
    audits = AuditEntry.objects.count()
    url = f"{BASE}{diagnostic.pk}/entretiens/nouveau/"
    body = page_text(client.post(url, interview_data(publishable="on")))
    assert (
        "Peut être cité : Seulement avec le consentement enregistré de la personne à être citée ; "
        "la citation reste anonyme. Un entretien ne peut être cité qu’avec le consentement enregistré "
        "de la personne à être citée."
    ) in body
    body = page_text(client.post(url, interview_data(consent_given="on", publishable="on", profile="")))
    assert (
        "Personne de la carte : La personne interrogée, si elle figure sur la carte des acteurs du "
        "territoire. Nommez la personne de la carte qui a été interrogée, ou décrivez un profil anonyme."
    ) in body
    assert "Portée du consentement : Dites ce que couvre le consentement." in body
    assert "Consentement recueilli le : Donnez la date à laquelle le consentement a été recueilli." in body
    assert (Interview.objects.count(), AuditEntry.objects.count()) == (0, audits)


def test_an_interview_is_recorded_and_changed_through_its_form(client, world):
    diagnostic = a_diagnostic(world)
    jeanne = a_person(world)
    client_as(client, world, "admin")
    url = f"{BASE}{diagnostic.pk}/"
    form = page_text(client.get(url + "entretiens/nouveau/"))
    assert (
        "Personne de la carte : La personne interrogée, si elle figure sur la carte des acteurs du "
        "territoire. Pas sur la carte Jeanne Martin (Acteur socio-économique)" in form
    )
    data = interview_data(
        interviewee=jeanne.pk,
        profile="",
        consent_given="on",
        consent_scope="quotable",
        consent_recorded_on="2026-03-20",
        publishable="on",
    )
    response = client.post(url + "entretiens/nouveau/", data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "L’entretien a été enregistré." in body
    assert (
        "Entretien n° 1 20 mars 2026 Léa Peut être cité anonymement dans le diagnostic (recueilli le 20 mars "
        "2026) Oui Jeanne Martin Elle parle du marché. —"
    ) in body
    interview = Interview.objects.get()
    assert (interview.number, interview.interviewee, interview.recorded_by, interview.publishable) == (
        1,
        jeanne,
        world.people["admin"],
        True,
    )
    edit = client.get(url + "entretiens/1/modifier/").content.decode()
    assert "Modifier l’entretien n° 1" in edit and f'<option value="{jeanne.pk}" selected>' in edit
    response = client.post(
        url + "entretiens/1/modifier/", data | {"notes": "Le marché du jeudi."}, follow=True
    )
    assert "L’entretien a été modifié." in page_text(response)
    assert Interview.objects.get().notes == "Le marché du jeudi."
    assert AuditEntry.objects.get(action="interview.update").changes == {"notes_length": [21, 19]}


def test_an_interview_is_erased_through_its_page(client, world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    jeanne = a_person(world)
    an_interview(world, diagnostic, interviewee=jeanne, profile="", notes="Jeanne parle.")
    complete(world, diagnostic)  # a second interview, then completed: erasing stays possible
    url = f"{BASE}{diagnostic.pk}/"
    client_as(client, world, "admin")
    page = page_text(client.get(url + "entretiens/1/effacer/"))
    assert (
        "Effacer l’entretien n° 1 À la demande de la personne : qui a été rencontré, le profil et les notes "
        "sont effacés, et l’entretien ne peut plus être cité. Son numéro, sa date et le consentement "
        "recueilli sont conservés"
    ) in page
    response = client.post(url + "entretiens/1/effacer/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "L’entretien a été effacé." in body
    assert (
        "Entretien n° 1 12 mars 2026 Léa, chargée de mission Non donné Non — — "
        f"Effacé sur demande le {date(TODAY)} —" in body
    )
    erased = Interview.objects.get(number=1)
    assert (erased.interviewee, erased.profile, erased.notes, erased.erased_on) == (None, "", "", TODAY)
    assert Diagnostic.objects.get().status == "completed"
    assert client.get(url + "entretiens/1/effacer/").status_code == 404
    assert client.get(url + "entretiens/1/modifier/").status_code == 404


def test_a_finished_diagnostic_shared_with_a_funder_is_read_by_its_members_only(client, world):
    diagnostic = a_diagnostic(world, **SECTIONS)  # private
    complete(world, diagnostic)
    url = f"{BASE}{diagnostic.pk}/"
    for role in ("partner_funder", "other_funder"):
        client_as(client, world, role)
        assert client.get(url).status_code == 404
    client_as(client, world, "admin")
    page = client.get(url).content.decode()
    assert f'<option value="{world.partner.pk}">Préfecture du Haut-Rhin</option>' in page
    assert "Fondation Lointaine" not in page  # not a partner of the territory
    response = client.post(url + "partages/nouveau/", {"funder": world.partner.pk}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "Le diagnostic est partagé avec Préfecture du Haut-Rhin." in body
    assert f"Partagé avec Préfecture du Haut-Rhin (depuis le {date(TODAY)})" in body
    assert "Il est partagé avec tous les financeurs partenaires du territoire." in body
    share = DiagnosticShare.objects.get()
    assert (share.funder, share.shared_by) == (world.partner, world.people["admin"])

    client_as(client, world, "partner_funder")
    body = page_text(client.get(url))
    assert "Diagnostic sensible 2026 Diagnostic sensible · Terminé · Privé" in body
    assert "Diagnostic sensible 2026 Terminé" in page_text(client.get(BASE))
    assert client.get(url + "diagnostic.json").status_code == 200
    client_as(client, world, "other_funder")
    assert client.get(url).status_code == 404 and client.get(url + "diagnostic.json").status_code == 404
    assert "Diagnostic sensible 2026" not in page_text(client.get(BASE))

    client_as(client, world, "admin")
    body = page_text(client.get(url + f"partages/{share.pk}/retirer/"))
    assert "Ne plus partager « Diagnostic sensible 2026 » avec Préfecture du Haut-Rhin ?" in body
    response = client.post(url + f"partages/{share.pk}/retirer/", follow=True)
    assert "Le diagnostic n’est plus partagé avec Préfecture du Haut-Rhin." in page_text(response)
    assert not DiagnosticShare.objects.exists()
    client_as(client, world, "partner_funder")
    assert client.get(url).status_code == 404


def test_write_pages_answer_404_to_who_may_not_use_them(client, world):
    diagnostic = a_diagnostic(world, visibility="partners", **SECTIONS)
    an_interview(world, diagnostic)
    url = f"{BASE}{diagnostic.pk}/"
    writers = ["nouveau/", f"{diagnostic.pk}/modifier/", f"{diagnostic.pk}/statut/in_progress/"]
    admins = [
        f"{diagnostic.pk}/supprimer/",
        f"{diagnostic.pk}/lecteurs-des-notes/",
        f"{diagnostic.pk}/partages/nouveau/",
    ]
    readers = [
        f"{diagnostic.pk}/entretiens/nouveau/",
        f"{diagnostic.pk}/entretiens/1/modifier/",
        f"{diagnostic.pk}/entretiens/1/effacer/",
    ]
    for path in writers + admins + readers:
        response = client.get(BASE + path)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")
    for role in ("viewer", "contributor", "partner_funder", "member_elsewhere"):
        client_as(client, world, role)
        for path in writers + admins + readers:
            assert client.get(BASE + path).status_code == 404, (role, path)
            assert client.post(BASE + path, diagnostic_data()).status_code == 404, (role, path)
    client_as(client, world, "editor")
    for path in admins + readers:
        assert client.post(BASE + path, {"funder": world.partner.pk}).status_code == 404, path
    assert client.get(url).status_code == 200
    assert Diagnostic.objects.get().status == "draft" and Interview.objects.get().erased_on is None
    assert not DiagnosticShare.objects.exists() and not diagnostic.note_readers.exists()
    # A forbidden diagnostic answers like a missing one, downloads included.
    client_as(client, world, "member_elsewhere")
    for path in ("", "diagnostic.json", "entretiens.csv"):
        assert client.get(url + path).status_code == 404
    client.logout()
    assert client.get(f"{BASE}999999/").status_code == 404


def test_the_admin_deletes_a_diagnostic_with_its_interviews(client, world):
    diagnostic = a_diagnostic(world)
    an_interview(world, diagnostic)
    client_as(client, world, "admin")
    body = page_text(client.get(f"{BASE}{diagnostic.pk}/supprimer/"))
    assert "Supprimer « Diagnostic sensible 2026 » avec son entretien et ses notes ?" in body
    response = client.post(f"{BASE}{diagnostic.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "Le diagnostic a été supprimé." in page_text(response)
    assert (Diagnostic.objects.count(), Interview.objects.count()) == (0, 0)
    assert AuditEntry.objects.get(action="diagnostic.delete").changes["interviews"] == [1, None]


# The downloads -----------------------------------------------------------------------------------


def test_no_name_of_a_person_met_appears_in_the_downloads(client, world):
    diagnostic = a_diagnostic(world, **SECTIONS)
    Diagnostic.objects.filter(pk=diagnostic.pk).update(title="Diagnostic avec Jeanne Martin")
    jeanne = a_person(world)
    an_interview(
        world, diagnostic, interviewee=jeanne, profile="", notes="JEANNE MARTIN : « Martin, c’est moi. »"
    )
    an_interview(world, diagnostic, profile="Élu rural", notes="Il cite jeanne.")
    note_readers_set(actor=world.people["admin"], diagnostic=diagnostic, users=[world.people["editor"]])
    url = f"{BASE}{diagnostic.pk}/"
    bodies = {}
    for role in ("admin", "editor", "viewer"):
        client_as(client, world, role)
        for path in ("diagnostic.json", "entretiens.csv"):
            response = client.get(url + path)
            assert response.status_code == 200
            bodies[(role, path)] = response.content.decode("utf-8-sig")
            assert "jeanne" not in bodies[(role, path)].lower(), (role, path)
            assert "martin" not in bodies[(role, path)].lower(), (role, path)
    client_as(client, world, "admin")
    response = client.get(url + "diagnostic.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="diagnostic-{diagnostic.pk}.json"'
    export = json.loads(bodies[("admin", "diagnostic.json")])
    assert export["title"] == "Diagnostic avec Entretien n° 1"
    assert export["sections"][1] == {
        "code": "actors_relations",
        "title": "Acteurs et relations",
        "text": "Entretien n° 1, agricultrice, relie les maraîchers et la cantine.",
    }
    assert [interview["notes"] for interview in export["interviews"]] == [
        "Entretien n° 1 : « Entretien n° 1, c’est moi. »",
        "Il cite Entretien n° 1.",
    ]
    viewer = json.loads(bodies[("viewer", "diagnostic.json")])
    assert [interview["notes"] for interview in viewer["interviews"]] == [None, None]

    response = client.get(url + "entretiens.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="diagnostic-{diagnostic.pk}-entretiens.csv"'
    )
    rows = list(csv.reader(io.StringIO(bodies[("editor", "entretiens.csv")]), delimiter=";"))
    assert rows == [
        ["Entretien", "Date de l’entretien", "Consentement donné", "Portée du consentement", "Peut être cité",
         "Effacé", "Notes"],
        ["Entretien n° 1", "2026-03-12", "Non", "", "Non", "Non",
         "Entretien n° 1 : « Entretien n° 1, c’est moi. »"],
        ["Entretien n° 2", "2026-03-12", "Non", "", "Non", "Non", "Il cite Entretien n° 1."],
    ]  # fmt: skip
    rows = list(csv.reader(io.StringIO(bodies[("viewer", "entretiens.csv")]), delimiter=";"))
    assert rows == [
        ["Entretien", "Date de l’entretien", "Consentement donné", "Portée du consentement", "Peut être cité",
         "Effacé"],
        ["Entretien n° 1", "2026-03-12", "Non", "", "Non", "Non"],
        ["Entretien n° 2", "2026-03-12", "Non", "", "Non", "Non"],
    ]  # fmt: skip


# Costs -------------------------------------------------------------------------------------------


def test_the_detail_page_costs_the_same_queries_whatever_its_interviews(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def grow(number):
        diagnostic = a_diagnostic(world, **SECTIONS)
        for index in range(number):
            an_interview(
                world, diagnostic, interviewee=a_person(world, f"Personne {number}-{index}"), profile=""
            )
        complete(world, diagnostic)
        diagnostic_move(actor=world.people["admin"], diagnostic=diagnostic, to="validated")
        diagnostic_share(actor=world.people["admin"], diagnostic=diagnostic, funder=world.partner)
        return diagnostic

    small = grow(1)
    large = grow(6)
    assert large.interviews.count() == 7
    for role in ("admin", "viewer", "partner_funder"):
        client_as(client, world, role)
        assert count(f"{BASE}{small.pk}/") == count(f"{BASE}{large.pk}/"), role
