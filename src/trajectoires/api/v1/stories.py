"""A territory's stories of change (Most Significant Change), with the same rights and rules as the
pages: the stories, their verification and the feedback given to their tellers, and the selection
rounds. Their domains of change and reporting periods are in `change_frame`.

- Anyone reads the stories and rounds their visibility allows; the writers (admin, editor) verify
  stories, record feedback and rounds; admins, editors and contributors collect stories (a
  contributor changes their own).
- A teller is named as the pages name them (`teller`): an anonymous teller is named to the
  territory's team only. Who collected a story, and the teller's record on the map, are likewise
  the team's to read (null otherwise, or the teller's record when they chose to be named).
- An actor the caller may not read keeps its id and category, without its name (`name` is null);
  a round lists only the stories the caller may read (`selected` is null when it is not one).
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input by the services (422). A story that cannot be deleted answers 409.
Input is checked by the schemas, then by the services, which name the field at fault (422): the
rules are those of `evaluation.stories` and `evaluation.selection_rounds`.
"""

import datetime
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound
from trajectoires.evaluation.permissions import can_add_story, can_edit_story
from trajectoires.evaluation.selection_rounds import (
    access_round,
    readable_rounds,
    round_create,
    round_delete,
    round_list,
    round_stories,
    round_update,
)
from trajectoires.evaluation.stories import (
    access_story,
    readable_stories,
    story_create,
    story_delete,
    story_feedback,
    story_list,
    story_update,
    story_verify,
    teller_label,
)
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import can_write_in_territory, is_territory_team
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .lookups import record_or_invalid, records_or_invalid, writable_territory
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["stories of change"])
STORIES = "/{slug:slug}/stories/"
ROUNDS = "/{slug:slug}/selection-rounds/"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
DELETE_ERRORS = error_responses(401, 403, 404, 409)
SHORT = {"minLength": 1, "maxLength": 200}
TEXT = {"minLength": 1}
ID = {"ge": 1, "le": 2**63 - 1}


# Answers -----------------------------------------------------------------------------------------


class StoryActorOut(Schema):
    id: int
    name: str | None = Field(description="Null when the caller may not read the actor.")
    category: str = Field(description="The code of its actor category in the référentiel.")


class ChangeStorySummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    period: int = Field(description="The id of its reporting period.")
    domain: int = Field(description="The id of its domain of change.")
    title: str
    teller: str = Field(
        description="Who told it, as the caller may know: an anonymous teller is named to the team only."
    )
    anonymous: bool
    collected_on: datetime.date
    what_happened: str
    why_significant: str
    selected: bool = Field(description="Whether a round the caller may read selected it.")
    verified_on: datetime.date | None
    visibility: Visibility


class ChangeStoryOut(ChangeStorySummary):
    teller_actor: int | None = Field(
        description="The teller's record on the map: to the team, or when the teller chose to be named."
    )
    consent_given: bool | None = Field(description="Whether the teller consented; to the team only.")
    collector: str | None = Field(description="Who collected it; to the team only.")
    actors: list[StoryActorOut] = Field(description="The actors involved.")
    actions: list[int] = Field(description="Ids of the linked actions the caller may read.")
    verification: str
    feedback: str
    feedback_given_on: datetime.date | None
    rounds: list[int] = Field(description="Ids of the rounds the caller may read that considered it.")


class ChangeStoryListOut(PageOut):
    results: list[ChangeStorySummary]


class ChangeStoryQuery(Schema):
    period: int | None = Field(None, description="Only the stories of this reporting period (id).", **ID)
    domain: int | None = Field(None, description="Only the stories of this domain of change (id).", **ID)


class SelectionStoryRef(Schema):
    id: int
    title: str
    domain: int


class SelectionRoundSummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    period: int
    domain: int | None = Field(description="Null when the round read every domain.")
    held_on: datetime.date
    selected: SelectionStoryRef | None = Field(description="Null when the caller may not read it.")
    reasons: str
    considered_count: int
    visibility: Visibility


