"""Actions of the territory's trajectory (S5): reads through the viewer's visibility, and writes
that check the right, validate, write and audit.

Services of the administration are typed by name: a name is normalised (trimmed, inner spaces
collapsed) and matched case-insensitively to the territory's existing services, or created. A
service no action mentions any more is removed, so a typo does not stay in the suggestions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import kept_or_current
from trajectoires.steering.models import Orientation
from trajectoires.steering.narratives import readable_orientations, vision_orientations
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import Action, ActionStatus, Service
from .permissions import can_add_action, can_edit_action

ACTION_FIELDS = ("title", "description", "status", "starts_on", "ends_on", "budget", "visibility")
LINK_FIELDS = ("owner_service", "services", "orientations", "key_actions")
MAX_BUDGET = Decimal("1000000000")
SERVICE_NAME_LIMIT = Service._meta.get_field("name").max_length
ServiceLinks = Action.services.through
OrientationLinks = Action.orientations.through
KeyActionLinks = Action.key_actions.through
KEY_ACTION_GRID = "key_action"


# Reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFilters:
    """What the actions are narrowed to; empty values filter nothing."""

    status: str = ""
    service: int | None = None  # a service id: the action's owner or one of those involved
    key_action: str = ""  # a key action's code (K1…K10): it finds the actions holding it in any version

    @property
    def active(self) -> bool:
        return bool(self.status or self.service or self.key_action)


NO_FILTERS = ActionFilters()


def _filtered(actions: QuerySet[Action], filters: ActionFilters) -> QuerySet[Action]:
    # Subqueries rather than joins: an action matches once, whatever the number of its links.
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.service:
        involved = ServiceLinks.objects.filter(service_id=filters.service).values("action_id")
        actions = actions.filter(Q(owner_service_id=filters.service) | Q(pk__in=involved))
    if filters.key_action:
        # By code, so that an action tagged with an older version's row is found too (decision 0009).
        tagged = KeyActionLinks.objects.filter(
            item__grid__code=KEY_ACTION_GRID, item__code=filters.key_action
        ).values("action_id")
        actions = actions.filter(pk__in=tagged)
    return actions


def readable_actions(viewer, territory: Territory) -> QuerySet[Action]:
    """The territory's actions `viewer` may read (no order, nothing fetched)."""
    return visible_to(Action.objects.filter(territory=territory), viewer)


