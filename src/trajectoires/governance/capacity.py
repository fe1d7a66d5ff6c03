"""The team's capacity to act (K7; F3): its trainings and training-actions, its organisation (the
DGS and the transverse expertise pole), and how far change-management training reaches the élus
and the agents. Reads go through the viewer's visibility; writes check the right, validate, write
and audit.

Rules of the input (nothing is written when one fails; each error names its field):

- a training lasts more than 0 hours and at most `MAX_TRAINING_HOURS` (200 h, about six weeks
  full time): a longer course is a cycle, recorded session by session;
- a training may be recorded ahead of its date, at most a year ahead (`FURTHEST_TRAINING`);
- participants, the DGS and the pole's members are actors of the territory the writer may read;
- the DGS is a person of the category « agent de la collectivité »: the director general of the
  services is an employee of the collectivity, not an élu nor an organisation;
- a pole with members, missions or services has a name;
- the services the pole links are one per line, blank lines dropped, each at most
  `MAX_SERVICE_LENGTH` characters.

The coverage of the trainings is read by `governance.capacity_coverage.training_coverage`.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import readable_actors
from trajectoires.cooperation.models import Actor, ActorKind
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.services import check_actors
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to
from trajectoires.territories.services import territory_scope

from .models import TeamStructure, Training
from .permissions import can_add_training, can_edit_team_structure, can_edit_training

TRAINING_FIELDS = (
    "title",
    "held_on",
    "hours",
    "organisation",
    "is_training_action",
    "change_management",
    "visibility",
)
STRUCTURE_FIELDS = ("dgs_role", "pole_name", "pole_missions", "pole_services", "visibility")
MAX_TRAINING_HOURS = Decimal(200)
FURTHEST_TRAINING = datetime.timedelta(days=365)
MAX_SERVICE_LENGTH = 200
DGS_CATEGORY = "agent"


# Reads -------------------------------------------------------------------------------------------


def territory_actors(viewer, territory: Territory) -> QuerySet[Actor]:
    """The actors a training or the pole may name: the territory's, as `viewer` may read them."""
    return readable_actors(viewer, territory).select_related("category").order_by("name", "id")


def dgs_candidates(viewer, territory: Territory) -> QuerySet[Actor]:
    """The actors who may be the DGS: persons of the agents' category."""
    return territory_actors(viewer, territory).filter(kind=ActorKind.PERSON, category__code=DGS_CATEGORY)


def trainings_of(viewer, territory: Territory) -> QuerySet[Training]:
    """The trainings `viewer` may read, latest first, each with the participants `viewer` may read
    (and their category)."""
    return (
        visible_to(Training.objects.filter(territory=territory), viewer)
        .select_related("territory")
        .prefetch_related(Prefetch("participants", queryset=territory_actors(viewer, territory)))
        .order_by("-held_on", "-id")
    )


def access_training(viewer, territory: Territory, pk: int) -> Training:
    """The training, or the same 404 whether it does not exist or `viewer` may not read it."""
    training = trainings_of(viewer, territory).filter(pk=pk).first()
    if training is None:
        raise Http404
    return training


def participants_by_category(training: Training) -> list[tuple[Any, list[Actor]]]:
    """The (prefetched) participants grouped by actor category, in the référentiel's order. By the
    category's code: actors written with different versions of the référentiel share one group."""
    groups: dict[str, tuple[Any, list[Actor]]] = {}
    for participant in training.participants.all():
        groups.setdefault(participant.category.code, (participant.category, []))[1].append(participant)
    return sorted(groups.values(), key=lambda group: group[0].position)


def team_structure_of(viewer, territory: Territory) -> TeamStructure | None:
    """The team's structure if `viewer` may read it, with the DGS and the pole's members `viewer`
    may read (`dgs_visible` says whether the DGS may be shown); None otherwise."""
    dgs_visible = Exists(visible_to(Actor.objects.filter(pk=OuterRef("dgs_id")), viewer))
    return (
        visible_to(TeamStructure.objects.filter(territory=territory), viewer)
        .select_related("territory", "dgs__category")
        .annotate(dgs_visible=dgs_visible)
        .prefetch_related(Prefetch("pole_members", queryset=territory_actors(viewer, territory)))
        .first()
    )