class SelectionRoundOut(SelectionRoundSummary):
    panel: str
    panel_actors: list[StoryActorOut]
    considered: list[SelectionStoryRef] = Field(description="The stories considered the caller may read.")
    dissent: str


class SelectionRoundListOut(PageOut):
    results: list[SelectionRoundSummary]


# Requests ----------------------------------------------------------------------------------------


class ChangeStoryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int = Field(description="The id of a reporting period of the territory.")
    domain: int = Field(description="The id of a domain of change of the territory.")
    title: str = Field(json_schema_extra=SHORT)
    teller_name: str = Field("", json_schema_extra={"maxLength": 200})
    teller: int | None = Field(None, description="The id of the teller's record on the map, if any.")
    anonymous: bool = True
    consent_given: bool = False
    collector: str = Field(json_schema_extra=SHORT)
    collected_on: datetime.date = Field(description="Not in the future.")
    what_happened: str = Field(json_schema_extra=TEXT)
    why_significant: str = Field(json_schema_extra=TEXT)
    actors: list[int] = Field(default_factory=list, description="Ids of actors of the map.")
    actions: list[int] = Field(default_factory=list, description="Ids of actions of the trajectory.")
    visibility: Visibility = Field(
        Visibility.PRIVATE, description="Beyond « private » only with the teller's consent."
    )


class ChangeStoryPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int | None = None
    domain: int | None = None
    title: str | None = Field(None, json_schema_extra=SHORT)
    teller_name: str | None = Field(None, json_schema_extra={"maxLength": 200})
    teller: int | None = Field(None, description="The id of a record of the map; null for none.")
    anonymous: bool | None = None
    consent_given: bool | None = None
    collector: str | None = Field(None, json_schema_extra=SHORT)
    collected_on: datetime.date | None = None
    what_happened: str | None = None
    why_significant: str | None = None
    actors: list[int] | None = Field(
        None, description="Ids of actors (replaces those the caller may read; the others stay)."
    )
    actions: list[int] | None = Field(
        None, description="Ids of actions (replaces those the caller may read; the others stay)."
    )
    visibility: Visibility | None = None


class StoryVerificationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    verified_on: datetime.date = Field(description="After the story was collected, not in the future.")
    verification: str = Field(json_schema_extra=TEXT)


class StoryFeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    feedback: str = Field(json_schema_extra=TEXT)
    feedback_given_on: datetime.date = Field(description="After the story was collected, not in the future.")


class SelectionRoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int = Field(description="The id of a reporting period of the territory.")
    domain: int | None = Field(None, description="The id of a domain of change; null for every domain.")
    panel: str = Field(json_schema_extra=TEXT)
    panel_actors: list[int] = Field(default_factory=list, description="Ids of actors of the map.")
    held_on: datetime.date = Field(description="After the period starts, not in the future.")
    considered: list[int] = Field(description="Ids of stories of the round's period (and domain).")
    selected: int = Field(description="The id of one of the stories considered.")
    reasons: str = Field(json_schema_extra=TEXT)
    dissent: str = ""
    visibility: Visibility = Visibility.PRIVATE


class SelectionRoundPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    period: int | None = None
    domain: int | None = Field(None, description="The id of a domain of change; null for every domain.")
    panel: str | None = None
    panel_actors: list[int] | None = None
    held_on: datetime.date | None = None
    considered: list[int] | None = Field(
        None, description="Ids of stories (replaces those the caller may read; the others stay)."
    )
    selected: int | None = None
    reasons: str | None = None
    dissent: str | None = None
    visibility: Visibility | None = None


# Serialising -------------------------------------------------------------------------------------


def _actor_out(view: ActorView) -> dict[str, Any]:
    return {"id": view.id, "name": view.name, "category": view.category.code}


