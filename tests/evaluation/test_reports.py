"""The evaluation of a period — the story the page and the report tell — and its PDF report:
generated in the background, its text read back, holding only what its audience may read."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from tests.evaluation.test_assessments import answer, open_campaign
from tests.evaluation.test_effects import an_indicator, assess
from tests.evaluation.test_outcomes import harvest
from tests.evaluation.test_stories import a_domain, a_period, a_round, a_story
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessments import campaign_close
from trajectoires.evaluation.effects import indicator_value_save
from trajectoires.evaluation.evaluation_story import evaluation_story
from trajectoires.evaluation.models import AssessmentCampaign, EvaluationReport
from trajectoires.evaluation.reports import readable_reports, report_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def evaluated(world):
    """A spring 2026 with a selected story, a private story, an effect, an outcome, a closed
    campaign answered by two groups, and an indicator."""
    period, domain = a_period(world), a_domain(world)
    canteen = a_story(world, period, domain, teller_name="Sonia", anonymous=False)
    bus = a_story(world, period, domain, title="Le bus du mardi")
    a_story(
        world, period, domain, title="Une histoire confidentielle", visibility="private", consent_given=False
    )
    a_round(world, period, [canteen, bus], canteen, visibility="public", dissent="Deux voix pour le bus.")
    assess(world, period, stories=[canteen], visibility="public")
    harvest(world, observed_on=datetime.date(2026, 4, 20))
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M4", "K4": "M5"}, group="elu")
    answer(world, campaign, {"K1": "M3", "K4": "M2"}, group="agent", role="DGS", by="editor")
    campaign_close(actor=world.people["admin"], campaign=campaign)
    AssessmentCampaign.objects.filter(pk=campaign.pk).update(closed_on=datetime.date(2026, 6, 1))
    meals = an_indicator(world, name="Part de bio à la cantine", unit="percent")
    indicator_value_save(
        actor=world.people["admin"],
        indicator=meals,
        period=period,
        unit="percent",
        target=Decimal(50),
        actual=Decimal(42),
    )
    return period


def test_the_evaluation_leads_with_the_stories_and_keeps_figures_beside_them(world, evaluated):
    story = evaluation_story(None, world.territory, evaluated)
    assert [(item.story.title, item.teller) for item in story.selected] == [
        ("La cantine a changé nos menus", "Sonia")
    ]
    assert [other.title for other in story.other_stories] == ["Le bus du mardi"]  # not the private one
    assert [(row.effect.code, row.assessment.level if row.assessment else None) for row in story.effects] == [
        ("cooperation", None),
        ("posture", "growing"),
        ("resilience", None),
    ]
    assert [outcome.who for outcome in story.outcomes] == ["Maraîchers du secteur"]
    assert story.campaign.title == "Autoévaluation 2026"
    assert [(r.question.code, r.mean) for r in story.assessment.key_actions if r.mean] == [
        ("K1", 3.5),
        ("K4", 3.5),
    ]
    assert [row.question.code for row in story.assessment.disagreements] == ["K4"]
    assert [(row.indicator.name, row.value.actual) for row in story.indicators] == [
        ("Part de bio à la cantine", Decimal("42.00"))
    ]
    team = evaluation_story(world.people["viewer"], world.territory, evaluated)
    assert [other.title for other in team.other_stories] == ["Le bus du mardi", "Une histoire confidentielle"]


def pdf_text(report: EvaluationReport) -> str:
    with report.file.open("rb") as stored:
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(stored.read())).pages)


def test_a_public_report_is_generated_in_the_background_with_public_records_only(
    world, evaluated, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_request(
            actor=world.people["admin"], territory=world.territory, period=evaluated, audience="public"
        )
    report = EvaluationReport.objects.get()
    assert (report.status, report.visibility, report.size > 10_000) == ("ready", "public", True)
    text = pdf_text(report)
    for expected in (
        "Évaluation de Ungersheim",
        "Histoires de changement choisies",
        "La cantine a changé nos menus",
        "Deux voix pour le bus.",
        "En progression",
        "Maraîchers du secteur",
        "Autoévaluation 2026 : 2 personnes ont répondu.",
        "désaccord",
        "Part de bio à la cantine (%)",
    ):
        assert expected in text, expected
    assert "confidentielle" not in text
    assert AuditEntry.objects.get(action="evaluation_report.request").changes == {
        "period": [None, evaluated.pk],
        "visibility": [None, "public"],
    }
    assert list(readable_reports(None, world.territory)) == [report]


def test_a_team_report_is_read_by_the_team_only(world, evaluated, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_request(
            actor=world.people["editor"], territory=world.territory, period=evaluated, audience="private"
        )
    report = EvaluationReport.objects.get()
    assert "Une histoire confidentielle" in pdf_text(report)
    assert not readable_reports(world.people["contributor"], world.territory).exists()
    assert list(readable_reports(world.people["viewer"], world.territory)) == [report]
    with pytest.raises(PermissionDenied):
        report_request(actor=world.people["contributor"], territory=world.territory, period=evaluated)
