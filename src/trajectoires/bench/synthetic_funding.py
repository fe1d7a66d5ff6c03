"""The synthetic funding of the alliance, for `trajectoires bench` (SPEC §6): one or two programmes
per funder and 5,000 engagement contracts (2.5 per territory, so `scale` shrinks them with the
territories), each with one to three co-funders — the territory's partners first — whose shares sum
to the total; a tranche per co-funder and year (committed, then paid, over the years gone by); six
budget lines across the categories; a diagnostic condition on a third of them, met on half of those,
locking the lead's first tranche and the material investments; two objectives, re-adjusted on a
quarter (and a re-adjustment waiting for agreement on some); two to four requirements of the
co-funders, some contradictory (report dates a few weeks apart, a category required by one and
excluded by another, an indicator defined twice, a share above a cap); an annual report on each
year gone by, accepted or reviewed by the co-funders. Statuses are mixed (half active, a fifth
signed, some drafts, proposals, reviewed and closed ones), a quarter of the contracts are public.
The first contract of the first territory — the one the bench reads — is active, with three
co-funders, four requirements, a condition not met and both kinds of re-adjustment.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py. Years are counted from `now`."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse

from trajectoires.accounts.models import Funder, FunderMembership, User
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import Diagnostic, DiagnosticShare
from trajectoires.funding.giving360 import public_contracts
from trajectoires.funding.models import (
    BUDGET_LINE_GRID,
    BudgetLine,
    Condition,
    ConditionKind,
    Contract,
    ContractParty,
    ContractReport,
    ContractReportStatus,
    ContractStatus,
    Objective,
    ObjectiveAgreement,
    ObjectiveOutcome,
    ObjectiveVersion,
    Programme,
    ReportFormat,
    ReportReview,
    Requirement,
    RequirementKind,
    ReviewDecision,
    Tranche,
)
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import Orientation
from trajectoires.territories.models import Territory, TerritoryMembership, TerritoryPartnership

CONTRACTS_PER_TERRITORY = 2.5  # 5,000 over the 2,000 territories of the national scale
LINES = 6
OBJECTIVES = 2
S = ContractStatus
STATUSES = [  # status, weight
    (S.DRAFT, 8), (S.PROPOSED, 4), (S.SIGNED, 20), (S.ACTIVE, 50), (S.REVIEWED, 8), (S.CLOSED, 10),
]  # fmt: skip
COUNTED = (S.SIGNED, S.ACTIVE, S.REVIEWED, S.CLOSED)
REPORT_STATES = (ContractReportStatus.ACCEPTED, ContractReportStatus.SUBMITTED, ContractReportStatus.DRAFT)
HIDDEN = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE]
OUTCOMES = [outcome.value for outcome in ObjectiveOutcome]
TEXT = "Texte synthétique pour la mesure."
K = RequirementKind
# Requirement templates, given in turn to the co-funders: (kind, due month, due day, format,
# indicator, definition, category code, percent). Next to each other, they contradict.
REQUIREMENTS = [
    (K.REPORT, 3, 31, ReportFormat.PLATFORM, "", "", None, None),
    (K.REPORT, 4, 20, ReportFormat.PDF, "", "", None, None),  # less than a month after the first
    (K.CATEGORY_REQUIRED, None, None, "", "", "", "material_investment", None),
    (K.CATEGORY_EXCLUDED, None, None, "", "", "", "material_investment", None),
    (K.INDICATOR, None, None, "", "personnes-accompagnees", "Personnes accompagnées l’an", None, None),
    (K.INDICATOR, None, None, "", "personnes-accompagnees", "Personnes formées, cumulées", None, None),
    (K.MAX_SHARE, None, None, "", "", "", None, Decimal("50.00")),
    (K.REPORT, 9, 30, ReportFormat.SPREADSHEET, "", "", None, None),
]  # fmt: skip


@dataclass
class Spec:
    """One contract to write, and what hangs from it."""

    n: int
    territory: int
    funders: list[int]  # the lead first
    shares: list[int]  # whole euros, one per funder
    status: str
    visibility: str
    start: int
    years: int
    condition_met: bool | None  # None: no condition
    readjusted: bool
    pending: bool
    requirements: list[int] = field(default_factory=list)  # indexes in REQUIREMENTS

    @property
    def total(self) -> int:
        return sum(self.shares)

    @property
    def end(self) -> int:
        return self.start + self.years - 1

    @property
    def counted(self) -> bool:
        return self.status in COUNTED


def has_funding(territories: list[int]) -> bool:
    return Contract.objects.filter(territory_id__in=territories[:1]).exists()


def generate_funding(territories: list[int], rng: random.Random, now) -> None:
    funders = list(
        Funder.objects.filter(slug__startswith="financeur-synthetique-")
        .order_by("slug")
        .values_list("pk", flat=True)
    )
    if not funders:
        return
    officers: dict[int, int] = {}
    for funder, user in (
        FunderMembership.objects.filter(funder_id__in=funders)
        .order_by("pk")
        .values_list("funder_id", "user_id")
    ):
        officers.setdefault(funder, user)
    admins = dict(
        TerritoryMembership.objects.filter(territory_id__in=territories, role="admin").values_list(
            "territory_id", "user_id"
        )
    )
    categories = list(referential_items(BUDGET_LINE_GRID))
    programmes = _programmes(funders, categories, now)
    specs = _specs(territories, funders, rng, now.year)
    contracts = _contracts(specs, officers, admins, now)
    parties = _parties(specs, contracts, programmes, officers, now)
    conditions = _conditions(specs, contracts, admins, now)
    _tranches(specs, contracts, parties, conditions, now)
    _lines(specs, contracts, parties, conditions, categories, rng, now)
    _objectives(specs, contracts, officers, admins, rng, now)
    _requirements(specs, contracts, categories)
    _reports(specs, contracts, officers, admins, rng, now)


def _programmes(funders: list[int], categories, now) -> dict[int, list[int]]:
    """One programme per funder, two for every other one: the first open to every category (a
    finished diagnostic asked before material investments), the second to capacities only."""
    insert_rows(
        Programme,
        ("funder_id", "name", "slug", "description", "is_open", "territory_kinds", "min_years", "max_years",
         "cofinancing_cap", "created_at", "updated_at"),
        [(funder, f"Programme synthétique {n:03d}-{p}", f"programme-synthetique-{p}", TEXT, True, "[]", 3, 5,
          Decimal(100), now, now)
         for n, funder in enumerate(funders) for p in range(1, 2 + n % 2)],
    )  # fmt: skip
    made: dict[int, list[int]] = {}
    for funder, pk in (
        Programme.objects.filter(funder_id__in=funders).order_by("pk").values_list("funder_id", "pk")
    ):
        made.setdefault(funder, []).append(pk)
    capacity = [item.pk for item in categories if item.extra.get("capacity")]
    investment = [item.pk for item in categories if not item.extra.get("capacity")]
    insert_rows(
        Programme.categories.through,
        ("programme_id", "item_id"),
        [(pk, item) for pks in made.values() for p, pk in enumerate(pks)
         for item in (capacity + investment if p == 0 else capacity)],
    )  # fmt: skip
    insert_rows(
        Programme.diagnostic_categories.through,
        ("programme_id", "item_id"),
        [(pks[0], item) for pks in made.values() for item in investment],
    )
    return made


def _timing(status: str, year: int, rng: random.Random) -> tuple[int, int]:
    """The first year and the duration of a contract of this status, around `year` (now)."""
    if status in (S.DRAFT, S.PROPOSED):
        return year + 1, rng.randint(3, 5)
    if status == S.SIGNED:
        return year + rng.randint(0, 1), rng.randint(3, 5)
    if status == S.ACTIVE:
        start = year - rng.randint(0, 3)
        return start, rng.randint(max(3, year - start + 1), 5)
    if status == S.REVIEWED:
        return year - 2, 5
    return year - rng.randint(5, 6), rng.randint(3, 4)  # closed, ended before this year


def _specs(territories: list[int], funders: list[int], rng: random.Random, year: int) -> list[Spec]:
    partners: dict[int, list[int]] = {}
    for funder, territory in (
        TerritoryPartnership.objects.filter(territory_id__in=territories)
        .order_by("funder_id")
        .values_list("funder_id", "territory_id")
    ):
        partners.setdefault(territory, []).append(funder)
    statuses = [status for status, _weight in STATUSES]
    weights = [weight for _status, weight in STATUSES]
    specs = []
    for n in range(round(CONTRACTS_PER_TERRITORY * len(territories))):
        first = n == 0  # the contract the bench reads: active, three co-funders, everything on it
        territory = territories[n % len(territories)]
        count = min(len(funders), 3 if first else rng.randint(1, 3))
        chosen = rng.sample(partners.get(territory, []), min(count, len(partners.get(territory, []))))
        others = [funder for funder in funders if funder not in chosen]
        chosen += rng.sample(others, count - len(chosen))
        status = S.ACTIVE if first else rng.choices(statuses, weights)[0]
        start, years = (year - 1, 4) if first else _timing(status, year, rng)
        total = rng.randint(120, 900) * 1000
        has_condition = first or rng.random() < 1 / 3
        specs.append(
            Spec(
                n=n,
                territory=territory,
                funders=chosen,
                shares=_split(total, count, rng),
                status=status,
                visibility=Visibility.PUBLIC if rng.random() < 0.25 else rng.choice(HIDDEN),
                start=start,
                years=years,
                condition_met=(False if first else rng.random() < 0.5) if has_condition else None,
                readjusted=first or rng.random() < 0.25,
                pending=first or rng.random() < 0.1,
                requirements=_requirement_indexes(first, rng),
            )
        )
    return specs


def _split(total: int, count: int, rng: random.Random) -> list[int]:
    """Shares in whole thousands of euros (the last one takes the rest), the lead's the largest."""
    if count == 1:
        return [total]
    lead = total * rng.randint(50, 70) // 100 // 1000 * 1000
    each = (total - lead) // (count - 1) // 1000 * 1000
    return [lead, *[each] * (count - 2), total - lead - each * (count - 2)]


