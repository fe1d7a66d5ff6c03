"""Load version 2 of the référentiel from data/referentiel-2.toml: every grid of version 1 again
(records of version 1 keep their rows) plus the scales of the self-assessment."""

from django.db import migrations

from ._toml_loader import load_version, unload_version


def load(apps, schema_editor):
    load_version(apps, "referentiel-2.toml")


def unload(apps, schema_editor):
    unload_version(apps, 2)


class Migration(migrations.Migration):
    dependencies = [("referential", "0002_load_referentiel_1")]
    operations = [migrations.RunPython(load, unload)]
