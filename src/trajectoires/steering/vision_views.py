from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .vision import VisionConflict, needs_coverage, versions_diff, vision_of, vision_save, vision_versions
from .vision_forms import OrientationFormSet, VisionForm, initial_from, orientation_inputs


def vision_page(request, slug: str):
    territory = territory_get(slug)
    vision = vision_of(request.user, territory)
    can_edit = can_write_in_territory(request.user, territory)
    if vision is None and not can_edit:  # none, or none for this viewer: the same answer
        raise Http404
    coverage = needs_coverage(vision)
    context = {
        "territory": territory,
        "vision": vision,
        "coverage": coverage,
        "covered_count": sum(1 for row in coverage if row.covered),
        "max_orientations": max([len(row.orientations) for row in coverage] + [1]),
        "can_edit": can_edit,
    }
    return render(request, "steering/vision.html", context)


@login_required
def vision_edit(request, slug: str):
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    vision = vision_of(request.user, territory)
    initial, orientations = initial_from(vision)
    form = VisionForm(request.POST or None, initial=initial)
    # Bound, the formset is read as sent: every orientation with a title is kept, changed or not.
    formset = OrientationFormSet(
        request.POST or None,
        initial=None if request.method == "POST" else orientations,
        prefix="orientations",
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        try:
            vision_save(
                actor=request.user,
                territory=territory,
                expected_version=data.pop("version"),
                orientations=orientation_inputs(formset),
                **data,
            )
        except PermissionDenied:
            raise Http404 from None
        except VisionConflict as error:
            conflict = error.current
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("The vision was saved as a new version."))
            return redirect("vision:detail", slug=territory.slug)
    context = {"territory": territory, "form": form, "formset": formset, "conflict": conflict}
    return render(request, "steering/vision_form.html", context, status=409 if conflict else 200)


def vision_history(request, slug: str):
    territory = territory_get(slug)
    vision = vision_of(request.user, territory)
    if vision is None:
        raise Http404
    versions = list(vision_versions(vision))
    numbers = {version.number: version for version in versions}
    older, newer = _pair(request, numbers)
    context = {
        "territory": territory,
        "vision": vision,
        "versions": versions,
        "older": older,
        "newer": newer,
        "diff": versions_diff(older, newer) if older and newer else None,
    }
    return render(request, "steering/vision_history.html", context)


def _pair(request, numbers: dict):
    try:
        a, b = int(request.GET.get("de", 0)), int(request.GET.get("a", 0))
    except ValueError:
        return None, None
    if a in numbers and b in numbers and a != b:
        return numbers[min(a, b)], numbers[max(a, b)]
    return None, None
