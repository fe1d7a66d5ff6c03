"""What the instruction of a controversy gathers: the parties and their positions, the expertise,
the versions of the état de la controverse and their co-signatures, and the follow-up actions.
Each write checks the right and the stage, validates, writes and audits.

- Parties and expertise are added until the decision is taken (then they are history; reopening
  the controversy opens them again). A party is an actor of the territory's map that the author
  may read, or a named group of inhabitants — not both, and not twice.
- The état de la controverse is written during the instruction and the deliberation. A version is
  never rewritten: a new version carries the next number. It is co-signed by parties of the
  controversy — recorded by the team, or signed by a party's own platform account.
- Follow-up actions are planned once the decision is taken, and marked done with their date.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import changed_fields

from .controversies import audit_controversy
from .controversy_lifecycle import SETTLED, Stage
from .models import Controversy, Expertise, FollowUp, Party, StateOfControversy
from .permissions import can_add_expertise, can_add_party, can_edit_party, can_steer_controversy

PARTY_FIELDS = ("group_name", "contact_email", "position", "arguments", "sources", "declared_interests")
EXPERTISE_FIELDS = ("kind", "title", "summary", "source")
WRITING_STAGES = (Stage.INSTRUCTING, Stage.DELIBERATING)


def _author(actor: Any):
    return actor if getattr(actor, "is_authenticated", False) else None


def _full_clean(record, exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    try:
        record.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        return error.message_dict
    return {}


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _open_for_instruction(controversy: Controversy, field: str) -> dict[str, list[str]]:
    if controversy.stage in SETTLED:
        return {field: [_("The decision is taken: reopen the controversy to add to its instruction.")]}
    return {}


# Parties -----------------------------------------------------------------------------------------


def _party_snapshot(party: Party) -> dict[str, Any]:
    values = {field: getattr(party, field) for field in PARTY_FIELDS}
    values["actor"] = party.actor_id
    return values


def _nameable(viewer: Any, controversy: Controversy, actor_id: int) -> bool:
    return nameable_actors(viewer, controversy.territory).filter(pk=actor_id).exists()


def _party_errors(actor: Any, party: Party, actor_before: int | None) -> dict[str, list[str]]:
    errors = _full_clean(party, exclude=["controversy", "actor"])
    controversy = party.controversy
    if (party.actor_id is None) == (not party.group_name):
        errors.setdefault("actor", []).append(
            _("Choose an actor of the map or name a group of inhabitants (one of the two).")
        )
    elif party.actor_id not in (None, actor_before) and not _nameable(actor, controversy, party.actor_id):
        errors.setdefault("actor", []).append(_("Choose an actor of this territory."))
    if party.actor_id is not None and party.contact_email:
        errors.setdefault("contact_email", []).append(
            _("An actor is written to at its address in the map: leave this empty.")
        )
    duplicate = Party.objects.filter(controversy=controversy).exclude(pk=party.pk)
    if party.actor_id is not None and duplicate.filter(actor_id=party.actor_id).exists():
        errors.setdefault("actor", []).append(_("This actor is already a party."))
    if party.group_name and duplicate.filter(group_name__iexact=party.group_name).exists():
        errors.setdefault("group_name", []).append(_("This group is already a party."))
    for field, messages in _open_for_instruction(controversy, "position").items():
        errors.setdefault(field, []).extend(messages)
    return errors


def _saved_party(actor: Any, party: Party, action: str, before: dict[str, Any]) -> Party:
    try:
        with transaction.atomic():
            party.save()
            changes = changed_fields(before, _party_snapshot(party))
            if changes:
                audit_controversy(actor, action, party, party.controversy, changes)
    except IntegrityError:  # the same party added twice at the same moment
        raise ValidationError({"actor": [_("This party is already recorded.")]}) from None
    return party


def party_add(
    *,
    actor: Any,
    controversy: Controversy,
    position: str,
    actor_record: Actor | None = None,
    group_name: str = "",
    contact_email: str = "",
    arguments: str = "",
    sources: str = "",
    declared_interests: str = "",
) -> Party:
    """A party — an actor of the map or a group of inhabitants — with its position."""
    if not can_add_party(actor, controversy.territory):
        raise PermissionDenied
    party = Party(
        controversy=controversy,
        actor=actor_record,
        group_name=group_name.strip(),
        contact_email=contact_email.strip(),
        position=position.strip(),
        arguments=arguments.strip(),
        sources=sources.strip(),
        declared_interests=declared_interests.strip(),
        author=_author(actor),
    )
    _raise(_party_errors(actor, party, None))
    return _saved_party(actor, party, "party.create", {})


def party_update(*, actor: Any, party: Party, **values: Any) -> Party:
    """Change a party's position (its arguments, sources, interests) or who it is."""
    if not can_edit_party(actor, party):
        raise PermissionDenied
    before = _party_snapshot(party)
    for field, value in values.items():
        if field == "actor_record":
            party.actor = value
        elif field in PARTY_FIELDS:
            setattr(party, field, value.strip() if isinstance(value, str) else value)
        else:
            raise TypeError(f"parties have no field {field!r}")
    _raise(_party_errors(actor, party, before["actor"]))
    return _saved_party(actor, party, "party.update", before)


