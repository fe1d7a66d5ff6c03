"""The demo outcomes of each demo territory: four or five changes its harvester (the territory's demo
admin) observed in others — of different kinds, at least one unintended and one negative — each
linked to actions of the trajectory, sometimes to the actor of the map who changed, and
substantiated by one to three other actors of the map, who agree, partly agree or disagree. The
texts are in demo_evaluation.toml; one outcome per territory is kept private, the others are public.

Loaded through the services, so every outcome and every view is validated and audited. A territory
that already has an outcome is left as it is. Dates are counted back from today: an outcome is
never observed in the future, and a view is given after its outcome was observed.
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
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.models import Outcome
from trajectoires.evaluation.outcomes import outcome_create, substantiation_add
from trajectoires.planning.models import Action
from trajectoires.territories.models import Territory

from .demo_workspace import PLACES, Place

STORIES_FILE = Path(__file__).with_name("demo_evaluation.toml")

Story = dict[str, Any]  # a [stories.<key>] table of the TOML file
# The actors of the map a story names, by the start of their name in demo_workspace.CAST.
ACTOR_KEYS = {
    "council": "Conseil {council}",
    "state": "{state}",
    "chamber": "{chamber}",
    "coop": "Coopérative citoyenne",
    "association": "Association des habitants",
    "radio": "Radio locale",
    "executive": "L'exécutif",
    "councillor": "L'élue à la transition",
    "technician": "Le responsable technique",
    "state_officer": "La référente territoriale",
    "subprefect": "Le sous-préfet",
    "farmer": "L'agricultrice",
    "manager": "Le gérant de la coopérative",
    "president": "La présidente de l'association",
    "researcher": "La chercheuse",
    "journalist": "Le journaliste",
}
# The actions of the trajectory a story names, by the start of their title in demo_planning.ACTIONS.
ACTION_KEYS = {
    "programme": "Programme d'actions",
    "working_group": "Groupe de travail inter-services",
    "study": "Étude de faisabilité",
    "website": "Refonte du site internet",
}


@cache
def stories() -> dict[str, Any]:
    return tomllib.loads(STORIES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Setting:
    """What the demo records of the evaluation need of their territory: the outcomes here, and the
    stories of change (demo_stories)."""

    territory: Territory
    admin: Any  # the territory's demo admin, who harvests, frames, collects and records
    actors: dict[str, Actor]  # actor keys (ACTOR_KEYS, or demo_stories.ACTOR_KEYS) → actor
    actions: dict[str, Action]  # ACTION_KEYS → action
    where: dict[str, str]  # the territory's places and the names of its actors
    today: datetime.date

    def fill(self, text: str) -> str:
        return text.format(**self.where)


def evaluation_load() -> list[str]:
    """Harvest the outcomes of each demo territory that has none yet."""
    created = []
    for place in PLACES:
        territory = Territory.objects.get(name=place.territory)
        if territory.outcomes.exists():
            continue
        harvest = stories()["territories"][place.territory]
        words = {key: value for key, value in harvest.items() if isinstance(value, str)}
        setting = territory_setting(place, territory, ACTOR_KEYS, words)
        for key in harvest["outcomes"]:
            private = key == harvest["private"]
            _harvest(setting, stories()["stories"][key], Visibility.PRIVATE if private else Visibility.PUBLIC)
        created.append(f"outcomes of {place.territory}")
    return created


def territory_setting(
    place: Place, territory: Territory, actor_keys: dict[str, str], where: dict[str, str]
) -> Setting:
    """The setting of `place`'s territory: its demo admin, the actors of its map named by the start
    of their name (`actor_keys`, filled with the place), the actions of its trajectory by the start
    of their title (ACTION_KEYS), and the words its texts are filled with — the place's, then
    `where`."""
    actors = list(Actor.objects.filter(territory=territory))
    actions = list(Action.objects.filter(territory=territory))
    return Setting(
        territory=territory,
        admin=get_user_model().objects.get(email=place.admin),
        actors={
            key: next(actor for actor in actors if actor.name.startswith(start.format(**place.__dict__)))
            for key, start in actor_keys.items()
        },
        actions={
            key: next(action for action in actions if action.title.startswith(start))
            for key, start in ACTION_KEYS.items()
        },
        where={**place.__dict__, **where},
        today=timezone.localdate(),
    )


def _harvest(setting: Setting, story: Story, visibility: str) -> Outcome:
    """The outcome as its harvester writes it, then the views of the independent people."""
    observed_on = setting.today - datetime.timedelta(days=story["days_ago"])
    outcome = outcome_create(
        actor=setting.admin,
        territory=setting.territory,
        who=setting.fill(story["who"]),
        actor_record=setting.actors[story["actor"]] if story["actor"] else None,
        change_kind=story["kind"],
        description=setting.fill(story["description"]),
        observed_on=observed_on,
        place=setting.fill(story["place"]),
        significance=setting.fill(story["significance"]),
        contribution=setting.fill(story["contribution"]),
        intended=story["intended"],
        valence=story["valence"],
        actions=[setting.actions[key] for key in story["actions"]],
        visibility=visibility,
    )
    for view in story["views"]:
        substantiation_add(
            actor=setting.admin,
            outcome=outcome,
            substantiator=setting.actors[view["by"]],
            agreement=view["agreement"],
            comment=view["comment"],
            given_on=observed_on + datetime.timedelta(days=view["days_after"]),
        )
    return outcome
