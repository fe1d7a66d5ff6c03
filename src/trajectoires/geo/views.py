from django.core.paginator import Paginator
from django.shortcuts import render

from .enums import PLURAL_LABELS, AreaKind
from .forms import AreaSearchForm
from .selectors import area_aliases, area_child_kinds, area_children, area_get, area_scales_above, area_search

CHILDREN_PER_PAGE = 100


def directory(request):
    """The search page; with htmx, only the results are sent back as the person types."""
    form = AreaSearchForm(request.GET) if "q" in request.GET else AreaSearchForm()
    hits = area_search(form.cleaned_data["q"]) if form.is_bound and form.is_valid() else []
    template = "geo/directory.html#results" if request.htmx else "geo/directory.html"
    return render(request, template, {"form": form, "hits": hits})


def area_detail(request, kind: str, code: str):
    area = area_get(kind, code)
    below = []
    for child_kind in area_child_kinds(area):
        page = Paginator(area_children(area, child_kind), CHILDREN_PER_PAGE).get_page(
            request.GET.get(f"page_{child_kind}")
        )
        if page.paginator.count:
            below.append({"kind": child_kind, "label": PLURAL_LABELS[child_kind], "page": page})
    context = {
        "area": area,
        "above": area_scales_above(area),
        "below": below,
        "aliases": area_aliases(area) if area.kind == AreaKind.COMMUNE else [],
        "postal_codes": area.postal_codes.values_list("code", flat=True),
    }
    return render(request, "geo/area_detail.html", context)
