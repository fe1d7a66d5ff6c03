"""A contract world shared by the funding tests: the trust world (Ungersheim, its team, the
Préfecture as partner funder, a foundation elsewhere) plus a Région with its programme, the funders'
admins, and helpers that take a contract through its life cycle."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.pages import page_text
from tests.trust.world import World, build_world, person
from trajectoires.accounts.models import Funder, FunderMembership, User
from trajectoires.core.models import AuditEntry
from trajectoires.funding.budget import LineInput, line_save, tranche_save
from trajectoires.funding.contracts import (
    ContractInput,
    contract_activate,
    contract_create,
    contract_propose,
    contract_sign,
    party_add,
)
from trajectoires.funding.models import Contract, Programme
from trajectoires.funding.programmes import ProgrammeInput, programme_create
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_item, referential_items


@dataclass
class FundingWorld:
    world: World
    region: Funder
    prefecture_admin: User
    region_admin: User
    region_officer: User
    state_programme: Programme
    region_programme: Programme

    @property
    def people(self):
        return self.world.people

    @property
    def territory(self):
        return self.world.territory


def build_funding_world() -> FundingWorld:
    world = build_world()
    region = Funder.objects.create(
        name="Région Grand Est",
        slug="region-grand-est",
        kind=referential_item("funder_type", "region"),
        siren="200052264",
    )
    prefecture_admin = person("admin@prefecture.example")
    FunderMembership.objects.create(user=prefecture_admin, funder=world.partner, role="admin")
    region_admin = person("admin@grandest.example")
    FunderMembership.objects.create(user=region_admin, funder=region, role="admin")
    region_officer = person("officer@grandest.example")
    FunderMembership.objects.create(user=region_officer, funder=region, role="officer")
    categories = list(referential_items("budget_line_category"))
    state_programme = programme_create(
        actor=prefecture_admin,
        funder=world.partner,
        data=ProgrammeInput(
            name="Fonds vert — ingénierie",
            territory_kinds=["commune", "epci"],
            categories=categories,
            diagnostic_categories=[referential_item("budget_line_category", "material_investment")],
            min_years=3,
            max_years=5,
            cofinancing_cap=Decimal("80"),
        ),
    )
    region_programme = programme_create(
        actor=region_admin,
        funder=region,
        data=ProgrammeInput(
            name="Territoires en transition Grand Est",
            areas=[area_from_reference("region:44")],  # the Grand Est région
            categories=[c for c in categories if c.code != "material_investment"],
            min_years=3,
            max_years=6,
            cofinancing_cap=Decimal("50"),
        ),
    )
    return FundingWorld(
        world, region, prefecture_admin, region_admin, region_officer, state_programme, region_programme
    )


def a_contract(
    fw: FundingWorld,
    *,
    total="300000.00",
    state_share="200000.00",
    region_share="100000.00",
    visibility="private",
    title="Contrat de transition 2027-2029",
    first_year=2027,
    with_programme=True,
) -> Contract:
    """A draft led by the Préfecture (three years), the Région co-funding, tranches planned evenly."""
    contract = contract_create(
        actor=fw.prefecture_admin,
        funder=fw.world.partner,
        territory=fw.territory,
        data=ContractInput(
            title=title,
            start_year=first_year,
            end_year=first_year + 2,
            total_amount=Decimal(total),
            visibility=visibility,
        ),
        programme=fw.state_programme if with_programme else None,
        amount=Decimal(state_share),
    )
    if Decimal(region_share):
        party_add(
            actor=fw.prefecture_admin,
            contract=contract,
            funder=fw.region,
            amount=Decimal(region_share),
            programme=fw.region_programme,
        )
    for party in contract.parties.all():
        third = (party.amount / 3).quantize(Decimal("0.01"))
        for index, year in enumerate(contract.years):
            amount = party.amount - 2 * third if index == 2 else third
            tranche_save(actor=fw.prefecture_admin, party=party, year=year, amount=amount)
    return contract


def a_line(
    fw: FundingWorld,
    contract: Contract,
    category="human_engineering",
    funder=None,
    year=2027,
    planned="60000.00",
    label="Chargée de mission transition",
):
    party = contract.parties.get(funder=funder or fw.world.partner)
    return line_save(
        actor=fw.prefecture_admin,
        contract=contract,
        data=LineInput(
            party=party,
            category=referential_item("budget_line_category", category),
            label=label,
            year=year,
            planned=Decimal(planned),
        ),
    )


def signed(fw: FundingWorld, contract: Contract) -> Contract:
    contract_propose(actor=fw.prefecture_admin, contract=contract)
    contract_sign(actor=fw.people["admin"], contract=contract)
    contract_sign(actor=fw.prefecture_admin, contract=contract, funder=fw.world.partner)
    if contract.parties.filter(funder=fw.region).exists():
        contract_sign(actor=fw.region_admin, contract=contract, funder=fw.region)
    contract.refresh_from_db()
    return contract


def active(fw: FundingWorld, contract: Contract) -> Contract:
    return contract_activate(actor=fw.prefecture_admin, contract=signed(fw, contract))


# Page-test helpers -------------------------------------------------------------------------------


def base(contract) -> str:
    """The contract page's address, below which its forms live."""
    return f"/territoires/{contract.territory.slug}/contrats/{contract.pk}/"


def today() -> str:
    """Today as the French pages write it."""
    with translation.override("fr"):
        return date_format(timezone.localdate(), "DATE_FORMAT")


def actions(prefix: str) -> list[tuple[str, dict]]:
    """The audited writes whose action starts with `prefix`, oldest first, with their changes."""
    return list(
        AuditEntry.objects.filter(action__startswith=prefix).order_by("id").values_list("action", "changes")
    )


def body_of(client, contract) -> str:
    response = client.get(base(contract))
    assert response.status_code == 200
    return page_text(response)
