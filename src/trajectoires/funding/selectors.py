"""Reads: the contracts a viewer may see, and the programmes anyone may read."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from trajectoires.accounts.models import Funder
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import viewer_scope, visible_to

from .models import (
    BudgetLine,
    Condition,
    Contract,
    ContractParty,
    Objective,
    ObjectiveVersion,
    Programme,
    Tranche,
)


def readable_contracts(viewer) -> QuerySet[Contract]:
    """The territory's contracts as its records are read (by visibility), plus every contract one of
    the viewer's funders is party to, whatever its visibility."""
    by_visibility = visible_to(Contract.objects.all(), viewer).values("pk")
    allowed = Q(pk__in=by_visibility)
    if funder_ids := viewer_scope(viewer).funder_roles:
        allowed |= Q(pk__in=ContractParty.objects.filter(funder_id__in=funder_ids).values("contract_id"))
    return Contract.objects.filter(allowed)


def with_parties(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    parties = ContractParty.objects.select_related("funder", "programme", "signed_by")
    return contracts.select_related("territory", "territory_signed_by").prefetch_related(
        Prefetch("parties", queryset=parties)
    )


def territory_contracts(viewer, territory: Territory) -> QuerySet[Contract]:
    return with_parties(readable_contracts(viewer).filter(territory=territory))


def funder_contracts(viewer, funder: Funder) -> QuerySet[Contract]:
    """The contracts `funder` is party to, as `viewer` may read them."""
    return with_parties(readable_contracts(viewer).filter(parties__funder=funder)).distinct()


def contract_get(viewer, territory: Territory, pk: int) -> Contract:
    """One contract with everything its page shows, or 404 — forbidden and missing alike."""
    versions = ObjectiveVersion.objects.order_by("number").prefetch_related("agreements")
    objectives = Objective.objects.prefetch_related(
        Prefetch("versions", queryset=versions), "orientations", "key_actions"
    )
    contract = (
        with_parties(readable_contracts(viewer).filter(territory=territory, pk=pk))
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.select_related("party__funder", "condition")),
            Prefetch(
                "budget_lines",
                queryset=BudgetLine.objects.select_related("party__funder", "category", "condition"),
            ),
            Prefetch("conditions", queryset=Condition.objects.select_related("funder")),
            Prefetch("objectives", queryset=objectives),
        )
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def programmes(funder: Funder | None = None) -> QuerySet[Programme]:
    rows = Programme.objects.select_related("funder").prefetch_related(
        "categories", "diagnostic_categories", "areas"
    )
    return rows.filter(funder=funder) if funder is not None else rows


def programme_get(funder: Funder, slug: str) -> Programme:
    programme = programmes(funder).filter(slug=slug).first()
    if programme is None:
        raise Http404
    return programme
