"""The demo controversies of each demo territory: one left at each stage of the life cycle — reported
(kept private while the team qualifies it), being instructed, in deliberation, decided, followed up —
and one decided then reopened, each with its parties (actors of the map and groups of inhabitants),
expertise, états de la controverse, decision and follow-up. The stories are in
demo_controversies.toml: eight conflicts (a wind farm, a pedestrianised centre, water shared between
farming and tourism…), each told in full and left at a different stage from territory to territory.

Loaded through the services, so every move is a real, audited transition — but told to no one: the
demo's history sends no e-mail to the parties. A territory that already has a controversy is left
as it is. Dates of expertise and follow-up are counted from today: the services refuse expertise
dated in the future, and the moves happen now. Once told, each story's steps are dated back over
the months it covers (`_date_the_history`), so that its timeline reads in the order of its
expertise: reported, then instructed while the expertise is gathered, then deliberated and decided.
The audit trail keeps the moment the demo recorded them.
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
from trajectoires.governance.controversies import controversy_report, is_reopening
from trajectoires.governance.controversy_lifecycle import controversy_move, decision_write
from trajectoires.governance.controversy_records import (
    expertise_add,
    follow_up_add,
    follow_up_done,
    party_add,
    state_cosign,
    state_write,
)
from trajectoires.governance.models import (
    Controversy,
    ControversyStage,
    Decision,
    ParticipationSpace,
    Party,
    StageTransition,
    StateOfControversy,
)
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .demo_workspace import PLACES, Place

STORIES_FILE = Path(__file__).with_name("demo_controversies.toml")

Stage = ControversyStage
Story = dict[str, Any]  # a [stories.<key>] table of the TOML file
REOPENED = "reopened"
# Where each story stops, in the order of `assigned`; the reopened one goes to « decided » first.
LEFT_AT = (Stage.REPORTED, Stage.INSTRUCTING, Stage.DELIBERATING, Stage.DECIDED, Stage.FOLLOWED_UP, REOPENED)
# The actors of the map a story names, by the start of their name in demo_workspace.CAST.
ACTOR_KEYS = {
    "services": "Services de {services}",
    "council": "Conseil {council}",
    "state": "{state}",
    "prefecture": "{prefecture}",
    "chamber": "{chamber}",
    "coop": "Coopérative citoyenne",
    "association": "Association des habitants",
    "lab": "Laboratoire universitaire",
    "farmer": "L'agricultrice",
    "researcher": "La chercheuse",
}
FORUMS = {
    "council": "Conseil de développement (démonstration)",
    "workshop": "Atelier citoyen des mobilités (démonstration)",
}
REASONS = {
    Stage.INSTRUCTING: "Les parties sont connues : l'instruction commence dans l'espace de participation.",
    Stage.DELIBERATING: "L'expertise est réunie, l'état de la controverse partagé : place à la délibération.",
    Stage.DECIDED: "La délibération est close : la décision dit ce qu'elle doit à l'instruction.",
    Stage.FOLLOWED_UP: "Les premières actions de suivi sont faites ; les autres ont leur échéance.",
}


@cache
def stories() -> dict[str, Any]:
    return tomllib.loads(STORIES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Setting:
    """What a story needs of its territory."""

    territory: Territory
    author: Any  # the territory's demo admin
    actors: dict[str, Actor]  # ACTOR_KEYS → actor
    forums: dict[str, ParticipationSpace]
    where: dict[str, str]
    today: datetime.date

    def fill(self, text: str) -> str:
        return text.format(**self.where)


def controversies_load() -> list[str]:
    """Create the controversies of each demo territory that has none yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.controversies.exists():
            continue
        setting = _setting(place, territory)
        for left_at, key in zip(LEFT_AT, stories()["assigned"][place.territory], strict=True):
            story = stories()["stories"][key]
            _date_the_history(setting, _tell(setting, story, left_at), story)
        created.append(f"controversies of {place.territory}")
    return created


def _setting(place: Place, territory: Territory) -> Setting:
    actors = list(Actor.objects.filter(territory=territory))
    named = {
        key: next(actor for actor in actors if actor.name.startswith(start.format(**place.__dict__)))
        for key, start in ACTOR_KEYS.items()
    }
    spaces = {space.name: space for space in territory.participation_spaces.all()}
    return Setting(
        territory=territory,
        author=get_user_model().objects.get(email=place.admin),
        actors=named,
        forums={key: spaces[name] for key, name in FORUMS.items()},
        where=stories()["where"][place.territory],
        today=timezone.localdate(),
    )


