"""Writes to the geography: loading a snapshot, idempotently.

Re-importing the same snapshot changes nothing. An area that a newer snapshot no longer holds is
marked obsolete, never deleted, and keeps its last known links.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from trajectoires.core.audit import audit_record
from trajectoires.core.bulk import insert_rows
from trajectoires.core.text import search_key

from .enums import AreaKind
from .models import Area, AreaAlias, AreaAncestry, GeoImport, PostalCode
from .snapshot import DEFAULT_PATH, Snapshot, read_snapshot

AreaKey = tuple[str, str]
AREA_FIELDS = ("name", "siren", "population", "epci_type")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    obsoleted: int = 0
    unchanged: int = 0
    links_added: int = 0
    links_removed: int = 0
    aliases_added: int = 0
    aliases_removed: int = 0
    postal_codes_added: int = 0
    postal_codes_removed: int = 0

    @property
    def changed_anything(self) -> bool:
        return any(value for key, value in asdict(self).items() if key != "unchanged")

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def geo_import(*, path: Path = DEFAULT_PATH, actor: Any = None) -> ImportReport:
    """Load the snapshot at `path`; the whole snapshot is checked before any write."""
    snapshot = read_snapshot(path)
    areas, ancestors = _desired_areas(snapshot)
    report = ImportReport()
    with transaction.atomic():
        _sync_areas(areas, report)
        ids = {
            (kind, code): pk
            for pk, kind, code in Area.objects.filter(is_obsolete=False).values_list("pk", "kind", "code")
        }
        report.links_added, report.links_removed = _sync_rows(
            AreaAncestry.objects,
            ("area_id", "ancestor_id"),
            {(ids[child], ids[parent]) for child, parents in ancestors.items() for parent in parents},
            current=set(ids.values()),
        )
        commune_ids = {code: pk for (kind, code), pk in ids.items() if kind == AreaKind.COMMUNE}
        report.aliases_added, report.aliases_removed = _sync_rows(
            AreaAlias.objects,
            ("area_id", "kind", "code", "name"),
            {(commune_ids[commune], kind, code, name) for kind, code, name, commune in snapshot.aliases},
            current=set(commune_ids.values()),
            extra_column=("search_key", lambda row: search_key(row[3])),
        )
        report.postal_codes_added, report.postal_codes_removed = _sync_rows(
            PostalCode.objects,
            ("area_id", "code"),
            {(commune_ids[row[0]], postal) for row in snapshot.communes for postal in row[6]},
            current=set(commune_ids.values()),
        )
        record = GeoImport.objects.create(
            snapshot_sha256=snapshot.sha256,
            source_package=snapshot.source["package"],
            source_version=snapshot.source["version"],
            millesime=snapshot.source["millesime"],
            report=report.as_dict(),
            area_counts=_current_area_counts(),
        )
        audit_record(actor=actor, action="geo.import", obj=record, changes={"report": report.as_dict()})
    return report


def _current_area_counts() -> dict[str, int]:
    counts = dict.fromkeys(AreaKind.values, 0)
    rows = Area.objects.filter(is_obsolete=False).order_by().values_list("kind").annotate(total=Count("pk"))
    counts.update(dict(rows))
    return counts


def _desired_areas(snapshot: Snapshot) -> tuple[dict[AreaKey, dict[str, Any]], dict[AreaKey, set[AreaKey]]]:
    """Every area of the snapshot with its fields, and the set of areas that contain each."""
    areas: dict[AreaKey, dict[str, Any]] = {}
    ancestors: dict[AreaKey, set[AreaKey]] = defaultdict(set)
    totals: dict[AreaKey, int] = defaultdict(int)

    def add(
        kind: str,
        code: str,
        name: str,
        *,
        siren: str = "",
        population: int | None = None,
        epci_type: str = "",
    ) -> AreaKey:
        key = (kind, code)
        areas[key] = {"name": name, "siren": siren, "population": population, "epci_type": epci_type}
        return key

    for code, name in snapshot.regions:
        add(AreaKind.REGION, code, name)
    for code, name, region in snapshot.departements:
        ancestors[add(AreaKind.DEPARTEMENT, code, name)].add((AreaKind.REGION, region))
    for code, name, departement, region, siren, population, _postal in snapshot.communes:
        key = add(AreaKind.COMMUNE, code, name, siren=siren, population=population)
        ancestors[key] |= {(AreaKind.DEPARTEMENT, departement), (AreaKind.REGION, region)}
        for scale in ancestors[key]:
            totals[scale] += population or 0
    for siren, name, epci_type, population, members in snapshot.epci:
        _add_group(
            add(AreaKind.EPCI, siren, name, siren=siren, population=population, epci_type=epci_type),
            members,
            ancestors,
        )
    for siren, name, population, members in snapshot.ept:
        _add_group(add(AreaKind.EPT, siren, name, siren=siren, population=population), members, ancestors)
    for key, total in totals.items():
        areas[key]["population"] = total
    return areas, ancestors


def _add_group(key: AreaKey, members: list[str], ancestors: dict[AreaKey, set[AreaKey]]) -> None:
    """A group of communes lies in every département (and région) of its members."""
    for member in members:
        commune = (AreaKind.COMMUNE, member)
        ancestors[commune].add(key)
        ancestors[key] |= ancestors[commune] - {key}


def _sync_areas(desired: dict[AreaKey, dict[str, Any]], report: ImportReport) -> None:
    existing = {
        (area.kind, area.code): area
        for area in Area.objects.only("kind", "code", "is_obsolete", *AREA_FIELDS)
    }
    to_create: list[tuple] = []
    to_update: list[Area] = []
    for key, values in desired.items():
        area = existing.get(key)
        if area is None:
            to_create.append(
                (*key, search_key(values["name"]), False, *(values[field] for field in AREA_FIELDS))
            )
        elif area.is_obsolete or any(getattr(area, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(area, field, value)
            area.search_key = search_key(values["name"])
            area.is_obsolete, area.obsolete_since = False, None
            to_update.append(area)
        else:
            report.unchanged += 1
    today = timezone.localdate()
    for key, area in existing.items():
        if key not in desired and not area.is_obsolete:
            area.is_obsolete, area.obsolete_since = True, today
            to_update.append(area)
            report.obsoleted += 1
    insert_rows(Area, ("kind", "code", "search_key", "is_obsolete", *AREA_FIELDS), to_create)
    Area.objects.bulk_update(
        to_update, [*AREA_FIELDS, "search_key", "is_obsolete", "obsolete_since"], batch_size=1000
    )
    report.created = len(to_create)
    report.updated = len(to_update) - report.obsoleted


def _sync_rows(
    manager: models.Manager,
    fields: tuple[str, ...],
    desired: set[tuple],
    *,
    current: set[int],
    extra_column: tuple[str, Callable[[tuple], Any]] | None = None,
) -> tuple[int, int]:
    """Make the rows of current areas equal `desired`; rows of obsolete areas stay as they were.
    `extra_column` names a column computed from each new row (an alias's search key)."""
    existing: dict[tuple, int] = {}
    for pk, *values in manager.values_list("pk", *fields).iterator(chunk_size=10_000):
        if values[0] in current:
            existing[tuple(values)] = pk
    model = manager.model
    missing = sorted(desired - existing.keys())
    extra = [pk for row, pk in existing.items() if row not in desired]
    if extra_column:
        column, compute = extra_column
        insert_rows(model, (*fields, column), [(*row, compute(row)) for row in missing])
    else:
        insert_rows(model, fields, missing)
    for start in range(0, len(extra), 900):
        model.objects.filter(pk__in=extra[start : start + 900]).delete()
    return len(missing), len(extra)
