"""Open data: the public grants of the alliance in the 360Giving Data Standard (1.4), as JSON and
as a spreadsheet.

One grant per co-funder's share of a public contract once signed, linked to the other shares of the
same contract (`relatedActivity`). The contract's years are the planned dates; committed tranches are
commitment transactions, paid tranches disbursement transactions. The recipient is the territory
and the beneficiary locations are its areas, by their code of the INSEE Code officiel géographique
(or SIREN for an intercommunality). Organisation identifiers use the French SIREN
(`FR-SIREN-…`) where there is one, the platform's own register (`XI-TRAJECTOIRES-…`) otherwise.
"""

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook

from trajectoires.core.visibility import Visibility
from trajectoires.geo.models import Area

from .models import Contract, ContractParty, Tranche
from .portfolio import COUNTED

PREFIX = "360G-trajectoires"
VERSION = "1.4"
GEO_CODE_TYPES = {"commune": "COM", "departement": "DEP", "region": "REG"}  # INSEE COG levels


def _organisation_id(siren: str, kind: str, slug: str) -> str:
    return f"FR-SIREN-{siren}" if siren else f"XI-TRAJECTOIRES-{kind}-{slug}"


def _grant_id(contract: Contract, party: ContractParty) -> str:
    return f"{PREFIX}-{contract.pk}-{party.funder.slug}"


def _location(area: Area) -> dict[str, Any]:
    return {
        "id": f"{area.kind}-{area.code}",
        "name": area.name,
        "countryCode": "FR",
        "geoCode": area.code,
        "geoCodeType": GEO_CODE_TYPES.get(area.kind, "SIREN"),
    }


def _award_date(contract: Contract) -> datetime.date:
    """The day the last party signed: the contract was awarded then."""
    moments = [contract.territory_signed_at, *(party.signed_at for party in contract.parties.all())]
    return timezone.localdate(max(moment for moment in moments if moment is not None))


def _transactions(grant_id: str, tranches: list[Tranche], field: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{grant_id}-{tranche.year}-{field.split('_')[0]}",
            "transactionDate": getattr(tranche, field).isoformat(),
            "value": float(tranche.amount),
            "currency": "EUR",
            "description": str(tranche.year),
        }
        for tranche in tranches
        if getattr(tranche, field) is not None
    ]


def _grant(contract: Contract, party: ContractParty, base_url: str) -> dict[str, Any]:
    grant_id = _grant_id(contract, party)
    territory = contract.territory
    areas = list(territory.areas.all())
    territory_siren = areas[0].siren if len(areas) == 1 else ""
    tranches = [tranche for tranche in contract.tranches.all() if tranche.party_id == party.pk]
    disbursed = sum(tranche.amount for tranche in tranches if tranche.paid_on is not None)
    grant = {
        "id": grant_id,
        "title": f"{contract.title} — {party.funder.name}"[:140],
        "description": contract.summary or contract.title,
        "currency": "EUR",
        "amountAwarded": float(party.amount),
        "amountDisbursed": float(disbursed),
        "awardDate": _award_date(contract).isoformat(),
        "url": f"{base_url}{contract.get_absolute_url()}",
        "plannedDates": [
            {
                "startDate": f"{contract.start_year}-01-01",
                "endDate": f"{contract.end_year}-12-31",
                "duration": 12 * contract.duration_years,
            }
        ],
        "recipientOrganization": [
            {
                "id": _organisation_id(territory_siren, "territory", territory.slug),
                "name": territory.name,
                "location": [_location(area) for area in areas],
            }
        ],
        "beneficiaryLocation": [_location(area) for area in areas],
        "fundingOrganization": [
            {
                "id": _organisation_id(party.funder.siren, "funder", party.funder.slug),
                "name": party.funder.name,
            }
        ],
        "commitmentTransaction": _transactions(grant_id, tranches, "committed_on"),
        "disbursementTransaction": _transactions(grant_id, tranches, "paid_on"),
        "relatedActivity": [
            _grant_id(contract, other) for other in contract.parties.all() if other.pk != party.pk
        ],
        "dateModified": contract.updated_at.isoformat(),
    }
    if party.programme is not None:
        grant["grantProgramme"] = [{"code": party.programme.slug, "title": party.programme.name}]
    return grant


