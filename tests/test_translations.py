from pathlib import Path

import polib

import trajectoires

CATALOGUE = Path(trajectoires.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_its_french_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert len(catalogue.translated_entries()) > 100
