"""The pages of the self-assessment: the campaigns and their history, one campaign with its results
and its respondents, opening and running a campaign, answering it — as each role sees them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.evaluation.test_assessments import all_key_actions, answer, open_campaign
from tests.governance.test_spaces import an_actor
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessments import campaign_close
from trajectoires.evaluation.models import AssessmentAnswer, AssessmentCampaign, AssessmentResponse
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/autoevaluation/"
TODAY = timezone.localdate()
K1 = "K1 — Définir une vision inspirante"
K2 = "K2 — Mobiliser par les récits et les identités territoriales"
S1 = "S1 — Financer des projets isolés sans ingénierie humaine"
C1 = "C1 — Financer des compagnonnages longs et des diagnostics sensibles"


@pytest.fixture
def world():
    return build_world()


def date(value):
    return formats.date_format(value, "DATE_FORMAT")


def close(world, campaign):
    return campaign_close(actor=world.people["admin"], campaign=campaign)


def titles(body, names=("Autoévaluation 2026", "Bilan privé")):
    return [name for name in names if f"{name} Ouverte" in body or f"{name} Close" in body]


# The campaigns -----------------------------------------------------------------------------------


def test_the_index_lists_the_campaigns_one_may_read(client, world):
    open_campaign(world)
    private = open_campaign(world, title="Bilan privé", visibility="private")
    answer(world, private, {"K1": "M2"})
    body = page_text(client.get(BASE))
    assert "L’autoévaluation de Ungersheim" in body
    assert (
        "Campagne Statut Ouverte le Close le Réponses Référentiel "
        f"Autoévaluation 2026 Ouverte {date(TODAY)} — 0 version 2"
    ) in body
    assert titles(body) == ["Autoévaluation 2026"]
    assert "Ouvrir une campagne" not in body and "Le chemin parcouru" not in body
    assert "charts.js" not in client.get(BASE).content.decode()
    client_as(client, world, "contributor")
    assert titles(page_text(client.get(BASE))) == ["Autoévaluation 2026"]
    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert f"Bilan privé Ouverte {date(TODAY)} — 1 version 2" in body
    assert titles(body) == ["Autoévaluation 2026", "Bilan privé"]
    assert "Ouvrir une campagne" not in body
    client_as(client, world, "admin")
    page = client.get(BASE).content.decode()
    assert f'<a href="{BASE}nouvelle/" role="button">Ouvrir une campagne</a>' in page


def test_the_workspace_navigation_leads_to_the_self_assessment(client, world):
    client_as(client, world, "viewer")
    page = client.get("/territoires/ungersheim/evaluation/resultats/").content.decode()
    assert f'<li><a href="{BASE}">Autoévaluation</a></li>' in page
    own_page = client.get(BASE).content.decode()
    assert f'<li><a href="{BASE}" aria-current="page">Autoévaluation</a></li>' in own_page


def test_the_history_compares_the_closed_campaigns(client, world):
    first = open_campaign(world, title="Autoévaluation 2025")
    answer(world, first, {"K1": "M2", "K2": "M2"})
    answer(world, first, {"K1": "M3"}, by="editor", group="agent", role="DGS")
    close(world, first)
    second = open_campaign(world, title="Autoévaluation 2026")
    answer(world, second, {"K1": "M4", "K2": "M5"})
    close(world, second)
    open_campaign(world, title="Autoévaluation 2027")  # still open: not in the history
    response = client.get(BASE)
    body = page_text(response)
    assert "Le chemin parcouru" in body
    assert (
        "Niveau moyen de chaque action clé, par campagne close "
        "Action clé Autoévaluation 2025 Autoévaluation 2026 "
        f"{K1} 2,50 4,00 {K2} 2,00 5,00 K3 — Ancrer la transition dans les besoins essentiels — — K4"
    ) in body
    assert "Ensemble 2,25 4,50" in body
    page = response.content.decode()
    assert (
        '<div class="chart chart-tall" data-chart="history-chart" role="img" aria-label="Niveau moyen des '
        "actions clés et d’ensemble, campagne après campagne ; les mêmes chiffres sont dans le tableau "
        'ci-dessous."></div>'
    ) in page
    options = response.context["history_chart"]
    assert options["xAxis"]["data"] == ["Autoévaluation 2025", "Autoévaluation 2026"]
    assert options["series"][0] == {
        "name": "Ensemble",
        "type": "line",
        "data": [2.25, 4.5],
        "lineStyle": {"width": 4},
    }
    assert options["aria"]["label"] == {"enabled": False}
    assert (
        'src="/static/vendor/echarts/echarts.min.js" defer' in page
        and 'src="/static/js/charts.js" defer' in page
    )


def test_a_private_campaign_answers_404_to_who_may_not_read_it(client, world):
    campaign = open_campaign(world, visibility="private")
    url = f"{BASE}{campaign.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404
    for role in ("contributor", "member_elsewhere", "partner_funder"):
        client_as(client, world, role)
        assert client.get(url).status_code == 404, role
        assert client.get(f"{url}repondre/").status_code == 404, role
    client_as(client, world, "viewer")
    body = page_text(client.get(url))
    assert "Autoévaluation 2026 Campagne d’autoévaluation · Ouverte · Privé" in body
    assert "Personne n’a encore répondu." in body


# Opening and running a campaign ------------------------------------------------------------------


def test_the_admin_opens_edits_closes_and_deletes_a_campaign_through_the_pages(client, world):
    client_as(client, world, "admin")
    form = page_text(client.get(f"{BASE}nouvelle/"))
    assert "Ouvrir une campagne" in form and "Date de clôture prévue" in form
    response = client.post(
        f"{BASE}nouvelle/",
        {"title": "Autoévaluation de printemps", "closes_on": "2999-06-30", "visibility": "partners"},
        follow=True,
    )
    campaign = AssessmentCampaign.objects.get()
    url = f"{BASE}{campaign.pk}/"
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "La campagne a été ouverte." in body
    assert (
        "Autoévaluation de printemps Campagne d’autoévaluation · Ouverte · Partenaires — l'équipe, ses "
        f"contributeurs et ses financeurs Ouverte le {date(TODAY)} Date de clôture prévue 30 juin 2999 "
        "Référentiel version 2 — Référentiel Trajectoires 2026 — échelles d’autoévaluation "
        "Répondre Modifier Clore la campagne Supprimer"
    ) in body
    assert (
        campaign.title,
        campaign.status,
        campaign.visibility,
        campaign.author,
        campaign.version.number,
    ) == (
        "Autoévaluation de printemps",
        "open",
        "partners",
        world.people["admin"],
        2,
    )
    assert AuditEntry.objects.get(action="assessment_campaign.create").changes["title"] == [
        None,
        "Autoévaluation de printemps",
    ]

    edit = client.get(f"{url}modifier/").content.decode()
    assert 'value="Autoévaluation de printemps"' in edit and 'value="2999-06-30"' in edit
    body = page_text(
        client.post(f"{url}modifier/", {"title": "Bilan", "closes_on": "2000-01-01", "visibility": "public"})
    )
    assert "Date de clôture prévue : Un repère pour les personnes qui répondent" in body
    assert "Une campagne ne peut pas se clore avant de s’ouvrir." in body
    assert AssessmentCampaign.objects.get().title == "Autoévaluation de printemps"
    response = client.post(f"{url}modifier/", {"title": "Bilan", "visibility": "public"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "La campagne a été enregistrée." in page_text(response)
    campaign.refresh_from_db()
    assert (campaign.title, campaign.closes_on, campaign.visibility) == ("Bilan", None, "public")

    confirm = page_text(client.get(f"{url}clore/"))
    assert (
        "Clore « Bilan » aujourd’hui ? Ses réponses deviennent définitives — personne ne pourra plus en "
        "donner ni en modifier — et ses résultats rejoignent l’historique."
    ) in confirm
    assert AssessmentCampaign.objects.get().status == "open"
    response = client.post(f"{url}clore/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    body = page_text(response)
    assert "La campagne a été close." in body
    assert f"Ouverte le {date(TODAY)} Close le {date(TODAY)}" in body
    assert "Cette campagne est close : ses réponses sont définitives" in body
    assert "Répondre" not in body and "Clore la campagne" not in body
    assert (AssessmentCampaign.objects.get().status, AssessmentCampaign.objects.get().closed_on) == (
        "closed",
        TODAY,
    )
    assert client.get(f"{url}clore/").status_code == 200
    assert "Cette campagne est déjà close." in page_text(client.post(f"{url}clore/"))

    assert "Supprimer « Bilan » avec 0 réponse ?" in page_text(client.get(f"{url}supprimer/"))
    response = client.post(f"{url}supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "La campagne a été supprimée." in page_text(response)
    assert not AssessmentCampaign.objects.exists()
    assert AuditEntry.objects.filter(action="assessment_campaign.delete").count() == 1


def test_run_pages_answer_404_to_who_may_not_use_them(client, world):
    campaign = open_campaign(world)
    run = [
        f"{BASE}nouvelle/",
        *(f"{BASE}{campaign.pk}/{page}/" for page in ("modifier", "clore", "supprimer")),
    ]
    for url in [*run, f"{BASE}{campaign.pk}/repondre/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")
    for role in ("editor", "contributor", "viewer", "member_elsewhere", "partner_funder"):
        client_as(client, world, role)
        for url in run:
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url, {"title": "Non", "visibility": "public"}).status_code == 404, (role, url)
        body = page_text(client.get(f"{BASE}{campaign.pk}/"))
        assert "Clore la campagne" not in body and "Modifier" not in body
    for role in ("viewer", "member_elsewhere", "partner_funder"):
        client_as(client, world, role)
        assert client.get(f"{BASE}{campaign.pk}/repondre/").status_code == 404, role
        assert "Répondre" not in page_text(client.get(f"{BASE}{campaign.pk}/"))
    campaign.refresh_from_db()
    assert (AssessmentCampaign.objects.count(), campaign.title, campaign.status) == (
        1,
        "Autoévaluation 2026",
        "open",
    )
    assert not AssessmentResponse.objects.exists()


# Answering ---------------------------------------------------------------------------------------


def answer_data(group="elu", role="Maire", levels=None, **values):
    data = {"category": group, "role": role}
    for code, level in (levels or {}).items():
        data[f"{code}-level"] = level
    return data | values


def test_the_answer_form_describes_each_level_of_each_key_action(client, world):
    campaign = open_campaign(world)
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Atelier vision",
        occurred_on=TODAY,
        visibility="public",
    )
    client_as(client, world, "contributor")
    response = client.get(f"{BASE}{campaign.pk}/repondre/")
    page, body = response.content.decode(), page_text(response)
    assert (
        "Répondre à l’autoévaluation Autoévaluation 2026 "
        "Pour chaque action clé, choisissez le niveau qui décrit le mieux où en est le territoire"
    ) in body
    assert "Qui répond Groupe : Le groupe au nom duquel la personne répond" in body
    # The key actions under their posture, each a fieldset named by its code and label.
    assert (
        "Les dix actions clés Cinq niveaux de maturité, de « pas encore engagé » à « ancré et transmis », "
        "chacun décrit pour l’action clé. P1 — Construire le cap (vision et récit) "
        f"{K1} Bâtir un projet de territoire clair"
    ) in body
    assert (
        '<fieldset id="question-K1">\n  <legend><strong>K1 — Définir une vision inspirante</strong></legend>'
        in page
    )
    assert (
        '<label for="id_K1-level_1"><input type="radio" name="K1-level" value="M2" id="id_K1-level_1">\n'
        " <strong>Premiers pas</strong> — Quelques élus ou agents évoquent un horizon à 10-20 ans, "
        "mais aucune vision n’est encore écrite ni partagée.</label>"
    ) in page
    assert (
        '<input type="radio" name="K1-level" value="" id="id_K1-level_5" checked>\n'
        " Je ne sais pas / sans avis"
    ) in page
    assert (
        '<textarea name="K1-evidence" cols="40" rows="3" aria-describedby="id_K1-evidence_helptext"' in page
    )
    assert f'<option value="{entry.pk}">Atelier vision ({date(TODAY)})</option>' in page
    # The checklist: progress levels and evidence, no journal.
    assert (
        f"Les pratiques à arrêter Où en est le territoire dans l’abandon de chaque pratique. {S1} "
        "Soutenir des opérations ponctuelles sans financer les personnes qui les portent et les animent. "
        "Avancement : Pas engagé Amorcé Bien avancé Acquis Je ne sais pas / sans avis Preuves :"
    ) in body
    assert 'name="S1-journal_entries"' not in page
    assert (
        f"Les pratiques à commencer Où en est le territoire dans l’adoption de chaque pratique. {C1}" in body
    )
    groups = re.findall(r'<option value="([a-z_]+)"', page.split('name="category"')[1].split("</select>")[0])
    assert groups == [
        "elu",
        "agent",
        "etat_territorial",
        "socio_economique",
        "chercheur",
        "media",
        "habitant_association",
    ]


def test_two_groups_answer_through_the_form_and_read_their_means_and_spread(client, world):
    campaign = open_campaign(world)
    url = f"{BASE}{campaign.pk}/"
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Atelier vision",
        occurred_on=TODAY,
        visibility="public",
    )
    mayor = an_actor(world, "Jean-Claude Maire", "elu")
    client_as(client, world, "admin")
    data = answer_data(
        levels={"K1": "M4", "K2": "M3", "S1": "achieved"},
        respondent=mayor.pk,
        **{"K1-evidence": "Projet de territoire voté.", "K1-journal_entries": [entry.pk]},
    )
    response = client.post(f"{url}repondre/", data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Vos réponses ont été enregistrées." in page_text(response)
    client_as(client, world, "contributor")
    response = client.post(
        f"{url}repondre/",
        answer_data(
            "agent", "Chargée de mission", {"K1": "M2", "K2": "M4", "S1": "not_started", "C1": "started"}
        ),
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    rows = sorted(
        AssessmentAnswer.objects.values_list(
            "response__category__code", "response__role", "question__code", "level__code", "evidence"
        )
    )
    assert rows == [
        ("agent", "Chargée de mission", "C1", "started", ""),
        ("agent", "Chargée de mission", "K1", "M2", ""),
        ("agent", "Chargée de mission", "K2", "M4", ""),
        ("agent", "Chargée de mission", "S1", "not_started", ""),
        ("elu", "Maire", "K1", "M4", "Projet de territoire voté."),
        ("elu", "Maire", "K2", "M3", ""),
        ("elu", "Maire", "S1", "achieved", ""),
    ]
    mine = AssessmentResponse.objects.get(role="Maire")
    assert (mine.respondent, mine.recorded_by) == (mayor, world.people["admin"])
    assert list(mine.answers.get(question__code="K1").journal_entries.all()) == [entry]
    # A person of the map answers once: said next to the field, nothing written.
    client_as(client, world, "admin")
    again = answer_data(levels={"K1": "M5"}, respondent=mayor.pk)
    page = client.post(f"{url}repondre/", again).content.decode()
    assert (
        '<ul class="errorlist" id="id_respondent_error">'
        "<li>Cette personne a déjà répondu à cette campagne.</li>" in page
    )
    assert 'aria-describedby="id_respondent_helptext id_respondent_error"' in page
    assert AssessmentResponse.objects.count() == 2

    # Everyone who reads the campaign reads the same results.
    client.logout()
    response = client.get(url)
    body = page_text(response)
    assert "Personnes qui ont répondu 2 Moyenne d’ensemble (1 à 5) 3,25 Désaccords entre groupes 1" in body
    assert (
        "Les groupes sont en désaccord sur une action clé quand leurs moyennes sont distantes de 1,5 niveau "
        f"ou plus. Désaccord sur : {K1}."
    ) in body
    assert (
        "Action clé Toutes les personnes Réponses Élu (1 personne) Agent de la collectivité (1 personne) "
        f"Écart Entre les groupes {K1} 3,00 2 4,00 2,00 2,00 Désaccord {K2} 3,50 2 3,00 4,00 1,00 "
        "K3 — Ancrer la transition dans les besoins essentiels — 0 — — — K4"
    ) in body
    assert "P1 — Construire le cap (vision et récit) Moyenne de la posture : 3,25" in body
    assert f"Niveau moyen des actions clés de P1 Action clé Moyenne {K1} 3,00 {K2} 3,50" in body
    assert "P2 — Transformer la méthode (gouvernance et coopération) Moyenne de la posture : —" in body
    assert (
        f"Pratique Avancement moyen (0 à 3) Réponses Pas engagé Amorcé Bien avancé Acquis {S1} 1,50 2 1 0 0 1"
    ) in body
    assert f"{C1} 1,00 1 0 1 0 0" in body
    page = response.content.decode()
    assert "<td><strong>Désaccord</strong></td>" in page
    for chart in ("radar-chart", "posture-chart-1", "posture-chart-2", "posture-chart-3", "checklist-chart"):
        assert f'data-chart="{chart}" role="img" aria-label="' in page
        assert f'<script id="{chart}" type="application/json">' in page
    radar = response.context["radar_chart"]
    assert [serie["name"] for serie in radar["series"][0]["data"]] == [
        "Toutes les personnes",
        "Élu",
        "Agent de la collectivité",
    ]
    assert radar["series"][0]["data"][0]["value"][:3] == [3.0, 3.5, 0]
    checklist = response.context["checklist_chart"]
    assert [serie["name"] for serie in checklist["series"]] == [
        "Pas engagé",
        "Amorcé",
        "Bien avancé",
        "Acquis",
    ]
    assert [serie["data"][0] for serie in checklist["series"]] == [1, 0, 0, 1]
    # Who answered: counts only, for anyone outside the team.
    assert "Qui a répondu 2 personnes ont répondu. Élu : 1 · Agent de la collectivité : 1" in body
    assert "Chargée de mission" not in body and "Jean-Claude Maire" not in body
    client_as(client, world, "contributor")
    body = page_text(client.get(url))
    assert (
        f"Vos réponses Agent de la collectivité · Chargée de mission · enregistrée le {date(TODAY)}" in body
    )
    assert "2 personnes ont répondu." in body and "Jean-Claude Maire" not in body and "Maire ·" not in body
    contributor_response = AssessmentResponse.objects.get(role="Chargée de mission")
    assert (
        f'<a href="{url}reponses/{contributor_response.pk}/modifier/">'
        "Modifier les réponses de « Chargée de mission »</a>" in client.get(url).content.decode()
    )
    # The team reads who answered what.
    client_as(client, world, "viewer")
    body = page_text(client.get(url))
    assert (
        "Les réponses, dans l’ordre de leur enregistrement Groupe Rôle Personne de la carte Enregistrée le "
        f"Actions Élu Maire Jean-Claude Maire {date(TODAY)} — "
        f"Agent de la collectivité Chargée de mission — {date(TODAY)} —"
    ) in body
    assert "personnes ont répondu" not in body
    client_as(client, world, "admin")
    body = page_text(client.get(url))
    assert (
        f"Élu Maire Jean-Claude Maire {date(TODAY)} Modifier les réponses de « Maire » · "
        "Supprimer les réponses de « Maire »"
    ) in body


def test_a_level_outside_the_scale_shows_the_error_next_to_the_key_action_and_writes_nothing(client, world):
    campaign = open_campaign(world)
    client_as(client, world, "contributor")
    audits = AuditEntry.objects.count()
    response = client.post(
        f"{BASE}{campaign.pk}/repondre/", answer_data("agent", "DGS", {"K1": "M6", "K2": "M3", "S1": "M3"})
    )
    page, body = response.content.decode(), page_text(response)
    assert response.status_code == 200
    assert (
        "Rien n’a été enregistré. Corrigez ce qui est signalé ci-dessous : "
        f"{K1} — K1 : choisissez un niveau de l’échelle, de Pas encore engagé à Ancré et transmis. "
        f"{S1} — S1 : choisissez un niveau de l’échelle, de Pas engagé à Acquis."
    ) in body
    assert '<a href="#id_K1-level_0">K1 — Définir une vision inspirante</a>' in page
    # Next to the key action: the radio group points to its error, each radio is marked invalid.
    question = page.split('<fieldset id="question-K1">')[1].split('<fieldset id="question-K2">')[0]
    assert '<fieldset aria-describedby="id_K1-level_error">' in question
    assert (
        '<ul class="errorlist" id="id_K1-level_error"><li>K1 : choisissez un niveau de l’échelle, '
        "de Pas encore engagé à Ancré et transmis.</li></ul>"
    ) in question
    assert 'value="M1" aria-invalid="true" id="id_K1-level_0"' in question
    # What was given stays on the form.
    assert 'value="M3" aria-invalid="false"' not in page
    k2 = page.split('<fieldset id="question-K2">')[1].split("</fieldset>\n<hr>")[0]
    assert 'value="M3" id="id_K2-level_2" checked' in k2
    assert (AssessmentResponse.objects.count(), AssessmentAnswer.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == audits
    # Nothing answered, no group, no role: said, nothing written.
    body = page_text(client.post(f"{BASE}{campaign.pk}/repondre/", answer_data()))
    assert (
        "Rien n’a été enregistré. Corrigez ce qui est signalé ci-dessous : Répondez à au moins une question."
        in body
    )
    body = page_text(client.post(f"{BASE}{campaign.pk}/repondre/", {"category": "", "role": ""}))
    assert (
        "Groupe : Le groupe au nom duquel la personne répond : les résultats sont comparés entre groupes. "
        "Ce champ est obligatoire." in body
    )
    body = page_text(
        client.post(f"{BASE}{campaign.pk}/repondre/", answer_data(**{"K1-evidence": "Un atelier."}))
    )
    assert f"{K1} — Choisissez un niveau pour ces preuves, ou laissez les preuves vides." in body
    assert AssessmentResponse.objects.count() == 0


def test_a_closed_campaign_offers_no_answer_and_refuses_one(client, world):
    campaign = open_campaign(world)
    mine = answer(world, campaign, {"K1": "M2"}, by="contributor", group="agent", role="DGS")
    close(world, campaign)
    url = f"{BASE}{campaign.pk}/"
    client_as(client, world, "contributor")
    body = page_text(client.get(url))
    assert "Répondre" not in body and "Modifier les réponses" not in body
    assert f"Vos réponses Agent de la collectivité · DGS · enregistrée le {date(TODAY)}" in body
    assert "Cette campagne est close : les réponses ne peuvent plus être données ni modifiées." in page_text(
        client.get(f"{url}repondre/")
    )
    closed_error = (
        f"Cette campagne a été close le {date(campaign.closed_on)} : "
        "les réponses ne peuvent plus être données ni modifiées."
    )
    body = page_text(client.post(f"{url}repondre/", answer_data("agent", "DGS", {"K1": "M5"})))
    assert f"Rien n’a été enregistré. Corrigez ce qui est signalé ci-dessous : {closed_error}" in body
    body = page_text(
        client.post(f"{url}reponses/{mine.pk}/modifier/", answer_data("agent", "DGS", {"K1": "M5"}))
    )
    assert closed_error in body
    body = page_text(client.post(f"{url}reponses/{mine.pk}/supprimer/"))
    assert closed_error in body
    assert list(AssessmentAnswer.objects.values_list("question__code", "level__code")) == [("K1", "M2")]
    assert AssessmentResponse.objects.count() == 1


def test_a_respondent_edits_and_deletes_their_own_response_only(client, world):
    campaign = open_campaign(world)
    url = f"{BASE}{campaign.pk}/"
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Atelier vision",
        occurred_on=TODAY,
        visibility="public",
    )
    hidden = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Note interne",
        occurred_on=TODAY,
        visibility="private",
    )
    theirs = answer(
        world, campaign, {"K1": "M2", "S1": "started"}, by="contributor", group="agent", role="DGS"
    )
    stored = theirs.answers.get(question__code="K1")
    stored.journal_entries.set([entry, hidden])
    others = answer(world, campaign, {"K1": "M4"}, by="editor")
    client_as(client, world, "contributor")
    assert client.get(f"{url}reponses/{others.pk}/modifier/").status_code == 404
    assert client.post(f"{url}reponses/{others.pk}/supprimer/").status_code == 404
    page = client.get(f"{url}reponses/{theirs.pk}/modifier/").content.decode()
    assert '<option value="agent" selected>Agent de la collectivité</option>' in page
    assert 'value="DGS"' in page
    assert 'value="M2" id="id_K1-level_1" checked' in page
    assert 'value="started" id="id_S1-level_1" checked' in page
    assert f'<option value="{entry.pk}" selected>Atelier vision' in page and "Note interne" not in page
    response = client.post(
        f"{url}reponses/{theirs.pk}/modifier/",
        answer_data("agent", "DGS adjoint", {"K1": "M3"}, **{"K1-journal_entries": []}),
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Les réponses ont été enregistrées." in page_text(response)
    theirs.refresh_from_db()
    assert theirs.role == "DGS adjoint"
    assert list(theirs.answers.values_list("question__code", "level__code")) == [("K1", "M3")]
    # The entry they may not read stays linked.
    assert list(theirs.answers.get().journal_entries.all()) == [hidden]
    assert AuditEntry.objects.get(action="assessment_response.update").changes["answers"] == [
        {"K1": "M2", "S1": "started"},
        {"K1": "M3"},
    ]
    confirm = page_text(client.get(f"{url}reponses/{theirs.pk}/supprimer/"))
    assert (
        "Supprimer les réponses de « DGS adjoint » (Agent de la collectivité) à « Autoévaluation 2026 » ?"
        in confirm
    )
    response = client.post(f"{url}reponses/{theirs.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "La réponse a été supprimée." in page_text(response)
    assert list(AssessmentResponse.objects.all()) == [others]


def test_the_campaign_page_costs_the_same_whatever_the_number_of_responses(client, world):
    campaign = open_campaign(world)
    url = f"{BASE}{campaign.pk}/"
    answer(world, campaign, all_key_actions("M3"))
    client_as(client, world, "admin")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    once = cost()
    answer(world, campaign, all_key_actions("M4") | {"C1": "started"}, by="editor", group="agent", role="DGS")
    answer(world, campaign, all_key_actions("M1"), by="contributor", group="socio_economique", role="Asso")
    mayor = an_actor(world, "Jean-Claude Maire", "elu")
    answer(world, campaign, all_key_actions("M5"), role="Adjointe", respondent=mayor)
    assert cost() == once
    assert "Élu Adjointe Jean-Claude Maire" in page_text(client.get(url))


def test_an_edit_through_the_form_keeps_the_evidence_it_does_not_show_and_links_stories(client, world):
    from tests.evaluation.test_outcomes import harvest
    from tests.evaluation.test_stories import a_domain, a_period, a_story
    from trajectoires.evaluation.assessments import AnswerInput, response_save
    from trajectoires.referential.selectors import referential_item

    campaign = open_campaign(world)
    outcome = harvest(world)
    story = a_story(world, a_period(world), a_domain(world))
    response = response_save(
        actor=world.people["admin"],
        campaign=campaign,
        category=referential_item("actor_category", "elu"),
        role="Maire",
        answers={"K1": AnswerInput("M2", evidence="Un atelier.", outcomes=[outcome])},
    )
    client_as(client, world, "admin")
    url = f"{BASE}{campaign.pk}/reponses/{response.pk}/modifier/"
    page = client.get(url).content.decode()
    assert f'<option value="{story.pk}">La cantine a changé nos menus (2 avril 2026)</option>' in page
    posted = {
        "category": "elu",
        "role": "Maire",
        "K1-level": "M3",
        "K1-evidence": "Deux ateliers.",
        "K1-stories": [str(story.pk)],
    }
    client.post(url, posted)
    stored = AssessmentAnswer.objects.get()
    assert (stored.level.code, stored.evidence) == ("M3", "Deux ateliers.")
    assert (list(stored.outcomes.all()), list(stored.stories.all())) == ([outcome], [story])
