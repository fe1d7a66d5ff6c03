"""Load or unload one version of the référentiel from its TOML data file.

Shared by the data migrations of each version (the migration loader skips modules starting with
an underscore). It uses the historical models it is given, never app code, so it stays the record
of how a version was loaded.
"""

import tomllib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TEXT_FIELDS = ("label_fr", "label_en", "description_fr", "description_en")


def load_version(apps, file_name: str) -> None:
    ReferentialVersion = apps.get_model("referential", "ReferentialVersion")
    Grid = apps.get_model("referential", "Grid")
    Item = apps.get_model("referential", "Item")
    data = tomllib.loads((DATA_DIR / file_name).read_text(encoding="utf-8"))
    meta = data["version"]
    version = ReferentialVersion.objects.create(
        number=meta["number"], label=meta["label"], published_on=meta["published_on"], source=meta["source"]
    )
    grids = {}
    for position, grid in enumerate(data["grids"], start=1):
        grids[grid["code"]] = Grid.objects.create(
            version=version, code=grid["code"], position=position, **{key: grid[key] for key in TEXT_FIELDS}
        )
    items = {}
    for row in data["items"]:
        items[row["grid"], row["code"]] = Item.objects.create(
            version=version,
            grid=grids[row["grid"]],
            code=row["code"],
            position=row["position"],
            source_line=row["source_line"],
            source_excerpt=row["source_excerpt"],
            extra=row.get("extra", {}),
            **{key: row[key] for key in TEXT_FIELDS},
        )
    for row in data["items"]:
        if row["parent"]:
            # A parent is named by its code alone, unique across the grids of the same file: a
            # version's items never point into another version.
            (parent,) = [item for (_grid, code), item in items.items() if code == row["parent"]]
            item = items[row["grid"], row["code"]]
            item.parent = parent
            item.save(update_fields=["parent"])


def unload_version(apps, number: int) -> None:
    ReferentialVersion = apps.get_model("referential", "ReferentialVersion")
    Item = apps.get_model("referential", "Item")
    Grid = apps.get_model("referential", "Grid")
    Item.objects.filter(version__number=number).update(parent=None)
    Item.objects.filter(version__number=number).delete()
    Grid.objects.filter(version__number=number).delete()
    ReferentialVersion.objects.filter(number=number).delete()