def party_delete(*, actor: Any, party: Party) -> None:
    if not can_edit_party(actor, party):
        raise PermissionDenied
    _raise(_open_for_instruction(party.controversy, "position"))
    with transaction.atomic():
        audit_controversy(
            actor, "party.delete", party, party.controversy, changed_fields(_party_snapshot(party), {})
        )
        party.delete()


def access_party(controversy: Controversy, pk: int) -> Party:
    """A party of a controversy the viewer reads, or a 404."""
    party = (
        controversy.parties.select_related("actor__category", "controversy__territory").filter(pk=pk).first()
    )
    if party is None:
        raise Http404
    return party


# Expertise ---------------------------------------------------------------------------------------


def expertise_add(
    *,
    actor: Any,
    controversy: Controversy,
    kind: str,
    title: str,
    dated: datetime.date,
    summary: str,
    source: str = "",
) -> Expertise:
    """A document or a hearing gathered by the instruction; never dated in the future."""
    if not can_add_expertise(actor, controversy.territory):
        raise PermissionDenied
    expertise = Expertise(
        controversy=controversy,
        kind=kind,
        title=title.strip(),
        dated=dated,
        summary=summary.strip(),
        source=source.strip(),
        recorded_by=_author(actor),
    )
    errors = _full_clean(expertise, exclude=["controversy"])
    if "dated" not in errors and dated > timezone.localdate():
        errors["dated"] = [_("Expertise is recorded once gathered: the date cannot be in the future.")]
    for field, messages in _open_for_instruction(controversy, "title").items():
        errors.setdefault(field, []).extend(messages)
    _raise(errors)
    with transaction.atomic():
        expertise.save()
        snapshot = {field: getattr(expertise, field) for field in EXPERTISE_FIELDS} | {
            "dated": dated.isoformat()
        }
        audit_controversy(actor, "expertise.create", expertise, controversy, changed_fields({}, snapshot))
    return expertise


# The état de la controverse ----------------------------------------------------------------------


def _signatory_errors(controversy: Controversy, signatories: list[Party]) -> dict[str, list[str]]:
    if any(party.controversy_id != controversy.pk for party in signatories):
        return {"signatories": [_("Choose parties of this controversy.")]}
    return {}