def actions_of(viewer, territory: Territory, filters: ActionFilters = NO_FILTERS) -> QuerySet[Action]:
    """The territory's actions `viewer` may read, by title, with their services, readable
    orientations and key actions fetched up front; `serves_any` says whether an action serves any
    orientation at all, readable or not."""
    actions = _filtered(readable_actions(viewer, territory), filters)
    return (
        actions.select_related("territory", "owner_service", "author")
        .annotate(serves_any=Exists(OrientationLinks.objects.filter(action_id=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("services", queryset=Service.objects.order_by("name", "id")),
            Prefetch("orientations", queryset=readable_orientations(viewer)),
            Prefetch("key_actions", queryset=Item.objects.order_by("position")),
        )
        .order_by("title", "id")
    )


def access_action(viewer, territory: Territory, pk: int) -> Action:
    """The action, or the same 404 whether it does not exist or `viewer` may not read it."""
    action = actions_of(viewer, territory).filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


def can_read_action(viewer, action: Action) -> bool:
    """Whether `viewer` reads the action (a contributor may write a private one, read by the team)."""
    return visible_to(Action.objects.filter(pk=action.pk), viewer).exists()


def services_of(viewer, territory: Territory) -> QuerySet[Service]:
    """The territory's services `viewer` may see: all of them for those who add actions (to
    suggest them), otherwise those of the actions `viewer` reads."""
    services = Service.objects.filter(territory=territory).order_by("name", "id")
    if can_add_action(viewer, territory):
        return services
    readable = readable_actions(viewer, territory)
    involved = ServiceLinks.objects.filter(action__in=readable).values("service_id")
    return services.filter(Q(pk__in=readable.values("owner_service_id")) | Q(pk__in=involved))


# Validation -----------------------------------------------------------------------------------


def normalise_service_name(name: str) -> str:
    """« Service  urbanisme » → « Service urbanisme »."""
    return " ".join(name.split())


def _checked_name(name: str, field: str) -> str:
    name = normalise_service_name(name)
    if len(name) > SERVICE_NAME_LIMIT:
        raise ValidationError(
            {
                field: [
                    _("“%(name)s…” is too long: a service name has at most %(limit)d characters.")
                    % {"name": name[:40].rstrip(), "limit": SERVICE_NAME_LIMIT}
                ]
            }
        )
    return name


def _service_names(owner: str, involved: Iterable[str]) -> tuple[str, list[str]]:
    """The owner's name and the other names, checked, without blanks or repeats (whatever their
    case); the owner is not repeated among those involved."""
    owner = _checked_name(owner or "", "owner_service")
    seen = {owner.casefold()} if owner else set()
    names = []
    for raw in involved:
        name = _checked_name(raw, "services")
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return owner, names


def _service_rows(territory: Territory, names: Iterable[str]) -> dict[str, Service]:
    """Each name's service of the territory, matched whatever its case, or created."""
    names = list(names)
    existing = {service.name.casefold(): service for service in Service.objects.filter(territory=territory)}
    rows = {}
    for name in names:
        key = name.casefold()
        if key not in existing:
            existing[key] = Service.objects.create(territory=territory, name=name)
        rows[name] = existing[key]
    return rows


def _drop_unused_services(territory: Territory) -> None:
    Service.objects.filter(territory=territory, owned_actions__isnull=True, actions__isnull=True).delete()


def _orientations(actor, territory: Territory, chosen: Iterable[Orientation], action: Action | None):
    """The chosen orientations, if all are of the territory's vision the actor reads; those the
    actor cannot read stay linked."""
    chosen = list(chosen)
    ids = {orientation.pk for orientation in chosen}
    allowed = set(vision_orientations(actor, territory).filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ValidationError({"orientations": [_("Choose orientations of this territory's vision.")]})
    if action is None:
        return chosen
    hidden = Orientation.objects.filter(actions=action).exclude(
        pk__in=vision_orientations(actor, territory).values("pk")
    )
    return chosen + list(hidden)


def _key_actions(chosen: Iterable[Item], action: Action | None = None) -> list[Item]:
    """The chosen key actions, if all are key actions of the référentiel (of any version). On an
    edit, one row per code: a code the action already holds keeps its row, whatever its version,
    and any other code takes the current version's row (decision 0009)."""
    chosen = list(chosen)
    ids = {item.pk for item in chosen}
    if ids and Item.objects.filter(pk__in=ids, grid__code=KEY_ACTION_GRID).count() != len(ids):
        raise ValidationError({"key_actions": [_("Choose key actions of the référentiel.")]})
    if action is None:
        return chosen
    codes = list(dict.fromkeys(item.code for item in chosen))
    return kept_or_current(KEY_ACTION_GRID, codes, action.key_actions.all())


def _check(action: Action) -> None:
    """Every rule of one action at once: the model's own, then budget and dates."""
    errors: dict[str, list[str]] = {}
    try:
        action.full_clean(exclude=["owner_service"])
    except ValidationError as error:
        errors = dict(error.message_dict)
    if "budget" not in errors and action.budget is not None:
        if action.budget < 0:
            errors["budget"] = [_("The budget cannot be negative.")]
        elif action.budget > MAX_BUDGET:
            errors["budget"] = [_("The budget cannot exceed 1,000,000,000 €.")]
    dated = not errors.keys() & {"starts_on", "ends_on"} and action.starts_on and action.ends_on
    if dated and action.ends_on < action.starts_on:
        errors["ends_on"] = [_("The end cannot come before the start.")]
    if errors:
        raise ValidationError(errors)


# Writes ---------------------------------------------------------------------------------------


def _snapshot(action: Action) -> dict[str, Any]:
    values = {field: getattr(action, field) for field in ACTION_FIELDS}
    for field in ("starts_on", "ends_on"):
        values[field] = values[field].isoformat() if values[field] else None
    budget = values["budget"]
    values["budget"] = str(Decimal(budget).quantize(Decimal("0.01"))) if budget is not None else None
    saved = action.pk is not None
    values["owner_service"] = action.owner_service.name if action.owner_service_id else None
    values["services"] = sorted(action.services.values_list("name", flat=True)) if saved else []
    values["orientations"] = sorted(action.orientations.values_list("pk", flat=True)) if saved else []
    values["key_actions"] = sorted(action.key_actions.values_list("code", flat=True)) if saved else []
    return values


def _services_for(territory: Territory, owner: str, involved: list[str]) -> tuple[Service | None, list]:
    rows = _service_rows(territory, ([owner] if owner else []) + involved)
    return (rows[owner] if owner else None), [rows[name] for name in involved]


def action_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    description: str = "",
    owner_service: str = "",
    services: Iterable[str] = (),
    status: str = ActionStatus.PLANNED,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    budget: Decimal | None = None,
    orientations: Iterable[Orientation] = (),
    key_actions: Iterable[Item] = (),
    visibility: str = Visibility.PRIVATE,
) -> Action:
    if not can_add_action(actor, territory):
        raise PermissionDenied
    action = Action(
        territory=territory,
        title=title.strip(),
        description=description.strip(),
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _check(action)
    owner, involved = _service_names(owner_service, services)
    linked = _orientations(actor, territory, orientations, None)
    tagged = _key_actions(key_actions)
    with transaction.atomic():
        action.owner_service, involved_rows = _services_for(territory, owner, involved)
        action.save()
        action.services.set(involved_rows)
        action.orientations.set(linked)
        action.key_actions.set(tagged)
        audit_record(
            actor=actor,
            action="action.create",
            obj=action,
            scope=territory_scope(territory),
            changes=changed_fields({}, _snapshot(action)),
        )
    return action


def _current_service_names(action: Action) -> tuple[str, list[str]]:
    owner = action.owner_service.name if action.owner_service_id else ""
    return owner, list(action.services.order_by("name").values_list("name", flat=True))


def action_update(*, actor: Any, action: Action, **values: Any) -> Action:
    """Change some of the action's fields and links; services are given by name."""
    if not can_edit_action(actor, action):
        raise PermissionDenied
    before = _snapshot(action)
    links = {name: values.pop(name) for name in LINK_FIELDS if name in values}
    for field, value in values.items():
        if field not in ACTION_FIELDS:
            raise TypeError(f"actions have no field {field!r}")
        setattr(action, field, value.strip() if isinstance(value, str) else value)
    _check(action)
    names = None
    if "owner_service" in links or "services" in links:
        owner, involved = _current_service_names(action)
        names = _service_names(links.get("owner_service", owner), links.get("services", involved))
    territory = action.territory
    linked = (
        _orientations(actor, territory, links["orientations"], action) if "orientations" in links else None
    )
    tagged = _key_actions(links["key_actions"], action) if "key_actions" in links else None
    with transaction.atomic():
        involved_rows = None
        if names is not None:
            action.owner_service, involved_rows = _services_for(territory, *names)
        action.save()
        if involved_rows is not None:
            action.services.set(involved_rows)
        if linked is not None:
            action.orientations.set(linked)
        if tagged is not None:
            action.key_actions.set(tagged)
        _drop_unused_services(territory)
        changes = changed_fields(before, _snapshot(action))
        if changes:
            audit_record(
                actor=actor,
                action="action.update",
                obj=action,
                scope=territory_scope(territory),
                changes=changes,
            )
    return action


def action_delete(*, actor: Any, action: Action) -> None:
    if not can_edit_action(actor, action):
        raise PermissionDenied
    territory = action.territory
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="action.delete",
            obj=action,
            scope=territory_scope(territory),
            changes=changed_fields(_snapshot(action), {}),
        )
        action.delete()
        _drop_unused_services(territory)