def _requirement_indexes(first: bool, rng: random.Random) -> list[int]:
    if first:
        return [0, 1, 2, 3]
    start = rng.randrange(len(REQUIREMENTS))
    return [(start + i) % len(REQUIREMENTS) for i in range(rng.randint(2, 4))]


def _moment(now, year: int, month: int, day: int) -> datetime.datetime:
    return min(now, now.replace(year=year, month=month, day=day))


def _contracts(specs: list[Spec], officers, admins, now) -> dict[int, int]:
    rows = []
    for spec in specs:
        signed = spec.counted
        started = spec.status in (S.ACTIVE, S.REVIEWED, S.CLOSED)
        signed_at = _moment(now, spec.start - 1, 12, 1) if signed else None
        rows.append(
            (spec.territory, f"Contrat synthétique {spec.n:04d}", TEXT, spec.start, spec.end,
             Decimal(spec.total), spec.status, spec.visibility, officers.get(spec.funders[0]),
             _moment(now, spec.start - 1, 10, 1) if spec.status != S.DRAFT else None,
             signed_at, admins.get(spec.territory) if signed else None,
             _moment(now, spec.start, 1, 15) if started else None,
             TEXT if spec.status in (S.REVIEWED, S.CLOSED) else "",
             _moment(now, spec.start + 2, 6, 15) if spec.status in (S.REVIEWED, S.CLOSED) else None,
             TEXT if spec.status == S.CLOSED else "",
             _moment(now, spec.end + 1, 2, 1) if spec.status == S.CLOSED else None,
             now, now)
        )  # fmt: skip
    insert_rows(
        Contract,
        ("territory_id", "title", "summary", "start_year", "end_year", "total_amount", "status", "visibility",
         "author_id", "proposed_at", "territory_signed_at", "territory_signed_by_id", "activated_at",
         "mid_term_review", "reviewed_at", "closing_note", "closed_at", "created_at", "updated_at"),
        rows,
    )  # fmt: skip
    made = Contract.objects.filter(territory_id__in={spec.territory for spec in specs}).order_by("pk")
    return dict(zip((spec.n for spec in specs), made.values_list("pk", flat=True), strict=True))


