"""A territory's self-assessment campaigns (K8–K10, S4, C4), with the same rights and rules as the
pages.

- Anyone reads what a campaign's visibility allows, with its results: the mean level of each key
  action and posture, the respondent groups and where they disagree, the stop / start checklist;
  the history compares the closed campaigns by key-action code.
- Only the territory admin opens, changes, closes or deletes a campaign; admins, editors and
  contributors answer while it is open; a response is changed or deleted by its recorder or the
  admin.
- Who answered what is read by the territory team; anyone else reads only the responses they
  recorded. Evidence reads as its records: ids of records the caller may not read are left out.
- A forbidden record or write answers exactly like a missing one (404), before any check of the
  input (422).
Inputs travel by code: the respondent's group (a category of actors), each question and its level
on the scale of the campaign's version of the référentiel. The services name the field or the
question at fault (422): the rules are those of `evaluation.assessments`.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.models import Actor
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.assessment_results import (
    CampaignResults,
    History,
    QuestionResult,
    assessment_history,
    campaign_results,
)
from trajectoires.evaluation.assessments import (
    EVIDENCE_LINKS,
    GROUP_GRID,
    AnswerInput,
    access_campaign,
    access_response,
    campaign_close,
    campaign_delete,
    campaign_list,
    campaign_open,
    campaign_responses,
    campaign_update,
    readable_campaigns,
    readable_evidence,
    response_delete,
    response_save,
)
from trajectoires.evaluation.models import (
    AssessmentAnswer,
    AssessmentCampaign,
    AssessmentResponse,
    CampaignStatus,
    ChangeStory,
    Outcome,
)
from trajectoires.evaluation.permissions import (
    can_answer_assessment,
    can_edit_assessment_response,
    can_run_assessment,
)
from trajectoires.planning.models import PlanningDocument
from trajectoires.referential.selectors import kept_or_current
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["self-assessment"])
PATH = "/{slug:slug}/assessments/"
ONE = PATH + "{int:pk}"
RESPONSES = ONE + "/responses/"
RESPONSE = RESPONSES + "{int:response}"
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422)
SHORT = {"minLength": 1, "maxLength": 200}


# Answers -----------------------------------------------------------------------------------------


class CampaignSummary(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    title: str
    version: int = Field(description="The number of the référentiel version its questions come from.")
    opened_on: datetime.date
    closes_on: datetime.date | None = Field(description="When it is planned to close.")
    closed_on: datetime.date | None
    status: CampaignStatus
    visibility: Visibility
    response_count: int


class AssessmentQuestionOut(Schema):
    code: str = Field(description="K1–K10, S1–S5 or C1–C5.")
    label: str
    mean: float | None = Field(description="The mean score of the answers; null when none.")
    answered: int
    distribution: dict[str, int] = Field(description="How many chose each level of the scale, by code.")


class AssessmentPostureOut(Schema):
    code: str
    label: str
    mean: float | None = Field(description="The mean of its key actions' means.")
    key_actions: list[str] = Field(description="The codes of its key actions.")


class AssessmentGroupOut(Schema):
    code: str = Field(description="The code of the category of actors in the référentiel.")
    label: str
    respondents: int


class AssessmentSpreadOut(Schema):
    code: str = Field(description="The key action's code.")
    means: dict[str, float | None] = Field(description="Each group's mean, by group code.")
    spread: float | None = Field(description="Highest minus lowest group mean; null under two groups.")
    disagreement: bool = Field(description="Whether the groups are far enough apart to talk about it.")


class CampaignResultsOut(Schema):
    respondents: int
    overall: float | None = Field(description="The mean of the key actions' means.")
    key_actions: list[AssessmentQuestionOut] = Field(description="Maturity levels M1–M5, scored 1–5.")
    postures: list[AssessmentPostureOut]
    groups: list[AssessmentGroupOut]
    spread: list[AssessmentSpreadOut]
    checklist: list[AssessmentQuestionOut] = Field(
        description="Practices to stop, then to start, on the progress scale scored 0–3."
    )


class CampaignOut(CampaignSummary):
    results: CampaignResultsOut


class CampaignListOut(PageOut):
    results: list[CampaignSummary]


class CampaignRef(Schema):
    id: int
    title: str
    version: int
    opened_on: datetime.date
    closed_on: datetime.date | None


class CampaignHistoryRowOut(Schema):
    code: str
    label: str = Field(description="The current label of the key action.")
    means: list[float | None] = Field(description="One per campaign, in the order of `campaigns`.")


class CampaignHistoryOut(Schema):
    campaigns: list[CampaignRef] = Field(description="The closed campaigns the caller reads, oldest first.")
    key_actions: list[CampaignHistoryRowOut]
    overall: list[float | None] = Field(description="One per campaign, in the order of `campaigns`.")


class AssessmentAnswerOut(Schema):
    level: str = Field(description="The code of the level on the question's scale.")
    evidence: str
    journal_entries: list[int] = Field(description="Ids of the journal entries the caller may read.")
    documents: list[int] = Field(description="Ids of the planning documents the caller may read.")
    outcomes: list[int] = Field(description="Ids of the outcomes the caller may read.")
    stories: list[int] = Field(description="Ids of the stories of change the caller may read.")


class AssessmentResponseOut(Schema):
    id: int
    campaign: int
    category: str = Field(description="The code of the respondent's group (a category of actors).")
    role: str
    respondent: int | None = Field(description="The id of the respondent's actor on the map, if any.")
    recorded_at: datetime.datetime
    updated_at: datetime.datetime
    answers: dict[str, AssessmentAnswerOut] = Field(
        description="By question code, in the référentiel's order."
    )


class AssessmentResponseListOut(PageOut):
    results: list[AssessmentResponseOut]


# Requests ----------------------------------------------------------------------------------------


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(json_schema_extra=SHORT)
    closes_on: datetime.date | None = Field(None, description="When it is planned to close.")
    visibility: Visibility = Visibility.PRIVATE


class CampaignPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, json_schema_extra=SHORT)
    closes_on: datetime.date | None = Field(None, description="Null for no planned date.")
    visibility: Visibility | None = None


class AssessmentAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: str = Field(description="The code of a level of the question's scale (M1–M5, or not_started…).")
    evidence: str = ""
    journal_entries: list[int] = Field(default_factory=list, description="Ids of the territory's entries.")
    documents: list[int] = Field(default_factory=list, description="Ids of planning documents.")
    outcomes: list[int] = Field(default_factory=list, description="Ids of the territory's outcomes.")
    stories: list[int] = Field(default_factory=list, description="Ids of the territory's stories of change.")


class AssessmentResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(description="The code of the respondent's group (a category of actors).")
    role: str = Field(json_schema_extra=SHORT)
    respondent: int | None = Field(None, description="The id of the respondent's actor on the map.")
    answers: dict[str, AssessmentAnswerIn] = Field(
        description="By question code; a question left out is not answered."
    )


# Serialising -------------------------------------------------------------------------------------


def _summary(campaign: AssessmentCampaign, response_count: int) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "territory": campaign.territory.slug,
        "title": campaign.title,
        "version": campaign.version.number,
        "opened_on": campaign.opened_on,
        "closes_on": campaign.closes_on,
        "closed_on": campaign.closed_on,
        "status": campaign.status,
        "visibility": campaign.visibility,
        "response_count": response_count,
    }


def _question_out(result: QuestionResult) -> dict[str, Any]:
    return {
        "code": result.question.code,
        "label": result.question.label,
        "mean": result.mean,
        "answered": result.answered,
        "distribution": {level.code: count for level, count in result.distribution},
    }


def _results_out(results: CampaignResults) -> dict[str, Any]:
    groups = [group.code for group in results.groups]
    return {
        "respondents": results.respondents,
        "overall": results.overall,
        "key_actions": [_question_out(result) for result in results.key_actions],
        "postures": [
            {
                "code": posture.posture.code,
                "label": posture.posture.label,
                "mean": posture.mean,
                "key_actions": [result.question.code for result in posture.key_actions],
            }
            for posture in results.postures
        ],
        "groups": [
            {"code": group.code, "label": group.label, "respondents": group.respondents}
            for group in results.groups
        ],
        "spread": [
            {
                "code": row.question.code,
                "means": dict(zip(groups, row.means, strict=True)),
                "spread": row.spread,
                "disagreement": row.disagreement,
            }
            for row in results.spread
        ],
        "checklist": [_question_out(result) for result in results.checklist],
    }


def _campaign_out(viewer, territory: Territory, pk: int) -> dict[str, Any]:
    """The campaign with its results, as `viewer` reads it (a 404 if they may not)."""
    campaign = campaign_list(viewer, territory).select_related("territory").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    results = campaign_results(campaign)
    return _summary(campaign, campaign.response_count) | {"results": _results_out(results)}


def _readable_evidence(viewer, territory: Territory, answers: Iterable[AssessmentAnswer]) -> dict[str, set]:
    """Of the records these answers link, the ids `viewer` may read: one query per kind at most."""
    linked: dict[str, set[int]] = {name: set() for name in EVIDENCE_LINKS}
    for answer in answers:
        for name in EVIDENCE_LINKS:
            linked[name] |= _linked(answer, name)
    readable = readable_evidence(viewer, territory)
    return {
        name: set(readable[name].filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
        for name, ids in linked.items()
    }


def _linked(answer: AssessmentAnswer, name: str) -> set[int]:
    return {record.pk for record in getattr(answer, name).all()}


def _answers_prefetch() -> Prefetch:
    answers = AssessmentAnswer.objects.select_related("question", "level").prefetch_related(*EVIDENCE_LINKS)
    return Prefetch("answers", queryset=answers)


def _responses_out(viewer, campaign: AssessmentCampaign, responses: list[AssessmentResponse]) -> list[dict]:
    """`responses`, fetched with `_answers_prefetch`, as `viewer` reads them."""
    every_answer = [answer for response in responses for answer in response.answers.all()]
    readable = _readable_evidence(viewer, campaign.territory, every_answer)

    def answer_out(answer: AssessmentAnswer) -> dict[str, Any]:
        return {
            "level": answer.level.code,
            "evidence": answer.evidence,
            **{
                name: sorted(
                    record.pk for record in getattr(answer, name).all() if record.pk in readable[name]
                )
                for name in EVIDENCE_LINKS
            },
        }

    return [
        {
            "id": response.pk,
            "campaign": campaign.pk,
            "category": response.category.code,
            "role": response.role,
            "respondent": response.respondent_id,
            "recorded_at": response.recorded_at,
            "updated_at": response.updated_at,
            "answers": {answer.question.code: answer_out(answer) for answer in response.answers.all()},
        }
        for response in responses
    ]


def _response_out(viewer, campaign: AssessmentCampaign, pk: int) -> dict[str, Any]:
    response = (
        AssessmentResponse.objects.select_related("category").prefetch_related(_answers_prefetch()).get(pk=pk)
    )
    return _responses_out(viewer, campaign, [response])[0]


# Reading the request -----------------------------------------------------------------------------


def run_campaign(request: HttpRequest, slug: str, pk: int) -> AssessmentCampaign:
    """A campaign the caller reads and may run (the territory admin), or a 404."""
    campaign = access_campaign(request.user, territory_get(slug), pk)
    if not can_run_assessment(request.user, campaign.territory):
        raise Http404
    return campaign


def edited_response(request: HttpRequest, slug: str, pk: int, response_pk: int) -> AssessmentResponse:
    """A response the caller reads and may change (its recorder, the admin), or a 404."""
    campaign = access_campaign(request.user, territory_get(slug), pk)
    response = access_response(request.user, campaign, response_pk)
    if not can_edit_assessment_response(request.user, response):
        raise Http404
    response.campaign = campaign
    return response


def _evidence(answers: dict[str, AssessmentAnswerIn]) -> dict[str, dict[int, Any]]:
    """Every record the answers link, by id: one query per kind of evidence."""
    models = {
        "journal_entries": JournalEntry,
        "documents": PlanningDocument,
        "outcomes": Outcome,
        "stories": ChangeStory,
    }
    return {
        name: model.objects.in_bulk({pk for given in answers.values() for pk in getattr(given, name)})
        for name, model in models.items()
    }


def _response_values(payload: AssessmentResponseIn, response: AssessmentResponse | None) -> dict[str, Any]:
    """The payload with its codes and ids resolved to rows: an unchanged group keeps the response's
    own row (whatever its version), a new one takes the current version's. Whether the caller may
    choose them is the service's to say; ids that match no record are refused here."""
    errors: dict[str, list[str]] = {}
    kept = [response.category] if response is not None else []
    category = next(iter(kept_or_current(GROUP_GRID, [payload.category], kept)), None)
    if category is None:
        errors["category"] = [_("Unknown actor category: %(code)s.") % {"code": payload.category}]
    respondent = None
    if payload.respondent is not None:
        respondent = Actor.objects.filter(pk=payload.respondent).first()
        if respondent is None:
            errors["respondent"] = [_("Choose an actor of this territory.")]
    found = _evidence(payload.answers)
    answers: dict[str, AnswerInput] = {}
    for code, given in payload.answers.items():
        chosen = {name: list(dict.fromkeys(getattr(given, name))) for name in EVIDENCE_LINKS}
        if any(pk not in found[name] for name, ids in chosen.items() for pk in ids):
            errors[code] = [_("%(code)s: choose evidence of this territory.") % {"code": code}]
            continue
        links = {name: [found[name][pk] for pk in ids] for name, ids in chosen.items()}
        answers[code] = AnswerInput(level=given.level, evidence=given.evidence, **links)
    if errors:
        raise invalid(errors)
    return {"category": category, "role": payload.role, "respondent": respondent, "answers": answers}


