from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trajectoires.geo.services import geo_import
from trajectoires.geo.snapshot import DEFAULT_PATH, SnapshotError


class Command(BaseCommand):
    help = "Geography of France: `geo import` loads the snapshot (idempotent)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="load a geography snapshot (re-running changes nothing)")
        load.add_argument("--snapshot", type=Path, default=DEFAULT_PATH, help="snapshot file (.json.gz)")

    def handle(self, *args, action: str, snapshot: Path, **options):
        try:
            report = geo_import(path=snapshot)
        except SnapshotError as error:
            raise CommandError(f"Geography import stopped, nothing was written: {error}") from error
        if options["verbosity"] == 0:
            return
        summary = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in report.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Geography imported from {snapshot.name}: {summary}."))
