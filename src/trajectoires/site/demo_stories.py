"""The demo stories of change: every demo territory looks for change in two domains over its last two
half-years; over each, three to five stories told by the people who lived them — named or
anonymous, public with their teller's consent, one kept private without it —, then a selection
round whose panel reads them all, selects one and says why, with a dissent in one of the two
rounds; the team verifies the selected story and tells its teller back. The texts are in
demo_stories.toml.

The periods are the last two half-years that ended at least READY_DAYS before the demo is loaded
(« Second semestre 2025 », « Premier semestre 2026 »…), so every date stays in the past. Written
through the services — domain_save, period_save, story_create, round_create, story_verify,
story_feedback — so every write is validated and audited; then the records' timestamps are dated
back to their business dates (the audit trail keeps the moment the demo recorded them). A
territory that already has a reporting period is left as it is.
"""

import datetime
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import ChangeStory, ReportingPeriod, SelectionRound
from trajectoires.evaluation.selection_rounds import round_create
from trajectoires.evaluation.stories import (
    domain_save,
    period_save,
    story_create,
    story_feedback,
    story_verify,
)
from trajectoires.territories.models import Territory

from .demo_controversies import stories as controversy_stories
from .demo_evaluation import ACTOR_KEYS as OUTCOME_ACTOR_KEYS
from .demo_evaluation import Setting, territory_setting
from .demo_workspace import PLACES

STORIES_FILE = Path(__file__).with_name("demo_stories.toml")

# The actors of the map a story names, by the start of their name in demo_workspace.CAST.
ACTOR_KEYS = {**OUTCOME_ACTOR_KEYS, "project_lead": "La cheffe de projet transition"}
PERIODS = ("first", "second")  # oldest first
READY_DAYS = 60  # a half-year is evaluated once it ended this long ago
ROUND_AFTER = datetime.timedelta(days=21)  # the panel meets three weeks after the period ends
VERIFIED_AFTER = datetime.timedelta(days=7)  # after the round
FEEDBACK_AFTER = datetime.timedelta(days=14)
DISSENT_FEEDBACK = (
    " Un membre du comité aurait retenu une autre histoire ; son avis est consigné dans le compte rendu."
)


@cache
def stories_file() -> dict[str, Any]:
    return tomllib.loads(STORIES_FILE.read_text(encoding="utf-8"))


def demo_periods(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The last two half-years that ended READY_DAYS or more before `today`, oldest first:
    (label, first day, last day)."""
    ready = today - datetime.timedelta(days=READY_DAYS)
    year = ready.year
    end = datetime.date(year, 6, 30) if ready < datetime.date(year, 12, 31) else datetime.date(year, 12, 31)
    if ready < end:
        end = datetime.date(year - 1, 12, 31)
    periods = []
    for _ in PERIODS:
        if end.month == 6:
            periods.append((f"Premier semestre {end.year}", datetime.date(end.year, 1, 1), end))
            end = datetime.date(end.year - 1, 12, 31)
        else:
            periods.append((f"Second semestre {end.year}", datetime.date(end.year, 7, 1), end))
            end = datetime.date(end.year, 6, 30)
    return periods[::-1]


def stories_load() -> list[str]:
    """Frame, collect and select the stories of change of each demo territory that has none yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.reporting_periods.exists():
            continue
        setting = territory_setting(
            place, territory, ACTOR_KEYS, controversy_stories()["where"][place.territory]
        )
        domains = {
            key: domain_save(
                actor=setting.admin, territory=territory, name=spec["name"], description=spec["description"]
            )
            for key, spec in stories_file()["domains"].items()
        }
        plan = stories_file()["territories"][place.territory]
        for key, (label, starts_on, ends_on) in zip(PERIODS, demo_periods(timezone.localdate()), strict=True):
            period = period_save(
                actor=setting.admin, territory=territory, label=label, starts_on=starts_on, ends_on=ends_on
            )
            told = {story_key: _collect(setting, period, domains, story_key) for story_key in plan[key]}
            _select(setting, period, told, plan[f"{key}_selected"], dissent=plan["dissent"] == key, panel=key)
        created.append(f"stories of change of {place.territory}")
    return created


def _collect(setting: Setting, period: ReportingPeriod, domains: dict, key: str) -> ChangeStory:
    """The story as its collector wrote it down, dated within its period."""
    spec = stories_file()["stories"][key]
    teller = setting.actors[spec["teller"]] if spec.get("teller") else None
    collected_on = period.starts_on + datetime.timedelta(days=spec["day"])
    story = story_create(
        actor=setting.admin,
        territory=setting.territory,
        period=period,
        domain=domains[spec["domain"]],
        title=spec["title"],
        teller=teller,
        teller_name=spec.get("teller_name", ""),
        anonymous=spec.get("anonymous", teller is None),
        consent_given=spec["consent"],
        collector=setting.admin.full_name if spec["collector"] == "admin" else spec["collector"],
        collected_on=collected_on,
        what_happened=setting.fill(spec["what_happened"]),
        why_significant=setting.fill(spec["why_significant"]),
        visibility=Visibility.PUBLIC if spec["consent"] else Visibility.PRIVATE,
        actors=[setting.actors[actor] for actor in spec["actors"]],
        actions=[setting.actions[action] for action in spec["actions"]],
    )
    moment = _at(collected_on, datetime.time(17))
    ChangeStory.objects.filter(pk=story.pk).update(created_at=moment, updated_at=moment)
    return story


def _select(
    setting: Setting,
    period: ReportingPeriod,
    told: dict[str, ChangeStory],
    key: str,
    *,
    dissent: bool,
    panel: str,
) -> SelectionRound:
    """The panel reads every story of the period and selects one; the team then verifies it and
    tells its teller back."""
    spec, members = stories_file()["stories"][key], stories_file()["panels"][panel]
    held_on = period.ends_on + ROUND_AFTER
    selection = round_create(
        actor=setting.admin,
        territory=setting.territory,
        period=period,
        panel=members["text"],
        held_on=held_on,
        considered=list(told.values()),
        selected=told[key],
        reasons=spec["reasons"],
        dissent=spec["dissent"] if dissent else "",
        panel_actors=[setting.actors[member] for member in members["actors"]],
        visibility=Visibility.PUBLIC,
    )
    selected = told[key]
    story_verify(
        actor=setting.admin,
        story=selected,
        verified_on=held_on + VERIFIED_AFTER,
        verification=spec["verification"],
    )
    story_feedback(
        actor=setting.admin,
        story=selected,
        feedback=spec["feedback"] + (DISSENT_FEEDBACK if dissent else ""),
        given_on=held_on + FEEDBACK_AFTER,
    )
    SelectionRound.objects.filter(pk=selection.pk).update(
        created_at=_at(held_on, datetime.time(20)), updated_at=_at(held_on, datetime.time(20))
    )
    ChangeStory.objects.filter(pk=selected.pk).update(
        updated_at=_at(held_on + FEEDBACK_AFTER, datetime.time(11))
    )
    return selection


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