# Campaigns ---------------------------------------------------------------------------------------


@router.get(
    PATH,
    response={200: CampaignListOut, **error_responses(401, 404, 422)},
    summary="List a territory's self-assessment campaigns",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_campaigns(request: HttpRequest, slug: str, pages: Query[PageQuery]):
    """The campaigns the caller may read, latest opened first, each with its number of responses."""
    campaigns = campaign_list(request.user, territory_get(slug)).select_related("territory")
    return paginate(request, campaigns, pages, lambda campaign: _summary(campaign, campaign.response_count))


@router.get(
    PATH + "history",
    response={200: CampaignHistoryOut, **error_responses(401, 404)},
    summary="Compare the closed campaigns, key action by key action",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_history(request: HttpRequest, slug: str):
    """The mean level of each key action in each closed campaign the caller may read, oldest first,
    compared by code whatever the version of the référentiel each was answered on."""
    campaigns = readable_campaigns(request.user, territory_get(slug)).select_related("version")
    return history_out(assessment_history(campaigns))


def history_out(history: History) -> dict[str, Any]:
    """The history of the closed campaigns as the API gives it (here and in the evaluation)."""
    return {
        "campaigns": [
            {
                "id": campaign.pk,
                "title": campaign.title,
                "version": campaign.version.number,
                "opened_on": campaign.opened_on,
                "closed_on": campaign.closed_on,
            }
            for campaign in history.campaigns
        ],
        "key_actions": [
            {"code": row.code, "label": row.label, "means": row.means} for row in history.key_actions
        ],
        "overall": history.overall,
    }


@router.get(
    ONE,
    response={200: CampaignOut, **error_responses(401, 404)},
    summary="Read a campaign with its results",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_campaign(request: HttpRequest, slug: str, pk: int):
    """The campaign and what its responses say, whoever answered: the results never name anyone."""
    return _campaign_out(request.user, territory_get(slug), pk)


@router.post(
    PATH,
    auth=SIGNED_IN,
    response={201: CampaignOut, **WRITE_ERRORS},
    summary="Open a campaign on the current référentiel (the territory admin)",
)
def open_campaign(request: HttpRequest, slug: str, payload: CampaignIn):
    territory = territory_get(slug)
    if not can_run_assessment(request.user, territory):
        raise Http404
    campaign = service_call(
        lambda: campaign_open(actor=request.user, territory=territory, **payload.model_dump())
    )
    return Status(201, _campaign_out(request.user, territory, campaign.pk))


@router.patch(
    ONE,
    auth=SIGNED_IN,
    response={200: CampaignOut, **WRITE_ERRORS},
    summary="Change a campaign's title, planned closing date or visibility (the territory admin)",
)
def update_campaign(request: HttpRequest, slug: str, pk: int, payload: CampaignPatch):
    campaign = run_campaign(request, slug, pk)
    values = payload.model_dump(exclude_unset=True)
    service_call(lambda: campaign_update(actor=request.user, campaign=campaign, **values))
    return _campaign_out(request.user, campaign.territory, pk)


@router.post(
    ONE + "/close",
    auth=SIGNED_IN,
    response={200: CampaignOut, **error_responses(401, 403, 404, 422)},
    summary="Close a campaign: its answers are final (the territory admin)",
)
def close_campaign(request: HttpRequest, slug: str, pk: int):
    campaign = run_campaign(request, slug, pk)
    service_call(lambda: campaign_close(actor=request.user, campaign=campaign))
    return _campaign_out(request.user, campaign.territory, pk)


@router.delete(
    ONE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404)},
    summary="Delete a campaign with its responses (the territory admin)",
)
def delete_campaign(request: HttpRequest, slug: str, pk: int):
    campaign = run_campaign(request, slug, pk)
    service_call(lambda: campaign_delete(actor=request.user, campaign=campaign))
    return Status(204, None)


# Responses ---------------------------------------------------------------------------------------


@router.get(
    RESPONSES,
    response={200: AssessmentResponseListOut, **error_responses(401, 404, 422)},
    summary="List a campaign's responses (the team: all of them; anyone else: their own)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_responses(request: HttpRequest, slug: str, pk: int, pages: Query[PageQuery]):
    campaign = access_campaign(request.user, territory_get(slug), pk)
    responses: QuerySet[AssessmentResponse] = campaign_responses(request.user, campaign).prefetch_related(
        _answers_prefetch()
    )
    page = paginate(request, responses, pages, lambda response: response)
    page["results"] = _responses_out(request.user, campaign, page["results"])
    return page


@router.post(
    RESPONSES,
    auth=SIGNED_IN,
    response={201: AssessmentResponseOut, **WRITE_ERRORS},
    summary="Answer an open campaign (admins, editors, contributors)",
)
def submit_response(request: HttpRequest, slug: str, pk: int, payload: AssessmentResponseIn):
    """One respondent's answers, with their group and role and, when they are on the map, their
    actor; a person of the map answers a campaign once."""
    campaign = access_campaign(request.user, territory_get(slug), pk)
    if not can_answer_assessment(request.user, campaign.territory):
        raise Http404
    values = _response_values(payload, None)
    response = service_call(lambda: response_save(actor=request.user, campaign=campaign, **values))
    return Status(201, _response_out(request.user, campaign, response.pk))


@router.put(
    RESPONSE,
    auth=SIGNED_IN,
    response={200: AssessmentResponseOut, **WRITE_ERRORS},
    summary="Replace a response's answers while the campaign is open (its recorder, the admin)",
)
def replace_response(request: HttpRequest, slug: str, pk: int, response: int, payload: AssessmentResponseIn):
    """A question left out loses its answer; evidence the caller may not read stays linked."""
    stored = edited_response(request, slug, pk, response)
    values = _response_values(payload, stored)
    service_call(
        lambda: response_save(actor=request.user, campaign=stored.campaign, response=stored, **values)
    )
    return _response_out(request.user, stored.campaign, stored.pk)


@router.delete(
    RESPONSE,
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Delete a response while the campaign is open (its recorder, the admin)",
)
def delete_response(request: HttpRequest, slug: str, pk: int, response: int):
    stored = edited_response(request, slug, pk, response)
    service_call(lambda: response_delete(actor=request.user, response=stored))
    return Status(204, None)
