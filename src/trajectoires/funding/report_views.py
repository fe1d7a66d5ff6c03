"""The annual report's pages: the report as every co-funder receives it (qualitative first), its
writing and submission by the territory, the co-funders' reviews, and the lists of reports due,
late and done — for a territory and for a funder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectoires.accounts.models import Funder
from trajectoires.core.form_pages import saved_through
from trajectoires.evaluation.models import IndicatorValue
from trajectoires.territories.selectors import territory_get
from trajectoires.territories.team_selectors import funder_get

from .contract_page import ZERO, categories_of
from .models import ContractReportStatus
from .objectives import current_version
from .permissions import is_territory_writer, party_funder_ids
from .report_forms import ReportForm, ReviewForm
from .reports import (
    can_read_reports,
    report_get,
    report_open,
    report_review,
    report_schedule,
    report_submit,
    report_update,
)
from .selectors import contract_get, funder_contracts, territory_contracts


def _contract(request, slug: str, pk: int):
    territory = territory_get(slug)
    contract = contract_get(request.user, territory, pk)
    if not can_read_reports(request.user, contract):
        raise Http404
    return territory, contract


def _year_budget(contract, year: int):
    """The budget lines of `year` by category, with what was planned and spent."""
    rows = categories_of(line for line in contract.budget_lines.all() if line.year == year)
    return rows, sum((r.planned for r in rows), ZERO), sum((r.spent for r in rows), ZERO)


def _page(request, slug, pk, year, form=None, review_form=None, status=200, refusal=None):
    territory, contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    writer = is_territory_writer(request.user, contract)
    mine = party_funder_ids(request.user, contract)
    budget, planned, spent = _year_budget(contract, year)
    indicators = list(report.indicators.all())
    values = (
        IndicatorValue.objects.filter(indicator__in=indicators)
        .select_related("period")
        .order_by("period__starts_on")
    )
    by_indicator = {}
    for value in values:
        by_indicator.setdefault(value.indicator_id, []).append(value)
    editable = report.status in (ContractReportStatus.DRAFT, ContractReportStatus.CHANGES)
    context = {
        "territory": territory,
        "contract": contract,
        "report": report,
        "stories": report.stories.order_by("-collected_on"),
        "effects": report.effects.select_related("effect", "period"),
        "journal_entries": report.journal_entries.order_by("-occurred_on"),
        "celebrations": report.celebrations.order_by("-achieved_on"),
        "objectives": [(objective, current_version(objective)) for objective in contract.objectives.all()],
        "budget": budget,
        "planned": planned,
        "spent": spent,
        "indicators": [(indicator, by_indicator.get(indicator.pk, [])) for indicator in indicators],
        "reviews": report.reviews.select_related("funder").order_by("submission", "at"),
        "refusal": refusal or [],
        "can_edit": writer and editable,
        "can_submit": writer and editable,
        "form": form if form is not None else (ReportForm(report=report) if writer and editable else None),
        "review_form": review_form
        if review_form is not None
        else (ReviewForm(funders=Funder.objects.filter(pk__in=mine)) if mine else None),
    }
    return render(request, "funding/report.html", context, status=status)


def report_page(request, slug: str, pk: int, year: int):
    return _page(request, slug, pk, year)


@login_required
@require_POST
def report_new(request, slug: str, pk: int):
    _territory, contract = _contract(request, slug, pk)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    try:
        report_open(actor=request.user, contract=contract, year=year)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # said on the territory's list of reports
        messages.error(request, " ".join(error.messages))
        return redirect("contracts:reports", slug=slug)
    return redirect("contracts:report", slug=slug, pk=pk, year=year)


@login_required
@require_POST
def report_edit(request, slug: str, pk: int, year: int):
    _territory, contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    form = ReportForm(request.POST, report=report)
    if (
        saved_through(
            request, form, lambda: report_update(actor=request.user, report=report, data=form.report_input())
        )
        is None
    ):
        return _page(request, slug, pk, year, form=form, status=400)
    messages.success(request, _("The report was saved."))
    return redirect("contracts:report", slug=slug, pk=pk, year=year)


@login_required
@require_POST
def report_send(request, slug: str, pk: int, year: int):
    _territory, contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    try:
        report_submit(actor=request.user, report=report)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # what is missing, said above the report's form
        return _page(request, slug, pk, year, status=400, refusal=error.messages)
    messages.success(request, _("The report was submitted to every co-funder."))
    return redirect("contracts:report", slug=slug, pk=pk, year=year)


@login_required
@require_POST
def report_reply(request, slug: str, pk: int, year: int):
    _territory, contract = _contract(request, slug, pk)
    report = report_get(request.user, contract, year)
    mine = party_funder_ids(request.user, contract)
    if not mine:
        raise Http404
    form = ReviewForm(request.POST, funders=Funder.objects.filter(pk__in=mine))

    def save():
        data = form.cleaned_data
        return report_review(
            actor=request.user,
            report=report,
            funder=data["funder"],
            decision=data["decision"],
            comment=data["comment"],
        )

    if saved_through(request, form, save) is None:
        return _page(request, slug, pk, year, review_form=form, status=400)
    messages.success(request, _("Your reading was sent to the territory and the other co-funders."))
    return redirect("contracts:report", slug=slug, pk=pk, year=year)


def _schedule_context(rows):
    return {
        "late": [row for row in rows if row.state == "late"],
        "due": [row for row in rows if row.state == "due"],
        "done": [row for row in rows if row.state == "done"],
    }


def territory_reports(request, slug: str):
    territory = territory_get(slug)
    contracts = [c for c in territory_contracts(request.user, territory) if can_read_reports(request.user, c)]
    context = {"territory": territory, "funder": None, **_schedule_context(report_schedule(contracts))}
    context["can_open"] = any(is_territory_writer(request.user, c) for c in contracts)
    return render(request, "funding/reports.html", context)


def funder_reports(request, slug: str):
    funder = funder_get(slug)
    contracts = [c for c in funder_contracts(request.user, funder) if can_read_reports(request.user, c)]
    context = {
        "territory": None,
        "funder": funder,
        "can_open": False,
        **_schedule_context(report_schedule(contracts)),
    }
    return render(request, "funding/reports.html", context)
