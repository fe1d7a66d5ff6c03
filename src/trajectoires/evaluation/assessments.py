"""Self-assessment on the ten key actions and the stop / start checklist (K8–K10, S4, C4).

A campaign is opened by the territory admin, answered by several respondents — each with their
group (a category of actors) and role — then closed. Its questions and scales are those of the
référentiel version current when it opened: the key actions on the five maturity levels, the
practices to stop (S1–S5) and to start (C1–C5) on the progress scale. Answers point to that
version's rows and keep them when a later version is published; results compare by code.

Rules:
- only the territory admin opens, edits, closes or deletes a campaign;
- a respondent answers while the campaign is open; the answers of a closed campaign never change;
- a level is one of the question's scale, in the campaign's version;
- a person of the map answers a campaign once; the evidence links are records of the territory
  the respondent may read (those they may not read stay when they edit the answer).
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.core.audit import audit_record, changed_fields
from trajectoires.core.visibility import Visibility
from trajectoires.planning.document_selectors import documents_of
from trajectoires.planning.models import PlanningDocument
from trajectoires.referential.models import Item, ReferentialVersion
from trajectoires.referential.selectors import referential_current_version
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import is_territory_team, visible_to
from trajectoires.territories.services import territory_scope

from .models import (
    AssessmentAnswer,
    AssessmentCampaign,
    AssessmentResponse,
    CampaignStatus,
    ChangeStory,
    Outcome,
)
from .permissions import can_answer_assessment, can_edit_assessment_response, can_run_assessment

QUESTION_GRIDS = ("key_action", "stop", "start")
SCALE_OF = {"key_action": "maturity_level", "stop": "checklist_progress", "start": "checklist_progress"}
GROUP_GRID = "actor_category"
CAMPAIGN_FIELDS = ("title", "closes_on", "visibility")
EVIDENCE_LINKS = ("journal_entries", "documents", "outcomes", "stories")


@dataclass(frozen=True)
class AnswerInput:
    """One answer as given: the level's code on the question's scale, and the evidence."""

    level: str
    evidence: str = ""
    journal_entries: Sequence[JournalEntry] = ()
    documents: Sequence[PlanningDocument] = ()
    outcomes: Sequence[Outcome] = ()
    stories: Sequence[ChangeStory] = ()


@dataclass(frozen=True)
class Questionnaire:
    """The questions of a campaign's version, in the référentiel's order, and each grid's scale."""

    questions: list[Item]
    scales: dict[str, list[Item]] = field(default_factory=dict)

    def scale_for(self, question: Item) -> list[Item]:
        return self.scales[SCALE_OF[question.grid.code]]

    def of_grid(self, grid_code: str) -> list[Item]:
        return [question for question in self.questions if question.grid.code == grid_code]


def questionnaire(version: ReferentialVersion) -> Questionnaire:
    """Two queries: the questions with their grid and posture, and the scales' levels."""
    questions = (
        Item.objects.filter(version=version, grid__code__in=QUESTION_GRIDS)
        .select_related("grid", "parent")
        .order_by("grid__position", "position")
    )
    levels = Item.objects.filter(version=version, grid__code__in=set(SCALE_OF.values())).select_related(
        "grid"
    )
    scales: dict[str, list[Item]] = {}
    for level in levels.order_by("position"):
        scales.setdefault(level.grid.code, []).append(level)
    return Questionnaire(list(questions), scales)


# Reads -------------------------------------------------------------------------------------------


def readable_campaigns(viewer, territory: Territory) -> QuerySet[AssessmentCampaign]:
    return visible_to(AssessmentCampaign.objects.filter(territory=territory), viewer)


def campaign_list(viewer, territory: Territory) -> QuerySet[AssessmentCampaign]:
    """The campaigns `viewer` may read, latest first, each with its number of responses."""
    campaigns = readable_campaigns(viewer, territory).select_related("version")
    return campaigns.annotate(response_count=Count("responses")).order_by("-opened_on", "-id")