def _parties(specs, contracts, programmes, officers, now) -> dict[int, list[int]]:
    """The parties of each contract, the lead first (by contract number)."""
    insert_rows(
        ContractParty,
        ("contract_id", "funder_id", "programme_id", "amount", "is_lead", "signed_at", "signed_by_id"),
        [(contracts[spec.n], funder, programmes[funder][spec.n % len(programmes[funder])], Decimal(share),
          p == 0, _moment(now, spec.start - 1, 12, 10) if spec.counted else None,
          officers.get(funder) if spec.counted else None)
         for spec in specs for p, (funder, share) in enumerate(zip(spec.funders, spec.shares, strict=True))],
    )  # fmt: skip
    by_contract: dict[int, list[int]] = {}
    for contract, pk in (
        ContractParty.objects.filter(contract_id__in=contracts.values())
        .order_by("pk")
        .values_list("contract_id", "pk")
        .iterator()
    ):
        by_contract.setdefault(contract, []).append(pk)
    return {spec.n: by_contract[contracts[spec.n]] for spec in specs}


def _conditions(specs, contracts, admins, now) -> dict[int, int]:
    """A diagnostic condition of the lead funder; met when the territory shared its diagnostic."""
    with_condition = [spec for spec in specs if spec.condition_met is not None]
    insert_rows(
        Condition,
        ("contract_id", "kind", "funder_id"),
        [(contracts[spec.n], ConditionKind.DIAGNOSTIC, spec.funders[0]) for spec in with_condition],
    )
    made = dict(
        Condition.objects.filter(contract_id__in=contracts.values())
        .values_list("contract_id", "pk")
        .iterator()
    )
    diagnostics = dict(
        Diagnostic.objects.filter(territory_id__in={spec.territory for spec in specs})
        .order_by("-pk")
        .values_list("territory_id", "pk")
    )
    shared = {
        (diagnostics[spec.territory], spec.funders[0], spec.territory)
        for spec in with_condition
        if spec.condition_met and spec.territory in diagnostics
    }
    insert_rows(
        DiagnosticShare,
        ("diagnostic_id", "funder_id", "shared_on", "shared_by_id"),
        [
            (diagnostic, funder, now.date(), admins.get(territory))
            for diagnostic, funder, territory in sorted(shared)
        ],
    )
    return {spec.n: made[contracts[spec.n]] for spec in with_condition}


