from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .celebration_forms import CelebrationForm
from .celebrations import (
    access_celebration,
    celebration_create,
    celebration_delete,
    celebration_update,
    celebrations_of,
)
from .permissions import can_add_celebration, can_edit_celebration
from .selectors import CELEBRATION


def celebration_list(request, slug: str):
    """Celebrations live on the journal's timeline: their list is the timeline narrowed to them."""
    return redirect(f"{reverse('steering:journal', args=[slug])}?type={CELEBRATION}")


def celebration_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    celebration = access_celebration(request.user, territory, pk)
    context = {
        "territory": territory,
        "celebration": celebration,
        "can_edit": can_edit_celebration(request.user, celebration),
    }
    return render(request, "steering/celebration.html", context)


@login_required
def celebration_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_celebration(request.user, territory):
        raise Http404
    form = CelebrationForm(request.POST or None, viewer=request.user, territory=territory)
    return _form_page(
        request,
        territory,
        form,
        None,
        lambda: celebration_create(actor=request.user, territory=territory, **form.cleaned_data),
    )


@login_required
def celebration_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    celebration = access_celebration(request.user, territory, pk)
    if not can_edit_celebration(request.user, celebration):
        raise Http404
    form = CelebrationForm.for_celebration(celebration, request.POST or None, viewer=request.user)
    return _form_page(
        request,
        territory,
        form,
        celebration,
        lambda: celebration_update(actor=request.user, celebration=celebration, **form.cleaned_data),
    )


@login_required
def celebration_remove(request, slug: str, pk: int):
    territory = territory_get(slug)
    celebration = access_celebration(request.user, territory, pk)
    if not can_edit_celebration(request.user, celebration):
        raise Http404
    if request.method == "POST":
        celebration_delete(actor=request.user, celebration=celebration)
        messages.success(request, _("The celebration was deleted."))
        return redirect("celebrations:list", slug=territory.slug)
    return render(
        request, "steering/celebration_delete.html", {"territory": territory, "celebration": celebration}
    )


def _form_page(request, territory, form, celebration, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The celebration was saved."))
        if not celebrations_of(request.user, territory).filter(pk=saved.pk).exists():
            return redirect("celebrations:list", slug=territory.slug)  # a contributor's private one
        return redirect("celebrations:detail", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "celebration": celebration}
    return render(request, "steering/celebration_form.html", context)
