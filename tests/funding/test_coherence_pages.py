"""The coherence page of a contract: every party reads the contradictions with the rule that found
them, the duplicate burdens and the merged calendar; a co-funder's members record and remove its
requirements; bad input names the field and writes nothing; outsiders get a 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.funding.builders import a_contract, build_funding_world
from tests.pages import page_text
from trajectoires.core.models import AuditEntry
from trajectoires.funding.coherence import RequirementInput, requirement_add
from trajectoires.funding.models import Requirement
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    return build_funding_world()


@pytest.fixture
def contract(fw):
    return a_contract(fw)


def url(contract, name="coherence", *args):
    return reverse(f"contracts:{name}", args=[contract.territory.slug, contract.pk, *args])


def crafted(fw, contract):
    material = referential_item("budget_line_category", "material_investment")
    requirement_add(
        actor=fw.prefecture_admin,
        contract=contract,
        funder=fw.world.partner,
        data=RequirementInput(kind="category_required", category=material),
    )
    requirement_add(
        actor=fw.region_admin,
        contract=contract,
        funder=fw.region,
        data=RequirementInput(kind="category_excluded", category=material, note="Hors cadre régional"),
    )
    for actor, funder, day in ((fw.prefecture_admin, fw.world.partner, 31), (fw.region_admin, fw.region, 31)):
        requirement_add(
            actor=actor,
            contract=contract,
            funder=funder,
            data=RequirementInput(kind="report", due_month=3, due_day=day, report_format="platform"),
        )
    requirement_add(
        actor=fw.region_admin,
        contract=contract,
        funder=fw.region,
        data=RequirementInput(kind="indicator", indicator="etp", definition="Postes en ETP"),
    )
    requirement_add(
        actor=fw.prefecture_admin,
        contract=contract,
        funder=fw.world.partner,
        data=RequirementInput(kind="indicator", indicator="etp", definition="Postes en ETP"),
    )


@pytest.mark.parametrize("who", ["admin", "viewer", "partner_funder", "region_officer"])
def test_every_party_reads_contradictions_burdens_and_one_calendar(client, fw, contract, who):
    crafted(fw, contract)
    client.force_login(fw.region_officer if who == "region_officer" else fw.people[who])
    text = page_text(client.get(url(contract)))
    assert (
        "Contradictions à résoudre Préfecture du Haut-Rhin exige « Investissement matériel », "
        "que Région Grand Est exclut. "
        "Règle : Une catégorie de ligne budgétaire qu’un financeur exige, un autre l’exclut. "
        "Charges en double « etp » est demandé par Préfecture du Haut-Rhin, Région Grand Est : "
        "donnez-le une fois dans le rapport partagé. "
        "Règle : Le même indicateur est demandé par plusieurs financeurs. "
    ) in text
    assert (
        "31 mars 2028 2027 Préfecture du Haut-Rhin, Région Grand Est Le rapport partagé sur la plateforme "
        "31 mars 2029 2028 Préfecture du Haut-Rhin, Région Grand Est Le rapport partagé sur la plateforme "
        "31 mars 2030 2029 Préfecture du Haut-Rhin, Région Grand Est Le rapport partagé sur la plateforme"
    ) in text
    assert (
        "Région Grand Est Catégorie de ligne budgétaire exclue Investissement matériel — Hors cadre régional"
        in text
    )
    assert ("Consigner une exigence" in text) is (who in ("partner_funder", "region_officer"))


def test_a_coherent_contract_says_so(client, fw, contract):
    client.force_login(fw.people["admin"])
    text = page_text(client.get(url(contract)))
    assert "Aucune contradiction entre les exigences des cofinanceurs." in text
    assert "Aucune exigence ne demande deux fois la même chose au territoire." in text
    assert "Aucun cofinanceur n’a encore fixé de date pour le rapport annuel." in text


@pytest.mark.parametrize("who", ["anonymous", "member_elsewhere", "other_funder", "contributor"])
def test_who_may_not_read_the_private_contract_gets_a_404(client, fw, contract, who):
    if fw.people[who] is not None:
        client.force_login(fw.people[who])
    assert client.get(url(contract)).status_code == 404


def test_a_co_funder_records_then_removes_a_requirement(client, fw, contract):
    client.force_login(fw.region_officer)
    response = client.post(url(contract, "requirement_new"), {
        "funder": fw.region.pk, "kind": "report", "due_day": "15", "due_month": "4", "report_format": "pdf",
    })  # fmt: skip
    assert response.status_code == 302
    requirement = Requirement.objects.get()
    assert (requirement.funder, requirement.kind, requirement.due_day, requirement.due_month) == (
        fw.region,
        "report",
        15,
        4,
    )
    text = page_text(client.get(url(contract)))
    assert "15 avril 2028 2027 Région Grand Est Un document PDF" in text
    response = client.post(url(contract, "requirement_delete", requirement.pk))
    assert response.status_code == 302
    assert not Requirement.objects.exists()
    trail = AuditEntry.objects.filter(action__startswith="contract.requirement").order_by("id")
    trail = trail.values_list("action", flat=True)
    assert list(trail) == ["contract.requirement_add", "contract.requirement_remove"]


def test_a_bad_requirement_names_the_field_and_writes_nothing(client, fw, contract):
    client.force_login(fw.region_officer)
    response = client.post(url(contract, "requirement_new"), {
        "funder": fw.region.pk, "kind": "max_share", "percent": "12.345",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule." in page_text(response).replace(
        "'", "’"
    )
    response = client.post(
        url(contract, "requirement_new"), {"funder": fw.region.pk, "kind": "indicator", "indicator": "etp"}
    )
    assert response.status_code == 400
    assert "Donnez la définition de l’indicateur." in page_text(response)
    assert not Requirement.objects.exists()


def test_a_funder_records_only_for_itself_and_removes_only_its_own(client, fw, contract):
    requirement = requirement_add(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner,
                                  data=RequirementInput(kind="min_share", percent=Decimal("50")))  # fmt: skip
    client.force_login(fw.region_officer)
    response = client.post(
        url(contract, "requirement_new"),
        {"funder": fw.world.partner.pk, "kind": "min_share", "percent": "10"},
    )
    assert response.status_code == 400  # the Préfecture is not among the choices of a Région officer
    assert client.post(url(contract, "requirement_delete", requirement.pk)).status_code == 404
    assert Requirement.objects.count() == 1