def _locked(spec: Spec) -> bool:
    return spec.condition_met is False


def _tranches(specs, contracts, parties, conditions, now) -> None:
    """A tranche per party and year: committed and paid over the years gone by, committed this year;
    the lead's first tranche waits for the condition."""
    year, rows = now.year, []
    for spec in specs:
        for p, (party, share) in enumerate(zip(parties[spec.n], spec.shares, strict=True)):
            each = share // spec.years
            for index, tranche_year in enumerate(range(spec.start, spec.end + 1)):
                condition = conditions.get(spec.n) if p == 0 and index == 0 else None
                amount = share - each * (spec.years - 1) if index == spec.years - 1 else each
                committed = spec.counted and tranche_year <= year and spec.status != S.SIGNED
                paid = committed and tranche_year < year and not (condition and _locked(spec))
                rows.append(
                    (contracts[spec.n], party, tranche_year, Decimal(amount), condition,
                     datetime.date(tranche_year, 2, 1) if committed else None,
                     datetime.date(tranche_year, 7, 1) if paid else None)
                )  # fmt: skip
    insert_rows(
        Tranche,
        ("contract_id", "party_id", "year", "amount", "condition_id", "committed_on", "paid_on"),
        rows,
    )


def _lines(specs, contracts, parties, conditions, categories, rng, now) -> None:
    """Six lines across the categories; the material investments wait for the condition."""
    rows = []
    for spec in specs:
        planned = spec.total // LINES // 100 * 100
        for index, category in enumerate(rng.sample(categories, min(LINES, len(categories)))):
            line_year = spec.start + index % spec.years
            condition = conditions.get(spec.n) if not category.extra.get("capacity") else None
            spent = 0
            if spec.counted and not (condition and _locked(spec)):
                if line_year < now.year:
                    spent = planned * rng.choice((100, 90, 75)) // 100
                elif line_year == now.year:
                    spent = planned // 2
            rows.append(
                (contracts[spec.n], parties[spec.n][index % len(parties[spec.n])], category.pk,
                 f"Ligne synthétique {index + 1}", line_year, Decimal(planned), Decimal(spent), condition)
            )  # fmt: skip
    insert_rows(
        BudgetLine,
        ("contract_id", "party_id", "category_id", "label", "year", "planned", "spent", "condition_id"),
        rows,
    )


