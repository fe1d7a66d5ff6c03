"""The synthetic self-assessments of each territory, for `trajectoires bench`: two public campaigns a
year apart, both closed (the two points of the territory's history), each with eight responses of
four respondent groups answering all twenty questions — the ten key actions on the maturity scale,
the stop / start checklist on the progress scale — with one evidence sentence in four. Every other
respondent is a person of the map, never twice in a campaign. The second campaign is a level higher
on average, and élus see the key actions higher than agents.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py. Dates are counted back from `now`."""

import datetime
import random

from django.urls import reverse

from trajectoires.cooperation.models import Actor
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.assessments import questionnaire
from trajectoires.evaluation.models import (
    AssessmentAnswer,
    AssessmentCampaign,
    AssessmentResponse,
    CampaignStatus,
)
from trajectoires.referential.selectors import referential_current_version, referential_items
from trajectoires.territories.models import Territory, TerritoryMembership

RESPONSES = 8
GROUPS = ["elu", "agent", "etat_territorial", "socio_economique"]  # two respondents each
BIAS = {"elu": 1, "agent": -1}  # élus see the key actions higher than agents do
# title, days before `now` it opened and closed, levels added to every answer
CAMPAIGNS = [
    ("Autoévaluation synthétique 2025", 400, 368, 0),
    ("Autoévaluation synthétique 2026", 75, 40, 1),
]
TEXT = "Texte synthétique pour la mesure."
DAY = datetime.timedelta(days=1)


def has_assessments(territories: list[int]) -> bool:
    return AssessmentCampaign.objects.filter(territory_id__in=territories[:1]).exists()


def generate_assessments(territories: list[int], rng: random.Random, now) -> None:
    version = referential_current_version()
    form = questionnaire(version)
    groups = {item.code: item.pk for item in referential_items("actor_category", version=version)}
    admins = dict(
        TerritoryMembership.objects.filter(territory_id__in=territories, role="admin").values_list(
            "territory_id", "user_id"
        )
    )
    people: dict[int, list[int]] = {}
    for territory, pk in (
        Actor.objects.filter(territory_id__in=territories, kind="person")
        .order_by("pk")
        .values_list("territory_id", "pk")
    ):
        people.setdefault(territory, []).append(pk)
    today = now.date()
    insert_rows(
        AssessmentCampaign,
        ("territory_id", "title", "version_id", "opened_on", "closes_on", "closed_on", "status",
         "visibility", "author_id", "created_at", "updated_at"),
        [(t, title, version.pk, today - DAY * opened, today - DAY * closed, today - DAY * closed,
          CampaignStatus.CLOSED, Visibility.PUBLIC, admins.get(t), now, now)
         for t in territories for title, opened, closed, _bias in CAMPAIGNS],
    )  # fmt: skip
    campaigns = list(
        AssessmentCampaign.objects.filter(territory_id__in=territories)
        .order_by("pk")
        .values_list("pk", "territory_id", "title")
    )
    bias = {title: level for title, _opened, _closed, level in CAMPAIGNS}
    insert_rows(
        AssessmentResponse,
        ("campaign_id", "respondent_id", "category_id", "role", "recorded_by_id", "recorded_at",
         "updated_at"),
        [(c, _respondent(people.get(t, []), n), groups[GROUPS[n % len(GROUPS)]], f"Rôle synthétique {n}",
          admins.get(t), now, now)
         for c, t, _title in campaigns for n in range(RESPONSES)],
    )  # fmt: skip
    made = AssessmentResponse.objects.filter(campaign__territory_id__in=territories).order_by("pk")
    titles = {pk: title for pk, _territory, title in campaigns}
    rows = []
    for response, campaign, category in made.values_list("pk", "campaign_id", "category__code"):
        shift = bias[titles[campaign]] + BIAS.get(category, 0)
        for question in form.questions:
            scale = form.scale_for(question)
            drawn = rng.randrange(len(scale)) + (shift if question.grid.code == "key_action" else shift // 2)
            level = scale[min(len(scale) - 1, max(0, drawn))]
            rows.append((response, question.pk, level.pk, TEXT if rng.random() < 0.25 else ""))
    insert_rows(AssessmentAnswer, ("response_id", "question_id", "level_id", "evidence"), rows)


def _respondent(people: list[int], n: int) -> int | None:
    """Every other respondent is a person of the map, a different one each time."""
    return people[n // 2] if n % 2 == 0 and n // 2 < len(people) else None


def assessment_pages(territory: Territory) -> tuple[dict[str, str], dict[str, str]]:
    """What the bench measures of the self-assessments: pages read by a visitor, and by the
    territory admin (the latest campaign, with its results, and the history of two)."""
    campaign = AssessmentCampaign.objects.filter(territory=territory).order_by("-opened_on").first()
    detail = reverse("assessments:detail", kwargs={"slug": territory.slug, "pk": campaign.pk})
    index = reverse("assessments:index", kwargs={"slug": territory.slug})
    api = f"/api/v1/territories/{territory.slug}/assessments/{campaign.pk}"
    return (
        {"self-assessment campaign page, anonymous (results of 8)": detail},
        {
            "self-assessment campaign page, territory admin (8 responses, results)": detail,
            "self-assessments, territory admin (history of 2 campaigns)": index,
            "API: self-assessment campaign": api,
        },
    )
