"""Outcome harvesting: the changes observed in others and the territory's contribution to them,
substantiated by independent people. Reads through the viewer's visibility; writes that check the
right, validate, write and audit.

Rules of an outcome:
- it is observed, not planned: its date is never in the future;
- "who changed" is always written; it may also name an actor of the territory's map that the
  harvester may read;
- its actions are actions of the territory's trajectory that the harvester may read (those they
  may not read stay when they edit it).

Rules of a substantiation (it reads as its outcome):
- the independent person is an actor of the territory's map, never the harvester themselves (an
  actor whose platform account is the outcome's author), and gives one view per outcome;
- it is given after the outcome was observed, and never in the future.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Agreement, Outcome, Substantiation
from .permissions import can_add_outcome, can_edit_outcome, can_substantiate

OUTCOME_FIELDS = (
    "who",
    "change_kind",
    "description",
    "observed_on",
    "place",
    "significance",
    "contribution",
    "intended",
    "valence",
    "visibility",
)


# Reads -------------------------------------------------------------------------------------------


def readable_outcomes(viewer, territory: Territory) -> QuerySet[Outcome]:
    return visible_to(Outcome.objects.filter(territory=territory), viewer)


def outcome_list(
    viewer,
    territory: Territory,
    *,
    change_kind: str = "",
    valence: str = "",
    intended: bool | None = None,
) -> QuerySet[Outcome]:
    """The outcomes `viewer` may read, latest first, optionally of one kind of change, one valence,
    intended or not; each with its number of substantiations and of those who agree."""
    outcomes = readable_outcomes(viewer, territory)
    if change_kind:
        outcomes = outcomes.filter(change_kind=change_kind)
    if valence:
        outcomes = outcomes.filter(valence=valence)
    if intended is not None:
        outcomes = outcomes.filter(intended=intended)
    return outcomes.annotate(
        substantiation_count=Count("substantiations", distinct=True),
        agreeing_count=Count(
            "substantiations", filter=Q(substantiations__agreement=Agreement.AGREES), distinct=True
        ),
    ).order_by("-observed_on", "-id")


def access_outcome(viewer, territory: Territory, pk: int) -> Outcome:
    """The outcome, or the same 404 whether it does not exist or `viewer` may not read it."""
    outcome = readable_outcomes(viewer, territory).filter(pk=pk).select_related("territory", "author").first()
    if outcome is None:
        raise Http404
    return outcome


@dataclass(frozen=True)
class SubstantiationView:
    substantiation: Substantiation
    person: ActorView | None  # None once the actor left the map

    @property
    def label(self) -> str:
        return self.person.label if self.person is not None else _("Former actor of the map")


@dataclass(frozen=True)
class OutcomePage:
    outcome: Outcome
    actor: ActorView | None
    actions: list[Action]  # those `viewer` may read
    substantiations: list[SubstantiationView]

    @property
    def agreement_counts(self) -> list[tuple[str, str, int]]:
        """(agreement, label, number of views), in the scale's order."""
        counted: dict[str, int] = {}
        for view in self.substantiations:
            counted[view.substantiation.agreement] = counted.get(view.substantiation.agreement, 0) + 1
        return [(choice.value, choice.label, counted.get(choice.value, 0)) for choice in Agreement]


def outcome_page(viewer, territory: Territory, pk: int) -> OutcomePage:
    """The outcome with its actor, its actions and its substantiations, in the same number of
    queries whatever their numbers."""
    outcome = access_outcome(viewer, territory, pk)
    readable = readable_actor_ids(viewer, territory.pk)
    actor = None
    if outcome.actor_id:
        actor = ActorView.of(Actor.objects.select_related("category").get(pk=outcome.actor_id), readable)
    substantiations = outcome.substantiations.select_related("substantiator__category").order_by(
        "given_on", "id"
    )
    return OutcomePage(
        outcome=outcome,
        actor=actor,
        actions=list(readable_actions(viewer, territory).filter(outcomes=outcome).order_by("title")),
        substantiations=[
            SubstantiationView(
                item, ActorView.of(item.substantiator, readable) if item.substantiator else None
            )
            for item in substantiations
        ],
    )


# Writes ------------------------------------------------------------------------------------------


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


def _snapshot(outcome: Outcome, actions: Iterable[Action] | None = None) -> dict[str, Any]:
    values = {field: getattr(outcome, field) for field in OUTCOME_FIELDS}
    values["observed_on"] = outcome.observed_on.isoformat() if outcome.observed_on else None
    values["actor"] = outcome.actor_id
    if actions is None:
        actions = outcome.actions.all() if outcome.pk else []
    values["actions"] = sorted(action.pk for action in actions)
    return values


def _link_errors(viewer, outcome: Outcome, before: dict[str, Any], actions: list[Action] | None) -> dict:
    errors: dict[str, list[str]] = {}
    territory = outcome.territory
    changed_actor = outcome.actor_id and outcome.actor_id != before.get("actor")
    if changed_actor and not nameable_actors(viewer, territory).filter(pk=outcome.actor_id).exists():
        errors["actor"] = [_("Choose an actor of this territory.")]
    if actions is not None:
        kept = set(before.get("actions", []))
        new = {action.pk for action in actions} - kept
        readable = set(readable_actions(viewer, territory).filter(pk__in=new).values_list("pk", flat=True))
        if new - readable:
            errors["actions"] = [_("Choose actions of this territory's trajectory.")]
    return errors