def access_campaign(viewer, territory: Territory, pk: int) -> AssessmentCampaign:
    """The campaign, or the same 404 whether it does not exist or `viewer` may not read it."""
    campaign = (
        readable_campaigns(viewer, territory).filter(pk=pk).select_related("territory", "version").first()
    )
    if campaign is None:
        raise Http404
    return campaign


def can_read_respondents(viewer, campaign: AssessmentCampaign) -> bool:
    """Who answered what is read by the territory team only; others read the results."""
    return is_territory_team(viewer, campaign.territory)


def campaign_responses(viewer, campaign: AssessmentCampaign) -> QuerySet[AssessmentResponse]:
    """The responses `viewer` may read one by one: every one for the team, their own for others."""
    responses = campaign.responses.select_related("category", "respondent", "recorded_by")
    if can_read_respondents(viewer, campaign):
        return responses
    if not getattr(viewer, "is_authenticated", False):
        return responses.none()
    return responses.filter(recorded_by=viewer)


def access_response(viewer, campaign: AssessmentCampaign, pk: int) -> AssessmentResponse:
    response = campaign_responses(viewer, campaign).filter(pk=pk).first()
    if response is None:
        raise Http404
    return response


def response_answers(response: AssessmentResponse) -> dict[str, AssessmentAnswer]:
    """The response's answers by question code, with their level and evidence links."""
    answers = response.answers.select_related("question", "level").prefetch_related(*EVIDENCE_LINKS)
    return {answer.question.code: answer for answer in answers}


# Writes: campaigns -------------------------------------------------------------------------------


def _audit(actor: Any, action: str, obj: Any, territory: Territory, changes: dict) -> None:
    audit_record(actor=actor, action=action, obj=obj, scope=territory_scope(territory), changes=changes)


def _campaign_snapshot(campaign: AssessmentCampaign) -> dict[str, Any]:
    return {
        "title": campaign.title,
        "closes_on": campaign.closes_on.isoformat() if campaign.closes_on else None,
        "visibility": campaign.visibility,
        "status": campaign.status,
        "version": campaign.version.number if campaign.version_id else None,
    }


def _validate_campaign(campaign: AssessmentCampaign) -> None:
    try:
        campaign.full_clean(exclude=["territory", "version"])
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    if "closes_on" not in errors and campaign.closes_on and campaign.closes_on < campaign.opened_on:
        errors["closes_on"] = [_("A campaign cannot close before it opens.")]
    if errors:
        raise ValidationError(errors)


