from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .enums import TerritoryRole
from .forms import TerritoryForm
from .permissions import can_read_territory_audit, viewer_scope
from .selectors import territory_get, territory_list, territory_population
from .services import territory_create

TERRITORIES_PER_PAGE = 50


def territory_index(request):
    page = Paginator(territory_list(), TERRITORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "territories/territory_list.html", {"territories": page, "page": page})


def territory_detail(request, slug: str):
    territory = territory_get(slug)
    scope = viewer_scope(request.user)
    context = {
        "territory": territory,
        "population": territory_population(territory),
        "role": TerritoryRole(scope.role_in(territory)).label if scope.role_in(territory) else None,
        "can_see_team": scope.role_in(territory) is not None or scope.is_staff,
        "can_read_audit": can_read_territory_audit(request.user, territory),
    }
    return render(request, "territories/territory_detail.html", context)


@login_required
def territory_new(request):
    # Only platform staff create territories at this stage; to others the page does not exist.
    if not request.user.is_staff:
        raise Http404
    form = TerritoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            territory = territory_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The territory “%(name)s” was created.") % {"name": territory.name})
            return redirect(territory)
    return render(request, "territories/territory_form.html", {"form": form})
