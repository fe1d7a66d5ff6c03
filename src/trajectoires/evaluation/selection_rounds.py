"""Selection rounds of the stories of change: a panel reads the stories of a period (and of a
domain, when it has one), selects the most significant and writes why — and the dissent.

Rules: the writers record rounds; the stories considered are stories of the territory, of the
round's period and domain, that the writer may read; the story selected is one of them; the round
is held after its period started and never in the future; a round reads as its visibility, and the
stories it lists are only those the viewer may read.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory, visible_to
from trajectoires.territories.services import territory_scope

from .models import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound
from .stories import readable_stories

ROUND_FIELDS = ("period", "domain", "panel", "held_on", "reasons", "dissent", "visibility")


def readable_rounds(viewer, territory: Territory) -> QuerySet[SelectionRound]:
    return visible_to(SelectionRound.objects.filter(territory=territory), viewer)


def round_list(viewer, territory: Territory) -> QuerySet[SelectionRound]:
    rounds = readable_rounds(viewer, territory).select_related("period", "domain", "selected")
    return rounds.annotate(considered_count=Count("considered", distinct=True)).order_by("-held_on", "-id")


def access_round(viewer, territory: Territory, pk: int) -> SelectionRound:
    selection = (
        readable_rounds(viewer, territory)
        .filter(pk=pk)
        .select_related("territory", "period", "domain")
        .first()
    )
    if selection is None:
        raise Http404
    return selection


def round_stories(viewer, selection: SelectionRound) -> tuple[ChangeStory | None, list[ChangeStory]]:
    """The selected story and the others considered, those `viewer` may read."""
    readable = readable_stories(viewer, selection.territory)
    considered = list(readable.filter(considered_in=selection).select_related("domain").order_by("title"))
    selected = next((story for story in considered if story.pk == selection.selected_id), None)
    return selected, [story for story in considered if story.pk != selection.selected_id]


def _snapshot(selection: SelectionRound, considered=None, panel_actors=None) -> dict[str, Any]:
    values = {name: getattr(selection, name) for name in ("panel", "reasons", "dissent", "visibility")}
    values |= {
        "period": selection.period_id,
        "domain": selection.domain_id,
        "selected": selection.selected_id,
    }
    values["held_on"] = selection.held_on.isoformat() if selection.held_on else None
    if considered is None:
        considered = selection.considered.all() if selection.pk else []
    if panel_actors is None:
        panel_actors = selection.panel_actors.all() if selection.pk else []
    values["considered"] = sorted(story.pk for story in considered)
    values["panel_actors"] = sorted(actor.pk for actor in panel_actors)
    return values


def _round_errors(
    viewer, selection: SelectionRound, considered: list[ChangeStory], panel_actors, before
) -> dict:
    territory = selection.territory
    try:
        selection.full_clean(
            exclude=["territory", "period", "domain", "selected"], validate_constraints=False
        )
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = dict(error.message_dict)
    period: ReportingPeriod | None = selection.period if selection.period_id else None
    if period is None or period.territory_id != territory.pk:
        errors["period"] = [_("Choose a reporting period of this territory.")]
        period = None
    domain: ChangeDomain | None = selection.domain if selection.domain_id else None
    if domain is not None and domain.territory_id != territory.pk:
        errors["domain"] = [_("Choose a domain of change of this territory.")]
    held_on = selection.held_on
    if "held_on" not in errors and held_on:
        if held_on > timezone.localdate():
            errors["held_on"] = [_("A round is recorded once held: the date cannot be in the future.")]
        elif period is not None and held_on < period.starts_on:
            errors["held_on"] = [_("A round is held after its period starts.")]
    readable = readable_stories(viewer, territory)
    new = {story.pk for story in considered} - set(before.get("considered", []))
    wrong = [story for story in considered if story.pk in new and not _fits(story, period, domain)]
    if not considered:
        errors["considered"] = [_("Say which stories the panel considered.")]
    elif wrong or readable.filter(pk__in=new).count() != len(new):
        errors["considered"] = [_("Choose stories of this round's period and domain.")]
    if selection.selected_id is None:
        errors.setdefault("selected", []).append(_("Say which story the panel selected."))
    elif selection.selected_id not in {story.pk for story in considered}:
        errors.setdefault("selected", []).append(_("The panel selects one of the stories it considered."))
    new_members = {actor.pk for actor in panel_actors} - set(before.get("panel_actors", []))
    if new_members and nameable_actors(viewer, territory).filter(pk__in=new_members).count() != len(
        new_members
    ):
        errors["panel_actors"] = [_("Choose actors of this territory.")]
    return errors


def _fits(story: ChangeStory, period: ReportingPeriod | None, domain: ChangeDomain | None) -> bool:
    return (
        story.territory_id == (period.territory_id if period else None)
        and story.period_id == period.pk
        and (domain is None or story.domain_id == domain.pk)
    )


def round_create(
    *,
    actor: Any,
    territory: Territory,
    period: ReportingPeriod,
    panel: str,
    held_on: datetime.date,
    considered: Iterable[ChangeStory],
    selected: ChangeStory | None,
    reasons: str,
    dissent: str = "",
    domain: ChangeDomain | None = None,
    panel_actors: Iterable[Actor] = (),
    visibility: str = Visibility.PRIVATE,
) -> SelectionRound:
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    selection = SelectionRound(
        territory=territory,
        period=period,
        domain=domain,
        panel=panel.strip(),
        held_on=held_on,
        selected=selected,
        reasons=reasons.strip(),
        dissent=dissent.strip(),
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    considered, panel_actors = list(considered), list(panel_actors)
    if errors := _round_errors(actor, selection, considered, panel_actors, {}):
        raise ValidationError(errors)
    with transaction.atomic():
        selection.save()
        selection.considered.set(considered)
        selection.panel_actors.set(panel_actors)
        changes = changed_fields({}, _snapshot(selection, considered, panel_actors))
        audit_record(
            actor=actor,
            action="selection_round.create",
            obj=selection,
            scope=territory_scope(territory),
            changes=changes,
        )
    return selection


def round_update(*, actor: Any, selection: SelectionRound, **values: Any) -> SelectionRound:
    territory = selection.territory
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    before = _snapshot(selection)
    considered = values.pop("considered", None)
    panel_actors = values.pop("panel_actors", None)
    if "selected" in values:
        selection.selected = values.pop("selected")
    for name, value in values.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"selection rounds have no field {name!r}")
        setattr(selection, name, value.strip() if isinstance(value, str) else value)
    considered = list(considered) if considered is not None else list(selection.considered.all())
    panel_actors = list(panel_actors) if panel_actors is not None else list(selection.panel_actors.all())
    if errors := _round_errors(actor, selection, considered, panel_actors, before):
        selection.refresh_from_db()
        raise ValidationError(errors)
    hidden = list(selection.considered.exclude(pk__in=readable_stories(actor, territory).values("pk")))
    considered = list({story.pk: story for story in [*considered, *hidden]}.values())
    with transaction.atomic():
        selection.save()
        selection.considered.set(considered)
        selection.panel_actors.set(panel_actors)
        if changes := changed_fields(before, _snapshot(selection, considered, panel_actors)):
            audit_record(
                actor=actor,
                action="selection_round.update",
                obj=selection,
                scope=territory_scope(territory),
                changes=changes,
            )
    return selection


def round_delete(*, actor: Any, selection: SelectionRound) -> None:
    territory = selection.territory
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    with transaction.atomic():
        changes = changed_fields(_snapshot(selection), {})
        audit_record(
            actor=actor,
            action="selection_round.delete",
            obj=selection,
            scope=territory_scope(territory),
            changes=changes,
        )
        selection.delete()