def shown_dgs(structure: TeamStructure | None) -> Actor | None:
    """The DGS, when the structure names one the viewer may read."""
    if structure is None or not getattr(structure, "dgs_visible", False):
        return None
    return structure.dgs


def service_lines(structure: TeamStructure) -> list[str]:
    return [line for line in structure.pole_services.splitlines() if line.strip()]


# Validation --------------------------------------------------------------------------------------


def format_date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _validated(instance: Any, rules) -> None:
    """`full_clean()` and the rules across fields, every error at once: `rules` receives the fields
    already found invalid and checks only the others."""
    try:
        instance.full_clean()
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    for field, messages in rules(set(errors)).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _training_rules(training: Training, invalid: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "hours" not in invalid and training.hours is not None:
        if training.hours <= 0:
            errors["hours"] = [_("A training lasts more than 0 hours.")]
        elif training.hours > MAX_TRAINING_HOURS:
            errors["hours"] = [
                _("A training lasts at most %(hours)s hours: record a longer course session by session.")
                % {"hours": MAX_TRAINING_HOURS}
            ]
    if "held_on" not in invalid and training.held_on is not None:
        latest = timezone.localdate() + FURTHEST_TRAINING
        if training.held_on > latest:
            errors["held_on"] = [
                _("A training is recorded at most a year ahead: on %(date)s at the latest.")
                % {"date": format_date(latest)}
            ]
    return errors


def _clean_services(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _may_be_dgs(actor: Actor) -> bool:
    return actor.kind == ActorKind.PERSON and actor.category.code == DGS_CATEGORY


def _structure_rules(structure: TeamStructure, members: list[Actor], invalid: set[str]) -> dict:
    errors: dict[str, list[str]] = {}
    dgs = structure.dgs
    if dgs is not None and "dgs" not in invalid and not _may_be_dgs(dgs):
        agents = referential_item("actor_category", DGS_CATEGORY)
        errors["dgs"] = [
            _("The DGS is a person of the category “%(category)s”.") % {"category": agents.label}
        ]
    if "pole_services" not in invalid:
        too_long = [line for line in service_lines(structure) if len(line) > MAX_SERVICE_LENGTH]
        if too_long:
            errors["pole_services"] = [
                _("One service per line, each of at most %(count)s characters.")
                % {"count": MAX_SERVICE_LENGTH}
            ]
    described = members or structure.pole_missions or structure.pole_services
    if described and not structure.pole_name and "pole_name" not in invalid:
        errors["pole_name"] = [_("Name the pole to give it members, missions or services.")]
    return errors


def _checked_actors(viewer, territory: Territory, actors: Iterable[Actor], field: str) -> list[Actor]:
    return list(check_actors(viewer, territory, actors, field=field))


# Trainings ---------------------------------------------------------------------------------------


def _training_snapshot(training: Training) -> dict[str, Any]:
    values = {field: getattr(training, field) for field in TRAINING_FIELDS}
    values["held_on"] = values["held_on"].isoformat() if values["held_on"] else None
    values["hours"] = str(values["hours"]) if values["hours"] is not None else None
    # Participants by id: a person's name is personal data, and the audit trail is never rewritten.
    saved = training.pk is not None
    values["participants"] = sorted(training.participants.values_list("pk", flat=True)) if saved else []
    return values


def _audit(actor: Any, action: str, record: Any, changes: dict[str, list[Any]]) -> None:
    audit_record(
        actor=actor, action=action, obj=record, scope=territory_scope(record.territory), changes=changes
    )


def _author(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _as_hours(value: Any) -> Any:
    try:
        return Decimal(str(value)) if value is not None and not isinstance(value, Decimal) else value
    except ArithmeticError:
        return value  # full_clean names it


def training_create(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    held_on: datetime.date,
    hours: Decimal,
    organisation: str = "",
    is_training_action: bool = False,
    change_management: bool = False,
    participants: Iterable[Actor] = (),
    visibility: str = Visibility.PRIVATE,
) -> Training:
    if not can_add_training(actor, territory):
        raise PermissionDenied
    training = Training(
        territory=territory,
        title=title.strip(),
        held_on=held_on,
        hours=_as_hours(hours),
        organisation=organisation.strip(),
        is_training_action=is_training_action,
        change_management=change_management,
        visibility=visibility,
        author=_author(actor),
    )
    _validated(training, lambda invalid: _training_rules(training, invalid))
    chosen = _checked_actors(actor, territory, participants, "participants")
    with transaction.atomic():
        training.save()
        training.participants.set(chosen)
        _audit(actor, "training.create", training, changed_fields({}, _training_snapshot(training)))
    return training


def training_update(*, actor: Any, training: Training, **values: Any) -> Training:
    """Change some of the training's fields and its participants; the participants the editor
    cannot read stay."""
    if not can_edit_training(actor, training):
        raise PermissionDenied
    before = _training_snapshot(training)
    chosen = values.pop("participants", None)
    for field, value in values.items():
        if field not in TRAINING_FIELDS:
            raise TypeError(f"trainings have no field {field!r}")
        value = _as_hours(value) if field == "hours" else value
        setattr(training, field, value.strip() if isinstance(value, str) else value)
    _validated(training, lambda invalid: _training_rules(training, invalid))
    participants = None
    if chosen is not None:
        participants = _checked_actors(actor, training.territory, chosen, "participants")
        visible = territory_actors(actor, training.territory).values("pk")
        participants += Actor.objects.filter(trainings=training).exclude(pk__in=visible)
    with transaction.atomic():
        training.save()
        if participants is not None:
            training.participants.set(participants)
        changes = changed_fields(before, _training_snapshot(training))
        if changes:
            _audit(actor, "training.update", training, changes)
    return training


def training_delete(*, actor: Any, training: Training) -> None:
    if not can_edit_training(actor, training):
        raise PermissionDenied
    with transaction.atomic():
        _audit(actor, "training.delete", training, changed_fields(_training_snapshot(training), {}))
        training.delete()


# The team's structure ----------------------------------------------------------------------------


def _structure_snapshot(structure: TeamStructure) -> dict[str, Any]:
    values = {field: getattr(structure, field) for field in STRUCTURE_FIELDS}
    values["dgs"] = structure.dgs_id
    saved = structure.pk is not None
    values["pole_members"] = sorted(structure.pole_members.values_list("pk", flat=True)) if saved else []
    return values


def team_structure_save(
    *,
    actor: Any,
    territory: Territory,
    dgs: Actor | None = None,
    dgs_role: str = "",
    pole_name: str = "",
    pole_missions: str = "",
    pole_services: str = "",
    pole_members: Iterable[Actor] = (),
    visibility: str = Visibility.PRIVATE,
) -> TeamStructure:
    """Write the whole structure of the team (created the first time)."""
    if not can_edit_team_structure(actor, territory):
        raise PermissionDenied
    structure = TeamStructure.objects.filter(territory=territory).first() or TeamStructure(
        territory=territory
    )
    before = _structure_snapshot(structure) if structure.pk else {}
    structure.dgs = dgs
    structure.dgs_role = dgs_role.strip()
    structure.pole_name = pole_name.strip()
    structure.pole_missions = pole_missions.strip()
    structure.pole_services = _clean_services(pole_services)
    structure.visibility = visibility
    structure.author = structure.author or _author(actor)
    members = list(pole_members)
    _validated(structure, lambda invalid: _structure_rules(structure, members, invalid))
    if dgs is not None:
        check_actors(actor, territory, [dgs], field="dgs")
    members = _checked_actors(actor, territory, members, "pole_members")
    action = "team_structure.update" if structure.pk else "team_structure.create"
    with transaction.atomic():
        structure.save()
        structure.pole_members.set(members)
        changes = changed_fields(before, _structure_snapshot(structure))
        if changes:
            _audit(actor, action, structure, changes)
    return structure