def _objectives(specs, contracts, officers, admins, rng, now) -> None:
    """Two objectives; the first re-adjusted (agreed by every co-funder) on some, the second waiting
    for the co-funders' agreement on others; closed contracts' objectives have their outcome."""
    insert_rows(
        Objective,
        ("contract_id", "position", "outcome", "outcome_note", "closed_at"),
        [(contracts[spec.n], position, *_outcome(spec, rng, now))
         for spec in specs for position in range(1, OBJECTIVES + 1)],
    )  # fmt: skip
    made: dict[int, list[int]] = {}
    for contract, pk in (
        Objective.objects.filter(contract_id__in=contracts.values())
        .order_by("pk")
        .values_list("contract_id", "pk")
        .iterator()
    ):
        made.setdefault(contract, []).append(pk)
    versions, later = [], []
    for spec in specs:
        agreed = _moment(now, spec.start - 1, 10, 1)
        author = admins.get(spec.territory)
        for position, objective in enumerate(made[contracts[spec.n]], start=1):
            versions.append((objective, 1, f"Objectif synthétique {position}", "Cible synthétique", "", "",
                             author, agreed, agreed))  # fmt: skip
            readjust = spec.counted and position == 1 and spec.readjusted
            waiting = spec.counted and position == 2 and spec.pending and spec.status != S.CLOSED
            if readjust or waiting:
                at = _moment(now, max(spec.start, now.year - 1), 9, 1)
                statement = f"Objectif synthétique {position}, réajusté"
                versions.append((objective, 2, statement, "Cible réajustée", TEXT, TEXT, author, at,
                                 at if readjust else None))  # fmt: skip
                later.append((objective, spec, readjust, at))
    insert_rows(
        ObjectiveVersion,
        ("objective_id", "number", "statement", "target", "reason", "learning", "proposed_by_id",
         "proposed_at", "agreed_at"),
        versions,
    )  # fmt: skip
    second = dict(
        ObjectiveVersion.objects.filter(objective__contract_id__in=contracts.values(), number=2)
        .values_list("objective_id", "pk")
        .iterator()
    )
    insert_rows(
        ObjectiveAgreement,
        ("version_id", "funder_id", "agreed_by_id", "agreed_at"),
        [(second[objective], funder, officers.get(funder), at)
         for objective, spec, readjust, at in later
         for funder in (spec.funders if readjust else spec.funders[:1])],
    )  # fmt: skip
    key_actions = list(referential_items("key_action").values_list("pk", flat=True))
    orientations: dict[int, list[int]] = {}
    for territory, pk in (
        Orientation.objects.filter(vision__territory_id__in={spec.territory for spec in specs})
        .order_by("pk")
        .values_list("vision__territory_id", "pk")
    ):
        orientations.setdefault(territory, []).append(pk)
    insert_rows(
        Objective.key_actions.through,
        ("objective_id", "item_id"),
        [(objective, key_actions[(spec.n + p) % len(key_actions)])
         for spec in specs for p, objective in enumerate(made[contracts[spec.n]])],
    )  # fmt: skip
    insert_rows(
        Objective.orientations.through,
        ("objective_id", "orientation_id"),
        [(objective, orientations[spec.territory][p % len(orientations[spec.territory])])
         for spec in specs if orientations.get(spec.territory)
         for p, objective in enumerate(made[contracts[spec.n]])],
    )  # fmt: skip


def _outcome(spec: Spec, rng: random.Random, now) -> tuple:
    """The outcome of an objective of a closed contract, what it teaches, and when it closed."""
    if spec.status != S.CLOSED:
        return "", "", None
    return rng.choice(OUTCOMES), TEXT, _moment(now, spec.end + 1, 2, 1)


def _requirements(specs, contracts, categories) -> None:
    by_code = {item.code: item.pk for item in categories}
    insert_rows(
        Requirement,
        ("contract_id", "funder_id", "kind", "due_month", "due_day", "report_format", "indicator",
         "definition", "category_id", "percent", "note"),
        [(contracts[spec.n], spec.funders[i % len(spec.funders)], kind, month, day, report_format, indicator,
          definition, by_code.get(category) if category else None, percent, "")
         for spec in specs
         for i, (kind, month, day, report_format, indicator, definition, category, percent) in enumerate(
             REQUIREMENTS[index] for index in spec.requirements)],
    )  # fmt: skip