def _tell(setting: Setting, story: Story, left_at: str) -> Controversy:
    """Report the controversy and take it through the life cycle as far as `left_at`."""
    reported = left_at == Stage.REPORTED
    controversy = controversy_report(
        actor=setting.author,
        territory=setting.territory,
        subject=setting.fill(story["subject"]),
        description=setting.fill(story["description"]),
        forum=None if reported else setting.forums[story["forum"]],
        subject_areas=list(referential_items("essential_need").filter(code__in=story["areas"])),
        visibility="private" if reported else "public",  # reported: the team qualifies it first
    )
    parties = _parties(setting, controversy, story["parties"][: 1 if reported else None])
    if reported:
        return controversy
    _move(setting, controversy, Stage.INSTRUCTING)
    _expertise(setting, controversy, story["expertise"])
    _state(setting, controversy, story["states"][0], parties)
    if left_at == Stage.INSTRUCTING:
        return controversy
    _move(setting, controversy, Stage.DELIBERATING)
    _state(setting, controversy, story["states"][1], parties)
    if left_at == Stage.DELIBERATING:
        return controversy
    _decide(setting, controversy, story)
    if left_at == REOPENED:
        _move(setting, controversy, Stage.INSTRUCTING, reason=story["reopening"])
    elif left_at in (Stage.DECIDED, Stage.FOLLOWED_UP):
        _follow_up(setting, controversy, story["follow_ups"], carried_out=left_at == Stage.FOLLOWED_UP)
    return controversy


def _move(setting: Setting, controversy: Controversy, to_stage: str, reason: str = "") -> None:
    controversy_move(
        actor=setting.author,
        controversy=controversy,
        to_stage=to_stage,
        reason=setting.fill(reason or REASONS[to_stage]),
        notify=False,
    )


def _parties(setting: Setting, controversy: Controversy, parties: list[dict]) -> list[Party]:
    return [
        party_add(
            actor=setting.author,
            controversy=controversy,
            actor_record=setting.actors.get(party["who"]),
            group_name="" if party["who"] in setting.actors else party["who"],
            position=setting.fill(party["position"]),
            arguments=setting.fill(party["arguments"]),
            sources=party["sources"],
            declared_interests=party["interests"],
        )
        for party in parties
    ]


def _expertise(setting: Setting, controversy: Controversy, expertise: list[dict]) -> None:
    for expert in expertise:
        expertise_add(
            actor=setting.author,
            controversy=controversy,
            kind=expert["kind"],
            title=expert["title"],
            dated=setting.today - datetime.timedelta(days=expert["days_ago"]),
            summary=setting.fill(expert["summary"]),
            source=expert["source"],
        )


def _state(setting: Setting, controversy: Controversy, text: dict, parties: list[Party]) -> None:
    state = state_write(
        actor=setting.author,
        controversy=controversy,
        statement=setting.fill(text["statement"]),
        minority_view=setting.fill(text["minority_view"]),
        signatories=[parties[index] for index in text["signed_by"]],
    )
    for index in text["cosigned_by"]:  # a party that signed once it had read the version
        state_cosign(actor=setting.author, state=state, party=parties[index])


def _decide(setting: Setting, controversy: Controversy, story: Story) -> None:
    titles = [f"{title} (démonstration)" for title in story["related"]]
    decision_write(
        actor=setting.author,
        controversy=controversy,
        decision_text=setting.fill(story["decision"]),
        instruction_use=setting.fill(story["instruction_use"]),
        related_decisions=list(Decision.objects.filter(territory=setting.territory, title__in=titles)),
    )
    _move(setting, controversy, Stage.DECIDED)


def _follow_up(setting: Setting, controversy: Controversy, actions: list[dict], *, carried_out: bool) -> None:
    """Plan the follow-up actions; once carried out, mark the first ones done and close the cycle."""
    for action in actions:
        follow_up = follow_up_add(
            actor=setting.author,
            controversy=controversy,
            action=action["action"],
            due_on=setting.today + datetime.timedelta(days=action["due_in_days"]),
        )
        if carried_out and action["done"]:
            follow_up_done(actor=setting.author, follow_up=follow_up, done_on=setting.today)
    if carried_out:
        _move(setting, controversy, Stage.FOLLOWED_UP)


# Days before today of each step, from the story's expertise (gathered while it is instructed).
def _step_days(story: Story) -> dict[str, int]:
    gathered = [expert["days_ago"] for expert in story["expertise"]] or [60]
    first, last = max(gathered), min(gathered)
    return {
        Stage.REPORTED: first + 30,
        Stage.INSTRUCTING: first + 10,
        Stage.DELIBERATING: last - 20,
        Stage.DECIDED: last - 50,
        REOPENED: 10,
    }


def _date_the_history(setting: Setting, controversy: Controversy, story: Story) -> None:
    """Date the steps the demo just recorded back over the story's months (the last move of a
    followed-up story stays today)."""
    days = _step_days(story)

    def at(key: str) -> datetime.datetime:
        moment = datetime.datetime.combine(
            setting.today - datetime.timedelta(days=days[key]), datetime.time(10)
        )
        return timezone.make_aware(moment)

    steps = list(controversy.transitions.order_by("at", "id"))
    for step in steps:
        key = REOPENED if is_reopening(step.from_stage, step.to_stage) else step.to_stage
        if key in days:
            step.at = at(key)
            StageTransition.objects.filter(pk=step.pk).update(at=step.at)
    states = list(controversy.states.order_by("number"))
    for state, key in zip(states, (Stage.INSTRUCTING, Stage.DELIBERATING), strict=False):
        StateOfControversy.objects.filter(pk=state.pk).update(written_at=at(key) + datetime.timedelta(days=5))
    decided = next((step.at for step in steps if step.to_stage == Stage.DECIDED), None)
    Controversy.objects.filter(pk=controversy.pk).update(
        created_at=at(Stage.REPORTED),
        stage_changed_at=steps[-1].at,
        decided_on=decided.date() if decided else None,
    )
