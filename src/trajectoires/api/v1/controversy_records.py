"""What the instruction of a controversy gathers, in the API: its parties and their positions, the
expertise, the versions of the état de la controverse and their co-signatures, and the follow-up of
the decision — with the rules of `governance.controversy_records` and the rights of the pages (see
`controversies`): a caller who may not read the controversy, or not do this, gets a 404.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.governance.controversies import PartyView, access_controversy
from trajectoires.governance.controversy_records import (
    access_follow_up,
    access_party,
    access_state,
    can_cosign,
    expertise_add,
    follow_up_add,
    follow_up_done,
    party_add,
    party_delete,
    party_update,
    state_cosign,
    state_write,
)
from trajectoires.governance.models import Controversy, ExpertiseKind, Party
from trajectoires.governance.permissions import (
    can_add_expertise,
    can_add_party,
    can_edit_party,
    can_steer_controversy,
)
from trajectoires.territories.selectors import territory_get

from .auth import SIGNED_IN
from .controversies import (
    ONE,
    SUBJECT,
    WRITE_ERRORS,
    ExpertiseOut,
    FollowUpOut,
    PartyOut,
    StateOut,
    expertise_out,
    follow_up_out,
    party_out,
    state_out,
    steered_controversy,
)
from .errors import error_responses, invalid, service_call

router = Router(tags=["controversies"])


class PartyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    actor: int | None = Field(None, description="The id of an actor of the map — or name a group.")
    group_name: str = Field("", json_schema_extra={"maxLength": 200})
    contact_email: str = Field("", description="A group's address, for the stage notifications.")
    position: str = Field(json_schema_extra={"minLength": 1})
    arguments: str = ""
    sources: list[str] = Field(default_factory=list)
    declared_interests: str = ""


class PartyPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    actor: int | None = None
    group_name: str | None = Field(None, json_schema_extra={"maxLength": 200})
    contact_email: str | None = None
    position: str | None = None
    arguments: str | None = None
    sources: list[str] | None = None
    declared_interests: str | None = None


class ExpertiseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ExpertiseKind
    title: str = Field(json_schema_extra=SUBJECT)
    dated: datetime.date = Field(description="Not in the future.")
    summary: str = Field(json_schema_extra={"minLength": 1})
    source: str = Field("", json_schema_extra={"maxLength": 500})


class StateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    statement: str = Field(json_schema_extra={"minLength": 1})
    minority_view: str = ""
    signatories: list[int] = Field(default_factory=list, description="Ids of parties of the controversy.")


class SignatureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    party: int = Field(description="The id of the party who co-signs.")


class FollowUpIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: str = Field(json_schema_extra={"minLength": 1, "maxLength": 300})
    due_on: datetime.date


class FollowUpDoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done_on: datetime.date | None = Field(description="When it was done (not in the future); null: not done.")


def _party_answer(viewer, controversy: Controversy, party: Party) -> dict[str, Any]:
    party = access_party(controversy, party.pk)
    actor = (
        ActorView.of(party.actor, readable_actor_ids(viewer, controversy.territory_id))
        if party.actor_id
        else None
    )
    return party_out(PartyView(party, actor), can_steer_controversy(viewer, controversy))


def _party_values(sent: dict[str, Any]) -> dict[str, Any]:
    """Ids and lists as the services take them: the actor as a record, the sources one per line."""
    if "actor" in sent:
        actor_id = sent.pop("actor")
        sent["actor_record"] = Actor.objects.filter(pk=actor_id).first() if actor_id is not None else None
        if actor_id is not None and sent["actor_record"] is None:
            raise invalid({"actor": [_("Choose an actor of this territory.")]})
    if "sources" in sent:
        sent["sources"] = "\n".join(sent["sources"] or [])
    return sent


def _signatories(controversy: Controversy, ids: list[int]) -> list[Party]:
    found = controversy.parties.in_bulk(ids)
    if any(pk not in found for pk in ids):
        raise invalid({"signatories": [_("Choose parties of this controversy.")]})
    return [found[pk] for pk in dict.fromkeys(ids)]


# What the instruction gathers --------------------------------------------------------------------


@router.post(
    ONE + "/parties",
    auth=SIGNED_IN,
    response={201: PartyOut, **WRITE_ERRORS},
    summary="Add a party — an actor of the map or a group of inhabitants — and its position "
    "(admins, editors, contributors)",
)
def add_party(request: HttpRequest, slug: str, pk: int, payload: PartyIn):
    controversy = access_controversy(request.user, territory_get(slug), pk)
    if not can_add_party(request.user, controversy.territory):
        raise Http404
    values = _party_values(payload.model_dump())
    party = service_call(lambda: party_add(actor=request.user, controversy=controversy, **values))
    return Status(201, _party_answer(request.user, controversy, party))


@router.patch(
    ONE + "/parties/{int:party}",
    auth=SIGNED_IN,
    response={200: PartyOut, **WRITE_ERRORS},
    summary="Change a party's position or who it is (admins, editors, the contributor who added it)",
)
def update_party(request: HttpRequest, slug: str, pk: int, party: int, payload: PartyPatch):
    controversy = access_controversy(request.user, territory_get(slug), pk)
    record = access_party(controversy, party)
    if not can_edit_party(request.user, record):
        raise Http404
    values = _party_values(payload.model_dump(exclude_unset=True))
    service_call(lambda: party_update(actor=request.user, party=record, **values))
    return _party_answer(request.user, controversy, record)


@router.delete(
    ONE + "/parties/{int:party}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Remove a party, until the decision is taken (admins, editors, the contributor who added it)",
)
def delete_party(request: HttpRequest, slug: str, pk: int, party: int):
    record = access_party(access_controversy(request.user, territory_get(slug), pk), party)
    service_call(lambda: party_delete(actor=request.user, party=record))
    return Status(204, None)


@router.post(
    ONE + "/expertise",
    auth=SIGNED_IN,
    response={201: ExpertiseOut, **WRITE_ERRORS},
    summary="Record a document or a hearing gathered by the instruction (admins, editors, contributors)",
)
def add_expertise(request: HttpRequest, slug: str, pk: int, payload: ExpertiseIn):
    controversy = access_controversy(request.user, territory_get(slug), pk)
    if not can_add_expertise(request.user, controversy.territory):
        raise Http404
    expertise = service_call(
        lambda: expertise_add(actor=request.user, controversy=controversy, **payload.model_dump())
    )
    return Status(201, expertise_out(expertise))


@router.post(
    ONE + "/states",
    auth=SIGNED_IN,
    response={201: StateOut, **WRITE_ERRORS},
    summary="Write a new version of the état de la controverse (admins, editors)",
)
def write_state(request: HttpRequest, slug: str, pk: int, payload: StateIn):
    controversy = steered_controversy(request, slug, pk)
    signatories = _signatories(controversy, payload.signatories)
    state = service_call(
        lambda: state_write(
            actor=request.user,
            controversy=controversy,
            statement=payload.statement,
            minority_view=payload.minority_view,
            signatories=signatories,
        )
    )
    return Status(201, state_out(state))


@router.post(
    ONE + "/states/{int:number}/signatures",
    auth=SIGNED_IN,
    response={201: StateOut, **WRITE_ERRORS},
    summary="Co-sign the latest version of the état de la controverse for a party "
    "(admins and editors record it; a party's own account signs for it)",
)
def cosign_state(request: HttpRequest, slug: str, pk: int, number: int, payload: SignatureIn):
    controversy = access_controversy(request.user, territory_get(slug), pk)
    state = access_state(controversy, number)
    parties = {party.pk: party for party in controversy.parties.select_related("actor")}
    if not any(can_cosign(request.user, state, party) for party in parties.values()):
        raise Http404
    if (party := parties.get(payload.party)) is None:
        raise invalid({"party": [_("Choose a party of this controversy.")]})
    service_call(lambda: state_cosign(actor=request.user, state=state, party=party))
    return Status(201, state_out(state))


@router.post(
    ONE + "/follow-ups",
    auth=SIGNED_IN,
    response={201: FollowUpOut, **WRITE_ERRORS},
    summary="Plan a follow-up action of the decision, once it is taken (admins, editors)",
)
def add_follow_up(request: HttpRequest, slug: str, pk: int, payload: FollowUpIn):
    controversy = steered_controversy(request, slug, pk)
    follow_up = service_call(
        lambda: follow_up_add(actor=request.user, controversy=controversy, **payload.model_dump())
    )
    return Status(201, follow_up_out(follow_up))


@router.patch(
    ONE + "/follow-ups/{int:follow_up}",
    auth=SIGNED_IN,
    response={200: FollowUpOut, **WRITE_ERRORS},
    summary="Mark a follow-up action done on a date, or not done (admins, editors)",
)
def mark_follow_up(request: HttpRequest, slug: str, pk: int, follow_up: int, payload: FollowUpDoneIn):
    record = access_follow_up(steered_controversy(request, slug, pk), follow_up)
    service_call(lambda: follow_up_done(actor=request.user, follow_up=record, done_on=payload.done_on))
    return follow_up_out(record)
