"""The network metrics of a round are computed in the background and stored (RoundMetrics), so that
no page computes them on request.

Any write that changes a round's network marks its metrics "being computed" in its own
transaction and enqueues `compute_round_metrics` once that transaction commits: the task reads
committed data only. A failed computation leaves the status "failed" and the error in the log; the
next change (or a recomputation asked from the page) tries again.
"""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .metrics import ActorNode, NetworkMetrics, TieEdge, network_metrics
from .models import Actor, RoundMetrics, SurveyRound, Tie

logger = logging.getLogger(__name__)
CATEGORY_GRID = "actor_category"


def schedule_round_metrics(round_ids: Iterable[int]) -> None:
    """Mark the rounds' metrics as being computed, and compute them after the commit.

    Each change enqueues its own task, stamped with the time of the request: a task that finds the
    metrics computed after that time has nothing left to do, so many changes in one transaction
    (an import, the demo) cost one computation per round."""
    requested_at = timezone.now().isoformat()
    for round_id in round_ids:
        RoundMetrics.objects.update_or_create(
            round_id=round_id, defaults={"status": RoundMetrics.Status.PENDING}
        )
        transaction.on_commit(partial(compute_round_metrics.enqueue, round_id, requested_at))


def refresh_territory_rounds(territory: Territory) -> None:
    """Recompute every round of the territory: call it when its actors change in a way that changes
    the networks (an actor added, deleted or erased, a category changed). Inside the writer's transaction."""
    schedule_round_metrics(SurveyRound.objects.filter(territory=territory).values_list("pk", flat=True))


@task
def compute_round_metrics(round_id: int, requested_at: str = "") -> str:
    survey_round = SurveyRound.objects.filter(pk=round_id).first()
    if survey_round is None:
        return "gone"  # deleted since the change that enqueued this
    if requested_at and _computed_since(round_id, datetime.datetime.fromisoformat(requested_at)):
        return "up to date"
    try:
        result = round_network_metrics(survey_round)
    except Exception:
        logger.exception("The network metrics of survey round %s could not be computed", round_id)
        RoundMetrics.objects.update_or_create(
            round=survey_round,
            defaults={"status": RoundMetrics.Status.FAILED, "computed_at": timezone.now()},
        )
        raise
    RoundMetrics.objects.update_or_create(
        round=survey_round,
        defaults=result.stored() | {"status": RoundMetrics.Status.READY, "computed_at": timezone.now()},
    )
    return "ready"


def _computed_since(round_id: int, requested_at: datetime.datetime) -> bool:
    return RoundMetrics.objects.filter(
        round_id=round_id, status=RoundMetrics.Status.READY, computed_at__gt=requested_at
    ).exists()


def round_network_metrics(survey_round: SurveyRound) -> NetworkMetrics:
    """The round's metrics from the database as it is now (three queries).

    The nodes are the territory's actors that are not erased, and any erased actor still tied in
    the round (erasure keeps ties, under a pseudonym): an actor with no tie counts as an isolate.
    """
    ties = [
        TieEdge(source, target, tie_type)
        for source, target, tie_type in Tie.objects.filter(round=survey_round).values_list(
            "source_id", "target_id", "tie_type"
        )
    ]
    tied = {end for tie in ties for end in (tie.source, tie.target)}
    actors = Actor.objects.filter(territory_id=survey_round.territory_id).filter(
        Q(erased_at__isnull=True) | Q(pk__in=tied)
    )
    nodes = [ActorNode(pk, code) for pk, code in actors.values_list("pk", "category__code")]
    return network_metrics(nodes, ties, fantastic=fantastic_categories())


def fantastic_categories() -> list[str]:
    """The codes of the « 4 Fantastiques » categories, as the référentiel marks them."""
    return [item.code for item in referential_items(CATEGORY_GRID) if item.extra.get("fantastique")]
