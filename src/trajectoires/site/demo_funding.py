"""The demo funding: four demo funders — the State's services in the Haut-Rhin, the Région Grand Est,
the Département de la Drôme and a foundation — each with its area of competence and one programme
with its rules, and six multi-year engagement contracts, one at each status of the life cycle:
drafted, proposed and signed by some parties only, signed by every party, active, mid-term
reviewed, closed. In Ungersheim the State and the Région fund the first half of the mandate
2026–2032 (active: tranches committed and paid, a material-investment line behind the diagnostic
sensible shared with the State, the Région's later tranches waiting for the diagnostic to be shared
with it, an objective re-adjusted and agreed by both co-funders, one abandoned with its lesson
learnt) and prepare the second half (a draft). The figures and texts are in demo_funding.toml.

Everything is written through the funding services — programme_create, competence_set,
contract_create, party_add, condition_add, tranche_save, line_save, objective_create,
contract_propose, contract_sign, contract_activate, tranche_commit, tranche_pay, line_spend,
objective_readjust, objective_agree, objective_close, contract_review, contract_close —, each by
the demo account whose role allows it, so every write is validated and audited; then the moments the
services set to now are dated back to the contract's business dates (`_date_the_contract`): the
audit trail keeps the moment the demo recorded them. Loaded after demo_diagnostics.py, whose shares
meet the diagnostic conditions. A programme or a contract that exists already (by its name, by its
territory and title) is left as it is, and so is an area of competence already set.
"""

import datetime
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.accounts.models import Funder
from trajectoires.funding.budget import (
    LineInput,
    condition_add,
    line_save,
    line_spend,
    tranche_commit,
    tranche_pay,
    tranche_save,
)
from trajectoires.funding.contracts import (
    ContractInput,
    contract_activate,
    contract_close,
    contract_create,
    contract_propose,
    contract_review,
    contract_sign,
    mandate_periods,
    party_add,
)
from trajectoires.funding.models import (
    BudgetLine,
    Contract,
    ContractParty,
    FunderArea,
    Objective,
    ObjectiveAgreement,
    ObjectiveVersion,
    Programme,
    Tranche,
)
from trajectoires.funding.objectives import (
    ObjectiveInput,
    objective_agree,
    objective_close,
    objective_create,
    objective_readjust,
)
from trajectoires.funding.programmes import ProgrammeInput, competence_set, programme_create
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_item, referential_items
from trajectoires.steering.models import Orientation
from trajectoires.territories.models import Territory, TerritoryPartnership

from .demo_workspace import PLACES

FUNDING_FILE = Path(__file__).with_name("demo_funding.toml")
BUDGET_LINE_GRID = "budget_line_category"
WORKING_HOURS = (datetime.time(9), datetime.time(17))


@cache
def funding_file() -> dict[str, Any]:
    return tomllib.loads(FUNDING_FILE.read_text(encoding="utf-8"))


def funding_load() -> list[str]:
    """Set the demo funders' areas and programmes, then write the contracts missing."""
    created = []
    users = get_user_model().objects
    funders: dict[str, Funder] = {}
    admins: dict[str, Any] = {}
    programmes: dict[str, Programme] = {}
    for key, spec in funding_file()["funders"].items():
        funders[key] = Funder.objects.get(name=spec["name"])
        admins[key] = users.get(email=spec["admin"])
        created += _competence(admins[key], funders[key], spec["competence"])
        programmes[key], made = _programme(admins[key], funders[key], spec["programme"])
        created += made
    for spec in funding_file()["contracts"].values():
        territory = Territory.objects.get(name=spec["territory"])
        if Contract.objects.filter(territory=territory, title=spec["title"]).exists():
            continue
        _contract(Cast(territory, funders, admins, programmes), spec)
        created.append(f"engagement contract {spec['title']} of {spec['territory']}")
    return created


def _competence(admin, funder: Funder, references: list[str]) -> list[str]:
    if not references or FunderArea.objects.filter(funder=funder).exists():
        return []
    competence_set(actor=admin, funder=funder, areas=[_area(reference) for reference in references])
    return [f"area of competence of {funder.name}"]


def _area(reference: str):
    area = area_from_reference(reference)
    if area is None:
        raise LookupError(f"The geography has no area {reference}: run `trajectoires geo import` first.")
    return area


