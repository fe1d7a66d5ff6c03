"""The geography snapshot: a compact, gzip-compressed JSON built from the npm package
`@etalab/decoupage-administratif` (INSEE's Code officiel géographique, Licence Ouverte 2.0).

`build_payload` turns the package's data files into the snapshot; `read_snapshot` reads one back
and checks it whole before anything touches the database.
"""

import gzip
import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "cog-snapshot.json.gz"
SOURCE_PACKAGE = "@etalab/decoupage-administratif"
LISTS = ("regions", "departements", "communes", "aliases", "epci", "ept")
ALIAS_TYPES = {
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


class SnapshotError(Exception):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Snapshot:
    path: Path
    sha256: str
    source: dict[str, Any]
    regions: list[list[Any]]  # [code, name]
    departements: list[list[Any]]  # [code, name, region]
    communes: list[list[Any]]  # [code, name, departement, region, siren, population, postal codes]
    aliases: list[list[Any]]  # [kind, code, name, commune]
    epci: list[list[Any]]  # [siren, name, type, population, member communes]
    ept: list[list[Any]]  # [siren, name, population, member communes]


def build_payload(data_dir: Path, *, version: str, millesime: int) -> dict[str, Any]:
    """The snapshot for the package's `data/` folder."""

    def load(name: str) -> list[dict[str, Any]]:
        return json.loads((data_dir / f"{name}.json").read_text(encoding="utf-8"))

    raw_communes = load("communes")
    current = [c for c in raw_communes if c["type"] == "commune-actuelle"]
    communes = [
        [
            c["code"],
            c["nom"],
            c["departement"],
            c["region"],
            c.get("siren", ""),
            c.get("population"),
            sorted(c.get("codesPostaux", [])),
        ]
        for c in current
    ]
    aliases = [
        [ALIAS_TYPES[c["type"]], c["code"], c["nom"], c.get("chefLieu") or c.get("commune")]
        for c in raw_communes
        if c["type"] in ALIAS_TYPES
    ]

    def members(group: dict[str, Any]) -> list[str]:
        return sorted(member["code"] for member in group["membres"])

    payload = {
        "format": FORMAT,
        "source": {
            "package": SOURCE_PACKAGE,
            "version": version,
            "millesime": millesime,
            "producer": "INSEE, Code officiel géographique",
            "licence": "Licence Ouverte / Open Licence 2.0",
        },
        "regions": [[r["code"], r["nom"]] for r in load("regions")],
        "departements": [[d["code"], d["nom"], d["region"]] for d in load("departements")],
        "communes": communes,
        "aliases": aliases,
        "epci": [
            [e["code"], e["nom"], e["type"], e["populationMunicipale"], members(e)] for e in load("epci")
        ],
        "ept": [
            [e["code"], e["nom"], sum(m["populationMunicipale"] for m in e["membres"]), members(e)]
            for e in load("ept")
        ],
    }
    payload["counts"] = {key: len(payload[key]) for key in LISTS}
    return payload


def write_snapshot(payload: dict[str, Any], path: Path) -> None:
    """Deterministic output: the same payload always gives the same bytes."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out,
    ):
        out.write(text.encode("utf-8"))


def read_snapshot(path: Path = DEFAULT_PATH) -> Snapshot:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SnapshotError(path, f"cannot be read ({error.strerror})") from error
    try:
        payload = json.loads(gzip.decompress(data))
    except (OSError, EOFError, zlib.error) as error:
        raise SnapshotError(path, f"is not a complete gzip file ({error})") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise SnapshotError(path, f"does not hold valid JSON ({error})") from error
    _check(path, payload)
    lists = {key: payload[key] for key in LISTS}
    return Snapshot(path=path, sha256=hashlib.sha256(data).hexdigest(), source=payload["source"], **lists)


def _check(path: Path, payload: Any) -> None:
    def fail(reason: str) -> None:
        raise SnapshotError(path, reason)

    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        fail(f"is not a snapshot of format {FORMAT}")
    for key in LISTS:
        rows = payload.get(key)
        if not isinstance(rows, list):
            fail(f"has no list of {key}")
        if payload.get("counts", {}).get(key) != len(rows):
            fail(f"announces {payload.get('counts', {}).get(key)} {key} but holds {len(rows)}")
    regions = {row[0] for row in payload["regions"]}
    departements = {row[0]: row[2] for row in payload["departements"]}
    if unknown := {region for region in departements.values() if region not in regions}:
        fail(f"départements refer to unknown régions {sorted(unknown)}")
    communes = set()
    for code, name, departement, region, *_ in payload["communes"]:
        if not name or departement not in departements or region not in regions:
            fail(f"commune {code} has no name or an unknown département or région")
        communes.add(code)
    for row in payload["epci"] + payload["ept"]:
        if missing := [member for member in row[-1] if member not in communes]:
            fail(f"group {row[0]} lists unknown communes {missing[:5]}")
    for kind, code, _name, commune in payload["aliases"]:
        if commune not in communes:
            fail(f"alias {kind} {code} points to unknown commune {commune}")
