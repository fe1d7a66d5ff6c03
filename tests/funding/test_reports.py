"""One report, all funders: the territory opens, writes and submits one annual report per contract
and year; every co-funder reads the same submission, comments, accepts or asks for changes; the
report is accepted when every co-funder accepted it; due, late and done as the calendar says."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.funding.builders import a_contract, active, build_funding_world
from trajectoires.core.models import AuditEntry
from trajectoires.funding.coherence import RequirementInput, requirement_add
from trajectoires.funding.models import ReportReview
from trajectoires.funding.reports import (
    ReportInput,
    report_get,
    report_open,
    report_review,
    report_schedule,
    report_submit,
    report_update,
)
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    return active(fw, a_contract(fw))


def a_shared_story(fw, visibility="partners"):
    return a_story(fw.world, a_period(fw.world), a_domain(fw.world), visibility=visibility)


def written(fw, contract, year=2027):
    report = report_open(actor=fw.people["editor"], contract=contract, year=year)
    data = ReportInput(
        narrative="La cantine est devenue un lieu de coopération.", stories=[a_shared_story(fw)]
    )
    return report_update(actor=fw.people["editor"], report=report, data=data)


def test_a_report_is_written_once_and_read_by_every_co_funder_who_accepts_it(fw, contract):
    report = report_submit(actor=fw.people["editor"], report=written(fw, contract))
    assert (report.status, report.submission) == ("submitted", 1)
    for reader in (
        fw.people["admin"],
        fw.people["partner_funder"],
        fw.region_officer,
        fw.people["contributor"],
    ):
        assert report_get(reader, contract, 2027) == report
    for outsider in (fw.people["other_funder"], fw.people["member_elsewhere"], None):
        with pytest.raises(Http404):
            report_get(outsider, contract, 2027)
    report_review(
        actor=fw.region_officer, report=report, funder=fw.region, decision="comment", comment="Très clair."
    )
    report_review(
        actor=fw.people["partner_funder"],
        report=report,
        funder=fw.world.partner,
        decision="accept",
        comment="",
    )
    report.refresh_from_db()
    assert report.status == "submitted"  # the Région has not decided yet
    report_review(actor=fw.region_officer, report=report, funder=fw.region, decision="accept", comment="")
    report.refresh_from_db()
    assert report.status == "accepted"
    rows = ReportReview.objects.order_by("id").values_list(
        "funder__slug", "decision", "submission", "comment"
    )
    assert list(rows) == [
        ("region-grand-est", "comment", 1, "Très clair."),
        ("prefecture-68", "accept", 1, ""),
        ("region-grand-est", "accept", 1, ""),
    ]
    actions = (
        AuditEntry.objects.filter(action__startswith="contract.report")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert list(actions) == [
        "contract.report_open",
        "contract.report_update",
        "contract.report_submit",
        "contract.report_review",
        "contract.report_review",
        "contract.report_review",
        "contract.report_status",
    ]


def test_changes_asked_send_it_back_and_a_new_submission_needs_every_acceptance_again(fw, contract):
    report = report_submit(actor=fw.people["editor"], report=written(fw, contract))
    report_review(
        actor=fw.people["partner_funder"],
        report=report,
        funder=fw.world.partner,
        decision="accept",
        comment="",
    )
    report_review(
        actor=fw.region_officer,
        report=report,
        funder=fw.region,
        decision="changes",
        comment="Ajoutez les dépenses de formation.",
    )
    report.refresh_from_db()
    assert report.status == "changes"
    report_update(
        actor=fw.people["editor"],
        report=report,
        data=ReportInput(
            narrative="La cantine coopère ; la formation a coûté 4 000 €.", stories=list(report.stories.all())
        ),
    )
    report = report_submit(actor=fw.people["editor"], report=report)
    assert (report.status, report.submission) == ("submitted", 2)
    report_review(actor=fw.region_officer, report=report, funder=fw.region, decision="accept", comment="")
    report.refresh_from_db()
    assert report.status == "submitted"  # the Préfecture accepted submission 1, not 2
    report_review(
        actor=fw.people["partner_funder"],
        report=report,
        funder=fw.world.partner,
        decision="accept",
        comment="",
    )
    report.refresh_from_db()
    assert report.status == "accepted"


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (lambda fw, c: report_open(actor=fw.people["editor"], contract=c, year=2031), "year",
         "Choisissez une année du contrat, de 2027 à 2029."),
        (lambda fw, c: report_open(actor=fw.people["editor"], contract=c, year=2027), "year",
         "Le rapport sur 2027 est déjà ouvert."),
        (lambda fw, c: report_submit(actor=fw.people["editor"], report=c.reports.get()), "narrative",
         "Dites d’abord, avec vos mots, ce qui a changé cette année."),
    ],
)  # fmt: skip
def test_bad_report_moves_name_the_field(fw, contract, call, field, message):
    report_open(actor=fw.people["editor"], contract=contract, year=2027)
    with pytest.raises(ValidationError) as error:
        call(fw, contract)
    assert error.value.message_dict[field] == [message]
    assert contract.reports.get().status == "draft"


def test_a_report_cites_only_what_the_co_funders_may_read_and_is_qualitative_first(fw, contract):
    report = report_open(actor=fw.people["editor"], contract=contract, year=2027)
    private = a_shared_story(fw, visibility="private")
    with pytest.raises(ValidationError) as error:
        report_update(
            actor=fw.people["editor"], report=report, data=ReportInput(narrative="x", stories=[private])
        )
    assert error.value.message_dict == {
        "stories": [
            "Citez des éléments de ce territoire que ses partenaires peuvent lire (partenaires, alliance ou public)."  # noqa: E501
        ]
    }
    assert not report.stories.exists()
    report_update(
        actor=fw.people["editor"], report=report, data=ReportInput(narrative="Une année de coopération.")
    )
    with pytest.raises(ValidationError) as error:
        report_submit(actor=fw.people["editor"], report=report)
    assert error.value.message_dict == {
        "stories": [
            "Citez au moins une histoire, un effet, une entrée du journal ou une célébration : "
            "le rapport est d’abord qualitatif."
        ]
    }
    entry = journal_entry_create(
        actor=fw.people["editor"],
        territory=fw.territory,
        title="Forum de la cantine",
        occurred_on=datetime.date(2027, 5, 12),
        visibility="alliance",
    )
    report_update(
        actor=fw.people["editor"], report=report, data=ReportInput(narrative="x", journal_entries=[entry])
    )
    assert report_submit(actor=fw.people["editor"], report=report).status == "submitted"


def test_who_may_write_and_review(fw, contract):
    with pytest.raises(PermissionDenied):
        report_open(actor=fw.people["partner_funder"], contract=contract, year=2027)
    with pytest.raises(PermissionDenied):
        report_open(actor=fw.people["viewer"], contract=contract, year=2027)
    report = report_submit(actor=fw.people["editor"], report=written(fw, contract))
    with pytest.raises(PermissionDenied):  # the Préfecture's officer does not speak for the Région
        report_review(
            actor=fw.people["partner_funder"], report=report, funder=fw.region, decision="accept", comment=""
        )
    with pytest.raises(PermissionDenied):
        report_review(
            actor=fw.people["other_funder"],
            report=report,
            funder=fw.world.other_funder,
            decision="accept",
            comment="",
        )
    report_review(actor=fw.region_officer, report=report, funder=fw.region, decision="accept", comment="")
    with pytest.raises(ValidationError) as error:
        report_review(
            actor=fw.region_admin, report=report, funder=fw.region, decision="changes", comment="Non."
        )
    assert error.value.message_dict == {"decision": ["Région Grand Est a déjà tranché sur cette soumission."]}
    with pytest.raises(ValidationError) as error:
        report_review(
            actor=fw.people["partner_funder"],
            report=report,
            funder=fw.world.partner,
            decision="changes",
            comment="",
        )
    assert error.value.message_dict == {
        "comment": ["Écrivez le commentaire : ce que le territoire doit lire, ou changer."]
    }
    with pytest.raises(ValidationError):
        report_update(actor=fw.people["editor"], report=report, data=ReportInput(narrative="Réécrit"))


def test_a_draft_contract_has_no_report(fw):
    draft = a_contract(fw)
    with pytest.raises(ValidationError) as error:
        report_open(actor=fw.people["editor"], contract=draft, year=2027)
    assert error.value.message_dict == {"year": ["Les rapports s’écrivent une fois le contrat signé."]}


def test_due_late_and_done_follow_the_earliest_date_the_co_funders_set(
    fw, contract, django_assert_num_queries
):
    requirement_add(
        actor=fw.region_officer,
        contract=contract,
        funder=fw.region,
        data=RequirementInput(kind="report", due_month=2, due_day=28, report_format="platform"),
    )
    requirement_add(
        actor=fw.prefecture_admin,
        contract=contract,
        funder=fw.world.partner,
        data=RequirementInput(kind="report", due_month=4, due_day=30, report_format="pdf"),
    )
    report_submit(actor=fw.people["editor"], report=written(fw, contract, year=2027))
    with django_assert_num_queries(2):
        rows = report_schedule([contract], today=datetime.date(2029, 3, 15))
    assert [(row.year, row.due_on, row.state) for row in rows] == [
        (2027, datetime.date(2028, 2, 28), "done"),
        (2028, datetime.date(2029, 2, 28), "late"),
        (2029, datetime.date(2030, 2, 28), "due"),
    ]
    in_2027 = report_schedule([contract], today=datetime.date(2027, 6, 1))
    assert [(row.year, row.state) for row in in_2027] == [(2027, "done")]  # the years to come wait


def test_a_tranche_can_wait_for_the_report_on_a_year(fw):
    """The third kind of condition precedent: the annual report on a year, delivered (submitted)."""
    from trajectoires.funding.budget import (
        condition_add,
        condition_states,
        tranche_commit,
        tranche_pay,
        tranche_save,
    )
    from trajectoires.funding.portfolio import funder_portfolio

    draft = a_contract(fw)
    region = draft.parties.get(funder=fw.region)
    with pytest.raises(ValidationError) as error:
        condition_add(
            actor=fw.prefecture_admin, contract=draft, kind="report", funder=fw.region, report_year=2031
        )
    assert error.value.message_dict == {
        "report_year": ["Choisissez l’année d’un rapport du contrat, de 2027 à 2029."]
    }
    condition = condition_add(
        actor=fw.prefecture_admin, contract=draft, kind="report", funder=fw.region, report_year=2027
    )
    assert AuditEntry.objects.get(action="contract.condition_add").changes == {
        "kind": [None, "report"], "funder": [None, "region-grand-est"], "report_year": [None, 2027]
    }  # fmt: skip
    tranche = draft.tranches.get(party=region, year=2028)
    tranche_save(
        actor=fw.prefecture_admin,
        party=region,
        year=2028,
        amount=tranche.amount,
        condition=condition,
        tranche=tranche,
    )
    contract = active(fw, draft)
    tranche.refresh_from_db()
    tranche_commit(actor=fw.region_officer, tranche=tranche, on=datetime.date(2028, 1, 10))
    state = condition_states(contract)[condition.pk]
    assert (state.met, state.unlock) == (False, "Soumettez le rapport annuel sur 2027 aux cofinanceurs.")
    with pytest.raises(ValidationError) as error:
        tranche_pay(actor=fw.region_officer, tranche=tranche, on=datetime.date(2028, 3, 1))
    assert error.value.message_dict == {
        "paid_on": ["Cette tranche est verrouillée : Soumettez le rapport annuel sur 2027 aux cofinanceurs."]
    }
    assert funder_portfolio(fw.region).conditions_met == 0
    report = written(fw, contract, year=2027)
    assert not condition_states(contract)[condition.pk].met  # written is not delivered
    report_submit(actor=fw.people["editor"], report=report)
    assert condition_states(contract)[condition.pk].met
    assert funder_portfolio(fw.region).conditions_met == 1
    tranche_pay(actor=fw.region_officer, tranche=tranche, on=datetime.date(2028, 3, 1))
    tranche.refresh_from_db()
    assert tranche.paid_on == datetime.date(2028, 3, 1)