def _story_summary(viewer, story: ChangeStory, selected: bool) -> dict[str, Any]:
    return {
        "id": story.pk,
        "territory": story.territory.slug,
        "period": story.period_id,
        "domain": story.domain_id,
        "title": story.title,
        "teller": teller_label(viewer, story),
        "anonymous": story.anonymous,
        "collected_on": story.collected_on,
        "what_happened": story.what_happened,
        "why_significant": story.why_significant,
        "selected": selected,
        "verified_on": story.verified_on,
        "visibility": story.visibility,
    }


def _story_out(viewer, territory: Territory, story: ChangeStory) -> dict[str, Any]:
    """The story as `viewer` reads it, with what the team only reads; its rounds are those `viewer`
    may read (none when they may no longer read the story itself)."""
    team = is_territory_team(viewer, territory)
    readable = readable_actor_ids(viewer, territory.pk)
    linked = Actor.objects.filter(change_stories=story).select_related("category").order_by("id")
    rounds = readable_rounds(viewer, territory).filter(Q(considered=story) | Q(selected=story)).distinct()
    rounds = list(rounds.order_by("-held_on", "-id").values_list("pk", "selected_id"))
    if not readable_stories(viewer, territory).filter(pk=story.pk).exists():
        rounds = []
    named = team or not story.anonymous
    return _story_summary(viewer, story, any(selected == story.pk for _pk, selected in rounds)) | {
        "teller_actor": story.teller_id if named else None,
        "consent_given": story.consent_given if team else None,
        "collector": story.collector if team else None,
        "actors": [_actor_out(ActorView.of(actor, readable)) for actor in linked],
        "actions": list(
            readable_actions(viewer, territory)
            .filter(change_stories=story)
            .order_by("title", "id")
            .values_list("pk", flat=True)
        ),
        "verification": story.verification,
        "feedback": story.feedback,
        "feedback_given_on": story.feedback_given_on,
        "rounds": [pk for pk, _selected in rounds],
    }


def _story_ref(story: ChangeStory) -> dict[str, Any]:
    return {"id": story.pk, "title": story.title, "domain": story.domain_id}


def _round_summary(selection: SelectionRound, selected: ChangeStory | None, count: int) -> dict[str, Any]:
    return {
        "id": selection.pk,
        "territory": selection.territory.slug,
        "period": selection.period_id,
        "domain": selection.domain_id,
        "held_on": selection.held_on,
        "selected": _story_ref(selected) if selected else None,
        "reasons": selection.reasons,
        "considered_count": count,
        "visibility": selection.visibility,
    }


def _round_out(viewer, selection: SelectionRound) -> dict[str, Any]:
    selected, others = round_stories(viewer, selection)
    considered = sorted(
        [*([selected] if selected else []), *others], key=lambda story: (story.title, story.pk)
    )
    readable = readable_actor_ids(viewer, selection.territory_id)
    members = Actor.objects.filter(pk__in=selection.panel_actors.values("pk")).select_related("category")
    return _round_summary(selection, selected, selection.considered.count()) | {
        "panel": selection.panel,
        "panel_actors": [_actor_out(ActorView.of(actor, readable)) for actor in members.order_by("id")],
        "considered": [_story_ref(story) for story in considered],
        "dissent": selection.dissent,
    }


# Reading the request -----------------------------------------------------------------------------


def _no_period() -> str:
    return _("Choose a reporting period of this territory.")


def _no_domain() -> str:
    return _("Choose a domain of change of this territory.")


def _story_values(sent: dict[str, Any]) -> dict[str, Any]:
    for name, model, message in (
        ("period", ReportingPeriod, _no_period),
        ("domain", ChangeDomain, _no_domain),
    ):
        if name in sent:  # both are required: null is refused like an unknown id
            sent[name] = record_or_invalid(model, name, sent[name], message())
            if sent[name] is None:
                raise invalid({name: [message()]})
    if "teller" in sent:
        sent["teller"] = record_or_invalid(
            Actor, "teller", sent["teller"], _("Choose an actor of this territory.")
        )
    if "actors" in sent:
        sent["actors"] = records_or_invalid(
            Actor, "actors", sent["actors"] or [], _("Choose actors of this territory.")
        )
    if "actions" in sent:
        message = _("Choose actions of this territory's trajectory.")
        sent["actions"] = records_or_invalid(Action, "actions", sent["actions"] or [], message)
    return sent


