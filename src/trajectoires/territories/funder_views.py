"""Funders: the public list and page, and what platform staff do with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trajectoires.accounts.organisations import funder_create

from .funder_forms import FunderForm, PartnershipForm
from .permissions import is_platform_staff, viewer_scope
from .services import partnership_create
from .team_selectors import funder_get, funder_list, funder_partnerships


def funder_index(request):
    return render(request, "territories/funder_list.html", {"funders": funder_list()})


def funder_detail(request, slug: str, partnership_form=None):
    funder = funder_get(slug)
    partnerships = funder_partnerships(funder)
    context = {
        "funder": funder,
        "partnerships": partnerships,
        "is_staff": is_platform_staff(request.user),
        "is_member": funder.pk in viewer_scope(request.user).funder_roles,
        "partnership_form": partnership_form or PartnershipForm(),
    }
    return render(request, "territories/funder_detail.html", context, status=400 if partnership_form else 200)


@login_required
def funder_new(request):
    if not is_platform_staff(request.user):
        raise Http404
    form = FunderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            funder = funder_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The funder “%(name)s” was created.") % {"name": funder.name})
            return redirect("funders:detail", slug=funder.slug)
    return render(request, "territories/funder_form.html", {"form": form})


@login_required
@require_POST
def partnership_new(request, slug: str):
    funder = funder_get(slug)
    form = PartnershipForm(request.POST)
    if form.is_valid():
        try:
            partnership_create(actor=request.user, funder=funder, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(funder)s is now a partner of %(territory)s.")
                % {"funder": funder.name, "territory": form.cleaned_data["territory"].name},
            )
            return redirect("funders:detail", slug=funder.slug)
    if not is_platform_staff(request.user):
        raise Http404
    return funder_detail(request, slug, partnership_form=form)