def _programme(admin, funder: Funder, spec: dict[str, Any]) -> tuple[Programme, list[str]]:
    existing = Programme.objects.filter(funder=funder, name=spec["name"]).first()
    if existing is not None:
        return existing, []
    categories = {item.code: item for item in referential_items(BUDGET_LINE_GRID)}
    programme = programme_create(
        actor=admin,
        funder=funder,
        data=ProgrammeInput(
            name=spec["name"],
            description=spec["description"],
            territory_kinds=spec["territory_kinds"],
            areas=[_area(reference) for reference in spec["areas"]],
            categories=[categories[code] for code in spec["categories"]],
            diagnostic_categories=[categories[code] for code in spec["diagnostic_categories"]],
            min_years=spec["min_years"],
            max_years=spec["max_years"],
            cofinancing_cap=Decimal(spec["cofinancing_cap"]),
        ),
    )
    moment = _at(spec["created_on"], WORKING_HOURS[0])
    Programme.objects.filter(pk=programme.pk).update(created_at=moment, updated_at=moment)
    return programme, [f"programme {spec['name']}"]


class Cast:
    """Who writes a contract: the territory's demo admin, and each demo funder with its admin and
    programme (by their keys in demo_funding.toml)."""

    def __init__(self, territory: Territory, funders, admins, programmes):
        self.territory = territory
        place = next(place for place in PLACES if place.territory == territory.name)
        self.admin = get_user_model().objects.get(email=place.admin)
        self.funders, self.admins, self.programmes = funders, admins, programmes

    def key_of(self, funder_id: int) -> str:
        return next(key for key, funder in self.funders.items() if funder.pk == funder_id)


def _years(spec: dict[str, Any]) -> tuple[int, int]:
    if "mandate" in spec:
        split, part = spec["mandate"]
        return mandate_periods(split)[part - 1]
    first, last = spec["years"]
    return first, last


def _contract(cast: Cast, spec: dict[str, Any]) -> Contract:
    """The contract's whole story, in the order it happened."""
    lead = spec["lead"]
    lead_admin = cast.admins[lead]
    first, last = _years(spec)
    shares = {party["funder"]: party for party in spec["parties"]}
    contract = contract_create(
        actor=lead_admin,
        funder=cast.funders[lead],
        territory=cast.territory,
        data=ContractInput(
            title=spec["title"],
            start_year=first,
            end_year=last,
            total_amount=Decimal(spec["total"]),
            summary=spec["summary"],
            visibility=spec["visibility"],
        ),
        programme=cast.programmes[lead],
        amount=Decimal(shares[lead]["amount"]),
    )
    for key, party in shares.items():
        if key != lead:
            party_add(
                actor=lead_admin,
                contract=contract,
                funder=cast.funders[key],
                amount=Decimal(party["amount"]),
                programme=cast.programmes[key],
            )
    parties = {cast.key_of(party.funder_id): party for party in contract.parties.all()}
    for key, party in shares.items():
        for tranche in party["tranches"]:
            condition = (
                condition_add(actor=lead_admin, contract=contract, kind=kind, funder=cast.funders[key])
                if (kind := tranche.get("condition"))
                else None
            )
            tranche_save(
                actor=lead_admin,
                party=parties[key],
                year=tranche["year"],
                amount=Decimal(tranche["amount"]),
                condition=condition,
            )
    lines = _lines(cast, contract, parties, spec["lines"])
    objectives = [_objective(cast, contract, objective) for objective in spec["objectives"]]

    partners = set(cast.territory.partnerships.values_list("funder_id", flat=True))
    if "proposed" in spec:
        contract_propose(actor=lead_admin, contract=contract)
        for key in spec["signed"]:
            if key == "territory":
                contract_sign(actor=cast.admin, contract=contract)
            else:
                contract_sign(actor=cast.admins[key], contract=contract, funder=cast.funders[key])
    if "activated" in spec:
        contract_activate(actor=lead_admin, contract=contract)
    for key, party in shares.items():
        _follow_tranches(cast, contract, key, party["tranches"])
    for line, spent in lines:
        line_spend(actor=cast.admin, line=line, spent=Decimal(spent))
    for objective, objective_spec in zip(objectives, spec["objectives"], strict=True):
        _follow_objective(cast, objective, objective_spec)
    if "reviewed" in spec:
        contract_review(actor=cast.admin, contract=contract, review=spec["review"])
    if "closed" in spec:
        contract_close(actor=lead_admin, contract=contract, note=spec["closing_note"])
    _date_the_contract(cast, contract, spec, partners)
    return contract


