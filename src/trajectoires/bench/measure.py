"""Timing helpers: medians and 95th percentiles of repeated calls, with their SQL query counts."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Measure:
    name: str
    times_ms: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def as_dict(self, floor: float | None = None) -> dict:
        result = {
            "name": self.name,
            "runs": len(self.times_ms),
            "median_ms": round(self.median, 2),
            "p95_ms": round(self.p95, 2),
            "queries": sorted(self.queries),
            "target": self.target,
        }
        if floor:
            result["floor_ratio"] = round(self.median / floor, 2)
        return result


def time_call(measure: Measure, call: Callable[[], object]) -> None:
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        call()
        measure.times_ms.append((time.perf_counter() - start) * 1000)
    measure.queries.add(len(captured))


def time_page(measure: Measure, client: Client, url: str, **headers: str) -> None:
    def get():
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    time_call(measure, get)
