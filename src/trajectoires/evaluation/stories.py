"""Stories of change (Most Significant Change): the territory defines its domains of change and its
reporting periods; stories are collected from the people who lived them; panels select, period by
period, the most significant one and say why; tellers get feedback; the team verifies stories.

Rules:
- the writers (admin, editor) define domains and periods, verify stories, give feedback and record
  selection rounds; admins, editors and contributors collect stories (a contributor changes their
  own);
- a story is told beyond the team only with its teller's consent; a teller who chose to be named
  is named (by name or as a person of the map); an anonymous teller is named to the team only;
- a selection round reads stories of its period (and of its domain when it has one) and selects
  one of the stories it considered;
- dates are those of things that happened: never in the future.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory, is_territory_team, visible_to
from trajectoires.territories.services import territory_scope

from .models import ChangeDomain, ChangeStory, ReportingPeriod
from .permissions import can_add_story, can_edit_story

STORY_FIELDS = (
    "period",
    "domain",
    "title",
    "teller_name",
    "teller",
    "anonymous",
    "consent_given",
    "collector",
    "collected_on",
    "what_happened",
    "why_significant",
    "visibility",
)


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


def _user(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> dict[str, list[str]]:
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _full_clean(record, exclude: list[str]) -> dict[str, list[str]]:
    try:
        record.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        return dict(error.message_dict)
    return {}


def _not_future(errors: dict, name: str, day: datetime.date | None, message: str) -> None:
    if name not in errors and day is not None and day > timezone.localdate():
        errors[name] = [message]


# Domains and periods -----------------------------------------------------------------------------


def territory_domains(territory: Territory) -> QuerySet[ChangeDomain]:
    return territory.change_domains.order_by("name")


def territory_periods(territory: Territory) -> QuerySet[ReportingPeriod]:
    return territory.reporting_periods.order_by("-starts_on", "-id")


def _unique_error(model, territory: Territory, field: str, value: str, pk: int | None, message: str) -> dict:
    others = model.objects.filter(territory=territory, **{f"{field}__iexact": value}).exclude(pk=pk)
    return {field: [message]} if value and others.exists() else {}


def domain_save(
    *, actor: Any, territory: Territory, name: str, description: str = "", domain=None
) -> ChangeDomain:
    """Create a domain of change, or rename and describe `domain`."""
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    record = domain or ChangeDomain(territory=territory)
    before = {"name": record.name, "description": record.description} if domain else {}
    record.name, record.description = name.strip(), description.strip()
    errors = _full_clean(record, ["territory"])
    errors = _merge(
        errors,
        _unique_error(
            ChangeDomain,
            territory,
            "name",
            record.name,
            record.pk,
            _("This territory already has a domain of change with this name."),
        ),
    )
    if errors:
        if domain:
            domain.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        record.save()
        if changes := changed_fields(before, {"name": record.name, "description": record.description}):
            _audit(
                actor,
                "change_domain.update" if domain else "change_domain.create",
                record,
                territory,
                changes,
            )
    return record


def period_save(
    *,
    actor: Any,
    territory: Territory,
    label: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    period=None,
) -> ReportingPeriod:
    """Create a reporting period, or change `period`."""
    if not can_write_in_territory(actor, territory):
        raise PermissionDenied
    record = period or ReportingPeriod(territory=territory)
    snapshot = lambda p: {"label": p.label, "starts_on": str(p.starts_on), "ends_on": str(p.ends_on)}  # noqa: E731
    before = snapshot(record) if period else {}
    record.label, record.starts_on, record.ends_on = label.strip(), starts_on, ends_on
    errors = _full_clean(record, ["territory"])
    errors = _merge(
        errors,
        _unique_error(
            ReportingPeriod,
            territory,
            "label",
            record.label,
            record.pk,
            _("This territory already has a reporting period with this label."),
        ),
    )
    if "ends_on" not in errors and starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("A period cannot end before it starts.")]
    if errors:
        if period:
            period.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        record.save()
        if changes := changed_fields(before, snapshot(record)):
            _audit(
                actor,
                "reporting_period.update" if period else "reporting_period.create",
                record,
                territory,
                changes,
            )
    return record


def domain_delete(*, actor: Any, domain: ChangeDomain) -> None:
    _delete_frame(
        actor,
        domain,
        "change_domain.delete",
        _("Stories or rounds belong to this domain: it cannot be deleted."),
    )


def period_delete(*, actor: Any, period: ReportingPeriod) -> None:
    _delete_frame(
        actor,
        period,
        "reporting_period.delete",
        _("Stories or rounds belong to this period: it cannot be deleted."),
    )


def _delete_frame(actor: Any, record, action: str, message: str) -> None:
    if not can_write_in_territory(actor, record.territory):
        raise PermissionDenied
    if record.stories.exists() or record.rounds.exists():
        raise ValidationError({"__all__": [message]})
    with transaction.atomic():
        _audit(actor, action, record, record.territory, changed_fields({"name": str(record)}, {}))
        record.delete()


# Stories: reads ----------------------------------------------------------------------------------


def readable_stories(viewer, territory: Territory) -> QuerySet[ChangeStory]:
    return visible_to(ChangeStory.objects.filter(territory=territory), viewer)


def story_list(
    viewer, territory: Territory, *, period: int | None = None, domain: int | None = None
) -> QuerySet[ChangeStory]:
    stories = readable_stories(viewer, territory).select_related("period", "domain", "teller")
    if period:
        stories = stories.filter(period_id=period)
    if domain:
        stories = stories.filter(domain_id=domain)
    return stories.order_by("-collected_on", "-id")


def access_story(viewer, territory: Territory, pk: int) -> ChangeStory:
    """The story, or the same 404 whether it does not exist or `viewer` may not read it."""
    story = story_list(viewer, territory).filter(pk=pk).select_related("territory", "author").first()
    if story is None:
        raise Http404
    return story


def teller_label(viewer, story: ChangeStory) -> str:
    """Who told the story, as `viewer` may know it: an anonymous teller is named to the team only."""
    named = story.teller.name if story.teller_id and story.teller.erased_at is None else story.teller_name
    if story.anonymous and not is_territory_team(viewer, story.territory):
        return _("Anonymous teller")
    return named or _("Anonymous teller")


# Stories: writes ---------------------------------------------------------------------------------


def _story_snapshot(story: ChangeStory, actors=None, actions=None) -> dict[str, Any]:
    values = {
        name: getattr(story, name)
        for name in STORY_FIELDS
        if name not in ("period", "domain", "teller", "collected_on")
    }
    values |= {"period": story.period_id, "domain": story.domain_id, "teller": story.teller_id}
    values["collected_on"] = story.collected_on.isoformat() if story.collected_on else None
    if story.anonymous:  # the trail keeps an anonymous teller's name no more than the page does
        values["teller_name"] = bool(story.teller_name)
    if actors is None:
        actors = story.actors.all() if story.pk else []
    if actions is None:
        actions = story.actions.all() if story.pk else []
    values["actors"] = sorted(actor.pk for actor in actors)
    values["actions"] = sorted(action.pk for action in actions)
    return values


def _story_errors(viewer, story: ChangeStory, before: dict, actors, actions) -> dict[str, list[str]]:
    territory = story.territory
    errors = _full_clean(story, ["territory", "period", "domain", "teller"])
    if story.period_id is None or story.period.territory_id != territory.pk:
        errors["period"] = [_("Choose a reporting period of this territory.")]
    if story.domain_id is None or story.domain.territory_id != territory.pk:
        errors["domain"] = [_("Choose a domain of change of this territory.")]
    _not_future(
        errors,
        "collected_on",
        story.collected_on,
        _("A story is collected once told: the date cannot be in the future."),
    )
    if story.visibility != Visibility.PRIVATE and not story.consent_given:
        errors.setdefault("visibility", []).append(
            _("A story is told beyond the team only with its teller’s consent.")
        )
    if not story.anonymous and not story.teller_name and not story.teller_id:
        errors.setdefault("teller_name", []).append(_("Name the teller, who chose not to stay anonymous."))
    nameable = nameable_actors(viewer, territory)
    if (
        story.teller_id
        and story.teller_id != before.get("teller")
        and not nameable.filter(pk=story.teller_id).exists()
    ):
        errors["teller"] = [_("Choose an actor of this territory.")]
    if actors is not None:
        new = {actor.pk for actor in actors} - set(before.get("actors", []))
        if new and nameable.filter(pk__in=new).count() != len(new):
            errors["actors"] = [_("Choose actors of this territory.")]
    if actions is not None:
        new = {action.pk for action in actions} - set(before.get("actions", []))
        if new and readable_actions(viewer, territory).filter(pk__in=new).count() != len(new):
            errors["actions"] = [_("Choose actions of this territory's trajectory.")]
    return errors


def _kept(viewer, story: ChangeStory, chosen, relation: str, readable: QuerySet) -> list:
    """The records `viewer` chose plus those linked that they cannot read (their edit keeps them)."""
    hidden = list(getattr(story, relation).exclude(pk__in=readable.values("pk")))
    return list({record.pk: record for record in [*chosen, *hidden]}.values())


def story_create(
    *,
    actor: Any,
    territory: Territory,
    actors: Iterable[Actor] = (),
    actions: Iterable[Action] = (),
    **values: Any,
) -> ChangeStory:
    if not can_add_story(actor, territory):
        raise PermissionDenied
    if unknown := set(values) - set(STORY_FIELDS):
        raise TypeError(f"stories have no field {sorted(unknown)!r}")
    story = ChangeStory(territory=territory, author=_user(actor))
    for name, value in values.items():
        setattr(story, name, value.strip() if isinstance(value, str) else value)
    chosen_actors, chosen_actions = list(actors), list(actions)
    if errors := _story_errors(actor, story, {}, chosen_actors, chosen_actions):
        raise ValidationError(errors)
    with transaction.atomic():
        story.save()
        story.actors.set(chosen_actors)
        story.actions.set(chosen_actions)
        _audit(
            actor,
            "change_story.create",
            story,
            territory,
            changed_fields({}, _story_snapshot(story, chosen_actors, chosen_actions)),
        )
    return story


def story_update(*, actor: Any, story: ChangeStory, **values: Any) -> ChangeStory:
    if not can_edit_story(actor, story):
        raise PermissionDenied
    before = _story_snapshot(story)
    actors, actions = values.pop("actors", None), values.pop("actions", None)
    actors = list(actors) if actors is not None else None
    actions = list(actions) if actions is not None else None
    for name, value in values.items():
        if name not in STORY_FIELDS:
            raise TypeError(f"stories have no field {name!r}")
        setattr(story, name, value.strip() if isinstance(value, str) else value)
    if errors := _story_errors(actor, story, before, actors, actions):
        story.refresh_from_db()
        raise ValidationError(errors)
    territory = story.territory
    with transaction.atomic():
        story.save()
        if actors is not None:
            actors = _kept(actor, story, actors, "actors", nameable_actors(actor, territory))
            story.actors.set(actors)
        if actions is not None:
            actions = _kept(actor, story, actions, "actions", readable_actions(actor, territory))
            story.actions.set(actions)
        if changes := changed_fields(before, _story_snapshot(story, actors, actions)):
            _audit(actor, "change_story.update", story, territory, changes)
    return story


def story_delete(*, actor: Any, story: ChangeStory) -> None:
    if not can_edit_story(actor, story):
        raise PermissionDenied
    if story.selected_in.exists():
        raise ValidationError(
            {"__all__": [_("A panel selected this story: delete the selection round first.")]}
        )
    with transaction.atomic():
        _audit(
            actor, "change_story.delete", story, story.territory, changed_fields(_story_snapshot(story), {})
        )
        story.delete()


def story_verify(
    *, actor: Any, story: ChangeStory, verified_on: datetime.date, verification: str
) -> ChangeStory:
    """Record how the team checked the story (a visit, a second witness, a document)."""
    return _follow_up(actor, story, "change_story.verify", verified_on=verified_on, verification=verification)


def story_feedback(*, actor: Any, story: ChangeStory, feedback: str, given_on: datetime.date) -> ChangeStory:
    """Record what the teller was told back: was their story selected, and what the panel said."""
    return _follow_up(actor, story, "change_story.feedback", feedback_given_on=given_on, feedback=feedback)


def _follow_up(actor: Any, story: ChangeStory, action: str, **values: Any) -> ChangeStory:
    if not can_write_in_territory(actor, story.territory):
        raise PermissionDenied
    (date_field, date), (text_field, text) = values.items()
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors[text_field] = [_("This field cannot be blank.")]
    if date is None:
        errors[date_field] = [_("This field cannot be blank.")]
    else:
        _not_future(errors, date_field, date, _("The date cannot be in the future."))
        if date_field not in errors and date < story.collected_on:
            errors[date_field] = [_("The date cannot come before the story was collected.")]
    if errors:
        raise ValidationError(errors)
    before = {date_field: str(getattr(story, date_field) or ""), text_field: getattr(story, text_field)}
    setattr(story, date_field, date)
    setattr(story, text_field, text.strip())
    with transaction.atomic():
        story.save(update_fields=[date_field, text_field, "updated_at"])
        _audit(
            actor,
            action,
            story,
            story.territory,
            changed_fields(before, {date_field: str(date), text_field: getattr(story, text_field)}),
        )
    return story