def state_write(
    *,
    actor: Any,
    controversy: Controversy,
    statement: str,
    minority_view: str = "",
    signatories: Iterable[Party] = (),
) -> StateOfControversy:
    """A new version of the état de la controverse, numbered after the last one."""
    if not can_steer_controversy(actor, controversy):
        raise PermissionDenied
    chosen = list(signatories)
    state = StateOfControversy(
        controversy=controversy,
        number=1,
        statement=statement.strip(),
        minority_view=minority_view.strip(),
        written_by=_author(actor),
    )
    errors = _full_clean(state, exclude=["controversy", "number"]) | _signatory_errors(controversy, chosen)
    if controversy.stage not in WRITING_STAGES:
        errors.setdefault("statement", []).append(
            _("The état de la controverse is written while it is instructed or deliberated.")
        )
    _raise(errors)
    with transaction.atomic():
        # Lock the controversy so that two versions written at once get two numbers.
        Controversy.objects.select_for_update().filter(pk=controversy.pk).first()
        last = controversy.states.aggregate(last=Max("number"))["last"] or 0
        state.number = last + 1
        state.save()
        state.signatories.set(chosen)
        snapshot = {
            "number": state.number,
            "statement": state.statement,
            "minority_view": state.minority_view,
            "signatories": sorted(party.pk for party in chosen),
        }
        audit_controversy(actor, "controversy_state.create", state, controversy, changed_fields({}, snapshot))
    return state


def can_cosign(user, state: StateOfControversy, party: Party) -> bool:
    """The team records any party's signature; a party's own account signs for it."""
    if can_steer_controversy(user, state.controversy):
        return True
    return (
        party.actor_id is not None
        and party.actor.user_id is not None
        and party.actor.user_id == getattr(user, "pk", None)
    )


def state_cosign(*, actor: Any, state: StateOfControversy, party: Party) -> StateOfControversy:
    """Record that `party` co-signs this version — the latest one, while the controversy is open."""
    controversy = state.controversy
    if party.controversy_id != controversy.pk:
        raise Http404
    if not can_cosign(actor, state, party):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    latest = controversy.states.aggregate(last=Max("number"))["last"]
    if state.number != latest:
        errors["party"] = [_("Only the latest version of the état de la controverse can be co-signed.")]
    elif controversy.stage in SETTLED:
        errors["party"] = [_("The decision is taken: the état de la controverse is history.")]
    elif state.signatories.filter(pk=party.pk).exists():
        errors["party"] = [_("This party already co-signed this version.")]
    _raise(errors)
    with transaction.atomic():
        state.signatories.add(party)
        audit_controversy(
            actor, "controversy_state.cosign", state, controversy, {"signatories": [None, party.pk]}
        )
    return state


def access_state(controversy: Controversy, number: int) -> StateOfControversy:
    state = controversy.states.select_related("controversy__territory").filter(number=number).first()
    if state is None:
        raise Http404
    return state


# Follow-up ---------------------------------------------------------------------------------------


def follow_up_add(*, actor: Any, controversy: Controversy, action: str, due_on: datetime.date) -> FollowUp:
    """A follow-up action of the decision, once it is taken."""
    if not can_steer_controversy(actor, controversy):
        raise PermissionDenied
    follow_up = FollowUp(
        controversy=controversy, action=action.strip(), due_on=due_on, recorded_by=_author(actor)
    )
    errors = _full_clean(follow_up, exclude=["controversy"])
    if controversy.stage not in SETTLED:
        errors.setdefault("action", []).append(_("Follow-up actions are planned once the decision is taken."))
    _raise(errors)
    with transaction.atomic():
        follow_up.save()
        snapshot = {"action": follow_up.action, "due_on": due_on.isoformat()}
        audit_controversy(actor, "follow_up.create", follow_up, controversy, changed_fields({}, snapshot))
    return follow_up


def follow_up_done(*, actor: Any, follow_up: FollowUp, done_on: datetime.date | None) -> FollowUp:
    """Mark the action done on `done_on` (not in the future), or not done (None)."""
    controversy = follow_up.controversy
    if not can_steer_controversy(actor, controversy):
        raise PermissionDenied
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("An action is marked done once done: not in the future.")]})
    before = {"done_on": follow_up.done_on.isoformat() if follow_up.done_on else None}
    follow_up.done_on = done_on
    with transaction.atomic():
        follow_up.save(update_fields=["done_on"])
        after = {"done_on": done_on.isoformat() if done_on else None}
        if changes := changed_fields(before, after):
            audit_controversy(actor, "follow_up.update", follow_up, controversy, changes)
    return follow_up


def access_follow_up(controversy: Controversy, pk: int) -> FollowUp:
    follow_up = controversy.follow_ups.select_related("controversy__territory").filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up