def campaign_open(
    *,
    actor: Any,
    territory: Territory,
    title: str,
    closes_on: datetime.date | None = None,
    visibility: str = Visibility.PRIVATE,
) -> AssessmentCampaign:
    """Open a campaign today on the current version of the référentiel."""
    if not can_run_assessment(actor, territory):
        raise PermissionDenied
    campaign = AssessmentCampaign(
        territory=territory,
        title=title.strip(),
        version=referential_current_version(),
        opened_on=timezone.localdate(),
        closes_on=closes_on,
        visibility=visibility,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate_campaign(campaign)
    with transaction.atomic():
        campaign.save()
        _audit(
            actor,
            "assessment_campaign.create",
            campaign,
            territory,
            changed_fields({}, _campaign_snapshot(campaign)),
        )
    return campaign


def campaign_update(*, actor: Any, campaign: AssessmentCampaign, **values: Any) -> AssessmentCampaign:
    if not can_run_assessment(actor, campaign.territory):
        raise PermissionDenied
    before = _campaign_snapshot(campaign)
    for name, value in values.items():
        if name not in CAMPAIGN_FIELDS:
            raise TypeError(f"campaigns have no field {name!r}")
        setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    try:
        _validate_campaign(campaign)
    except ValidationError:
        campaign.refresh_from_db()
        raise
    with transaction.atomic():
        campaign.save()
        if changes := changed_fields(before, _campaign_snapshot(campaign)):
            _audit(actor, "assessment_campaign.update", campaign, campaign.territory, changes)
    return campaign


def campaign_close(*, actor: Any, campaign: AssessmentCampaign) -> AssessmentCampaign:
    """Close the campaign today: its answers are final and its results join the history."""
    if not can_run_assessment(actor, campaign.territory):
        raise PermissionDenied
    with transaction.atomic():
        locked = AssessmentCampaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.is_open:
            raise ValidationError({"status": [_("This campaign is already closed.")]})
        before = _campaign_snapshot(campaign)
        campaign.status, campaign.closed_on = CampaignStatus.CLOSED, timezone.localdate()
        campaign.save(update_fields=["status", "closed_on", "updated_at"])
        _audit(
            actor,
            "assessment_campaign.close",
            campaign,
            campaign.territory,
            changed_fields(before, _campaign_snapshot(campaign)),
        )
    return campaign


def campaign_delete(*, actor: Any, campaign: AssessmentCampaign) -> None:
    if not can_run_assessment(actor, campaign.territory):
        raise PermissionDenied
    with transaction.atomic():
        snapshot = _campaign_snapshot(campaign) | {"responses": campaign.responses.count()}
        _audit(
            actor, "assessment_campaign.delete", campaign, campaign.territory, changed_fields(snapshot, {})
        )
        campaign.delete()


# Writes: responses -------------------------------------------------------------------------------


def _closed_error(campaign: AssessmentCampaign) -> ValidationError:
    closed_on = formats.date_format(campaign.closed_on, "DATE_FORMAT") if campaign.closed_on else ""
    return ValidationError(
        {
            "campaign": [
                _("This campaign closed on %(date)s: answers can no longer be given or changed.")
                % {"date": closed_on}
            ]
        }
    )


def _response_snapshot(
    response: AssessmentResponse, answers: Mapping[str, AnswerInput] | None = None
) -> dict:
    values: dict[str, Any] = {
        "respondent": response.respondent_id,
        "category": response.category.code if response.category_id else None,
        "role": response.role,
    }
    if answers is None:
        stored = response_answers(response) if response.pk else {}
        values["answers"] = {code: answer.level.code for code, answer in sorted(stored.items())}
    else:
        values["answers"] = {code: answer.level for code, answer in sorted(answers.items())}
    return values


def readable_evidence(viewer, territory: Territory) -> dict[str, QuerySet]:
    """The records of the territory an answer may link, by kind, as `viewer` reads them."""
    return {
        "journal_entries": visible_to(JournalEntry.objects.filter(territory=territory), viewer),
        "documents": documents_of(viewer, territory),
        "outcomes": visible_to(Outcome.objects.filter(territory=territory), viewer),
        "stories": visible_to(ChangeStory.objects.filter(territory=territory), viewer),
    }


def _answer_errors(
    viewer, campaign: AssessmentCampaign, form: Questionnaire, answers: Mapping[str, AnswerInput]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    questions = {question.code: question for question in form.questions}
    readable = readable_evidence(viewer, campaign.territory)
    for code, answer in answers.items():
        question = questions.get(code)
        if question is None:
            errors[code] = [_("%(code)s is not a question of this campaign.") % {"code": code}]
            continue
        scale = form.scale_for(question)
        if answer.level not in {level.code for level in scale}:
            errors[code] = [
                _("%(code)s: choose a level of the scale, from %(first)s to %(last)s.")
                % {"code": code, "first": scale[0].label, "last": scale[-1].label}
            ]
        for name, queryset in readable.items():
            chosen = {record.pk for record in getattr(answer, name)}
            if chosen and queryset.filter(pk__in=chosen).count() != len(chosen):
                errors.setdefault(code, []).append(
                    _("%(code)s: choose evidence of this territory.") % {"code": code}
                )
                break
    if not answers and not errors:
        errors["answers"] = [_("Answer at least one question.")]
    return errors


def _respondent_errors(
    viewer, response: AssessmentResponse, respondent_changed: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    territory = response.campaign.territory
    if response.category_id is None or response.category.grid.code != GROUP_GRID:
        errors["category"] = [_("Choose the respondent's group.")]
    person = response.respondent
    if respondent_changed and person is not None:
        if not nameable_actors(viewer, territory).filter(pk=person.pk).exists():
            errors["respondent"] = [_("Choose an actor of this territory.")]
        elif response.campaign.responses.filter(respondent=person).exclude(pk=response.pk).exists():
            errors["respondent"] = [_("This person has already answered this campaign.")]
    return errors


def _validate_response(
    viewer, response: AssessmentResponse, answers, form: Questionnaire, before: dict
) -> None:
    try:
        response.full_clean(exclude=["campaign", "respondent", "category"], validate_constraints=False)
        errors: dict[str, list[str]] = {}
    except ValidationError as error:
        errors = error.message_dict
    changed = response.respondent_id != before.get("respondent")
    for source in (
        _respondent_errors(viewer, response, changed),
        _answer_errors(viewer, response.campaign, form, answers),
    ):
        for name, messages in source.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _hidden_links(viewer, answer: AssessmentAnswer | None, territory: Territory) -> dict[str, list]:
    """Evidence of a stored answer that `viewer` cannot read: their edit keeps it."""
    if answer is None:
        return {}
    readable = readable_evidence(viewer, territory)
    return {
        name: list(getattr(answer, name).exclude(pk__in=readable[name].values("pk"))) for name in readable
    }


def _write_answers(
    viewer, response: AssessmentResponse, answers: Mapping[str, AnswerInput], form: Questionnaire
) -> None:
    stored = response_answers(response)
    questions = {question.code: question for question in form.questions}
    for code in set(stored) - set(answers):
        stored[code].delete()
    for code, given in answers.items():
        question = questions[code]
        level = next(level for level in form.scale_for(question) if level.code == given.level)
        answer = stored.get(code) or AssessmentAnswer(response=response, question=question)
        hidden = _hidden_links(viewer, stored.get(code), response.campaign.territory)
        answer.level, answer.evidence = level, given.evidence.strip()
        answer.save()
        for name in EVIDENCE_LINKS:
            getattr(answer, name).set(
                {record.pk: record for record in [*getattr(given, name), *hidden.get(name, [])]}.values()
            )


def response_save(
    *,
    actor: Any,
    campaign: AssessmentCampaign,
    category: Item,
    role: str,
    answers: Mapping[str, AnswerInput],
    respondent: Actor | None = None,
    response: AssessmentResponse | None = None,
) -> AssessmentResponse:
    """Record a respondent's answers, or replace those of `response`, while the campaign is open.
    A question left out is not answered (a response changed that way loses that answer)."""
    if response is None and not can_answer_assessment(actor, campaign.territory):
        raise PermissionDenied
    if response is not None and not can_edit_assessment_response(actor, response):
        raise PermissionDenied
    creating = response is None
    if creating:
        response = AssessmentResponse(
            campaign=campaign, recorded_by=actor if getattr(actor, "is_authenticated", False) else None
        )
    before = {} if creating else _response_snapshot(response)
    response.category, response.respondent, response.role = category, respondent, role.strip()
    form = questionnaire(campaign.version)
    with transaction.atomic():
        if not AssessmentCampaign.objects.select_for_update().get(pk=campaign.pk).is_open:
            raise _closed_error(AssessmentCampaign.objects.get(pk=campaign.pk))
        _validate_response(actor, response, answers, form, before)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:  # the same person recorded twice at the same moment
            raise ValidationError(
                {"respondent": [_("This person has already answered this campaign.")]}
            ) from None
        _write_answers(actor, response, answers, form)
        after = _response_snapshot(response, answers)
        if changes := changed_fields(before, after):
            action = "assessment_response.create" if creating else "assessment_response.update"
            _audit(actor, action, response, campaign.territory, changes)
    return response


def response_delete(*, actor: Any, response: AssessmentResponse) -> None:
    campaign = response.campaign
    if not can_edit_assessment_response(actor, response):
        raise PermissionDenied
    with transaction.atomic():
        if not AssessmentCampaign.objects.select_for_update().get(pk=campaign.pk).is_open:
            raise _closed_error(campaign)
        _audit(
            actor,
            "assessment_response.delete",
            response,
            campaign.territory,
            changed_fields(_response_snapshot(response), {}),
        )
        response.delete()
