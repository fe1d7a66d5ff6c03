"""Rebuild the geography snapshot from a version of the npm package @etalab/decoupage-administratif.

    python scripts/build_geo_snapshot.py --version 6.0.0 --millesime 2026

The package is fetched with `npm pack` into a temporary folder; the snapshot is written to
src/trajectoires/geo/data/cog-snapshot.json.gz. Then `trajectoires geo import` loads it.
"""

import argparse
import subprocess
import tarfile
import tempfile
from pathlib import Path

from trajectoires.geo.snapshot import DEFAULT_PATH, SOURCE_PACKAGE, build_payload, write_snapshot


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", default="6.0.0", help="package version (default: 6.0.0)")
    parser.add_argument(
        "--millesime", type=int, default=2026, help="year of the COG it holds (default: 2026)"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        subprocess.run(
            ["npm", "pack", f"{SOURCE_PACKAGE}@{args.version}", "--silent", "--pack-destination", folder],
            check=True,
            capture_output=True,
        )
        (archive,) = work.glob("*.tgz")
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")
        payload = build_payload(work / "package" / "data", version=args.version, millesime=args.millesime)
    write_snapshot(payload, args.output)
    size = args.output.stat().st_size
    print(
        f"{args.output}: {size / 1024:.0f} KiB, "
        + ", ".join(f"{n} {k}" for k, n in payload["counts"].items())
    )


if __name__ == "__main__":
    main()
