"""`trajectoires bench`: speed at national scale, measured — never asserted in tests.

1. the geography import, first and second run, on a fresh SQLite database;
2. a synthetic national alliance (bench/synthetic.py) in a database of its own
   (<data>/bench/national-<scale>/, or --database-url for PostgreSQL), made once and kept;
3. medians, p95 and SQL query counts of the search, the pages and the API lists, each page
   compared with a bare Django view served through the same stack (the floor).
Prints a table and writes JSON to <data>/bench/latest.json.
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

from trajectoires.bench.pages import measure_all
from trajectoires.bench.synthetic import Size, add_missing_layers, generate
from trajectoires.geo.services import geo_import
from trajectoires.territories.models import Territory

CLI = [sys.executable, "-m", "trajectoires"]


class Command(BaseCommand):
    help = "Measure import, search, pages and API lists at national scale; print a table, write JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="share of the national scale (default 1.0)"
        )
        parser.add_argument("--rounds", type=int, default=20, help="repetitions of each measure (default 20)")
        parser.add_argument("--skip-import", action="store_true", help="do not time a fresh geography import")
        parser.add_argument("--database-url", default="", help="measure on this (throwaway) database instead")
        # Internal steps, run in a child process on the bench database.
        parser.add_argument("--time-import", action="store_true", help="internal")
        parser.add_argument("--generate", action="store_true", help="internal")
        parser.add_argument("--measure", action="store_true", help="internal")

    def handle(
        self, *args, scale, rounds, skip_import, database_url, time_import, generate, measure, **options
    ):
        if time_import:
            start = time.perf_counter()
            geo_import()
            self.stdout.write(json.dumps({"seconds": time.perf_counter() - start}))
        elif generate:
            self._generate(scale)
        elif measure:
            self.stdout.write(json.dumps(measure_all(rounds)))
        else:
            self._run(scale, rounds, skip_import, database_url)

    def _generate(self, scale: float) -> None:
        start = time.perf_counter()
        if Territory.objects.filter(slug__startswith="synthetique-").exists():
            self.stderr.write("Synthetic alliance already there.")
        else:
            size = generate(scale)
            self.stderr.write(f"Synthetic alliance made in {time.perf_counter() - start:.0f} s: {size}.")
        # Layers added after the alliance was first made are added to it, not made again from scratch.
        if add_missing_layers():
            self.stderr.write(f"Synthetic layers added in {time.perf_counter() - start:.0f} s.")

    def _run(self, scale: float, rounds: int, skip_import: bool, database_url: str) -> None:
        size = Size.at(scale)
        results: dict = {"scale": scale, "size": size.__dict__, "rounds": rounds}
        if not skip_import:
            results["geo_import"] = self._import_times()
        folder = Path(settings.DATA_DIR) / "bench" / f"national-{scale:g}"
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["TRAJECTOIRES_DATA_DIR"] = str(folder)
        if database_url:
            env["DATABASE_URL"] = database_url
        results["database"] = "postgresql" if database_url else "sqlite"
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["geo", "import", "--if-changed"],
            ["bench", "--generate", "--scale", str(scale)],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run([*CLI, *step], env=env, check=True, stdout=subprocess.DEVNULL)
        measured = subprocess.run(
            [*CLI, "bench", "--measure", "--rounds", str(rounds)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        results["measures"] = json.loads(measured.stdout)
        self._report(results)

    def _import_times(self) -> dict:
        """A first import and an idempotent second one, on a fresh SQLite database."""
        with tempfile.TemporaryDirectory() as folder:
            env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
            env["TRAJECTOIRES_DATA_DIR"] = folder
            subprocess.run([*CLI, "migrate", "--noinput", "-v0"], env=env, check=True)
            first, second = (
                json.loads(
                    subprocess.run(
                        [*CLI, "bench", "--time-import"], env=env, check=True, capture_output=True, text=True
                    ).stdout
                )["seconds"]
                for _ in range(2)
            )
        return {"first_seconds": round(first, 2), "second_seconds": round(second, 2), "target_seconds": 10}

    def _report(self, results: dict) -> None:
        size = results["size"]
        self.stdout.write(
            f"Synthetic alliance ({results['database']}): {size['territories']} territories, "
            f"{size['territories'] * size['entries_per_territory']:,} journal entries, "
            f"{size['funders']} funders"
        )
        if imports := results.get("geo_import"):
            self.stdout.write(
                f"Geography import (fresh SQLite): {imports['first_seconds']} s, "
                f"again (nothing to change): {imports['second_seconds']} s — target ≤ 10 s"
            )
        header = f"{'measure':54} {'runs':>5} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'vs floor':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in results["measures"]:
            queries = "/".join(str(count) for count in row["queries"])
            ratio = f"{row['floor_ratio']:.1f}" if "floor_ratio" in row else ""
            self.stdout.write(
                f"{row['name'][:54]:54} {row['runs']:>5} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} "
                f"{queries:>8} {ratio:>8}"
            )
        folder = Path(settings.DATA_DIR) / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for path in (folder / f"bench-{stamp}.json", folder / "latest.json"):
            path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        self.stdout.write(f"Written to {folder / 'latest.json'}")
