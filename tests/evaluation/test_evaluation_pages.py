"""The evaluation page of a period and its PDF reports: what each reader reads, in the order of the
story (S4), the reports asked for by the writers, generated in the background and downloaded by
those who may read them."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests.evaluation.test_assessments import answer, open_campaign
from tests.evaluation.test_effects import an_indicator, assess
from tests.evaluation.test_outcomes import harvest
from tests.evaluation.test_stories import a_domain, a_period, a_round, a_story
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessments import campaign_close
from trajectoires.evaluation.effects import indicator_save, indicator_value_save
from trajectoires.evaluation.models import AssessmentCampaign, EvaluationReport
from trajectoires.evaluation.reports import report_request
from trajectoires.steering.celebrations import celebration_create

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def evaluated(world):
    return an_evaluated_period(world)


def an_evaluated_period(world):
    """Spring 2026, with public and private records of each part of the evaluation: two selected
    stories (one private), an unselected one, two effects, two outcomes, a closed campaign where the
    groups disagree on K4, two indicators and two celebrations."""
    period, domain = a_period(world), a_domain(world)
    admin = world.people["admin"]
    canteen = a_story(world, period, domain, teller_name="Sonia", anonymous=False)
    bus = a_story(world, period, domain, title="Le bus du mardi")
    secret = a_story(
        world,
        period,
        domain,
        title="Une histoire confidentielle",
        teller_name="Paul",
        visibility="private",
        consent_given=False,
        why_significant="On ose enfin parler du chômage.",
    )
    a_round(world, period, [canteen, bus], canteen, visibility="public", dissent="Deux voix pour le bus.")
    a_round(
        world,
        period,
        [secret],
        secret,
        visibility="private",
        reasons="Une parole rare, à protéger.",
        held_on=datetime.date(2026, 7, 4),
    )
    assess(world, period, stories=[canteen], visibility="public")
    harvest(world, observed_on=datetime.date(2026, 4, 20))
    assess(
        world,
        period,
        code="resilience",
        level="emerging",
        stories=[secret],
        visibility="private",
        reasoning="Les habitants s’entraident davantage.",
    )
    harvest(world, who="Le club de football", visibility="private", observed_on=datetime.date(2026, 5, 2))
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M4", "K4": "M5"}, group="elu")
    answer(world, campaign, {"K1": "M3", "K4": "M2"}, group="agent", role="DGS", by="editor")
    campaign_close(actor=admin, campaign=campaign)
    AssessmentCampaign.objects.filter(pk=campaign.pk).update(closed_on=datetime.date(2026, 6, 1))
    meals = an_indicator(world, name="Part de bio à la cantine", unit="percent")
    indicator_value_save(
        actor=admin, indicator=meals, period=period, unit="percent", target=Decimal(50), actual=Decimal(42)
    )
    hidden = indicator_save(
        actor=admin,
        territory=world.territory,
        name="Budget du plan",
        unit="eur",
        custom_unit="",
        description="",
        visibility="private",
    )
    indicator_value_save(
        actor=admin, indicator=hidden, period=period, unit="eur", target=Decimal(1000), actual=None
    )
    celebration_create(
        actor=admin,
        territory=world.territory,
        title="Première livraison locale",
        achieved_on=datetime.date(2026, 5, 15),
        achievement="Les maraîchers ont livré la cantine.",
        visibility="public",
    )
    celebration_create(
        actor=admin,
        territory=world.territory,
        title="Fête de l’équipe",
        achieved_on=datetime.date(2026, 5, 20),
        achievement="Un repas entre nous.",
    )
    return period


SECTIONS = [
    "stories-title",
    "effects-title",
    "outcomes-title",
    "assessment-title",
    "indicators-title",
    "celebrations-title",
    "reports-title",
]
PUBLIC_TEXTS = [
    "Histoires de changement choisies La cantine a changé nos menus Racontée par Sonia · Vie quotidienne "
    "· 2 avril 2026 Pourquoi c’est important : Mes enfants mangent ce que je cultive. Pourquoi le panel "
    "l’a choisie : Elle montre un lien nouveau entre producteurs et familles. Désaccords : Deux voix pour "
    "le bus.",
    "Autres histoires recueillies pendant la période Le bus du mardi — Vie quotidienne",
    "Effets systémiques Coopération Pas apprécié pour cette période. Posture Niveau : En progression Les "
    "élus co-construisent désormais les arbitrages. Preuves : « La cantine a changé nos menus »",
    "Maraîchers du secteur — Ils livrent la cantine en circuit court. · Pratique · Positif · 20 avril 2026",
    "Autoévaluation sur les dix actions clés Autoévaluation 2026 : 2 personnes ont répondu. Voir la "
    "campagne « Autoévaluation 2026 »",
    "K4 — Installer une gouvernance ouverte 3,50 5,00 2,00 3,00 Désaccord",
    "Campagne après campagne Niveau moyen de chaque action clé, par campagne close Action clé "
    "Autoévaluation 2026 K1 — Définir une vision inspirante 3,50",
    "Les indicateurs, à côté du récit Les chiffres se lisent à côté des histoires, des effets et des "
    "résultats ci-dessus, jamais seuls : ils disent combien, les histoires disent ce qui a changé et "
    "pourquoi. Cible et valeur constatée de chaque indicateur pour Printemps 2026 Indicateur Cible "
    "Constaté Commentaire",
    "Part de bio à la cantine (%) 50 42 —",
    "Célébrations Première livraison locale — Les maraîchers ont livré la cantine. · 15 mai 2026",
]
PRIVATE_TEXTS = [
    "Une histoire confidentielle Racontée par Paul · Vie quotidienne · 2 avril 2026 Pourquoi c’est "
    "important : On ose enfin parler du chômage. Pourquoi le panel l’a choisie : Une parole rare, à "
    "protéger.",
    "Résilience Niveau : Émergent Les habitants s’entraident davantage. Preuves : « Une histoire "
    "confidentielle »",
    "Le club de football — Ils livrent la cantine en circuit court. · Pratique · Positif · 2 mai 2026",
    "Budget du plan (€) 1000 — —",
    "Fête de l’équipe — Un repas entre nous. · 20 mai 2026",
]


def positions(page: str, ids=SECTIONS) -> list[int]:
    return [page.index(f'id="{section}"') for section in ids]


# The page ----------------------------------------------------------------------------------------


def test_the_page_tells_the_period_in_the_order_of_the_story_as_each_reader_may_read_it(
    client, world, evaluated
):
    response = client.get(BASE)
    page, body = response.content.decode(), page_text(response)
    assert positions(page) == sorted(positions(page))
    assert "Évaluation de Ungersheim Printemps 2026 · du 1 mars 2026 au 30 juin 2026" in body
    for text in PUBLIC_TEXTS:
        assert text in body, text
    for text in [*PRIVATE_TEXTS, "confidentielle", "Budget du plan", "Fête de l’équipe", "football"]:
        assert text not in body, text
    assert "Résilience Pas apprécié pour cette période." in body
    assert (
        "Produire le rapport PDF" not in body and "Aucun rapport que vous pouvez lire pour l’instant." in body
    )
    assert response.context["radar_chart"]["series"][0]["data"][0] == {
        "name": "Toutes les personnes",
        "value": [3.5, 0, 0, 3.5, 0, 0, 0, 0, 0, 0],
    }
    assert (
        '<div class="chart chart-tall" data-chart="radar-chart" role="img" aria-label="Radar du niveau moyen '
    ) in page
    assert 'id="radar-chart" type="application/json"' in page and 'src="/static/js/charts.js" defer' in page

    client_as(client, world, "viewer")
    response = client.get(BASE)
    page, body = response.content.decode(), page_text(response)
    assert positions(page) == sorted(positions(page))
    for text in PUBLIC_TEXTS[:1] + PUBLIC_TEXTS[2:] + PRIVATE_TEXTS:
        assert text in body, text
    # Both selected stories lead, the team's after the public one; the other stories follow them.
    assert body.index("La cantine a changé nos menus Racontée") < body.index(
        "Une histoire confidentielle Racontée"
    )
    assert body.index("Une histoire confidentielle Racontée") < body.index("Autres histoires recueillies")
    assert (
        "Le club de football — Ils livrent la cantine en circuit court. · Pratique · Positif · 2 mai 2026 "
        "Maraîchers du secteur"
    ) in body
    assert "Produire le rapport PDF" not in body  # a viewer reads, writes nothing


def test_each_section_leads_to_its_own_pages(client, world, evaluated):
    page = client.get(BASE).content.decode()
    territory = "/territoires/ungersheim"
    canteen = re.search(r'href="([^"]+)">La cantine a changé nos menus</a></h3>', page).group(1)
    assert re.fullmatch(rf"{territory}/evaluation/histoires/\d+/", canteen)
    for link in (
        f'<a href="{territory}/evaluation/histoires/?period={evaluated.pk}">'
        "Toutes les histoires de changement de la période</a>",
        f'<a href="{territory}/evaluation/resultats/">Tous les résultats observés</a>',
        f'<a href="{territory}/evaluation/autoevaluation/">Toutes les campagnes d’autoévaluation</a>',
        f'<a href="{territory}/celebrations/">Toutes les célébrations</a>',
    ):
        assert link in page, link
    campaign = AssessmentCampaign.objects.get()
    assert (
        f'<a href="{territory}/evaluation/autoevaluation/{campaign.pk}/">'
        "Voir la campagne « Autoévaluation 2026 »</a>"
    ) in page
    nav = f'<a href="{BASE}" aria-current="page">Évaluation</a>'
    assert nav in page


def test_without_a_period_the_page_says_where_periods_are_defined(client, world):
    body = page_text(client.get(BASE))
    empty = (
        "Aucune période de collecte pour l’instant. Les périodes se définissent avec les histoires de "
        "changement : chaque évaluation raconte une période, de ses histoires à ses chiffres."
    )
    assert empty in body
    assert "Histoires de changement choisies" not in body and "Rapports" not in body
    page = client.get(BASE).content.decode()
    assert '<a href="/territoires/ungersheim/evaluation/histoires/">Les histoires de changement</a>' in page
    client_as(client, world, "admin")
    page = client.get(BASE).content.decode()
    assert (
        '<a href="/territoires/ungersheim/evaluation/histoires/cadre/" role="button">'
        "Définir les domaines et les périodes</a>"
    ) in page
    assert "Rien de ce que vous pouvez lire" not in page
    a_period(world)
    body = page_text(client.get(BASE))
    assert "Rien de ce que vous pouvez lire n’est encore enregistré pour cette période." in body
    assert "Aucune période de collecte pour l’instant." not in body


def test_the_latest_period_comes_first_and_another_is_chosen_by_its_id(client, world, evaluated):
    autumn = a_period(
        world, label="Automne 2026", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 12, 31)
    )
    body = page_text(client.get(BASE))
    assert "Évaluation de Ungersheim Automne 2026 · du 1 septembre 2026 au 31 décembre 2026" in body
    assert "Aucune histoire choisie pour cette période pour l’instant." in body
    assert "Autoévaluation 2026 : 2 personnes ont répondu." in body  # closed before the period ended
    page = client.get(BASE).content.decode()
    assert (
        f'<option value="{autumn.pk}" selected>Automne 2026</option><option value="{evaluated.pk}">'
        "Printemps 2026</option>"
    ) in page
    body = page_text(client.get(f"{BASE}?periode={evaluated.pk}"))
    assert "Printemps 2026 · du 1 mars 2026 au 30 juin 2026" in body and PUBLIC_TEXTS[0] in body
    winter = a_period(
        world, label="Hiver 2025", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 2, 28)
    )
    body = page_text(client.get(f"{BASE}?periode={winter.pk}"))
    assert "Aucune campagne d’autoévaluation n’était close à la fin de cette période." in body
    assert "Part de bio à la cantine (%) — — —" in body  # no value for this period
    for wrong in ("999999", "abc", str(evaluated.pk) + "0" * 12):
        assert client.get(f"{BASE}?periode={wrong}").status_code == 404


def test_the_page_reads_in_the_same_number_of_queries_however_many_records(client, world, evaluated):
    client_as(client, world, "admin")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    once = cost()
    domain = a_domain(world, name="Mobilités")
    stories = [a_story(world, evaluated, domain, title=f"Histoire {n}", teller_name="Lou") for n in range(3)]
    a_round(world, evaluated, stories, stories[0], domain=domain, visibility="public")
    assess(world, evaluated, code="cooperation", level="unchanged", stories=stories[1:], visibility="public")
    for n in range(3):
        harvest(world, who=f"Groupe {n}", observed_on=datetime.date(2026, 5, 10 + n))
        indicator = an_indicator(world, name=f"Indicateur {n}")
        indicator_value_save(
            actor=world.people["admin"],
            indicator=indicator,
            period=evaluated,
            unit="tco2e",
            target=Decimal(n),
        )
        celebration_create(
            actor=world.people["admin"],
            territory=world.territory,
            title=f"Fête {n}",
            achieved_on=datetime.date(2026, 6, 1 + n),
            achievement="Ensemble.",
            visibility="public",
        )
        report_request(
            actor=world.people["admin"], territory=world.territory, period=evaluated, audience="public"
        )
    answer(
        world,
        open_campaign(world, title="Encore ouverte"),
        {"K1": "M2"},
        by="editor",
        group="agent",
        role="DGS",
    )
    assert cost() == once
    assert "Histoire 2 Racontée par Lou" not in page_text(client.get(BASE))  # not selected
    assert "Histoire 0 Racontée par Lou" in page_text(client.get(BASE))


# Reports -----------------------------------------------------------------------------------------


def pdf_of(response) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def test_a_writer_produces_the_pdf_report_through_the_page(
    client, world, evaluated, django_capture_on_commit_callbacks
):
    client_as(client, world, "editor")
    page = client.get(BASE).content.decode()
    assert f'<form method="post" action="{BASE}rapports/nouveau/" novalidate>' in page
    body = page_text(client.get(BASE))
    assert (
        "Public visé : Le rapport contient ce que son public peut lire : un rapport public ne contient "
        "que des éléments publics, un rapport pour l’équipe contient tout."
    ) in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{BASE}rapports/nouveau/", {"period": evaluated.pk, "visibility": "public"}, follow=True
        )
        assert response.redirect_chain == [(f"{BASE}?periode={evaluated.pk}#reports-title", 302)]
        body = page_text(response)
        assert (
            "Le rapport a été demandé : il est en cours de production et sera prêt dans un instant." in body
        )
        assert (
            "Les rapports que vous pouvez lire, du plus récent au plus ancien Période de collecte "
            "Public visé État Taille Temps de production Demandé le Fichier Printemps 2026 Public — tout "
            "le monde, et les données ouvertes En cours de production — —"
        ) in body
    report = EvaluationReport.objects.get()
    assert (report.status, report.visibility, report.requested_by) == (
        "ready",
        "public",
        world.people["editor"],
    )
    assert (
        AuditEntry.objects.get(action="evaluation_report.request").object_repr
        == "Ungersheim — Printemps 2026"
    )
    page = client.get(BASE).content.decode()
    download = f"{BASE}rapports/{report.pk}/pdf/"
    assert (
        f'<a href="{download}">Télécharger le PDF<span class="visually-hidden"> de Printemps 2026</span></a>'
    ) in page
    assert "Printemps 2026 Public — tout le monde, et les données ouvertes Prêt" in page_text(
        client.get(BASE)
    )

    client.logout()  # a public report: anyone reads and downloads it
    body = page_text(client.get(f"{BASE}rapports/{report.pk}/"))
    assert "Évaluation de Ungersheim — Printemps 2026 Rapport d’évaluation (PDF) · Prêt" in body
    assert "Public visé Public — tout le monde, et les données ouvertes" in body
    # Last: closing a streamed file ends the request, which closes the database connection.
    response = client.get(download)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert (
        response["Content-Disposition"] == 'attachment; filename="evaluation-ungersheim-printemps-2026.pdf"'
    )
    pdf = pdf_of(response)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title == "Évaluation de Ungersheim — Printemps 2026"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Évaluation de Ungersheim" in text and "La cantine a changé nos menus" in text
    assert "confidentielle" not in text


def test_a_report_for_the_team_is_downloaded_by_the_team_only(
    client, world, evaluated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(
            actor=world.people["admin"], territory=world.territory, period=evaluated, audience="private"
        )
    download = f"{BASE}rapports/{report.pk}/pdf/"
    for role in ("anonymous", "contributor", "partner_funder", "member_elsewhere"):
        client.logout()
        client_as(client, world, role)
        assert client.get(download).status_code == 404, role
        assert client.get(f"{BASE}rapports/{report.pk}/").status_code == 404, role
        assert "Aucun rapport que vous pouvez lire pour l’instant." in page_text(client.get(BASE)), role
    client_as(client, world, "viewer")
    response = client.get(download)
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf_of(response))).pages)
    assert "Une histoire confidentielle" in text


def test_a_report_not_ready_has_no_download_and_a_failed_one_says_so(client, world, evaluated):
    client_as(client, world, "admin")
    report = report_request(
        actor=world.people["admin"], territory=world.territory, period=evaluated, audience="private"
    )  # not committed: it stays « being generated »
    assert client.get(f"{BASE}rapports/{report.pk}/pdf/").status_code == 404
    body = page_text(client.get(f"{BASE}rapports/{report.pk}/"))
    assert "Rapport d’évaluation (PDF) · En cours de production" in body
    assert "Le rapport est en cours de production : rechargez cette page dans un instant." in body
    EvaluationReport.objects.filter(pk=report.pk).update(status="failed")
    assert "Printemps 2026 Privé — l'équipe du territoire Échec — —" in page_text(client.get(BASE))
    body = page_text(client.get(f"{BASE}rapports/{report.pk}/"))
    assert "Le rapport n’a pas pu être produit. Demandez-le à nouveau depuis la page de l’évaluation." in body
    assert client.get(f"{BASE}rapports/{report.pk}/pdf/").status_code == 404


def test_only_the_writers_ask_for_a_report(client, world, evaluated):
    url = f"{BASE}rapports/nouveau/"
    response = client.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")
    for role in ("contributor", "viewer", "partner_funder", "member_elsewhere", "staff"):
        client_as(client, world, role)
        assert client.get(url).status_code == 404, role
        assert client.post(url, {"period": evaluated.pk, "visibility": "public"}).status_code == 404, role
        assert "Produire le rapport PDF" not in page_text(client.get(BASE)), role
    assert not EvaluationReport.objects.exists()
    client_as(client, world, "admin")
    body = page_text(client.get(f"{url}?periode={evaluated.pk}"))
    assert (
        "Produire le rapport PDF Produire le rapport PDF Le rapport raconte l’évaluation d’une période"
        in body
    )
    assert "Période de collecte : Printemps 2026 Public visé :" in body
    other = a_period(
        world, label="Ailleurs", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 2, 1)
    )
    other.territory = world.elsewhere
    other.save()
    body = page_text(client.post(url, {"period": other.pk, "visibility": "everyone"}))
    assert "Sélectionnez un choix valide." in body
    assert not EvaluationReport.objects.exists()
