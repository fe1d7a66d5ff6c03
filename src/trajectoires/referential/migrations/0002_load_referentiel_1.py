"""Load version 1 of the référentiel from data/referentiel-1.toml.

The loader lives here on purpose: a migration never imports app code, and this file stays the
record of how version 1 was loaded. A later version gets its own data file and migration.
"""

import tomllib
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "referentiel-1.toml"
TEXT_FIELDS = ("label_fr", "label_en", "description_fr", "description_en")


def load(apps, schema_editor):
    ReferentialVersion = apps.get_model("referential", "ReferentialVersion")
    Grid = apps.get_model("referential", "Grid")
    Item = apps.get_model("referential", "Item")
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
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
            # A parent is named by its code alone, which must be unique across grids.
            (parent,) = [item for (_grid, code), item in items.items() if code == row["parent"]]
            item = items[row["grid"], row["code"]]
            item.parent = parent
            item.save(update_fields=["parent"])


def unload(apps, schema_editor):
    ReferentialVersion = apps.get_model("referential", "ReferentialVersion")
    Item = apps.get_model("referential", "Item")
    Grid = apps.get_model("referential", "Grid")
    Item.objects.filter(version__number=1).update(parent=None)
    Item.objects.filter(version__number=1).delete()
    Grid.objects.filter(version__number=1).delete()
    ReferentialVersion.objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("referential", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