def public_contracts():
    parties = ContractParty.objects.select_related("funder", "programme").order_by("-is_lead", "funder__name")
    return (
        Contract.objects.filter(visibility=Visibility.PUBLIC, status__in=COUNTED)
        .select_related("territory")
        .prefetch_related(Prefetch("parties", queryset=parties), "territory__areas", "tranches")
        .order_by("pk")
    )


def grants(base_url: str) -> list[dict[str, Any]]:
    """Every public grant, one per co-funder's share — in a fixed number of queries."""
    return [
        _grant(contract, party, base_url)
        for contract in public_contracts()
        for party in contract.parties.all()
    ]


def package(base_url: str) -> dict[str, Any]:
    """The 360Giving data package of the public grants."""
    return {
        "version": VERSION,
        "title": "Trajectoires — contrats d’engagement publics",
        "description": "Les parts de chaque financeur dans les contrats d’engagement publics des territoires "
        "de l’alliance, une subvention par part.",
        "issued": timezone.now().isoformat(),
        "publisher": {"name": "Trajectoires", "website": base_url + "/"},
        "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "grants": grants(base_url),
    }


# The spreadsheet ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    title: str  # the 360Giving spreadsheet column title
    value: Any  # grant → cell


def _first(items: list[dict], key: str) -> Any:
    return items[0].get(key, "") if items else ""


GRANT_COLUMNS = [
    Column("Identifier", lambda g: g["id"]),
    Column("Title", lambda g: g["title"]),
    Column("Description", lambda g: g["description"]),
    Column("Currency", lambda g: g["currency"]),
    Column("Amount Awarded", lambda g: g["amountAwarded"]),
    Column("Amount Disbursed", lambda g: g["amountDisbursed"]),
    Column("Award Date", lambda g: g["awardDate"]),
    Column("URL", lambda g: g["url"]),
    Column("Planned Dates:Start Date", lambda g: _first(g["plannedDates"], "startDate")),
    Column("Planned Dates:End Date", lambda g: _first(g["plannedDates"], "endDate")),
    Column("Planned Dates:Duration (months)", lambda g: _first(g["plannedDates"], "duration")),
    Column("Recipient Org:Identifier", lambda g: _first(g["recipientOrganization"], "id")),
    Column("Recipient Org:Name", lambda g: _first(g["recipientOrganization"], "name")),
    Column("Funding Org:Identifier", lambda g: _first(g["fundingOrganization"], "id")),
    Column("Funding Org:Name", lambda g: _first(g["fundingOrganization"], "name")),
    Column("Grant Programme:Code", lambda g: _first(g.get("grantProgramme", []), "code")),
    Column("Grant Programme:Title", lambda g: _first(g.get("grantProgramme", []), "title")),
    Column(
        "Beneficiary Location:Name", lambda g: ", ".join(place["name"] for place in g["beneficiaryLocation"])
    ),
    Column("Beneficiary Location:Country Code", lambda g: "FR"),
    Column(
        "Beneficiary Location:Geographic Code",
        lambda g: ", ".join(place["geoCode"] for place in g["beneficiaryLocation"]),
    ),
    Column(
        "Beneficiary Location:Geographic Code Type",
        lambda g: ", ".join(place["geoCodeType"] for place in g["beneficiaryLocation"]),
    ),
    Column("Related Activity", lambda g: ", ".join(g["relatedActivity"])),
    Column("Last Modified", lambda g: g["dateModified"]),
]
TRANSACTION_COLUMNS = [
    "Grant Identifier",
    "Identifier",
    "Transaction Date",
    "Value",
    "Currency",
    "Description",
]


def spreadsheet(base_url: str) -> bytes:
    """The same grants in the 360Giving spreadsheet layout: a `grants` sheet (one row per grant, the
    standard's column titles), and `commitments` and `disbursements` sheets for the transactions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "grants"
    sheet.append([column.title for column in GRANT_COLUMNS])
    commitments = workbook.create_sheet("commitments")
    disbursements = workbook.create_sheet("disbursements")
    for target in (commitments, disbursements):
        target.append(TRANSACTION_COLUMNS)
    for grant in grants(base_url):
        sheet.append([column.value(grant) for column in GRANT_COLUMNS])
        for target, key in (
            (commitments, "commitmentTransaction"),
            (disbursements, "disbursementTransaction"),
        ):
            for row in grant[key]:
                target.append(
                    [
                        grant["id"],
                        row["id"],
                        row["transactionDate"],
                        row["value"],
                        row["currency"],
                        row["description"],
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
