"""The demo self-assessments of each demo territory: last year's campaign and this year's, both
closed and public, so that the territory's history has two points and shows progress on several
key actions, and a third campaign opened to the partners a few days ago, still open, with two
responses. Each closed campaign has five to seven respondents of several groups (élus, agents,
État territorial, socio-économique…), answering all ten key actions and most of the stop / start
checklist; in the second one, élus and agents clearly disagree on one or two key actions. The levels,
roles and evidence are in demo_assessments.toml.

The responses are those of a workshop, recorded afterwards by the territory's demo admin with each
respondent's group and role, and the person of the map they are when there is one (never twice in a
campaign). Everything is written through the services — campaign_open, response_save,
campaign_close — so every write is validated and audited; then the campaigns are dated back over
the months they covered (`_date_the_campaign`): only their business dates, the audit trail keeps
the moment the demo recorded them. A territory that already has a campaign is left as it is.
"""

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from trajectoires.cooperation.models import Actor
from trajectoires.evaluation.assessments import (
    AnswerInput,
    campaign_close,
    campaign_open,
    response_save,
)
from trajectoires.evaluation.models import AssessmentCampaign, AssessmentResponse
from trajectoires.referential.selectors import referential_items
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.models import Territory

from .demo_workspace import PLACES, Place

ANSWERS_FILE = Path(__file__).with_name("demo_assessments.toml")

# The journal entries an answer's evidence points to, by the start of their title in
# demo_workspace.JOURNAL (public entries only: the campaigns they support are public).
JOURNAL_KEYS = {
    "seminar": "Séminaire des élus et des agents",
    "vision": "Le conseil adopte la vision",
    "workshop": "Atelier citoyen avec l'association des habitants",
    "pilot_season": "Première saison réussie du projet pilote",
}
# The levels as the TOML writes them: 1–5 on the maturity scale, 0–3 on the checklist's, "-" none.
MATURITY = {str(score): f"M{score}" for score in range(1, 6)}
PROGRESS = {"0": "not_started", "1": "started", "2": "well_advanced", "3": "achieved"}
UNANSWERED = "-"
SERIES = {"K": ("K", MATURITY), "S": ("S", PROGRESS), "C": ("C", PROGRESS)}
RECORDED_AT = datetime.time(17)  # after the workshop


@cache
def answers_file() -> dict[str, Any]:
    return tomllib.loads(ANSWERS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Setting:
    """What the campaigns need of their territory."""

    territory: Territory
    admin: Any  # the territory's demo admin, who runs the campaigns and records the responses
    actors: list[Actor]
    where: dict[str, str]  # the territory's words and the names of its actors
    today: datetime.date

    def fill(self, text: str) -> str:
        return text.format(**self.where)

    def person(self, start: str) -> Actor | None:
        if not start:
            return None
        return next(actor for actor in self.actors if actor.kind == "person" and actor.name.startswith(start))

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)


def assessments_load() -> list[str]:
    """Run the self-assessment campaigns of each demo territory that has none yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.assessment_campaigns.exists():
            continue
        setting = _setting(place, territory)
        answers = answers_file()["territories"][place.territory]["campaigns"]
        for spec in answers_file()["campaigns"]:
            _run(setting, spec, answers[spec["key"]])
        created.append(f"self-assessments of {place.territory}")
    return created


def _setting(place: Place, territory: Territory) -> Setting:
    words = answers_file()["territories"][place.territory]
    return Setting(
        territory=territory,
        admin=get_user_model().objects.get(email=place.admin),
        actors=list(Actor.objects.filter(territory=territory).order_by("pk")),
        where={**place.__dict__, **{key: value for key, value in words.items() if isinstance(value, str)}},
        today=timezone.localdate(),
    )


def _run(setting: Setting, spec: dict[str, Any], responses: dict[str, Any]) -> AssessmentCampaign:
    """Open the campaign, record its responses, close it if it is over, then date it back."""
    closes_in = spec.get("closes_in_days")
    campaign = campaign_open(
        actor=setting.admin,
        territory=setting.territory,
        title=spec["title"],
        closes_on=setting.day(-closes_in) if closes_in is not None else None,
        visibility=spec["visibility"],
    )
    # The evidence a respondent gives is dated: no entry written after the campaign closed.
    until = setting.day(spec.get("closed_days_ago", 0))
    groups = {item.code: item for item in referential_items("actor_category", version=campaign.version)}
    for who, given in responses.items():
        respondent = answers_file()["respondents"][who]
        response_save(
            actor=setting.admin,
            campaign=campaign,
            category=groups[respondent["group"]],
            role=setting.fill(respondent["role"]),
            answers=_answers(setting, given, until),
            respondent=setting.person(respondent["actor"]),
        )
    if "closed_days_ago" in spec:
        campaign = campaign_close(actor=setting.admin, campaign=campaign)
    _date_the_campaign(setting, campaign, spec)
    return campaign


def _answers(setting: Setting, given: dict[str, Any], until: datetime.date) -> dict[str, AnswerInput]:
    evidence = {}
    for key in given.get("evidence", []):
        said = answers_file()["evidence"][key]
        evidence[said["question"]] = (setting.fill(said["text"]), _entries(setting, said["journal"], until))
    answers = {}
    for series, (prefix, scale) in SERIES.items():
        for number, level in enumerate(given[series].split(), start=1):
            code = f"{prefix}{number}"
            if level == UNANSWERED:
                continue
            text, entries = evidence.pop(code, ("", []))
            answers[code] = AnswerInput(level=scale[level], evidence=text, journal_entries=entries)
    if evidence:
        raise ValueError(f"evidence for unanswered questions: {sorted(evidence)}")
    return answers


def _entries(setting: Setting, keys: list[str], until: datetime.date) -> list[JournalEntry]:
    entries = JournalEntry.objects.filter(territory=setting.territory, occurred_on__lte=until)
    return [entry for key in keys for entry in entries.filter(title__startswith=JOURNAL_KEYS[key])[:1]]


def _date_the_campaign(setting: Setting, campaign: AssessmentCampaign, spec: dict[str, Any]) -> None:
    """Date the campaign and its responses back over the weeks it was open: opened, then one
    response every few days after each workshop, then closed (on the planned day)."""

    def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    opened_on = setting.day(spec["opened_days_ago"])
    responses = list(campaign.responses.order_by("recorded_at", "pk"))
    recorded = [opened_on + datetime.timedelta(days=2 + 4 * index) for index in range(len(responses))]
    for response, day in zip(responses, recorded, strict=True):
        AssessmentResponse.objects.filter(pk=response.pk).update(
            recorded_at=at(day, RECORDED_AT), updated_at=at(day, RECORDED_AT)
        )
    dates: dict[str, Any] = {"opened_on": opened_on, "created_at": at(opened_on, datetime.time(9))}
    if "closed_days_ago" in spec:
        closed_on = setting.day(spec["closed_days_ago"])
        if recorded and recorded[-1] > closed_on:
            raise ValueError(f"{campaign.title}: more responses than days open")
        dates |= {"closes_on": closed_on, "closed_on": closed_on, "updated_at": at(closed_on, RECORDED_AT)}
    else:
        dates["updated_at"] = at(recorded[-1], RECORDED_AT) if recorded else dates["created_at"]
    AssessmentCampaign.objects.filter(pk=campaign.pk).update(**dates)
