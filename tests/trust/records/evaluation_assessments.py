from django.urls import reverse

from trajectoires.evaluation.assessments import AnswerInput, campaign_open, response_save
from trajectoires.referential.selectors import referential_item

from . import RecordCase


def _answered_campaign(territory, visibility, author):
    """A campaign opened by the territory admin, answered by the territory's editor.

    Only the admin runs a campaign (its own edit page is theirs alone: tests/api/
    test_assessments_api.py checks every role on it); what the matrix's writers — the admin and the
    editor — may change is the editor's response: its recorder and the admin, nobody else."""
    campaign = campaign_open(
        actor=author,
        territory=territory,
        title=f"Autoévaluation du mandat ({visibility})",
        visibility=visibility,
    )
    editor = territory.memberships.get(role="editor").user
    response_save(
        actor=editor,
        campaign=campaign,
        category=referential_item("actor_category", "agent"),
        role="Chargée de mission transition",
        answers={"K1": AnswerInput("M3"), "S1": AnswerInput("started")},
    )
    return campaign


def _editor_response_url(campaign) -> str:
    editor = campaign.territory.memberships.get(role="editor").user
    response = campaign.responses.get(recorded_by=editor)
    return reverse("assessments:response_edit", args=[campaign.territory.slug, campaign.pk, response.pk])


CASES = [
    RecordCase(
        name="self-assessment campaign",
        create=_answered_campaign,
        read_url=lambda campaign: reverse("assessments:detail", args=[campaign.territory.slug, campaign.pk]),
        write_url=_editor_response_url,
        api_url=lambda campaign: f"/api/v1/territories/{campaign.territory.slug}/assessments/{campaign.pk}",
        title=lambda campaign: campaign.title,
    ),
]
