"""From a sum of projects to a global trajectory (K8, S5): which orientations of the vision have no
action, which actions serve no orientation, and how actions bring the administration's services
together across silos — all read through the viewer's visibility, in a constant number of queries.

An orientation counts only the actions the viewer reads. An action "serves no orientation" when it
is linked to none at all: one linked to an orientation the viewer cannot read is not a gap."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from trajectoires.core.text import search_key
from trajectoires.steering.models import Orientation
from trajectoires.steering.narratives import vision_orientations
from trajectoires.territories.models import Territory

from .actions import NO_FILTERS, ActionFilters, OrientationLinks, actions_of, readable_actions
from .models import Action, Service


@dataclass(frozen=True)
class OrientationActions:
    orientation: Orientation
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class TrajectoryGaps:
    orientations: tuple[OrientationActions, ...]  # every readable orientation, with its actions
    orientations_without_action: tuple[Orientation, ...]
    actions_without_orientation: tuple[Action, ...]
    action_count: int


@dataclass(frozen=True)
class ActionServices:
    action: Action
    services: tuple[Service, ...]  # the owner first, then those involved by name

    @property
    def involved(self) -> tuple[Service, ...]:
        """The services involved besides the owner."""
        return tuple(service for service in self.services if service.pk != self.action.owner_service_id)

    @property
    def across_silos(self) -> bool:
        return len(self.services) >= 2


@dataclass(frozen=True)
class SiloRow:
    service: Service
    counts: tuple[int, ...]  # actions involving the service that serve each orientation, in order
    total: int  # actions involving the service


@dataclass(frozen=True)
class SiloView:
    actions: tuple[ActionServices, ...]
    orientations: tuple[Orientation, ...]  # the table's columns
    rows: tuple[SiloRow, ...]  # the table's rows, by service name (accents and case aside)

    @property
    def action_count(self) -> int:
        return len(self.actions)

    @property
    def across_silos_count(self) -> int:
        return sum(1 for item in self.actions if item.across_silos)

    @property
    def across_silos_share(self) -> float | None:
        """The share of actions involving at least two services; None without actions."""
        return self.across_silos_count / self.action_count if self.actions else None


@dataclass(frozen=True)
class Trajectory:
    gaps: TrajectoryGaps
    silos: SiloView


def _gaps(orientations: list[Orientation], actions: list[Action]) -> TrajectoryGaps:
    serving: dict[int, list[Action]] = {orientation.pk: [] for orientation in orientations}
    for action in actions:
        for orientation in action.orientations.all():
            serving.setdefault(orientation.pk, []).append(action)
    return TrajectoryGaps(
        orientations=tuple(OrientationActions(o, tuple(serving[o.pk])) for o in orientations),
        orientations_without_action=tuple(o for o in orientations if not serving[o.pk]),
        actions_without_orientation=tuple(action for action in actions if not action.serves_any),
        action_count=len(actions),
    )


def _services(action: Action) -> tuple[Service, ...]:
    involved = [service for service in action.services.all() if service.pk != action.owner_service_id]
    return ((action.owner_service,) if action.owner_service_id else ()) + tuple(involved)


def _silos(orientations: list[Orientation], actions: list[Action]) -> SiloView:
    per_action = tuple(ActionServices(action, _services(action)) for action in actions)
    cells: Counter[tuple[int, int]] = Counter()
    totals: Counter[int] = Counter()
    services: dict[int, Service] = {}
    for item in per_action:
        served = {orientation.pk for orientation in item.action.orientations.all()}
        for service in item.services:
            services[service.pk] = service
            totals[service.pk] += 1
            for orientation_pk in served:
                cells[service.pk, orientation_pk] += 1
    rows = tuple(
        SiloRow(service, tuple(cells[service.pk, o.pk] for o in orientations), totals[service.pk])
        for service in sorted(services.values(), key=lambda service: (search_key(service.name), service.pk))
    )
    return SiloView(actions=per_action, orientations=tuple(orientations), rows=rows)


def trajectory_of(viewer, territory: Territory, filters: ActionFilters = NO_FILTERS) -> Trajectory:
    """The gaps and the silo view from one read of the orientations and the actions."""
    orientations = list(vision_orientations(viewer, territory))
    actions = list(actions_of(viewer, territory, filters))
    return Trajectory(gaps=_gaps(orientations, actions), silos=_silos(orientations, actions))


def trajectory_gaps(viewer, territory: Territory, filters: ActionFilters = NO_FILTERS) -> TrajectoryGaps:
    return trajectory_of(viewer, territory, filters).gaps


@dataclass(frozen=True)
class GapsSummary:
    """The gaps the dashboard shows, counted by the database rather than from every action."""

    action_count: int
    orientations_without_action: tuple[Orientation, ...]
    actions_without_orientation_count: int


def gaps_summary(viewer, territory: Territory) -> GapsSummary:
    """The same figures as `trajectory_gaps` (readable actions; readable orientations no readable
    action serves; readable actions serving no orientation at all, readable or not), in two queries
    and a third for the vision."""
    actions = readable_actions(viewer, territory)
    counts = actions.aggregate(
        total=Count("id"),
        serving_none=Count("id", filter=~Exists(OrientationLinks.objects.filter(action_id=OuterRef("pk")))),
    )
    served = OrientationLinks.objects.filter(orientation_id=OuterRef("pk"), action__in=actions)
    return GapsSummary(
        action_count=counts["total"],
        orientations_without_action=tuple(vision_orientations(viewer, territory).filter(~Exists(served))),
        actions_without_orientation_count=counts["serving_none"],
    )


def silo_view(viewer, territory: Territory, filters: ActionFilters = NO_FILTERS) -> SiloView:
    return trajectory_of(viewer, territory, filters).silos
