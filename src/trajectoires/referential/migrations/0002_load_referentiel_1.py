"""Load version 1 of the référentiel from data/referentiel-1.toml."""

from django.db import migrations

from ._toml_loader import load_version, unload_version


def load(apps, schema_editor):
    load_version(apps, "referentiel-1.toml")


def unload(apps, schema_editor):
    unload_version(apps, 1)


class Migration(migrations.Migration):
    dependencies = [("referential", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
