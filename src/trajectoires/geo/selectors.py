"""Reads of the geography: search, one area, and the scales around it."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from trajectoires.core.text import search_key

from .enums import SCALE_ORDER, AreaKind
from .models import Area, AreaAlias, GeoImport

SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 20
# What people type for the most common words of French place names.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_CODE = re.compile(r"[0-9][0-9ab][0-9]{0,7}", re.IGNORECASE)
_REFERENCE = re.compile(r"(?P<kind>[a-z]+)[:\-](?P<code>[0-9a-z]{2,9})", re.IGNORECASE)


@dataclass(frozen=True)
class AreaHit:
    area: Area
    via_alias: AreaAlias | None = None


def _with_context(areas: QuerySet[Area]) -> QuerySet[Area]:
    """Areas with the départements that contain them, for a one-line description."""
    departements = Area.objects.filter(kind=AreaKind.DEPARTEMENT).only("kind", "code", "name")
    return areas.prefetch_related(Prefetch("ancestors", queryset=departements, to_attr="departements"))


def area_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[AreaHit]:
    """Areas matching a name (accents, case and hyphens ignored), an INSEE code, a SIREN or a
    postal code; the exact and the most populated first. Current areas only."""
    text = query.strip()
    key = search_key(text)
    if not key:
        return []
    current = Area.objects.filter(is_obsolete=False)
    if _CODE.fullmatch(text):
        code = text.upper()
        matches = current.filter(
            Q(code=code)
            | Q(siren=code)
            | Q(postal_codes__code=code)
            | Q(code__startswith=code, kind=AreaKind.COMMUNE)
        ).distinct()
        ranked = matches.annotate(
            rank=Case(
                When(Q(code=code) | Q(siren=code), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        areas = list(_with_context(ranked.order_by("rank", "-population", "name"))[:limit])
        return [AreaHit(area) for area in areas]

    key = " ".join(ABBREVIATIONS.get(word, word) for word in key.split())
    words = Q()
    for word in key.split():
        words &= Q(search_key__contains=word)
    ranked = current.filter(words).annotate(
        rank=Case(
            When(search_key=key, then=Value(0)),
            When(search_key__startswith=key, then=Value(1)),
            When(search_key__contains=f" {key}", then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    )
    hits = [AreaHit(area) for area in _with_context(ranked.order_by("rank", "-population", "name"))[:limit]]
    if len(hits) < limit:
        hits += _alias_hits(key, words, exclude={hit.area.pk for hit in hits}, limit=limit - len(hits))
    return hits


def _alias_hits(key: str, words: Q, *, exclude: set[int], limit: int) -> list[AreaHit]:
    aliases = (
        AreaAlias.objects.filter(words, area__is_obsolete=False)
        .exclude(area_id__in=exclude)
        .annotate(
            rank=Case(When(search_key=key, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .select_related("area")
        .order_by("rank", "-area__population", "name")[: limit * 2]
    )
    hits: dict[int, AreaHit] = {}
    for alias in aliases:
        hits.setdefault(alias.area_id, AreaHit(alias.area, via_alias=alias))
    areas = _with_context(Area.objects.filter(pk__in=list(hits)[:limit])).in_bulk()
    return [AreaHit(areas[pk], hit.via_alias) for pk, hit in hits.items() if pk in areas]


def area_get(kind: str, code: str) -> Area:
    """The area of that kind and code, obsolete ones included; 404 when there is none."""
    try:
        return Area.objects.get(kind=kind, code=code.upper())
    except Area.DoesNotExist:
        raise Http404 from None


def area_from_reference(reference: str) -> Area | None:
    """An area from what a person types: `epci:200040715`, `region:84`, or a bare code —
    5 characters for a commune, 9 digits for an EPCI, EPT or a commune's SIREN, 2 or 3 for a
    département."""
    text = reference.strip().lower()
    current = Area.objects.filter(is_obsolete=False)
    if match := _REFERENCE.fullmatch(text):
        return current.filter(kind=match["kind"], code=match["code"].upper()).first()
    if not _CODE.fullmatch(text):
        return None
    code = text.upper()
    if len(code) == 9:
        return current.filter(Q(code=code, kind__in=[AreaKind.EPCI, AreaKind.EPT]) | Q(siren=code)).first()
    if len(code) == 5:
        return current.filter(kind=AreaKind.COMMUNE, code=code).first()
    return current.filter(kind=AreaKind.DEPARTEMENT, code=code).first()


def area_scales_above(area: Area) -> list[Area]:
    """Every area containing this one, from the région down."""
    above = list(area.ancestors.only("kind", "code", "name", "epci_type", "population"))
    return sorted(above, key=lambda parent: (SCALE_ORDER.index(parent.kind), parent.name))


def area_children(area: Area, kind: str) -> QuerySet[Area]:
    """The current areas of one kind that this area contains."""
    return (
        Area.objects.filter(ancestry_links__ancestor=area, kind=kind, is_obsolete=False)
        .only("kind", "code", "name", "population", "epci_type")
        .order_by("search_key", "code")
    )


def area_list(kind: str) -> QuerySet[Area]:
    """The current areas of one kind, in directory order, with their départements (for the API's list,
    which pages through them: the count, the slice and the départements are three queries)."""
    return _with_context(Area.objects.filter(kind=kind, is_obsolete=False).order_by("search_key", "code"))


def area_child_kinds(area: Area) -> list[str]:
    """The kinds of areas listed below this one on its page."""
    return {
        AreaKind.REGION: [AreaKind.DEPARTEMENT, AreaKind.EPCI],
        AreaKind.DEPARTEMENT: [AreaKind.EPCI, AreaKind.COMMUNE],
        AreaKind.EPCI: [AreaKind.EPT, AreaKind.COMMUNE],
        AreaKind.EPT: [AreaKind.COMMUNE],
        AreaKind.COMMUNE: [],
    }[area.kind]


def area_aliases(area: Area) -> QuerySet[AreaAlias]:
    return area.aliases.order_by("kind", "name")


def area_counts() -> dict[str, int]:
    """Current areas per kind, as counted by the last import (they change only then)."""
    last = GeoImport.objects.only("area_counts").order_by("-imported_at", "-id").first()
    return last.area_counts if last else dict.fromkeys(AreaKind.values, 0)


def geo_snapshot_imported(path: Path) -> bool:
    """Whether this exact snapshot file was imported already."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
    return GeoImport.objects.filter(snapshot_sha256=digest).exists()
