"""`trajectoires bench`: measure the geography import, the area search and the pages.

Speed is measured here, never in tests. Prints a table and writes JSON to <data>/bench/.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import Client, override_settings

from trajectoires.bench.measure import Measure, time_call, time_page
from trajectoires.bench.urls import FLOOR_PATH
from trajectoires.geo.models import Area
from trajectoires.geo.selectors import area_search
from trajectoires.geo.services import geo_import

SEARCHES = [
    "saint etienne",
    "Saint-Étienne",
    "paris",
    "marseille 1er",
    "lyon",
    "bordeaux",
    "ungersheim",
    "st jean",
    "sur mer",
    "les",
    "vandoeuvre",
    "l hay les roses",
    "grenoble alpes",
    "communaute de communes",
    "val",
    "42000",
    "13001",
    "75116",
    "2A004",
    "68343",
    "244200770",
    "200054781",
    "214202186",
    "59",
    "971",
    "arbignieu",
    "beaune",
    "la rochelle",
    "biovallee",
    "drome",
    "pays basque",
    "ile de",
    "mont",
    "ville",
    "zutkerque",
    "x",
    "ab",
    "nouvelle aquitaine",
    "bretagne",
    "corse",
]
AREA_PAGES = {
    "area page: commune (Saint-Étienne)": "/annuaire/commune/42218/",
    "area page: commune with districts (Marseille)": "/annuaire/commune/13055/",
    "area page: EPCI across 2 départements": "/annuaire/epci/200006682/",
    "area page: métropole (Grand Paris)": "/annuaire/epci/200054781/",
    "area page: département (Pas-de-Calais)": "/annuaire/departement/62/",
    "area page: région (Auvergne-Rhône-Alpes)": "/annuaire/region/84/",
}
OTHER_PAGES = {"home page": "/", "territory list": "/territoires/", "référentiel": "/referentiel/"}


class Command(BaseCommand):
    help = "Measure import, search and page speed; print a table and write JSON."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=20, help="repetitions of each measure (default 20)")
        parser.add_argument("--skip-import", action="store_true", help="do not time a fresh geography import")
        parser.add_argument("--time-import", action="store_true", help="internal: time one import and exit")

    def handle(self, *args, rounds: int, skip_import: bool, time_import: bool, **options):
        if time_import:  # run in a child process on a fresh database
            start = time.perf_counter()
            geo_import()
            self.stdout.write(json.dumps({"seconds": time.perf_counter() - start}))
            return
        results: dict = {
            "rounds": rounds,
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        }
        if not skip_import:
            results["geo_import"] = self._import_times()
        if not Area.objects.exists():
            geo_import()
        results["measures"] = self._measures(rounds)
        self._report(results)

    def _import_times(self) -> dict:
        """A first import and an idempotent second one, on a fresh SQLite database."""
        with tempfile.TemporaryDirectory() as folder:
            env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
            env["TRAJECTOIRES_DATA_DIR"] = folder
            command = [sys.executable, "-m", "trajectoires"]
            subprocess.run([*command, "migrate", "--noinput", "-v0"], env=env, check=True)
            first, second = (
                json.loads(
                    subprocess.run(
                        [*command, "bench", "--time-import"],
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                )["seconds"]
                for _ in range(2)
            )
        return {"first_seconds": round(first, 2), "second_seconds": round(second, 2), "target_seconds": 10}

    def _measures(self, rounds: int) -> list[dict]:
        client = Client()
        with override_settings(
            ROOT_URLCONF="trajectoires.bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False
        ):
            floor = Measure("floor: bare Django view")
            search = Measure("area search (selector)", target="p95 ≤ 50 ms")
            search_page = Measure("directory search (htmx fragment)")
            pages = {name: Measure(name) for name in {**AREA_PAGES, **OTHER_PAGES}}
            for round_number in range(rounds + 1):
                if round_number == 1:  # the first round only warms up caches and connections
                    for measure in (floor, search, search_page, *pages.values()):
                        measure.times_ms.clear()
                time_page(floor, client, FLOOR_PATH)
                for query in SEARCHES:
                    time_call(search, lambda query=query: area_search(query))
                    time_page(search_page, client, f"/annuaire/?q={query}", HX_Request="true")
                for name, url in {**AREA_PAGES, **OTHER_PAGES}.items():
                    time_page(pages[name], client, url)
        base = floor.median
        return [floor.as_dict(), search.as_dict(), search_page.as_dict(base)] + [
            measure.as_dict(base) for measure in pages.values()
        ]

    def _report(self, results: dict) -> None:
        if imports := results.get("geo_import"):
            self.stdout.write(
                f"Geography import (fresh SQLite): {imports['first_seconds']} s, "
                f"again (nothing to change): {imports['second_seconds']} s — target ≤ 10 s"
            )
        header = f"{'measure':52} {'runs':>5} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'vs floor':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in results["measures"]:
            queries = "/".join(str(count) for count in row["queries"])
            ratio = f"{row['floor_ratio']:.1f}" if "floor_ratio" in row else ""
            self.stdout.write(
                f"{row['name'][:52]:52} {row['runs']:>5} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
                f"{queries:>8} {ratio:>8}"
            )
        folder = Path(settings.DATA_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for path in (folder / f"bench-{stamp}.json", folder / "latest.json"):
            path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        self.stdout.write(f"Written to {folder / 'latest.json'}")
