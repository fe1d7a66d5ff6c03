from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.core.uploads import file_download
from trajectoires.territories.selectors import territory_get

from .narrative_forms import NarrativeFilterForm, NarrativeForm
from .narratives import access_narrative, narrative_create, narrative_delete, narrative_update, narratives_of
from .permissions import can_add_narrative, can_edit_narrative

NARRATIVES_PER_PAGE = 30


def narrative_list(request, slug: str):
    territory = territory_get(slug)
    filter_form = NarrativeFilterForm(request.GET)
    narratives = narratives_of(request.user, territory, format=filter_form.chosen_format())
    page = Paginator(narratives, NARRATIVES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "page": page,
        "can_add": can_add_narrative(request.user, territory),
    }
    return render(request, "steering/narratives.html", context)


def narrative_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    narrative = access_narrative(request.user, territory, pk)
    context = {
        "territory": territory,
        "narrative": narrative,
        "can_edit": can_edit_narrative(request.user, narrative),
    }
    return render(request, "steering/narrative.html", context)


def narrative_file(request, slug: str, pk: int):
    """The narrative's file, only for those who may read the narrative (404 otherwise)."""
    narrative = access_narrative(request.user, territory_get(slug), pk)
    if not narrative.file_name:
        raise Http404
    return file_download(narrative.file, name=narrative.file_name, content_type=narrative.file_content_type)


@login_required
def narrative_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_narrative(request.user, territory):
        raise Http404
    form = NarrativeForm(
        request.POST or None, request.FILES or None, viewer=request.user, territory=territory
    )

    def save():
        data = dict(form.cleaned_data)
        return narrative_create(actor=request.user, territory=territory, **data)

    return _form_page(request, territory, form, None, save)


@login_required
def narrative_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    narrative = access_narrative(request.user, territory, pk)
    if not can_edit_narrative(request.user, narrative):
        raise Http404
    form = NarrativeForm.for_narrative(
        narrative, request.POST or None, request.FILES or None, viewer=request.user
    )

    def save():
        return narrative_update(actor=request.user, narrative=narrative, **form.cleaned_data)

    return _form_page(request, territory, form, narrative, save)


@login_required
def narrative_remove(request, slug: str, pk: int):
    territory = territory_get(slug)
    narrative = access_narrative(request.user, territory, pk)
    if not can_edit_narrative(request.user, narrative):
        raise Http404
    if request.method == "POST":
        narrative_delete(actor=request.user, narrative=narrative)
        messages.success(request, _("The narrative was deleted."))
        return redirect("narratives:list", slug=territory.slug)
    return render(request, "steering/narrative_delete.html", {"territory": territory, "narrative": narrative})


def _form_page(request, territory, form, narrative, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The narrative was saved."))
        if not narratives_of(request.user, territory).filter(pk=saved.pk).exists():
            return redirect("narratives:list", slug=territory.slug)  # a contributor's private one
        return redirect("narratives:detail", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "narrative": narrative}
    return render(request, "steering/narrative_form.html", context)
