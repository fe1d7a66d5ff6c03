"""The import against facts of the official data (COG 2026 through @etalab/decoupage-administratif 6.0.0)."""

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from trajectoires.core.models import AuditEntry
from trajectoires.geo.enums import AreaKind
from trajectoires.geo.models import Area, AreaAlias, AreaAncestry, GeoImport, PostalCode
from trajectoires.geo.selectors import area_scales_above
from trajectoires.geo.services import geo_import
from trajectoires.geo.snapshot import DEFAULT_PATH, write_snapshot

pytestmark = pytest.mark.django_db


def test_every_current_area_of_the_2026_geography_is_loaded():
    counts = {kind: Area.objects.filter(kind=kind, is_obsolete=False).count() for kind in AreaKind.values}
    assert counts == {"region": 26, "departement": 109, "epci": 1255, "ept": 11, "commune": 34969}
    assert AreaAlias.objects.filter(kind="deleguee").count() == 2105
    assert AreaAlias.objects.filter(kind="associee").count() == 471
    assert AreaAlias.objects.filter(kind="arrondissement").count() == 45


def test_a_commune_knows_its_epci_departement_and_region():
    saint_etienne = Area.objects.get(kind="commune", code="42218")
    assert (saint_etienne.name, saint_etienne.siren, saint_etienne.population) == (
        "Saint-Étienne",
        "214202186",
        173136,
    )
    assert [(a.kind, a.code, a.name) for a in area_scales_above(saint_etienne)] == [
        ("region", "84", "Auvergne-Rhône-Alpes"),
        ("departement", "42", "Loire"),
        ("epci", "244200770", "Saint-Étienne Métropole"),
    ]
    assert sorted(saint_etienne.postal_codes.values_list("code", flat=True)) == ["42000", "42100", "42230"]


def test_an_epci_across_two_departements_lies_in_both():
    beaune = Area.objects.get(kind="epci", code="200006682")
    assert beaune.epci_type == "CA"
    assert [(a.kind, a.code) for a in area_scales_above(beaune)] == [
        ("region", "27"),
        ("departement", "21"),
        ("departement", "71"),
    ]
    member_departements = set(
        AreaAncestry.objects.filter(
            area__ancestry_links__ancestor=beaune, ancestor__kind="departement"
        ).values_list("ancestor__code", flat=True)
    )
    assert member_departements == {"21", "71"}


def test_a_commune_of_the_grand_paris_is_in_its_ept_and_the_metropole():
    aubervilliers = Area.objects.get(kind="commune", code="93001")
    assert [(a.kind, a.name) for a in area_scales_above(aubervilliers)] == [
        ("region", "Île-de-France"),
        ("departement", "Seine-Saint-Denis"),
        ("epci", "Métropole du Grand Paris"),
        ("ept", "Plaine Commune"),
    ]


def test_populations_add_up_from_the_communes():
    loire = Area.objects.get(kind="departement", code="42")
    communes = Area.objects.filter(kind="commune", ancestry_links__ancestor=loire)
    assert loire.population == sum(communes.values_list("population", flat=True))
    assert Area.objects.get(kind="epci", code="200000172").population == 28363


def test_a_second_import_changes_nothing():
    before = (
        Area.objects.count(),
        AreaAncestry.objects.count(),
        AreaAlias.objects.count(),
        PostalCode.objects.count(),
    )
    report = geo_import()
    assert report.as_dict() == {
        "created": 0,
        "updated": 0,
        "obsoleted": 0,
        "unchanged": 36370,
        "links_added": 0,
        "links_removed": 0,
        "aliases_added": 0,
        "aliases_removed": 0,
        "postal_codes_added": 0,
        "postal_codes_removed": 0,
    }
    after = (
        Area.objects.count(),
        AreaAncestry.objects.count(),
        AreaAlias.objects.count(),
        PostalCode.objects.count(),
    )
    assert after == before
    record = GeoImport.objects.latest()
    assert (record.source_package, record.source_version, record.millesime) == (
        "@etalab/decoupage-administratif",
        "6.0.0",
        2026,
    )
    audit = AuditEntry.objects.filter(action="geo.import").latest("at")
    assert audit.changes["report"]["unchanged"] == 36370
    assert audit.actor_label == "system"


def test_an_already_imported_snapshot_can_be_skipped(capsys):
    imports = GeoImport.objects.count()
    call_command("geo", "import", "--if-changed")
    assert "cog-snapshot.json.gz is already imported; nothing to do." in capsys.readouterr().out
    assert GeoImport.objects.count() == imports


def _snapshot_without(tmp_path, commune_code: str):
    payload = json.loads(gzip.decompress(DEFAULT_PATH.read_bytes()))
    payload["communes"] = [row for row in payload["communes"] if row[0] != commune_code]
    payload["aliases"] = [row for row in payload["aliases"] if row[3] != commune_code]
    for group in payload["epci"] + payload["ept"]:
        group[-1] = [member for member in group[-1] if member != commune_code]
    payload["counts"] = {key: len(payload[key]) for key in payload["counts"]}
    path = tmp_path / "newer.json.gz"
    write_snapshot(payload, path)
    return path


def test_an_area_missing_from_a_newer_snapshot_is_marked_obsolete_and_kept(tmp_path):
    ungersheim = Area.objects.get(kind="commune", code="68343")
    links_before = set(ungersheim.ancestors.values_list("code", flat=True))

    report = geo_import(path=_snapshot_without(tmp_path, "68343"))

    ungersheim.refresh_from_db()
    assert ungersheim.is_obsolete and ungersheim.obsolete_since is not None
    assert report.obsoleted == 1 and report.created == 0
    assert set(ungersheim.ancestors.values_list("code", flat=True)) == links_before
    assert ungersheim.postal_codes.count() == 1

    geo_import()  # the area comes back with the current snapshot
    ungersheim.refresh_from_db()
    assert not ungersheim.is_obsolete and ungersheim.obsolete_since is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (DEFAULT_PATH.read_bytes()[:4000], "is not a complete gzip file"),
        (b"not a snapshot at all", "is not a complete gzip file"),
        (gzip.compress(b'{"format": 1, "regions": '), "does not hold valid JSON"),
        (gzip.compress(b'{"format": 99}'), "is not a snapshot of format 1"),
    ],
)
def test_a_corrupt_snapshot_stops_the_import_and_writes_nothing(tmp_path, content, reason):
    path = tmp_path / "broken.json.gz"
    path.write_bytes(content)
    imports_before, areas_before = GeoImport.objects.count(), Area.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("geo", "import", "--snapshot", str(path))
    assert str(path) in str(error.value) and reason in str(error.value)
    assert "nothing was written" in str(error.value)
    assert (GeoImport.objects.count(), Area.objects.count()) == (imports_before, areas_before)


def test_a_snapshot_whose_groups_name_unknown_communes_is_refused(tmp_path):
    payload = json.loads(gzip.decompress(DEFAULT_PATH.read_bytes()))
    payload["epci"][0][-1].append("99999")
    path = tmp_path / "inconsistent.json.gz"
    write_snapshot(payload, path)
    with pytest.raises(CommandError, match=r"lists unknown communes \['99999'\]"):
        call_command("geo", "import", "--snapshot", str(path))