def _reports(specs, contracts, officers, admins, rng, now) -> None:
    """A report on every year gone by of a started contract: accepted by every co-funder, except the
    last year's, which may still be submitted (commented by the lead) or being written (late)."""
    rows, states = [], []
    for spec in specs:
        if spec.status not in (S.ACTIVE, S.REVIEWED, S.CLOSED):
            continue
        for year in range(spec.start, min(spec.end, now.year - 1) + 1):
            last = year == now.year - 1 and spec.status != S.CLOSED
            status = rng.choice(REPORT_STATES) if last else ContractReportStatus.ACCEPTED
            submitted = status != ContractReportStatus.DRAFT
            at = _moment(now, year + 1, 3, 15)
            rows.append((contracts[spec.n], year, status, TEXT, TEXT if submitted else "",
                         TEXT if submitted else "", int(submitted), at if submitted else None,
                         admins.get(spec.territory) if submitted else None))  # fmt: skip
            states.append((spec, status, at))
    insert_rows(
        ContractReport,
        ("contract_id", "year", "status", "narrative", "objectives_progress", "budget_comment", "submission",
         "submitted_at", "submitted_by_id"),
        rows,
    )  # fmt: skip
    made = ContractReport.objects.filter(contract_id__in=contracts.values()).order_by("pk")
    reviews = []
    for report, (spec, status, at) in zip(made.values_list("pk", flat=True).iterator(), states, strict=True):
        if status == ContractReportStatus.ACCEPTED:
            reviews += [
                (report, funder, 1, ReviewDecision.ACCEPT, "", officers.get(funder), at)
                for funder in spec.funders
            ]
        elif status == ContractReportStatus.SUBMITTED:
            reviews.append(
                (report, spec.funders[0], 1, ReviewDecision.COMMENT, TEXT, officers.get(spec.funders[0]), at)
            )
    insert_rows(
        ReportReview,
        ("report_id", "funder_id", "submission", "decision", "comment", "author_id", "at"),
        reviews,
    )


# What the bench reads ---------------------------------------------------------------------------------


@dataclass
class FundingPages:
    anonymous: dict[str, str]
    territory_admin: dict[str, str]
    funder_member: User
    as_funder: dict[str, str]


def funding_pages(territory: Territory) -> FundingPages:
    """What the bench measures of the funding: the 360Giving export read by anyone, the contract with
    the most co-funders (three) of the measured territory and its coherence page (its admin), the
    alliance's funding page, and the portfolio of the funder with the most contracts (one of its
    members)."""
    richest = (  # three co-funders: the first contract of the first territory, unless funders are fewer
        Contract.objects.filter(territory=territory)
        .annotate(party_count=Count("parties"))
        .order_by("-party_count", "pk")
        .first()
    )
    top = (
        ContractParty.objects.values("funder_id")
        .annotate(contracts=Count("contract_id"))
        .order_by("-contracts", "funder_id")
        .first()
    )
    funder = Funder.objects.get(pk=top["funder_id"])
    member = FunderMembership.objects.filter(funder=funder).select_related("user").order_by("pk").first().user
    grants = sum(len(contract.parties.all()) for contract in public_contracts())
    kwargs = {"slug": territory.slug, "pk": richest.pk}
    parties = f"{richest.party_count} co-funders"
    return FundingPages(
        anonymous={
            f"360Giving JSON export ({grants} public grants)": reverse("alliance_funding:giving360_json"),
        },
        territory_admin={
            f"contract page, territory admin ({parties})": reverse("contracts:detail", kwargs=kwargs),
            f"contract coherence, territory admin ({parties})": reverse("contracts:coherence", kwargs=kwargs),
            "alliance funding page, member": reverse("alliance_funding:index"),
        },
        funder_member=member,
        as_funder={
            f"funder portfolio, funder member ({top['contracts']} contracts)": reverse(
                "funding:portfolio", kwargs={"slug": funder.slug}
            ),
        },
    )
