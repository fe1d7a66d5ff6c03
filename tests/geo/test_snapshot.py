import json

from trajectoires.geo.snapshot import build_payload, read_snapshot, write_snapshot


def _package_data(folder):
    files = {
        "regions": [{"code": "84", "nom": "Auvergne-Rhône-Alpes"}],
        "departements": [{"code": "42", "nom": "Loire", "region": "84"}],
        "communes": [
            {
                "code": "42218",
                "nom": "Saint-Étienne",
                "type": "commune-actuelle",
                "departement": "42",
                "region": "84",
                "siren": "214202186",
                "population": 173136,
                "codesPostaux": ["42100", "42000"],
            },
            {
                "code": "42999",
                "nom": "Ancienne",
                "type": "commune-deleguee",
                "chefLieu": "42218",
                "departement": "42",
                "region": "84",
            },
        ],
        "epci": [
            {
                "code": "244200770",
                "nom": "Saint-Étienne Métropole",
                "type": "METRO",
                "populationMunicipale": 173136,
                "membres": [{"code": "42218", "populationMunicipale": 173136}],
            }
        ],
        "ept": [],
    }
    for name, rows in files.items():
        (folder / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")


def test_the_snapshot_keeps_what_the_platform_needs_in_a_compact_form(tmp_path):
    _package_data(tmp_path)
    payload = build_payload(tmp_path, version="9.9.9", millesime=2031)
    assert payload["communes"] == [
        ["42218", "Saint-Étienne", "42", "84", "214202186", 173136, ["42000", "42100"]]
    ]
    assert payload["aliases"] == [["deleguee", "42999", "Ancienne", "42218"]]
    assert payload["epci"] == [["244200770", "Saint-Étienne Métropole", "METRO", 173136, ["42218"]]]
    assert payload["counts"] == {
        "regions": 1,
        "departements": 1,
        "communes": 1,
        "aliases": 1,
        "epci": 1,
        "ept": 0,
    }

    write_snapshot(payload, tmp_path / "a.json.gz")
    write_snapshot(payload, tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()
    snapshot = read_snapshot(tmp_path / "a.json.gz")
    assert snapshot.source["version"] == "9.9.9" and snapshot.source["millesime"] == 2031
    assert snapshot.communes == payload["communes"]
