"""The pages of the systemic effects (C4): for one reporting period, the three effects of the
référentiel — cooperation, posture, resilience — each with its level on the qualitative scale, the
reasoning and the evidence behind it; one assessment on its own page; and the writes — assess an
effect, change, delete an assessment.

- Every page reads through the services' selectors; an assessment the viewer may not read, a period
  of another territory, and a write page the viewer may not use, answer 404 like a missing one.
- The evidence shown is only what the viewer may read: stories, outcomes, the round of the
  cooperation network with its density and its share of ties across categories.
- The writers (admin, editor) assess; the periods are defined with the stories of change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.permissions import can_write_in_territory
from trajectoires.territories.selectors import territory_get

from .effect_forms import EffectForm, PeriodChoiceForm
from .effects import (
    EFFECT_GRID,
    NETWORK_EFFECT,
    EffectRow,
    effect_delete,
    effect_save,
    period_effects,
    readable_effect_assessments,
)
from .models import EffectAssessment, EffectLevel
from .stories import territory_periods


def period_page_url(territory, period) -> str:
    return f"{reverse('effects:index', args=[territory.slug])}?period={period.pk}"


def readable_assessment(request, slug: str, pk: int):
    """The territory and the assessment `request.user` may read, or a 404."""
    territory = territory_get(slug)
    assessment = (
        readable_effect_assessments(request.user, territory)
        .select_related("period", "effect", "territory")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404
    return territory, assessment


def editable_assessment(request, slug: str, pk: int):
    """The territory and the assessment `request.user` may change, or a 404."""
    territory, assessment = readable_assessment(request, slug, pk)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory, assessment


def _row_of(viewer, territory, assessment: EffectAssessment) -> EffectRow:
    rows = period_effects(viewer, territory, assessment.period)
    row = next((row for row in rows if row.assessment and row.assessment.pk == assessment.pk), None)
    if row is None:  # an effect no longer in the référentiel
        raise Http404
    return row


# The effects of a period -------------------------------------------------------------------------


def effects_page(request, slug: str):
    territory = territory_get(slug)
    periods = territory_periods(territory)
    chooser = PeriodChoiceForm(request.GET if "period" in request.GET else None, periods=periods)
    if chooser.is_bound:
        if not chooser.is_valid():
            raise Http404  # a period that does not exist here
        period = chooser.cleaned_data["period"]
    else:
        period = periods.first()
        chooser = PeriodChoiceForm(initial={"period": period.pk if period else None}, periods=periods)
    context = {
        "territory": territory,
        "period": period,
        "chooser": chooser,
        "rows": period_effects(request.user, territory, period) if period else [],
        "levels": EffectLevel.choices,
        "network_effect": NETWORK_EFFECT,
        "can_write": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/effects.html", context)


def effect_detail(request, slug: str, pk: int):
    territory, assessment = readable_assessment(request, slug, pk)
    context = {
        "territory": territory,
        "assessment": assessment,
        "period": assessment.period,
        "row": _row_of(request.user, territory, assessment),
        "levels": EffectLevel.choices,
        "network_effect": NETWORK_EFFECT,
        "can_write": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/effect.html", context)


# Assess, change, delete --------------------------------------------------------------------------


def _effect_item(code: str) -> Item:
    effect = referential_items(EFFECT_GRID).filter(code=code).first()
    if effect is None:
        raise Http404
    return effect


@login_required
def effect_new(request, slug: str, period: int, effect: str):
    territory = territory_get(slug)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    chosen = territory_periods(territory).filter(pk=period).first()
    if chosen is None:
        raise Http404
    item = _effect_item(effect)
    existing = EffectAssessment.objects.filter(period=chosen, effect__code=item.code).first()
    if existing is not None:
        return redirect("effects:edit", slug=territory.slug, pk=existing.pk)
    form = EffectForm(
        request.POST or None, viewer=request.user, territory=territory, period=chosen, effect=item
    )

    def save():
        values = form.service_values()
        return effect_save(actor=request.user, territory=territory, period=chosen, effect=item, **values)

    return _effect_form_page(
        request, territory, chosen, item, form, None, save, _("The effect was assessed.")
    )


@login_required
def effect_edit(request, slug: str, pk: int):
    territory, assessment = editable_assessment(request, slug, pk)
    form = EffectForm.for_assessment(assessment, request.POST or None, viewer=request.user)

    def save():
        return effect_save(
            actor=request.user,
            territory=territory,
            period=assessment.period,
            effect=assessment.effect,
            assessment=assessment,
            **form.service_values(),
        )

    message = _("The assessment of the effect was saved.")
    return _effect_form_page(
        request, territory, assessment.period, assessment.effect, form, assessment, save, message
    )


def _effect_form_page(request, territory, period, effect, form, assessment, save, message: str):
    def save_with_evidence_errors():
        """The missing evidence is said next to the evidence fields, not above the form."""
        try:
            return save()
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            errors = error.message_dict
            form.evidence_errors = errors.pop("evidence", [])
            if errors:
                raise ValidationError(errors) from None
            return None

    if saved_through(request, form, save_with_evidence_errors):
        messages.success(request, message)
        return redirect(period_page_url(territory, period))
    context = {
        "territory": territory,
        "period": period,
        "effect": effect,
        "form": form,
        "assessment": assessment,
        "levels": EffectLevel.choices,
    }
    return render(request, "evaluation/effect_form.html", context)


@login_required
def effect_remove(request, slug: str, pk: int):
    territory, assessment = editable_assessment(request, slug, pk)
    if request.method == "POST":
        period = assessment.period
        effect_delete(actor=request.user, assessment=assessment)
        messages.success(request, _("The assessment was deleted."))
        return redirect(period_page_url(territory, period))
    context = {"territory": territory, "assessment": assessment}
    return render(request, "evaluation/effect_delete.html", context)
