"""The co-funder coherence checker on crafted requirement sets: each contradiction and burden found
with the rule that triggered it, no alarm on a coherent set, one merged reporting calendar; and who
may record a requirement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.funding.builders import a_contract, build_funding_world
from trajectoires.core.models import AuditEntry
from trajectoires.funding.coherence import (
    RequirementInput,
    coherence_check,
    requirement_add,
    requirement_remove,
)
from trajectoires.funding.models import Requirement
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    return a_contract(fw)  # Préfecture 200 000 € (66,67 %), Région 100 000 € (33,33 %)


def require(fw, contract, who, kind, **values):
    funder, actor = {
        "state": (fw.world.partner, fw.prefecture_admin),
        "region": (fw.region, fw.region_officer),
    }[who]
    return requirement_add(
        actor=actor, contract=contract, funder=funder, data=RequirementInput(kind=kind, **values)
    )


def report(fw, contract, who, month, day, report_format="platform"):
    return require(fw, contract, who, "report", due_month=month, due_day=day, report_format=report_format)


def category(code):
    return referential_item("budget_line_category", code)


def findings(contract):
    return [(f.severity, f.rule, f.message, f.funders) for f in coherence_check(contract).findings]


STATE, REGION = "Préfecture du Haut-Rhin", "Région Grand Est"


def test_a_coherent_set_raises_no_alarm(fw, contract):
    report(fw, contract, "state", 3, 31)
    report(fw, contract, "region", 3, 31)
    require(fw, contract, "state", "category_required", category=category("human_engineering"))
    require(fw, contract, "region", "category_excluded", category=category("material_investment"))
    require(fw, contract, "state", "min_share", percent=Decimal("50"))
    require(fw, contract, "region", "max_share", percent=Decimal("40"))
    require(fw, contract, "state", "indicator", indicator="emplois", definition="Emplois créés, en ETP")
    require(fw, contract, "region", "indicator", indicator="tco2e", definition="Émissions évitées")
    assert findings(contract) == []


def test_a_category_one_funder_requires_and_another_excludes(fw, contract):
    require(fw, contract, "state", "category_required", category=category("material_investment"))
    require(fw, contract, "region", "category_excluded", category=category("material_investment"))
    assert findings(contract) == [
        (
            "contradiction",
            "category_conflict",
            "Préfecture du Haut-Rhin exige « Investissement matériel », que Région Grand Est exclut.",
            (STATE, REGION),
        )
    ]
    (finding,) = coherence_check(contract).contradictions
    assert finding.rule_text == "Une catégorie de ligne budgétaire qu’un financeur exige, un autre l’exclut."


def test_minimum_shares_over_the_total_and_a_share_outside_its_own_rule(fw, contract):
    require(fw, contract, "state", "min_share", percent=Decimal("70"))
    require(fw, contract, "region", "min_share", percent=Decimal("40"))
    assert findings(contract) == [
        (
            "contradiction",
            "share_outside_rule",
            "Préfecture du Haut-Rhin détient 66,67 % du contrat ; sa règle dit au moins 70 %.",
            (STATE,),
        ),
        (
            "contradiction",
            "share_outside_rule",
            "Région Grand Est détient 33,33 % du contrat ; sa règle dit au moins 40 %.",
            (REGION,),
        ),
        (
            "contradiction",
            "shares_over_total",
            "Les parts minimales exigées totalisent 110 %.",
            (STATE, REGION),
        ),
    ]


def test_report_dates_that_clash_and_reports_asked_twice(fw, contract):
    report(fw, contract, "state", 3, 31)
    report(fw, contract, "region", 4, 15, report_format="pdf")
    assert findings(contract) == [
        (
            "contradiction",
            "report_dates_clash",
            "Préfecture du Haut-Rhin veut le rapport pour le 31/03, Région Grand Est pour le 15/04.",
            (STATE, REGION),
        ),
        (
            "burden",
            "report_formats",
            "Le rapport est demandé sous ces formes : Le rapport partagé sur la plateforme, Un document PDF.",
            (STATE, REGION),
        ),
    ]
    Requirement.objects.filter(due_month=4).update(due_month=9, report_format="platform")
    assert findings(contract) == [
        (
            "burden",
            "report_dates_apart",
            "Préfecture du Haut-Rhin veut le rapport pour le 31/03, Région Grand Est pour le 15/09.",
            (STATE, REGION),
        ),
    ]


def test_the_same_indicator_under_two_definitions_or_asked_twice(fw, contract):
    require(fw, contract, "state", "indicator", indicator="emplois", definition="Emplois créés, en ETP")
    require(
        fw, contract, "region", "indicator", indicator="Emplois", definition="Postes pourvus au 31 décembre"
    )
    require(fw, contract, "state", "indicator", indicator="tco2e", definition="Émissions évitées par an")
    require(fw, contract, "region", "indicator", indicator="tco2e", definition="émissions  évitées par an")
    assert findings(contract) == [
        (
            "contradiction",
            "indicator_definitions",
            "« emplois » est défini différemment par Préfecture du Haut-Rhin, Région Grand Est.",
            (STATE, REGION),
        ),
        (
            "burden",
            "indicator_twice",
            "« tco2e » est demandé par Préfecture du Haut-Rhin, Région Grand Est : "
            "donnez-le une fois dans le rapport partagé.",
            (STATE, REGION),
        ),
    ]


def test_one_calendar_merges_every_funders_reports(fw, contract):
    report(fw, contract, "state", 3, 31)
    report(fw, contract, "region", 3, 31, report_format="pdf")
    calendar = coherence_check(contract).calendar
    assert [(e.due_on, e.year, e.funders, e.formats) for e in calendar] == [
        (
            datetime.date(2028, 3, 31),
            2027,
            (STATE, REGION),
            ("Le rapport partagé sur la plateforme", "Un document PDF"),
        ),
        (
            datetime.date(2029, 3, 31),
            2028,
            (STATE, REGION),
            ("Le rapport partagé sur la plateforme", "Un document PDF"),
        ),
        (
            datetime.date(2030, 3, 31),
            2029,
            (STATE, REGION),
            ("Le rapport partagé sur la plateforme", "Un document PDF"),
        ),
    ]


def test_the_checker_reads_in_constant_queries(fw, contract, django_assert_num_queries):
    report(fw, contract, "state", 3, 31)
    with django_assert_num_queries(2):
        coherence_check(contract)
    for code in ("a", "b", "c", "d"):
        require(fw, contract, "region", "indicator", indicator=code, definition="x")
    report(fw, contract, "region", 6, 30)
    with django_assert_num_queries(2):
        coherence_check(contract)


def test_only_a_co_funders_members_record_its_requirements(fw, contract):
    data = RequirementInput(kind="min_share", percent=Decimal("10"))
    with pytest.raises(PermissionDenied):
        requirement_add(actor=fw.people["admin"], contract=contract, funder=fw.region, data=data)
    with pytest.raises(PermissionDenied):  # a member of a funder that is not party
        requirement_add(
            actor=fw.people["other_funder"], contract=contract, funder=fw.world.other_funder, data=data
        )
    requirement = requirement_add(actor=fw.region_officer, contract=contract, funder=fw.region, data=data)
    entry = AuditEntry.objects.get(action="contract.requirement_add")
    assert entry.changes == {
        "kind": [None, "min_share"],
        "funder": [None, "region-grand-est"],
        "percent": [None, "10"],
    }
    with pytest.raises(PermissionDenied):
        requirement_remove(actor=fw.prefecture_admin, requirement=requirement)
    requirement_remove(actor=fw.region_officer, requirement=requirement)
    assert not Requirement.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": "report", "due_month": 2, "due_day": 30, "report_format": "pdf"}, "due_day",
         "Indiquez le jour et le mois où le rapport est attendu."),
        ({"kind": "report", "due_month": 3, "due_day": 31, "report_format": "fax"}, "report_format",
         "Choisissez la forme du rapport."),
        ({"kind": "indicator", "indicator": "emplois"}, "definition",
         "Donnez la définition de l’indicateur."),
        ({"kind": "category_excluded"}, "category",
         "Choisissez une catégorie de ligne budgétaire du référentiel."),
        ({"kind": "max_share", "percent": Decimal("120")}, "percent",
         "Une part est comprise entre 0 et 100 %."),
        ({"kind": "wish"}, "kind", "Choisissez un type d’exigence."),
    ],
)  # fmt: skip
def test_bad_requirements_name_the_field_and_write_nothing(fw, contract, values, field, message):
    with pytest.raises(ValidationError) as error:
        requirement_add(
            actor=fw.region_officer, contract=contract, funder=fw.region, data=RequirementInput(**values)
        )
    assert error.value.message_dict == {field: [message]}
    assert not Requirement.objects.exists()
