"""How far the team's trainings reach (K7; F3), for the team page and the dashboard.

`training_coverage`: of the élus and agents of the territory — persons only, as the
viewer may read them — how many took part in at least one change-management training the viewer
may read; and, for each of the « 4 Fantastiques », how many of its actors took part in a training,
in how many trainings, for how many person-hours. Hidden records count for no one: a visitor's
figures come from public trainings and public actors only.

The chart of the coverage is built here as plain ECharts options (`static/js/charts.js` draws it);
the page shows the same figures in a table.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from trajectoires.cooperation.actor_selectors import readable_actors
from trajectoires.cooperation.models import ActorKind
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory
from trajectoires.territories.permissions import visible_to

from .models import Training

COVERED_CATEGORIES = ("elu", "agent")  # change-management coverage is followed among these


@dataclass(frozen=True)
class CoverageRow:
    """The persons of one category and how many of them took part in a change-management training."""

    category: Item
    people: int
    trained: int

    @property
    def untrained(self) -> int:
        return self.people - self.trained

    @property
    def share(self) -> float | None:
        """The share trained, from 0 to 1; None when there is no one."""
        return self.trained / self.people if self.people else None


@dataclass(frozen=True)
class CategoryParticipation:
    """How one of the « 4 Fantastiques » takes part in the trainings: its actors on the map, those
    who attended at least one training, the trainings they attended, and their person-hours."""

    category: Item
    actors: int
    participants: int
    trainings: int
    person_hours: Decimal


@dataclass(frozen=True)
class TrainingCoverage:
    trainings: int
    hours: Decimal
    training_actions: int
    change_management: int
    coverage: tuple[CoverageRow, ...]
    fantastiques: tuple[CategoryParticipation, ...]

    @property
    def people(self) -> int:
        return sum(row.people for row in self.coverage)

    @property
    def trained(self) -> int:
        return sum(row.trained for row in self.coverage)

    @property
    def share(self) -> float | None:
        """The share trained, from 0 to 1; None when there is no one."""
        return self.trained / self.people if self.people else None

    @property
    def absent_fantastiques(self) -> list[Item]:
        """The « 4 Fantastiques » categories no participant of a training belongs to."""
        return [row.category for row in self.fantastiques if not row.participants]


def _hours(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.1"))


def training_coverage(viewer, territory: Territory) -> TrainingCoverage:
    """The territory's training figures as `viewer` may read them (five queries, whatever the
    number of trainings and actors): totals, the change-management coverage of the élus and the
    agents (persons only), and the participation of each of the « 4 Fantastiques »."""
    trainings = visible_to(Training.objects.filter(territory=territory), viewer)
    actors = readable_actors(viewer, territory)
    attended = trainings.filter(participants=OuterRef("pk"))
    by_category = {
        (row["category__code"], row["kind"]): row
        for row in actors.order_by()
        .values("category__code", "kind")
        .annotate(
            total=Count("id"),
            trained=Count("id", filter=Q(Exists(attended.filter(change_management=True)))),
            attending=Count("id", filter=Q(Exists(attended))),
        )
    }
    Participation = Training.participants.through
    taking_part = {
        row["actor__category__code"]: row
        for row in Participation.objects.filter(
            training__in=trainings.values("pk"), actor__in=actors.values("pk")
        )
        .order_by()
        .values("actor__category__code")
        .annotate(trainings=Count("training", distinct=True), person_hours=Sum("training__hours"))
    }
    totals = trainings.aggregate(
        count=Count("id"),
        hours=Sum("hours"),
        actions=Count("id", filter=Q(is_training_action=True)),
        change=Count("id", filter=Q(change_management=True)),
    )
    categories = list(referential_items("actor_category"))

    def count(code: str, field: str, kinds: Iterable[str]) -> int:
        return sum(by_category.get((code, kind), {}).get(field, 0) for kind in kinds)

    every_kind = ActorKind.values
    coverage = tuple(
        CoverageRow(
            item,
            count(item.code, "total", [ActorKind.PERSON]),
            count(item.code, "trained", [ActorKind.PERSON]),
        )
        for item in categories
        if item.code in COVERED_CATEGORIES
    )
    fantastiques = tuple(
        CategoryParticipation(
            category=item,
            actors=count(item.code, "total", every_kind),
            participants=count(item.code, "attending", every_kind),
            trainings=taking_part.get(item.code, {}).get("trainings", 0),
            person_hours=_hours(taking_part.get(item.code, {}).get("person_hours")),
        )
        for item in categories
        if item.extra.get("fantastique")
    )
    return TrainingCoverage(
        trainings=totals["count"],
        hours=_hours(totals["hours"]),
        training_actions=totals["actions"],
        change_management=totals["change"],
        coverage=coverage,
        fantastiques=fantastiques,
    )


# Trained and not (yet) trained are told apart by a pattern and by the figures on the bars, not by
# colour alone; Okabe & Ito's colours, readable by colour-blind people.
TRAINED_COLOUR, UNTRAINED_COLOUR = "#009E73", "#E69F00"
HATCHED = {
    "symbol": "rect",
    "dashArrayX": [1, 0],
    "dashArrayY": [3, 5],
    "rotation": -0.785,
    "color": "#00000066",
}


def coverage_chart(coverage: TrainingCoverage) -> dict:
    """One stacked bar per category (élus, agents): persons trained in change management and not."""

    def serie(name: str, values: list[int], colour: str, decal: dict | None) -> dict:
        style: dict = {"color": colour}
        if decal:
            style["decal"] = decal
        return {
            "type": "bar",
            "name": name,
            "stack": "people",
            "data": values,
            "itemStyle": style,
            "label": {"show": True, "color": "#000000", "formatter": "{c}"},
        }

    rows = coverage.coverage
    return {
        "grid": {"left": 8, "right": 16, "top": 40, "bottom": 8, "containLabel": True},
        "legend": {"top": 0},
        "tooltip": {"trigger": "axis", "renderMode": "richText"},
        "xAxis": {"type": "value", "minInterval": 1, "name": _("persons")},
        "yAxis": {"type": "category", "data": [str(row.category.label) for row in rows], "inverse": True},
        "series": [
            serie(_("Trained in change management"), [row.trained for row in rows], TRAINED_COLOUR, None),
            serie(_("Not trained yet"), [row.untrained for row in rows], UNTRAINED_COLOUR, HATCHED),
        ],
    }
