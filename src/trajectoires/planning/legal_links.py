"""The legal links between planning documents (compatibilité, prise en compte), from the référentiel.

A link of the grid `document_link` says that a document of one type must be compatible with, or take
into account, a document of another type. Between two recorded documents it holds when the target's
writing body is the source's or contains it: a commune's PLU must be compatible with the SCoT of its
intercommunality, not with another one's. An expected link whose target is not recorded is listed as
missing, so a team sees what the law expects of its documents and what is absent.

The functions below are pure: they take documents, the rules and the ancestry of the writing bodies,
and return the links; `territory_legal_links` gathers those inputs for a territory in a fixed number
of queries."""

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trajectoires.geo.models import AreaAncestry
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .document_selectors import documents_of
from .models import DocumentStatus, PlanningDocument

COMPATIBILITY = "compatibilite"
TAKING_INTO_ACCOUNT = "prise_en_compte"
KIND_LABELS = {
    COMPATIBILITY: gettext_lazy("must be compatible with"),
    TAKING_INTO_ACCOUNT: gettext_lazy("must take into account"),
}
# Article L. 131-6 of the code de l'urbanisme links a local plan directly to the SRADDET only where
# no SCoT covers it: a SCoT screens the SRADDET from the plans below it.
_SCREENED_BY_SCOT_BASIS = "L. 131-6"
_ABBREVIATION = re.compile(r"\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class LinkRule:
    """One legal link of the référentiel: a `source_type` document `kind` a `target_type` one."""

    code: str
    source_type: str
    target_type: str
    kind: str
    basis: str
    label: str
    screened_by: str = ""  # a type whose document, where it binds, makes this direct link moot

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


@dataclass(frozen=True)
class LegalLink:
    source: PlanningDocument
    target: PlanningDocument
    rule: LinkRule


@dataclass(frozen=True)
class MissingLink:
    """A link the law expects of `source`, whose target type has no recorded document."""

    source: PlanningDocument
    rule: LinkRule
    target_name: str

    @property
    def message(self) -> str:
        values = {"source": self.source.title, "target": self.target_name}
        if self.rule.kind == TAKING_INTO_ACCOUNT:
            return _("“%(source)s” must take into account a %(target)s: none is recorded.") % values
        return _("“%(source)s” must be compatible with a %(target)s: none is recorded.") % values


@dataclass(frozen=True)
class LegalLinks:
    links: list[LegalLink]
    missing: list[MissingLink]

    def of(self, document: PlanningDocument) -> "LegalLinks":
        """Only the links where `document` is the source or the target."""
        return LegalLinks(
            [link for link in self.links if document.pk in (link.source.pk, link.target.pk)],
            [missing for missing in self.missing if missing.source.pk == document.pk],
        )


def type_short_name(doc_type: Item) -> str:
    """What a sentence calls a document type: its abbreviation (SCoT, PLU…), else its label."""
    label = doc_type.label
    if match := _ABBREVIATION.search(label):
        return match.group(1).strip()
    return label[:1].lower() + label[1:]


def link_rules(items: Iterable[Item]) -> list[LinkRule]:
    """The rules of the référentiel's `document_link` items, in their order."""
    rules = []
    for item in items:
        extra = item.extra or {}
        basis = extra.get("basis", "")
        screened_by = extra.get("unless", "") or ("scot" if _SCREENED_BY_SCOT_BASIS in basis else "")
        rules.append(
            LinkRule(
                code=item.code,
                source_type=extra["from"],
                target_type=extra["to"],
                kind=extra["kind"],
                basis=basis,
                label=item.label,
                screened_by=screened_by,
            )
        )
    return rules


def legal_links(
    documents: Iterable[PlanningDocument],
    rules: Iterable[LinkRule],
    ancestors: Mapping[int, Collection[int]],
    type_names: Mapping[str, str],
) -> LegalLinks:
    """Which document must be compatible with (or take into account) which, and the expected links
    without a target. `ancestors` maps a writing body's id to the ids of the areas containing it;
    `type_names` a type's code to its short name. Expired documents bind no one and are left out."""
    in_force = [document for document in documents if document.status != DocumentStatus.EXPIRED]
    by_type: dict[str, list[PlanningDocument]] = {}
    for document in in_force:
        by_type.setdefault(document.doc_type.code, []).append(document)

    def covering(source: PlanningDocument, type_code: str) -> list[PlanningDocument]:
        above = ancestors.get(source.writer_id, ())
        return [
            target
            for target in by_type.get(type_code, [])
            if target.pk != source.pk and (target.writer_id == source.writer_id or target.writer_id in above)
        ]

    links, missing = [], []
    for rank, rule in enumerate(rules):
        for source in by_type.get(rule.source_type, []):
            if rule.screened_by and covering(source, rule.screened_by):
                continue
            targets = covering(source, rule.target_type)
            links += [(rank, LegalLink(source, target, rule)) for target in targets]
            if not targets:
                name = type_names.get(rule.target_type, rule.target_type)
                missing.append((rank, MissingLink(source, rule, name)))
    return LegalLinks(_by_source(links), _by_source(missing))


def _by_source[T: (LegalLink, MissingLink)](ranked: list[tuple[int, T]]) -> list[T]:
    """Grouped by source document (in the list's order), each in the référentiel's order of rules."""

    def key(pair: tuple[int, T]):
        rank, link = pair
        return (link.source.doc_type.position, link.source.title, link.source.pk or 0, rank)

    return [link for _rank, link in sorted(ranked, key=key)]


def writer_ancestors(documents: Iterable[PlanningDocument]) -> dict[int, set[int]]:
    """The areas containing each document's writing body (one query)."""
    writers = {document.writer_id for document in documents}
    ancestors: dict[int, set[int]] = {writer: set() for writer in writers}
    pairs = AreaAncestry.objects.filter(area_id__in=writers).values_list("area_id", "ancestor_id")
    for area, ancestor in pairs:
        ancestors[area].add(ancestor)
    return ancestors


def document_types() -> QuerySet[Item]:
    """The planning document types of the current référentiel, in their order."""
    return referential_items("planning_document_type")


def territory_legal_links(
    viewer,
    territory: Territory,
    *,
    documents: list[PlanningDocument] | None = None,
    types: Iterable[Item] | None = None,
) -> LegalLinks:
    """The legal links between the documents binding `territory` that `viewer` reads (three queries,
    fewer when the caller already holds the documents or the types)."""
    documents = list(documents_of(viewer, territory)) if documents is None else documents
    types = list(document_types()) if types is None else types
    return legal_links(
        documents,
        link_rules(referential_items("document_link")),
        writer_ancestors(documents),
        {doc_type.code: type_short_name(doc_type) for doc_type in types},
    )