def _validate(viewer, outcome: Outcome, before: dict[str, Any], actions: list[Action] | None) -> None:
    try:
        outcome.full_clean(exclude=["territory", "actor"])
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    if "observed_on" not in errors and outcome.observed_on > timezone.localdate():
        errors["observed_on"] = [
            _("An outcome is harvested once observed: the date cannot be in the future.")
        ]
    for field, messages in _link_errors(viewer, outcome, before, actions).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _hidden_actions(viewer, outcome: Outcome) -> list[Action]:
    """Actions linked to the outcome that `viewer` cannot read: their edit keeps them."""
    readable = readable_actions(viewer, outcome.territory).values("pk")
    return list(outcome.actions.exclude(pk__in=readable))


def outcome_create(
    *,
    actor: Any,
    territory: Territory,
    who: str,
    change_kind: str,
    description: str,
    observed_on: datetime.date,
    significance: str,
    contribution: str,
    valence: str,
    intended: bool = True,
    place: str = "",
    actor_record: Actor | None = None,
    actions: Iterable[Action] = (),
    visibility: str = Visibility.PRIVATE,
) -> Outcome:
    """Harvest an outcome; its author is the harvester."""
    if not can_add_outcome(actor, territory):
        raise PermissionDenied
    outcome = Outcome(
        territory=territory,
        who=who.strip(),
        actor=actor_record,
        change_kind=change_kind,
        description=description.strip(),
        observed_on=observed_on,
        place=place.strip(),
        significance=significance.strip(),
        contribution=contribution.strip(),
        intended=intended,
        valence=valence,
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    chosen = list(actions)
    _validate(actor, outcome, {}, chosen)
    with transaction.atomic():
        outcome.save()
        outcome.actions.set(chosen)
        _audit(actor, "outcome.create", outcome, territory, changed_fields({}, _snapshot(outcome, chosen)))
    return outcome


def outcome_update(*, actor: Any, outcome: Outcome, **values: Any) -> Outcome:
    if not can_edit_outcome(actor, outcome):
        raise PermissionDenied
    before = _snapshot(outcome)
    actions = values.pop("actions", None)
    chosen = list(actions) if actions is not None else None
    for field, value in values.items():
        if field == "actor_record":
            outcome.actor = value
        elif field in OUTCOME_FIELDS:
            setattr(outcome, field, value.strip() if isinstance(value, str) else value)
        else:
            raise TypeError(f"outcomes have no field {field!r}")
    try:
        _validate(actor, outcome, before, chosen)
    except ValidationError:
        outcome.refresh_from_db()  # the caller's object keeps what is stored, not what was refused
        raise
    if chosen is not None:
        chosen = list({action.pk: action for action in [*chosen, *_hidden_actions(actor, outcome)]}.values())
    with transaction.atomic():
        outcome.save()
        if chosen is not None:
            outcome.actions.set(chosen)
        if changes := changed_fields(before, _snapshot(outcome, chosen)):
            _audit(actor, "outcome.update", outcome, outcome.territory, changes)
    return outcome


def outcome_delete(*, actor: Any, outcome: Outcome) -> None:
    if not can_edit_outcome(actor, outcome):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "outcome.delete", outcome, outcome.territory, changed_fields(_snapshot(outcome), {}))
        outcome.delete()


def substantiation_add(
    *,
    actor: Any,
    outcome: Outcome,
    substantiator: Actor,
    agreement: str,
    comment: str,
    given_on: datetime.date,
) -> Substantiation:
    """An independent person's view of the outcome."""
    if not can_substantiate(actor, outcome.territory):
        raise PermissionDenied
    substantiation = Substantiation(
        outcome=outcome,
        substantiator=substantiator,
        agreement=agreement,
        comment=comment.strip(),
        given_on=given_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        substantiation.full_clean(exclude=["outcome", "substantiator"], validate_constraints=False)
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    for field, messages in _substantiation_errors(actor, substantiation).items():
        errors.setdefault(field, []).extend(messages)
    if "given_on" not in errors and given_on > timezone.localdate():
        errors["given_on"] = [_("A view is recorded once given: the date cannot be in the future.")]
    elif "given_on" not in errors and given_on < outcome.observed_on:
        errors["given_on"] = [_("A view is given after the outcome was observed.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            substantiation.save()
            snapshot = {
                "outcome": outcome.pk,
                "substantiator": substantiator.pk,
                "agreement": agreement,
                "comment": substantiation.comment,
                "given_on": given_on.isoformat(),
            }
            _audit(
                actor,
                "substantiation.create",
                substantiation,
                outcome.territory,
                changed_fields({}, snapshot),
            )
    except IntegrityError:  # the same person's view recorded twice at the same moment
        raise ValidationError(
            {"substantiator": [_("This person already gave a view of this outcome.")]}
        ) from None
    return substantiation


def _substantiation_errors(viewer, substantiation: Substantiation) -> dict[str, list[str]]:
    outcome, person = substantiation.outcome, substantiation.substantiator
    if person is None or not nameable_actors(viewer, outcome.territory).filter(pk=person.pk).exists():
        return {"substantiator": [_("Choose an actor of this territory.")]}
    if person.user_id is not None and person.user_id == outcome.author_id:
        return {
            "substantiator": [
                _("The harvester cannot substantiate their own outcome: ask someone independent.")
            ]
        }
    if outcome.substantiations.filter(substantiator=person).exists():
        return {"substantiator": [_("This person already gave a view of this outcome.")]}
    return {}
