"""The demo's co-funder requirements and annual reports: a contradiction to resolve on Ungersheim's
active contract, a coherent pair on Biovallée's shared post, and reports at every status, each
citing only records the co-funders may read; loading again adds nothing."""

import datetime

import pytest
from django.core.management import call_command

from trajectoires.core.models import AuditEntry
from trajectoires.funding.coherence import coherence_check
from trajectoires.funding.models import Contract, ContractReport
from trajectoires.funding.reports import SHAREABLE, report_schedule

pytestmark = pytest.mark.django_db
STATE = "Services de l'État dans le Haut-Rhin (démonstration)"
REGION = "Région Grand Est (démonstration)"


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)


def test_ungersheim_has_contradictions_to_resolve_and_biovallee_none(demo):
    check = coherence_check(Contract.objects.get(title="Contrat de transition 2026–2028"))
    assert [(f.severity, f.rule, f.message) for f in check.findings] == [
        ("contradiction", "category_conflict",
         f"{STATE} exige « Investissement matériel », que {REGION} exclut."),
        ("contradiction", "indicator_definitions",
         f"« emplois » est défini différemment par {REGION}, {STATE}."),
        ("contradiction", "report_dates_clash",
         f"{REGION} veut le rapport pour le 15/04, {STATE} pour le 31/03."),
        ("burden", "report_formats",
         "Le rapport est demandé sous ces formes : Le formulaire propre au financeur, "
         "Le rapport partagé sur la plateforme."),
    ]  # fmt: skip
    assert [(e.due_on, e.funders) for e in check.calendar[:2]] == [
        (datetime.date(2027, 3, 31), (STATE,)), (datetime.date(2027, 4, 15), (REGION,))]  # fmt: skip
    shared_post = coherence_check(Contract.objects.get(title="Poste mutualisé de coopération 2025–2027"))
    assert shared_post.findings == []
    assert [(e.due_on.year, len(e.funders)) for e in shared_post.calendar] == [
        (2026, 2),
        (2027, 2),
        (2028, 2),
    ]


def test_reports_at_every_status_cite_only_shared_records(demo):
    reports = {
        (report.contract.title, report.year): (report.status, report.submission, report.reviews.count())
        for report in ContractReport.objects.select_related("contract")
    }
    assert reports == {
        ("Compagnonnage de Grande-Synthe 2023–2025", 2023): ("accepted", 1, 1),
        ("Compagnonnage de Grande-Synthe 2023–2025", 2024): ("accepted", 1, 2),
        ("Compagnonnage de Grande-Synthe 2023–2025", 2025): ("submitted", 1, 0),
        ("Poste mutualisé de coopération 2025–2027", 2025): ("accepted", 1, 2),
        ("Poste mutualisé de coopération 2025–2027", 2026): ("changes", 1, 2),
        ("Contrat de transition 2026–2028", 2026): ("draft", 0, 0),
    }
    for report in ContractReport.objects.all():
        cited = [*report.stories.all(), *report.journal_entries.all(), *report.celebrations.all()]
        assert cited and all(
            r.visibility in SHAREABLE and r.territory_id == report.contract.territory_id for r in cited
        )
    shared_post = Contract.objects.get(title="Poste mutualisé de coopération 2025–2027")
    schedule = report_schedule([shared_post], today=datetime.date(2026, 12, 7))
    assert [(row.year, row.state) for row in schedule] == [(2025, "done"), (2026, "due")]


def test_loading_again_adds_no_requirement_nor_report(demo):
    actions = ("contract.requirement_add", "contract.report_open", "contract.report_review")
    before = {action: AuditEntry.objects.filter(action=action).count() for action in actions}
    assert before == {"contract.requirement_add": 8, "contract.report_open": 6, "contract.report_review": 7}
    call_command("demo", verbosity=0)
    assert {action: AuditEntry.objects.filter(action=action).count() for action in actions} == before