def _round_values(sent: dict[str, Any]) -> dict[str, Any]:
    if "period" in sent:
        sent["period"] = record_or_invalid(ReportingPeriod, "period", sent["period"], _no_period())
        if sent["period"] is None:
            raise invalid({"period": [_no_period()]})
    if "domain" in sent:
        sent["domain"] = record_or_invalid(ChangeDomain, "domain", sent["domain"], _no_domain())
    if "panel_actors" in sent:
        ids = sent["panel_actors"] or []
        sent["panel_actors"] = records_or_invalid(
            Actor, "panel_actors", ids, _("Choose actors of this territory.")
        )
    if "considered" in sent:
        message = _("Choose stories of this round's period and domain.")
        sent["considered"] = records_or_invalid(ChangeStory, "considered", sent["considered"] or [], message)
    if "selected" in sent:
        message = _("Say which story the panel selected.")
        sent["selected"] = record_or_invalid(ChangeStory, "selected", sent["selected"], message)
        if sent["selected"] is None:
            raise invalid({"selected": [message]})
    return sent


def edited_story(request: HttpRequest, slug: str, pk: int) -> ChangeStory:
    """A story the caller reads and may change, or a 404."""
    story = access_story(request.user, territory_get(slug), pk)
    if not can_edit_story(request.user, story):
        raise Http404
    return story


def followed_story(request: HttpRequest, slug: str, pk: int) -> ChangeStory:
    """A story the caller reads and may verify or give feedback on, or a 404."""
    story = access_story(request.user, territory_get(slug), pk)
    if not can_write_in_territory(request.user, story.territory):
        raise Http404
    return story


def edited_round(request: HttpRequest, slug: str, pk: int) -> SelectionRound:
    territory = territory_get(slug)
    selection = access_round(request.user, territory, pk)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return selection


# Stories -----------------------------------------------------------------------------------------


