"""The demo's funding: four demo funders with their areas of competence and one programme each, and
six engagement contracts, one at each status of the life cycle — Ungersheim's first half of the
mandate active, with tranches committed and paid, a line behind the diagnostic sensible shared with
the State, the Région's tranches waiting for the diagnostic, an objective re-adjusted with the
agreement of both co-funders and one abandoned with its lesson learnt. Every write went through the
audited services; loading the demo again adds nothing. Each test loads the demo again."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone, translation

from trajectoires.accounts.models import Funder, FunderMembership
from trajectoires.core.models import AuditEntry
from trajectoires.funding.budget import tranche_pay
from trajectoires.funding.contract_page import contract_page
from trajectoires.funding.contracts import mandate_periods
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
from trajectoires.funding.objectives import counts_as_learning, current_version, pending_version
from trajectoires.funding.selectors import contract_get
from trajectoires.site.demo import demo_load
from trajectoires.territories.models import Territory, TerritoryPartnership

pytestmark = pytest.mark.django_db

STATE = "Services de l'État dans le Haut-Rhin (démonstration)"
REGION = "Région Grand Est (démonstration)"
DEPARTEMENT = "Département de la Drôme (démonstration)"
FOUNDATION = "Fondation Territoires vivants (démonstration)"
CAPACITIES = [
    "human_engineering", "training_action", "peer_accompaniment", "mutualisation_post",
    "narrative_participatory", "evaluation_dissemination", "milestone_celebration",
]  # fmt: skip
THOUARSAIS = "Communauté de communes du Thouarsais"
D = datetime.date


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)


def _day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _page(contract: Contract):
    admin = contract.territory.memberships.get(role="admin").user
    return contract_page(admin, contract_get(admin, contract.territory, contract.pk))


def test_the_demo_funders_have_their_area_their_admin_and_a_programme_with_its_rules(demo):
    funders = {
        funder.name: (
            funder.kind.code,
            sorted(f"{a.area.kind}:{a.area.code}" for a in FunderArea.objects.filter(funder=funder)),
            sorted(m.user.email for m in FunderMembership.objects.filter(funder=funder, role="admin")),
        )
        for funder in Funder.objects.all()
    }
    assert funders == {
        STATE: ("etat", ["departement:68"], ["admin@etat-haut-rhin.demo"]),
        REGION: ("region", ["region:44"], ["admin@region-grand-est.demo"]),
        DEPARTEMENT: ("departement", ["departement:26"], ["admin@departement-drome.demo"]),
        FOUNDATION: ("fondation", [], ["admin@territoires-vivants.demo"]),
    }
    rules = {
        programme.funder.name: (
            programme.name,
            programme.is_open,
            programme.territory_kinds,
            sorted(f"{area.kind}:{area.code}" for area in programme.areas.all()),
            [item.code for item in programme.categories.order_by("position")],
            [item.code for item in programme.diagnostic_categories.all()],
            (programme.min_years, programme.max_years),
            programme.cofinancing_cap,
            _day(programme.created_at),
        )
        for programme in Programme.objects.select_related("funder")
    }
    assert rules == {
        STATE: (
            "Ingénierie de la transition écologique", True, ["commune", "epci"], ["departement:68"],
            [*CAPACITIES, "material_investment"], ["material_investment"], (3, 5), Decimal("80.00"),
            D(2025, 6, 2),
        ),
        REGION: (
            "Territoires en transition Grand Est", True, ["commune", "epci", "other"], ["region:44"],
            CAPACITIES, [], (3, 6), Decimal("50.00"), D(2025, 4, 14),
        ),
        DEPARTEMENT: (
            "Coopérations territoriales drômoises", True, ["epci", "other"], ["departement:26"],
            ["human_engineering", "training_action", "peer_accompaniment", "mutualisation_post",
             "evaluation_dissemination"],
            [], (3, 5), Decimal("60.00"), D(2024, 3, 18),
        ),
        FOUNDATION: (
            "Compagnonnage des territoires en transition", True, ["commune", "epci", "other"], [],
            CAPACITIES, [], (3, 6), Decimal("100.00"), D(2022, 5, 9),
        ),
    }  # fmt: skip
    assert Programme.objects.get(funder__name=STATE).description.startswith(
        "Programme de démonstration. L'État finance sur trois à cinq ans"
    )
    # The Région and the Département became partners by signing a contract, on the day of the last
    # signature; the foundation too, with Thouarsais and Grande-Synthe.
    partnerships = sorted(
        (p.territory.name, p.funder.name, p.since)
        for p in TerritoryPartnership.objects.select_related("territory", "funder")
    )
    assert partnerships == [
        ("Biovallée", DEPARTEMENT, D(2024, 11, 25)),
        ("Biovallée", FOUNDATION, D(2025, 1, 1)),
        (THOUARSAIS, FOUNDATION, D(2026, 10, 20)),
        ("Grande-Synthe", FOUNDATION, D(2022, 12, 12)),
        ("Ungersheim", REGION, D(2026, 1, 30)),
        ("Ungersheim", STATE, D(2025, 1, 1)),
    ]


# title: territory, years, total, status, visibility, parties (funder, programme, share, %, lead,
# signed on), signed by the territory on, proposed, activated, reviewed, closed on
CONTRACTS = {
    "Contrat de transition 2026–2028": (
        "Ungersheim", (2026, 2028), "300000.00", "active", "public",
        [(STATE, "Ingénierie de la transition écologique", "180000.00", "60.00", True, D(2026, 1, 12)),
         (REGION, "Territoires en transition Grand Est", "120000.00", "40.00", False, D(2026, 1, 30))],
        D(2025, 12, 15), (D(2025, 12, 1), D(2026, 2, 2), None, None),
    ),
    "Contrat de transition 2029–2032": (
        "Ungersheim", (2029, 2032), "360000.00", "draft", "private",
        [(STATE, "Ingénierie de la transition écologique", "200000.00", "55.56", True, None),
         (REGION, "Territoires en transition Grand Est", "160000.00", "44.44", False, None)],
        None, (None, None, None, None),
    ),
    "Contrat d'engagement Biovallée 2027–2031": (
        "Biovallée", (2027, 2031), "500000.00", "proposed", "partners",
        [(FOUNDATION, "Compagnonnage des territoires en transition", "300000.00", "60.00", True,
          D(2026, 11, 16)),
         (DEPARTEMENT, "Coopérations territoriales drômoises", "200000.00", "40.00", False, None)],
        D(2026, 11, 9), (D(2026, 10, 19), None, None, None),
    ),
    "Poste mutualisé de coopération 2025–2027": (
        "Biovallée", (2025, 2027), "150000.00", "reviewed", "public",
        [(DEPARTEMENT, "Coopérations territoriales drômoises", "90000.00", "60.00", True, D(2024, 11, 25)),
         (FOUNDATION, "Compagnonnage des territoires en transition", "60000.00", "40.00", False,
          D(2024, 11, 18))],
        D(2024, 11, 4), (D(2024, 10, 14), D(2025, 1, 6), D(2026, 10, 5), None),
    ),
    "Compagnonnage énergie et coopération 2027–2029": (
        THOUARSAIS, (2027, 2029), "120000.00", "signed", "alliance",
        [(FOUNDATION, "Compagnonnage des territoires en transition", "120000.00", "100.00", True,
          D(2026, 10, 20))],
        D(2026, 10, 12), (D(2026, 9, 7), None, None, None),
    ),
    "Compagnonnage de Grande-Synthe 2023–2025": (
        "Grande-Synthe", (2023, 2025), "90000.00", "closed", "public",
        [(FOUNDATION, "Compagnonnage des territoires en transition", "90000.00", "100.00", True,
          D(2022, 12, 12))],
        D(2022, 12, 5), (D(2022, 11, 14), D(2023, 1, 9), D(2024, 6, 24), D(2026, 3, 16)),
    ),
}  # fmt: skip

# title: (funder, year, amount, committed on, paid on, condition kind) in the order of the page
TRANCHES = {
    "Contrat de transition 2026–2028": [
        (STATE, 2026, "60000.00", D(2026, 2, 16), D(2026, 3, 20), None),
        (STATE, 2027, "60000.00", D(2026, 11, 16), None, None),
        (STATE, 2028, "60000.00", None, None, None),
        (REGION, 2026, "40000.00", D(2026, 3, 6), D(2026, 6, 12), None),
        (REGION, 2027, "40000.00", D(2026, 11, 27), None, "diagnostic"),
        (REGION, 2028, "40000.00", None, None, "diagnostic"),
    ],
    "Contrat de transition 2029–2032": [
        (STATE, year, "50000.00", None, None, None) for year in range(2029, 2033)
    ],
    "Contrat d'engagement Biovallée 2027–2031": [
        *((FOUNDATION, year, "60000.00", None, None, None) for year in range(2027, 2032)),
        *((DEPARTEMENT, year, "40000.00", None, None, None) for year in range(2027, 2032)),
    ],
    "Poste mutualisé de coopération 2025–2027": [
        (DEPARTEMENT, 2025, "30000.00", D(2025, 1, 20), D(2025, 3, 14), None),
        (DEPARTEMENT, 2026, "30000.00", D(2026, 1, 19), D(2026, 3, 13), None),
        (DEPARTEMENT, 2027, "30000.00", None, None, None),
        (FOUNDATION, 2025, "20000.00", D(2025, 1, 8), D(2025, 2, 3), None),
        (FOUNDATION, 2026, "20000.00", D(2026, 1, 7), D(2026, 2, 2), None),
        (FOUNDATION, 2027, "20000.00", None, None, None),
    ],
    "Compagnonnage énergie et coopération 2027–2029": [
        (FOUNDATION, 2027, "40000.00", D(2026, 11, 16), None, None),
        (FOUNDATION, 2028, "40000.00", None, None, None),
        (FOUNDATION, 2029, "40000.00", None, None, None),
    ],
    "Compagnonnage de Grande-Synthe 2023–2025": [
        (FOUNDATION, 2023, "30000.00", D(2023, 1, 16), D(2023, 2, 6), None),
        (FOUNDATION, 2024, "30000.00", D(2024, 1, 15), D(2024, 2, 5), None),
        (FOUNDATION, 2025, "30000.00", D(2025, 1, 13), D(2025, 2, 3), None),
    ],
}
# title: budget lines, planned, spent, share of the planned budget going to capacities (%)
BUDGETS = {
    "Contrat de transition 2026–2028": (18, "300000.00", "62800.00", "86.7"),
    "Contrat de transition 2029–2032": (4, "160000.00", "0.00", "100.0"),
    "Contrat d'engagement Biovallée 2027–2031": (21, "500000.00", "0.00", "100.0"),
    "Poste mutualisé de coopération 2025–2027": (8, "150000.00", "80500.00", "100.0"),
    "Compagnonnage énergie et coopération 2027–2029": (9, "120000.00", "0.00", "100.0"),
    "Compagnonnage de Grande-Synthe 2023–2025": (7, "90000.00", "88800.00", "100.0"),
}


def test_each_demo_contract_is_at_its_status_with_its_parties_tranches_and_budget(demo):
    assert sorted(Contract.objects.values_list("status", flat=True)) == sorted(
        ["active", "draft", "proposed", "reviewed", "signed", "closed"]
    )
    for contract in Contract.objects.select_related("territory"):
        territory, years, total, status, visibility, parties, territory_signed, dates = CONTRACTS[
            contract.title
        ]
        assert (
            contract.territory.name,
            (contract.start_year, contract.end_year),
            str(contract.total_amount),
            contract.status,
            contract.visibility,
        ) == (territory, years, total, status, visibility), contract.title
        assert contract.summary.startswith("Démonstration. ")
        page = _page(contract)
        assert [
            (
                row.party.funder.name,
                row.party.programme.name,
                str(row.party.amount),
                str(row.share),
                row.party.is_lead,
                _day(row.party.signed_at),
            )
            for row in page.parties
        ] == parties, contract.title
        assert (
            _day(contract.territory_signed_at),
            _day(contract.proposed_at),
            _day(contract.activated_at),
            _day(contract.reviewed_at),
            _day(contract.closed_at),
        ) == (territory_signed, *dates), contract.title
        assert [
            (
                tranche.party.funder.name,
                tranche.year,
                str(tranche.amount),
                tranche.committed_on,
                tranche.paid_on,
                tranche.condition.kind if tranche.condition else None,
            )
            for row in page.parties
            for tranche in row.tranches
            if tranche is not None
        ] == TRANCHES[contract.title], contract.title
        assert (
            contract.budget_lines.count(),
            str(page.planned),
            str(page.spent),
            str(page.capacity_share),
        ) == BUDGETS[contract.title], contract.title

    # The two Ungersheim contracts split the mandate 2026–2032 in 2029.
    ungersheim = Contract.objects.filter(territory__name="Ungersheim").order_by("start_year")
    assert [(c.start_year, c.end_year) for c in ungersheim] == mandate_periods(2029)
    # The draft shows what keeps it from being proposed; the proposal waits for the Département.
    draft = Contract.objects.get(status="draft")
    assert list(_page(draft).problems) == ["tranches"]
    assert _page(Contract.objects.get(status="proposed")).unsigned == [DEPARTEMENT]
    assert _page(Contract.objects.get(status="signed")).unsigned == []
    # The reviewed and the closed contracts say what the review found and what they made possible.
    assert Contract.objects.get(status="reviewed").mid_term_review.startswith(
        "À mi-parcours, la coordinatrice a installé une conférence des trois présidents"
    )
    assert Contract.objects.get(status="closed").closing_note.startswith(
        "Le contrat a installé une équipe-projet qui continue sans lui"
    )


def test_ungersheim_s_contract_locks_a_line_and_tranches_and_re_adjusts_its_objectives(demo):
    contract = Contract.objects.get(title="Contrat de transition 2026–2028")
    page = _page(contract)
    # The diagnostic sensible is shared with the State, not yet with the Région: the material
    # investment is unlocked, the Région's last two tranches wait.
    with translation.override("en"):
        locks = [
            (
                lock.state.condition.funder.name,
                lock.state.met,
                lock.state.unlock,
                [(t.party.funder.name, t.year) for t in lock.tranches],
                [(line.label, line.year) for line in lock.lines],
            )
            for lock in page.locks
        ]
    assert locks == [
        (REGION, False, f"Complete the diagnostic sensible and share it with {REGION}.",
         [(REGION, 2027), (REGION, 2028)], []),
        (STATE, True, f"Complete the diagnostic sensible and share it with {STATE}.",
         [], [("Serre et outils de la légumerie de la régie agricole", 2027)]),
    ]  # fmt: skip
    assert [
        (row.category.code, str(row.planned), str(row.spent), row.is_capacity) for row in page.categories
    ] == [
        ("human_engineering", "90000.00", "27500.00", True),
        ("training_action", "32000.00", "9800.00", True),
        ("peer_accompaniment", "30000.00", "6200.00", True),
        ("mutualisation_post", "40000.00", "0.00", True),
        ("narrative_participatory", "30000.00", "15000.00", True),
        ("evaluation_dissemination", "18000.00", "0.00", True),
        ("milestone_celebration", "20000.00", "4300.00", True),
        ("material_investment", "40000.00", "0.00", False),
    ]
    # Paying the Région's locked tranche is refused, and nothing is written.
    region_admin = get_user_model().objects.get(email="admin@region-grand-est.demo")
    locked = Tranche.objects.get(contract=contract, party__funder__name=REGION, year=2027)
    with pytest.raises(ValidationError) as refused:
        tranche_pay(actor=region_admin, tranche=locked, on=D(2026, 12, 1))
    assert list(refused.value.message_dict) == ["paid_on"]
    assert Tranche.objects.get(pk=locked.pk).paid_on is None

    rows = {row.objective.position: row for row in page.objectives}
    assert [(position, row.current.number, row.objective.outcome) for position, row in rows.items()] == [
        (1, 1, ""),
        (2, 2, ""),
        (3, 1, "lesson"),
    ]
    assert [o.title for o in rows[2].objective.orientations.all()] == ["Se nourrir des terres du village"]
    assert sorted(item.code for item in rows[2].objective.key_actions.all()) == ["K3", "K9"]
    # Re-adjusted: version 1 kept, version 2 in force once both co-funders agreed.
    readjusted = rows[2].objective
    versions = [
        (
            v.number,
            v.statement,
            v.target,
            v.reason[:40],
            v.learning[:40],
            _day(v.proposed_at),
            _day(v.agreed_at),
        )
        for v in readjusted.versions.order_by("number")
    ]
    assert versions == [
        (1, "Approvisionner la cantine scolaire à 50 % en légumes de la régie agricole dès la rentrée 2027.",
         "50 % des légumes servis à la cantine en 2027", "", "", D(2025, 10, 6), D(2025, 10, 6)),
        (2, "Approvisionner la cantine scolaire en légumes de la régie agricole et de deux maraîchers "
            "voisins : 30 % en 2027, 50 % en 2028.",
         "30 % des légumes servis à la cantine en 2027, 50 % en 2028",
         "La sécheresse de l'été 2026 a réduit la ", "La régie seule ne suffit pas à nourrir l",
         D(2026, 9, 28), D(2026, 10, 22)),
    ]  # fmt: skip
    assert current_version(readjusted).number == 2 and pending_version(readjusted) is None
    assert [v.number for v in rows[2].history] == [1] and rows[2].waiting_for == []
    version = readjusted.versions.get(number=2)
    assert [
        (a.funder.name, a.agreed_by.email, _day(a.agreed_at))
        for a in version.agreements.order_by("agreed_at")
    ] == [
        (STATE, "admin@etat-haut-rhin.demo", D(2026, 10, 8)),
        (REGION, "admin@region-grand-est.demo", D(2026, 10, 22)),
    ]
    assert version.proposed_by.email == "admin@ungersheim.demo"
    # Abandoned — lesson learnt: it counts as learning, with its lesson written down.
    abandoned = rows[3].objective
    assert counts_as_learning(abandoned) and _day(abandoned.closed_at) == D(2026, 10, 5)
    assert abandoned.outcome_note.startswith(
        "Les permanences du premier semestre 2026 n'ont attiré que des habitants déjà engagés"
    )
    # Across the demo: objectives achieved, partly achieved, abandoned with a lesson, or still open.
    outcomes = dict(Objective.objects.values_list("outcome").annotate(n=Count("id")))
    assert outcomes == {"": 7, "achieved": 2, "partly": 1, "lesson": 1}


# action: entries (each is one record written, or one step of a record's life)
AUDITED = {
    "funder.competence": 3, "programme.create": 4,
    "contract.create": 6, "contract.party_add": 10, "contract.condition_add": 1,
    "contract.tranche_create": 32, "contract.line_create": 67, "contract.objective_create": 11,
    "contract.status": 15, "contract.sign": 12, "partnership.create": 6,
    "contract.tranche_commit": 12, "contract.tranche_pay": 9, "contract.line_spend": 17,
    "contract.objective_readjust": 1, "contract.objective_agree": 2, "contract.objective_in_force": 1,
    "contract.objective_close": 4,
    # demo_funding_reports.py: the co-funders' requirements and the annual reports
    "contract.requirement_add": 8, "contract.report_open": 6, "contract.report_update": 6,
    "contract.report_submit": 5, "contract.report_review": 7, "contract.report_status": 4,
}  # fmt: skip
FUNDING_ACTIONS = r"^(contract\.|programme\.|funder\.competence|partnership\.)"


def _funding_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            FunderArea,
            Programme,
            Contract,
            ContractParty,
            Tranche,
            BudgetLine,
            Objective,
            ObjectiveVersion,
            ObjectiveAgreement,
            TerritoryPartnership,
        )
    )


def test_every_funding_write_is_audited_and_loading_again_adds_nothing(demo):
    audited = AuditEntry.objects.filter(action__regex=FUNDING_ACTIONS)
    assert dict(audited.values_list("action").annotate(n=Count("id"))) == AUDITED
    # One entry per record written, or per step of its life.
    assert (
        FunderArea.objects.count(),
        Programme.objects.count(),
        Contract.objects.count(),
        ContractParty.objects.count(),
        Tranche.objects.count(),
        BudgetLine.objects.count(),
        Objective.objects.count(),
        ContractParty.objects.filter(signed_at__isnull=False).count()
        + Contract.objects.filter(territory_signed_at__isnull=False).count(),
        Tranche.objects.filter(committed_on__isnull=False).count(),
        Tranche.objects.filter(paid_on__isnull=False).count(),
        BudgetLine.objects.exclude(spent=0).count(),
        Objective.objects.exclude(outcome="").count(),
    ) == tuple(
        AUDITED[action]
        for action in (
            "funder.competence", "programme.create", "contract.create", "contract.party_add",
            "contract.tranche_create", "contract.line_create", "contract.objective_create",
            "contract.sign", "contract.tranche_commit", "contract.tranche_pay", "contract.line_spend",
            "contract.objective_close",
        )
    )  # fmt: skip
    # The audit trail keeps when the demo wrote them; the records carry their business dates.
    assert {timezone.localdate(entry.at) for entry in audited} == {timezone.localdate()}
    # Each signature was given by the admin of its party.
    signers = sorted(
        (entry.object_type, get_user_model().objects.get(pk=entry.actor_label).email)
        for entry in audited.filter(action="contract.sign")
    )
    assert signers == sorted(
        [("funding.contract", f"admin@{slug}.demo") for slug in (
            "ungersheim", "biovallee", "biovallee", "thouarsais", "grande-synthe")]
        + [("funding.contractparty", f"admin@{slug}.demo") for slug in (
            "etat-haut-rhin", "region-grand-est", "territoires-vivants", "departement-drome",
            "territoires-vivants", "territoires-vivants", "territoires-vivants")]
    )  # fmt: skip
    counts = _funding_counts()
    assert counts == (3, 4, 6, 10, 32, 67, 11, 12, 2, 6)

    entries = AuditEntry.objects.count()
    created = demo_load()
    assert created == []
    assert _funding_counts() == counts
    assert AuditEntry.objects.count() == entries
    assert Territory.objects.count() == 6