def _lines(
    cast: Cast, contract: Contract, parties: dict[str, ContractParty], specs: list[dict[str, Any]]
) -> list[tuple[BudgetLine, Any]]:
    """Plan the budget lines, one a year; return those with something spent, and how much."""
    spent = []
    for spec in specs:
        category = referential_item(BUDGET_LINE_GRID, spec["category"])
        for year, planned in spec["planned"].items():
            line = line_save(
                actor=cast.admin,
                contract=contract,
                data=LineInput(
                    party=parties[spec["funder"]],
                    category=category,
                    label=spec["label"],
                    year=int(year),
                    planned=Decimal(planned),
                ),
            )
            if year in spec.get("spent", {}):
                spent.append((line, spec["spent"][year]))
    return spent


def _objective(cast: Cast, contract: Contract, spec: dict[str, Any]) -> Objective:
    orientations = Orientation.objects.filter(
        vision__territory=cast.territory, position__in=spec["orientations"]
    )
    return objective_create(
        actor=cast.admin,
        contract=contract,
        data=ObjectiveInput(
            statement=spec["statement"],
            target=spec["target"],
            orientations=list(orientations),
            key_actions=list(referential_items("key_action").filter(code__in=spec["key_actions"])),
        ),
    )


def _follow_tranches(cast: Cast, contract: Contract, key: str, specs: list[dict[str, Any]]) -> None:
    """Each co-funder commits and pays its tranches, on their dates."""
    for spec in specs:
        if "committed" not in spec:
            continue
        tranche = Tranche.objects.get(contract=contract, party__funder=cast.funders[key], year=spec["year"])
        tranche = tranche_commit(actor=cast.admins[key], tranche=tranche, on=spec["committed"])
        if "paid" in spec:
            tranche_pay(actor=cast.admins[key], tranche=tranche, on=spec["paid"])


def _follow_objective(cast: Cast, objective: Objective, spec: dict[str, Any]) -> None:
    """A re-adjustment proposed by the territory and agreed by every co-funder; a closing."""
    if readjust := spec.get("readjust"):
        version = objective_readjust(
            actor=cast.admin,
            objective=objective,
            statement=readjust["statement"],
            target=readjust["target"],
            reason=readjust["reason"],
            learning=readjust["learning"],
        )
        for key in readjust["agreed"]:
            objective_agree(actor=cast.admins[key], version=version, funder=cast.funders[key])
    if close := spec.get("close"):
        objective_close(actor=cast.admin, objective=objective, outcome=close["outcome"], note=close["note"])


def _date_the_contract(cast: Cast, contract: Contract, spec: dict[str, Any], partners: set[int]) -> None:
    """Date back what the services stamped with the moment of the demo: the drafting, the proposal,
    each signature, the activation, the review and the closing; the objectives' versions, agreements
    and closings; the partnerships the last signature made (with funders not in `partners`)."""
    morning, evening = WORKING_HOURS
    signed = spec.get("signed", {})
    moments = {
        "created_at": _at(spec["drafted"], morning),
        "proposed_at": _at(spec["proposed"], morning) if "proposed" in spec else None,
        "territory_signed_at": _at(signed["territory"], evening) if "territory" in signed else None,
        "activated_at": _at(spec["activated"], morning) if "activated" in spec else None,
        "reviewed_at": _at(spec["reviewed"], evening) if "reviewed" in spec else None,
        "closed_at": _at(spec["closed"], evening) if "closed" in spec else None,
    }
    latest = max(moment for moment in moments.values() if moment is not None)
    Contract.objects.filter(pk=contract.pk).update(**moments, updated_at=latest)
    for key, day in signed.items():
        if key != "territory":
            ContractParty.objects.filter(contract=contract, funder=cast.funders[key]).update(
                signed_at=_at(day, evening)
            )
    if signed:
        TerritoryPartnership.objects.filter(territory=cast.territory).exclude(funder_id__in=partners).update(
            since=max(signed.values())
        )
    for objective, objective_spec in zip(contract.objectives.all(), spec["objectives"], strict=True):
        ObjectiveVersion.objects.filter(objective=objective, number=1).update(
            proposed_at=moments["created_at"], agreed_at=moments["created_at"]
        )
        if readjust := objective_spec.get("readjust"):
            version = objective.versions.get(number=2)
            for key, day in readjust["agreed"].items():
                ObjectiveAgreement.objects.filter(version=version, funder=cast.funders[key]).update(
                    agreed_at=_at(day, evening)
                )
            ObjectiveVersion.objects.filter(pk=version.pk).update(
                proposed_at=_at(readjust["proposed"], morning),
                agreed_at=_at(max(readjust["agreed"].values()), evening),
            )
        if close := objective_spec.get("close"):
            Objective.objects.filter(pk=objective.pk).update(closed_at=_at(close["on"], evening))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