@router.get(
    STORIES,
    response={200: ChangeStoryListOut, **error_responses(401, 404, 422)},
    summary="List a territory's stories of change",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_stories(request: HttpRequest, slug: str, pages: Query[PageQuery], query: Query[ChangeStoryQuery]):
    """The stories the caller may read, latest collected first, optionally of one period and one
    domain."""
    territory = territory_get(slug)
    stories = story_list(request.user, territory, period=query.period, domain=query.domain)
    stories = stories.select_related("territory")
    selected = set(readable_rounds(request.user, territory).values_list("selected_id", flat=True))
    return paginate(
        request, stories, pages, lambda story: _story_summary(request.user, story, story.pk in selected)
    )


@router.get(
    STORIES + "{int:pk}",
    response={200: ChangeStoryOut, **error_responses(401, 404)},
    summary="Read a story of change with its actors, actions, verification, feedback and rounds",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_story(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    return _story_out(request.user, territory, access_story(request.user, territory, pk))


@router.post(
    STORIES,
    auth=SIGNED_IN,
    response={201: ChangeStoryOut, **WRITE_ERRORS},
    summary="Collect a story of change (admins, editors, contributors)",
)
def create_story(request: HttpRequest, slug: str, payload: ChangeStoryIn):
    territory = territory_get(slug)
    if not can_add_story(request.user, territory):
        raise Http404
    values = _story_values(payload.model_dump())
    story = service_call(lambda: story_create(actor=request.user, territory=territory, **values))
    return Status(201, _story_out(request.user, territory, story))


@router.patch(
    STORIES + "{int:pk}",
    auth=SIGNED_IN,
    response={200: ChangeStoryOut, **WRITE_ERRORS},
    summary="Change a story of change, its actors or its actions (admins, editors, its collector)",
)
def update_story(request: HttpRequest, slug: str, pk: int, payload: ChangeStoryPatch):
    story = edited_story(request, slug, pk)
    values = _story_values(payload.model_dump(exclude_unset=True))
    service_call(lambda: story_update(actor=request.user, story=story, **values))
    return _story_out(request.user, story.territory, story)


@router.delete(
    STORIES + "{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **DELETE_ERRORS},
    summary="Delete a story no round selected (admins, editors, its collector)",
)
def delete_story(request: HttpRequest, slug: str, pk: int):
    story = edited_story(request, slug, pk)
    service_call(lambda: story_delete(actor=request.user, story=story), conflict=True)
    return Status(204, None)


@router.post(
    STORIES + "{int:pk}/verification",
    auth=SIGNED_IN,
    response={200: ChangeStoryOut, **WRITE_ERRORS},
    summary="Record how the team verified a story (admins, editors)",
)
def verify_story(request: HttpRequest, slug: str, pk: int, payload: StoryVerificationIn):
    story = followed_story(request, slug, pk)
    service_call(lambda: story_verify(actor=request.user, story=story, **payload.model_dump()))
    return _story_out(request.user, story.territory, story)


@router.post(
    STORIES + "{int:pk}/feedback",
    auth=SIGNED_IN,
    response={200: ChangeStoryOut, **WRITE_ERRORS},
    summary="Record the feedback given to a story's teller (admins, editors)",
)
def give_story_feedback(request: HttpRequest, slug: str, pk: int, payload: StoryFeedbackIn):
    story = followed_story(request, slug, pk)
    service_call(
        lambda: story_feedback(
            actor=request.user, story=story, feedback=payload.feedback, given_on=payload.feedback_given_on
        )
    )
    return _story_out(request.user, story.territory, story)


# Selection rounds --------------------------------------------------------------------------------


@router.get(
    ROUNDS,
    response={200: SelectionRoundListOut, **error_responses(401, 404, 422)},
    summary="List a territory's selection rounds, latest first",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_selection_rounds(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    territory = territory_get(slug)
    rounds = round_list(request.user, territory).select_related("territory")
    selected_ids = readable_rounds(request.user, territory).values("selected_id")
    readable = set(
        readable_stories(request.user, territory).filter(pk__in=selected_ids).values_list("pk", flat=True)
    )

    def row(selection: SelectionRound) -> dict[str, Any]:
        selected = selection.selected if selection.selected_id in readable else None
        return _round_summary(selection, selected, selection.considered_count)

    return paginate(request, rounds, pages, row)


@router.get(
    ROUNDS + "{int:pk}",
    response={200: SelectionRoundOut, **error_responses(401, 404)},
    summary="Read a selection round with its panel and the stories it considered",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_selection_round(request: HttpRequest, slug: str, pk: int):
    return _round_out(request.user, access_round(request.user, territory_get(slug), pk))


@router.post(
    ROUNDS,
    auth=SIGNED_IN,
    response={201: SelectionRoundOut, **WRITE_ERRORS},
    summary="Record a selection round (admins, editors)",
)
def create_selection_round(request: HttpRequest, slug: str, payload: SelectionRoundIn):
    territory = writable_territory(request, slug)
    values = _round_values(payload.model_dump())
    selection = service_call(lambda: round_create(actor=request.user, territory=territory, **values))
    return Status(201, _round_out(request.user, selection))


@router.patch(
    ROUNDS + "{int:pk}",
    auth=SIGNED_IN,
    response={200: SelectionRoundOut, **WRITE_ERRORS},
    summary="Change a selection round (admins, editors)",
)
def update_selection_round(request: HttpRequest, slug: str, pk: int, payload: SelectionRoundPatch):
    selection = edited_round(request, slug, pk)
    values = _round_values(payload.model_dump(exclude_unset=True))
    service_call(lambda: round_update(actor=request.user, selection=selection, **values))
    return _round_out(request.user, selection)


@router.delete(
    ROUNDS + "{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a selection round (admins, editors)",
)
def delete_selection_round(request: HttpRequest, slug: str, pk: int):
    selection = edited_round(request, slug, pk)
    service_call(lambda: round_delete(actor=request.user, selection=selection))
    return Status(204, None)
