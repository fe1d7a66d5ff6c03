from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trajectoires.geo.selectors import geo_snapshot_imported
from trajectoires.geo.services import geo_import
from trajectoires.geo.snapshot import DEFAULT_PATH, SnapshotError


class Command(BaseCommand):
    help = "Geography of France: `geo import` loads the snapshot (idempotent)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="load a geography snapshot (re-running changes nothing)")
        load.add_argument("--snapshot", type=Path, default=DEFAULT_PATH, help="snapshot file (.json.gz)")
        load.add_argument(
            "--if-changed", action="store_true", help="skip a snapshot that was already imported as it is"
        )

    def handle(self, *args, action: str, snapshot: Path, if_changed: bool, **options):
        if if_changed and geo_snapshot_imported(snapshot):
            if options["verbosity"]:
                self.stdout.write(f"Geography: {snapshot.name} is already imported; nothing to do.")
            return
        try:
            report = geo_import(path=snapshot)
        except SnapshotError as error:
            raise CommandError(f"Geography import stopped, nothing was written: {error}") from error
        if options["verbosity"] == 0:
            return
        summary = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in report.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Geography imported from {snapshot.name}: {summary}."))
