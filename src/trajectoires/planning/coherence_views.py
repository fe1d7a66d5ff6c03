from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .charts import coherence_heatmap, heatmap_size
from .coherence import access_coherence_cell, coherence_assess, coherence_clear, coherence_matrix, summarise
from .coherence_forms import CoherenceForm
from .permissions import can_assess_coherence


def matrix_page(request, slug: str):
    territory = territory_get(slug)
    matrix = coherence_matrix(request.user, territory)
    context = {
        "territory": territory,
        "matrix": matrix,
        "summary": summarise(matrix),
        "chart": coherence_heatmap(matrix),
        "chart_classes": heatmap_size(matrix),
        "can_assess": can_assess_coherence(request.user, territory),
    }
    return render(request, "planning/coherence.html", context)


def cell_page(request, slug: str, document: int, orientation: int):
    territory = territory_get(slug)
    cell = access_coherence_cell(request.user, territory, document, orientation)
    context = {
        "territory": territory,
        "cell": cell,
        "can_assess": can_assess_coherence(request.user, territory),
    }
    return render(request, "planning/coherence_cell.html", context)


@login_required
def assess_page(request, slug: str, document: int, orientation: int):
    territory = territory_get(slug)
    cell = access_coherence_cell(request.user, territory, document, orientation)
    if not can_assess_coherence(request.user, territory):
        raise Http404
    address = dict(
        actor=request.user, territory=territory, document=cell.document, orientation=cell.orientation
    )
    if request.method == "POST" and "clear" in request.POST:
        coherence_clear(**address)
        messages.success(request, _("The cell is back to “not assessed”."))
        return redirect("coherence:matrix", slug=territory.slug)
    form = CoherenceForm.for_cell(cell, request.POST or None)
    if saved_through(request, form, lambda: coherence_assess(**address, **form.cleaned_data)):
        messages.success(request, _("The assessment was saved."))
        return redirect("coherence:matrix", slug=territory.slug)
    return render(
        request, "planning/coherence_form.html", {"territory": territory, "cell": cell, "form": form}
    )
