"""Pages of the cooperation network: survey rounds, their ties, and the network picture.

They read the metrics the background task stored, never compute them; while a round's metrics are
being computed, the pages say so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trajectoires.core.csvfile import CsvFileError
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .charts import network_chart, trend_chart
from .models import TieFrequency, TieType
from .network_forms import SurveyRoundForm, TieForm, TieImportForm
from .network_permissions import can_add_survey_round, can_edit_survey_round
from .network_selectors import (
    access_survey_round,
    access_tie,
    metrics_of,
    ready_metrics_of,
    round_network,
    rounds_comparison,
    survey_rounds,
    tie_actor_choices,
)
from .rounds import (
    survey_round_create,
    survey_round_delete,
    survey_round_recompute,
    survey_round_update,
    tie_create,
    tie_delete,
    tie_update,
)
from .tie_csv import COLUMNS, TEMPLATE_NAME, ties_import, ties_template


def rounds_page(request, slug: str):
    territory = territory_get(slug)
    rounds = list(survey_rounds(request.user, territory))
    context = {
        "territory": territory,
        "rounds": [(survey_round, metrics_of(survey_round)) for survey_round in rounds],
        "can_add": can_add_survey_round(request.user, territory),
    }
    return render(request, "cooperation/round_list.html", context)


@login_required
def round_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_survey_round(request.user, territory):
        raise Http404
    form = SurveyRoundForm(request.POST or None)

    def save():
        return survey_round_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _round_form_page(request, territory, form, None, save)


@login_required
def round_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    survey_round = access_survey_round(request.user, territory, pk)
    if not can_edit_survey_round(request.user, survey_round):
        raise Http404
    form = SurveyRoundForm.for_round(survey_round, request.POST or None)

    def save():
        return survey_round_update(actor=request.user, survey_round=survey_round, **form.cleaned_data)

    return _round_form_page(request, territory, form, survey_round, save)


def _round_form_page(request, territory, form, survey_round, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The survey round was saved."))
        return redirect("network:round", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "survey_round": survey_round}
    return render(request, "cooperation/round_form.html", context)


@login_required
def round_delete(request, slug: str, pk: int):
    territory = territory_get(slug)
    survey_round = access_survey_round(request.user, territory, pk)
    if not can_edit_survey_round(request.user, survey_round):
        raise Http404
    if request.method == "POST":
        survey_round_delete(actor=request.user, survey_round=survey_round)
        messages.success(request, _("The survey round and its ties were deleted."))
        return redirect("network:index", slug=territory.slug)
    context = {"territory": territory, "survey_round": survey_round, "tie_count": survey_round.ties.count()}
    return render(request, "cooperation/round_delete.html", context)


def round_page(request, slug: str, pk: int, *, tie_form=None, import_form=None, import_problems=None):
    territory = territory_get(slug)
    survey_round = access_survey_round(request.user, territory, pk)
    can_edit = can_edit_survey_round(request.user, survey_round)
    if can_edit and tie_form is None:
        tie_form = TieForm(actors=tie_actor_choices(request.user, territory))
    context = {
        "territory": territory,
        "survey_round": survey_round,
        "network": round_network(request.user, survey_round),
        "can_edit": can_edit,
        "tie_form": tie_form if can_edit else None,
        "import_form": (import_form or TieImportForm()) if can_edit else None,
        "import_problems": import_problems,
        **_csv_format(),
    }
    return render(request, "cooperation/round_detail.html", context)


@login_required
@require_POST
def tie_add(request, slug: str, pk: int):
    survey_round = _editable_round(request, slug, pk)
    form = TieForm(request.POST, actors=tie_actor_choices(request.user, survey_round.territory))
    if saved_through(
        request, form, lambda: tie_create(actor=request.user, survey_round=survey_round, **form.cleaned_data)
    ):
        messages.success(request, _("The tie was added. The metrics are being computed again."))
        return redirect("network:round", slug=slug, pk=pk)
    return round_page(request, slug, pk, tie_form=form)


@login_required
def tie_edit(request, slug: str, pk: int, tie_pk: int):
    survey_round = _editable_round(request, slug, pk)
    tie = access_tie(survey_round, tie_pk)
    actors = tie_actor_choices(request.user, survey_round.territory)
    form = TieForm.for_tie(tie, request.POST or None, actors=actors)
    if saved_through(request, form, lambda: tie_update(actor=request.user, tie=tie, **form.cleaned_data)):
        messages.success(request, _("The tie was saved. The metrics are being computed again."))
        return redirect("network:round", slug=slug, pk=pk)
    context = {"territory": survey_round.territory, "survey_round": survey_round, "tie": tie, "form": form}
    return render(request, "cooperation/round_tie_form.html", context)


@login_required
@require_POST
def tie_remove(request, slug: str, pk: int, tie_pk: int):
    survey_round = _editable_round(request, slug, pk)
    tie_delete(actor=request.user, tie=access_tie(survey_round, tie_pk))
    messages.success(request, _("The tie was deleted. The metrics are being computed again."))
    return redirect("network:round", slug=slug, pk=pk)


@login_required
@require_POST
def ties_upload(request, slug: str, pk: int):
    survey_round = _editable_round(request, slug, pk)
    form = TieImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return round_page(request, slug, pk, import_form=form)
    try:
        result = ties_import(
            actor=request.user,
            survey_round=survey_round,
            upload=form.cleaned_data["file"],
            skip_bad_rows=form.cleaned_data["skip_bad_rows"],
        )
    except CsvFileError as error:
        return round_page(request, slug, pk, import_form=form, import_problems=error.problems)
    message = ngettext(
        "%(count)d tie was imported. The metrics are being computed again.",
        "%(count)d ties were imported. The metrics are being computed again.",
        result.created,
    )
    messages.success(request, message % {"count": result.created})
    for problem in result.skipped:
        messages.warning(request, _("Line left out: %(problem)s") % {"problem": problem})
    return redirect("network:round", slug=slug, pk=pk)


def ties_csv_template(request, slug: str):
    territory_get(slug)
    response = HttpResponse(ties_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response


@login_required
@require_POST
def round_recompute(request, slug: str, pk: int):
    survey_round = _editable_round(request, slug, pk)
    survey_round_recompute(actor=request.user, survey_round=survey_round)
    messages.success(request, _("The metrics are being computed again."))
    return redirect("network:round", slug=slug, pk=pk)


def network_page(request, slug: str):
    """The network of one round (`?enquete=`), for one tie type (`?type=`), compared with another
    round (`?comparer=`, by default the one before), and the metrics over the rounds."""
    territory = territory_get(slug)
    rounds = list(survey_rounds(request.user, territory))
    context = {"territory": territory, "rounds": rounds, "tie_types": TieType.choices}
    if rounds:
        current = _chosen(rounds, request.GET.get("enquete")) or rounds[0]
        network = round_network(request.user, current, tie_type=request.GET.get("type", ""))
        other = _chosen(rounds, request.GET.get("comparer")) or _before(rounds, current)
        oldest_first = rounds[::-1]
        context |= {
            "current": current,
            "network": network,
            "network_chart": network_chart(network) if network.ready else None,
            "other": other,
            "comparison": rounds_comparison(request.user, other, current)
            if other and other != current
            else None,
            "trend": [(survey_round, ready_metrics_of(survey_round)) for survey_round in oldest_first],
            "trend_chart": trend_chart(oldest_first),
        }
    return render(request, "cooperation/network_page.html", context)


def _chosen(rounds, value):
    """The round a GET parameter names; a round the viewer may not read is a 404, like a missing one."""
    if not value:
        return None
    found = next((survey_round for survey_round in rounds if str(survey_round.pk) == value), None)
    if found is None:
        raise Http404
    return found


def _before(rounds, current):
    """The round held just before `current` (rounds are newest first)."""
    index = rounds.index(current)
    return rounds[index + 1] if index + 1 < len(rounds) else None


def _editable_round(request, slug: str, pk: int):
    territory = territory_get(slug)
    survey_round = access_survey_round(request.user, territory, pk)
    if not can_edit_survey_round(request.user, survey_round):
        raise Http404
    return survey_round


def _csv_format() -> dict:
    return {
        "csv_columns": list(COLUMNS),
        "tie_type_choices": TieType.choices,
        "frequency_choices": TieFrequency.choices,
    }
