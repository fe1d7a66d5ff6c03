"""A funder's programmes and area of competence: anyone reads them; the funder's admins write them.

- A write page answers 404 to anyone but the funder's admins, like a page that does not exist.
- A programme's page lists the contracts it funds that the viewer may read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.team_selectors import funder_get

from .models import FunderArea
from .permissions import is_funder_admin
from .programme_forms import CompetenceForm, ProgrammeForm
from .programmes import competence_set, programme_create, programme_update
from .selectors import funder_contracts, programme_get, programmes


def competence_of(funder) -> list:
    rows = FunderArea.objects.filter(funder=funder).select_related("area").order_by("area__name")
    return [row.area for row in rows]


def admin_funder(request, slug: str):
    """The funder whose programmes `request.user` administers, or a 404."""
    funder = funder_get(slug)
    if not is_funder_admin(request.user, funder.pk):
        raise Http404
    return funder


def _form_page(request, template: str, context: dict):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def programmes_page(request, slug: str):
    funder = funder_get(slug)
    context = {
        "funder": funder,
        "programmes": programmes(funder),
        "competence": competence_of(funder),
        "is_admin": is_funder_admin(request.user, funder.pk),
    }
    return render(request, "funding/programmes.html", context)


def programme_detail(request, slug: str, programme: str):
    funder = funder_get(slug)
    programme = programme_get(funder, programme)
    contracts = funder_contracts(request.user, funder).filter(parties__programme=programme)
    kinds = dict(TerritoryKind.choices)
    context = {
        "funder": funder,
        "programme": programme,
        "kinds": [kinds.get(kind, kind) for kind in programme.territory_kinds],
        "contracts": contracts,
        "is_admin": is_funder_admin(request.user, funder.pk),
    }
    return render(request, "funding/programme.html", context)


@login_required
def programme_new(request, slug: str):
    funder = admin_funder(request, slug)
    form = ProgrammeForm(request.POST or None)
    save = lambda: programme_create(actor=request.user, funder=funder, data=form.programme_input())  # noqa: E731
    if programme := saved_through(request, form, save):
        messages.success(request, _("The programme “%(name)s” was created.") % {"name": programme.name})
        return redirect("funding:programme", slug=funder.slug, programme=programme.slug)
    return _form_page(
        request, "funding/programme_form.html", {"funder": funder, "form": form, "programme": None}
    )


@login_required
def programme_edit(request, slug: str, programme: str):
    funder = admin_funder(request, slug)
    programme = programme_get(funder, programme)
    form = ProgrammeForm.for_programme(programme, request.POST or None)
    save = lambda: programme_update(actor=request.user, programme=programme, data=form.programme_input())  # noqa: E731
    if saved_through(request, form, save):
        messages.success(request, _("The programme “%(name)s” was saved.") % {"name": programme.name})
        return redirect("funding:programme", slug=funder.slug, programme=programme.slug)
    context = {"funder": funder, "form": form, "programme": programme}
    return _form_page(request, "funding/programme_form.html", context)


@login_required
def competence_page(request, slug: str):
    funder = admin_funder(request, slug)
    form = CompetenceForm.for_areas(competence_of(funder), request.POST if request.method == "POST" else None)

    def save():
        competence_set(actor=request.user, funder=funder, areas=form.cleaned_data["areas"])
        return True

    if saved_through(request, form, save):
        messages.success(request, _("The area of competence was saved."))
        return redirect("funding:programmes", slug=funder.slug)
    return _form_page(request, "funding/competence_form.html", {"funder": funder, "form": form})
