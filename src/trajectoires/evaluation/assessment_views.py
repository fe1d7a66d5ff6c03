"""The pages of the self-assessment: the campaigns with their history, one campaign with its results
(the radar overall and per posture, the spread between groups, the stop / start checklist) and its
respondents, and the writes — open, edit, close, delete a campaign; answer, change, delete a
response.

- Every page reads through the services' selectors; a campaign or a response the viewer may not
  read, and a write page the viewer may not use, answer 404 like a missing one.
- Who answered what is shown to the territory team only; anyone else reads the results, how many
  answered in each group, and their own responses.
- Each chart is drawn by `static/js/charts.js` from options built here and in
  `assessment_results`; a table of the same figures stands beside it as its text alternative.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .assessment_forms import AnswerForm, CampaignForm
from .assessment_results import (
    DISAGREEMENT,
    assessment_history,
    campaign_results,
    checklist_options,
    history_options,
    posture_radar_options,
    radar_options,
)
from .assessments import (
    access_campaign,
    access_response,
    campaign_close,
    campaign_delete,
    campaign_list,
    campaign_open,
    campaign_responses,
    campaign_update,
    can_read_respondents,
    questionnaire,
    readable_campaigns,
    response_answers,
    response_delete,
    response_save,
)
from .models import AssessmentResponse
from .permissions import can_answer_assessment, can_edit_assessment_response, can_run_assessment


@dataclass(frozen=True)
class ResponseRow:
    response: AssessmentResponse
    can_edit: bool


def runnable_campaign(request, slug: str, pk: int):
    """The territory and the campaign `request.user` may run (edit, close, delete), or a 404."""
    territory = territory_get(slug)
    campaign = access_campaign(request.user, territory, pk)
    if not can_run_assessment(request.user, territory):
        raise Http404
    return territory, campaign


def editable_response(request, slug: str, pk: int, response: int):
    """The territory, campaign and response `request.user` may change, or a 404."""
    territory = territory_get(slug)
    campaign = access_campaign(request.user, territory, pk)
    found = access_response(request.user, campaign, response)
    if not can_edit_assessment_response(request.user, found):
        raise Http404
    return territory, campaign, found


def saved_and_back(request, campaign, message: str):
    """After a write: back to the campaign, with what was done."""
    messages.success(request, message)
    return redirect("assessments:detail", slug=campaign.territory.slug, pk=campaign.pk)


# The campaigns and their history -----------------------------------------------------------------


def campaigns_page(request, slug: str):
    territory = territory_get(slug)
    history = assessment_history(readable_campaigns(request.user, territory))
    context = {
        "territory": territory,
        "campaigns": list(campaign_list(request.user, territory)),
        "history": history if history.campaigns else None,
        "history_chart": history_options(history) if history.campaigns else None,
        "can_run": can_run_assessment(request.user, territory),
    }
    return render(request, "evaluation/assessments.html", context)


def campaign_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    campaign = access_campaign(request.user, territory, pk)
    results = campaign_results(campaign)
    user = request.user
    user_id = user.pk if user.is_authenticated else None
    rows = [
        ResponseRow(response, campaign.is_open and can_edit_assessment_response(user, response))
        for response in campaign_responses(user, campaign)
    ]
    can_run = can_run_assessment(user, territory)
    can_answer = campaign.is_open and can_answer_assessment(user, territory)
    answered = bool(results.respondents)
    postures = list(zip(results.postures, posture_radar_options(results), strict=True)) if answered else []
    context = {
        "territory": territory,
        "campaign": campaign,
        "results": results,
        "radar_chart": radar_options(results, name=campaign.title) if answered else None,
        "postures": [
            (f"posture-chart-{index}", posture, options)
            for index, (posture, (_item, options)) in enumerate(postures, start=1)
        ],
        "key_action_rows": list(zip(results.key_actions, results.spread, strict=True)),
        "checklist_levels": results.checklist[0].distribution if results.checklist else [],
        "checklist_chart": checklist_options(results) if answered else None,
        "disagreement": DISAGREEMENT,
        "team": can_read_respondents(user, campaign),
        "responses": rows,
        "own": [row for row in rows if user_id is not None and row.response.recorded_by_id == user_id],
        "can_run": can_run,
        "can_close": can_run and campaign.is_open,
        "can_answer": can_answer,
        "has_actions": can_run or can_answer,
    }
    return render(request, "evaluation/assessment.html", context)


# Open, change, close, delete a campaign ----------------------------------------------------------


@login_required
def campaign_new(request, slug: str):
    territory = territory_get(slug)
    if not can_run_assessment(request.user, territory):
        raise Http404
    form = CampaignForm(request.POST or None)

    def save():
        return campaign_open(actor=request.user, territory=territory, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        return saved_and_back(request, saved, _("The campaign was opened."))
    context = {"territory": territory, "form": form, "campaign": None}
    return render(request, "evaluation/assessment_form.html", context)


@login_required
def campaign_edit(request, slug: str, pk: int):
    territory, campaign = runnable_campaign(request, slug, pk)
    form = CampaignForm.for_campaign(campaign, request.POST or None)

    def save():
        return campaign_update(actor=request.user, campaign=campaign, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, campaign, _("The campaign was saved."))
    context = {"territory": territory, "form": form, "campaign": campaign}
    return render(request, "evaluation/assessment_form.html", context)


@login_required
def campaign_close_page(request, slug: str, pk: int):
    territory, campaign = runnable_campaign(request, slug, pk)
    errors = []
    if request.method == "POST":
        try:
            campaign_close(actor=request.user, campaign=campaign)
        except ValidationError as error:
            errors = error.messages
        else:
            return saved_and_back(request, campaign, _("The campaign was closed."))
    context = {"territory": territory, "campaign": campaign, "errors": errors}
    return render(request, "evaluation/assessment_close.html", context)


@login_required
def campaign_remove(request, slug: str, pk: int):
    territory, campaign = runnable_campaign(request, slug, pk)
    if request.method == "POST":
        campaign_delete(actor=request.user, campaign=campaign)
        messages.success(request, _("The campaign was deleted."))
        return redirect("assessments:index", slug=territory.slug)
    context = {"territory": territory, "campaign": campaign, "responses": campaign.responses.count()}
    return render(request, "evaluation/assessment_delete.html", context)


# Answer, change, delete a response ---------------------------------------------------------------


@login_required
def answer_new(request, slug: str, pk: int):
    territory = territory_get(slug)
    campaign = access_campaign(request.user, territory, pk)
    if not can_answer_assessment(request.user, territory):
        raise Http404
    form = AnswerForm(
        request.POST or None,
        viewer=request.user,
        campaign=campaign,
        questions=questionnaire(campaign.version),
    )

    def save():
        return response_save(actor=request.user, campaign=campaign, **form.service_values())

    return _answer_page(request, territory, campaign, form, None, save, _("Your answers were recorded."))


@login_required
def response_edit(request, slug: str, pk: int, response: int):
    territory, campaign, found = editable_response(request, slug, pk, response)
    form = AnswerForm.for_response(
        found,
        response_answers(found),
        request.POST or None,
        viewer=request.user,
        campaign=campaign,
        questions=questionnaire(campaign.version),
    )

    def save():
        return response_save(actor=request.user, campaign=campaign, response=found, **form.service_values())

    return _answer_page(request, territory, campaign, form, found, save, _("The answers were saved."))


def _answer_page(request, territory, campaign, form, response, save, message: str):
    def save_on_the_form():
        try:
            return save()
        except ValidationError as error:
            raise form.field_errors(error) from None

    if saved_through(request, form, save_on_the_form):
        return saved_and_back(request, campaign, message)
    context = {
        "territory": territory,
        "campaign": campaign,
        "form": form,
        "response": response,
        "postures": form.postures(),
        "stop": form.stop(),
        "start": form.start(),
        "error_summary": form.error_summary() if form.is_bound else [],
    }
    return render(request, "evaluation/assessment_answer.html", context)


@login_required
def response_remove(request, slug: str, pk: int, response: int):
    territory, campaign, found = editable_response(request, slug, pk, response)
    errors = []
    if request.method == "POST":
        try:
            response_delete(actor=request.user, response=found)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = error.messages
        else:
            return saved_and_back(request, campaign, _("The response was deleted."))
    context = {"territory": territory, "campaign": campaign, "response": found, "errors": errors}
    return render(request, "evaluation/assessment_response_delete.html", context)
