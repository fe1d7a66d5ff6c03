"""Import of actors from a CSV file, and its template.

Columns (French; accents and case do not matter): `nom, type, categorie` (required), then
`organisation, fonction, email, telephone, visibilite`. The file is read by `core.csvfile` (UTF-8
with or without BOM, or Windows-1252; `,` or `;`; 2 MB at most). Every row is checked before
anything is written: one bad row and the whole file is refused, each problem given with its line
and column. An actor already in the map (same kind and name) is reported as a duplicate, never
overwritten, so an import only ever adds actors — which is why contributors may import too.
"""

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trajectoires.core.audit import changed_fields
from trajectoires.core.csvfile import CsvFileError, CsvProblem, CsvRow, csv_template, read_csv
from trajectoires.core.text import search_key
from trajectoires.core.visibility import Visibility
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory

from .actor_selectors import CATEGORY_GRID, organisations_of
from .actors import audit_actor, snapshot, validate_phone
from .models import Actor, ActorKind
from .permissions import can_add_actor
from .tasks import refresh_territory_rounds

COLUMNS = ("nom", "type", "categorie", "organisation", "fonction", "email", "telephone", "visibilite")
REQUIRED = ("nom", "type", "categorie")
TEMPLATE_NAME = "modele-acteurs.csv"
EXAMPLE = (
    "Jeanne Exemple", "personne", "elu", "", "Adjointe à la transition écologique",
    "jeanne.exemple@example.org", "03 89 00 00 00", "prive",
)  # fmt: skip
KINDS = {
    "organisation": ActorKind.ORGANISATION, "organization": ActorKind.ORGANISATION,
    "personne": ActorKind.PERSON, "person": ActorKind.PERSON,
}  # fmt: skip
VISIBILITIES = {
    "": Visibility.PRIVATE, "prive": Visibility.PRIVATE, "privee": Visibility.PRIVATE,
    "private": Visibility.PRIVATE, "partenaires": Visibility.PARTNERS, "partners": Visibility.PARTNERS,
    "alliance": Visibility.ALLIANCE, "public": Visibility.PUBLIC, "publique": Visibility.PUBLIC,
}  # fmt: skip
# Model fields, as the columns that fill them.
COLUMN_OF = {"name": "nom", "kind": "type", "function": "fonction", "email": "email",
             "phone": "telephone", "visibility": "visibilite"}  # fmt: skip


@dataclass
class _Row:
    line: int
    record: Actor
    organisation_name: str = ""
    problems: list[CsvProblem] = field(default_factory=list)

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(CsvProblem(message, line=self.line, column=column))


def actors_template() -> bytes:
    """The header and one example row, UTF-8 with a byte order mark for spreadsheets."""
    return csv_template(COLUMNS, [EXAMPLE])


def actors_import(*, actor: Any, territory: Territory, upload: IO[bytes] | bytes) -> list[Actor]:
    """Create one actor per row of the CSV file, all or none; CsvFileError lists every problem."""
    if not can_add_actor(actor, territory):
        raise PermissionDenied
    table = read_csv(upload, columns=COLUMNS, required=REQUIRED)
    if not table.rows:
        raise CsvFileError([CsvProblem(_("The file has no actor under its header line."), line=1)])
    reader = _Reader(actor, territory)
    rows = reader.rows(table.rows)
    with transaction.atomic():
        records = _insert(reader.organisations, rows)
        for record in records:
            changes = changed_fields({}, snapshot(record))
            audit_actor(actor=actor, action="actor.import", record=record, changes=changes)
        refresh_territory_rounds(territory)
    return records


class _Reader:
    """Turns rows into actors, with the categories, the territory's actors and its organisations
    read once; raises CsvFileError with every problem found."""

    def __init__(self, actor: Any, territory: Territory) -> None:
        self.territory = territory
        items = list(referential_items(CATEGORY_GRID))
        self.categories = {key: item for item in items for key in _category_keys(item)}
        self.category_codes = ", ".join(item.code for item in items)
        self.existing = set(Actor.objects.filter(territory=territory).values_list("kind", "name"))
        self.organisations = {
            organisation.name.casefold(): organisation for organisation in organisations_of(actor, territory)
        }

    def rows(self, table_rows: list[CsvRow]) -> list[_Row]:
        rows: list[_Row] = []
        seen: dict[tuple[str, str], int] = {}
        for table_row in table_rows:
            row = _Row(table_row.line, Actor(territory=self.territory))
            self._fill(row, table_row.values)
            self._check_duplicate(row, seen)
            rows.append(row)
        problems = [problem for row in rows for problem in row.problems]
        problems += self._resolve_organisations(rows)
        if problems:
            raise CsvFileError(sorted(problems, key=lambda problem: problem.line or 0))
        return rows

    def _fill(self, row: _Row, values: dict[str, str]) -> None:
        values = dict.fromkeys(COLUMNS, "") | values
        record = row.record
        record.name, record.function = values["nom"], values["fonction"]
        record.email, record.phone = values["email"], values["telephone"]
        record.kind = KINDS.get(search_key(values["type"]), "")
        if values["type"] and not record.kind:
            row.refuse("type", _("Write “organisation” or “personne”."))
        record.visibility = VISIBILITIES.get(search_key(values["visibilite"]), "")
        if not record.visibility:
            row.refuse(
                "visibilite", _("Write “prive”, “partenaires”, “alliance” or “public” (empty means private).")
            )
        category = self.categories.get(search_key(values["categorie"]))
        if category is not None:
            record.category = category
        elif values["categorie"]:
            message = _("Unknown category “%(value)s”: use one of %(codes)s.")
            row.refuse("categorie", message % {"value": values["categorie"], "codes": self.category_codes})
        row.organisation_name = values["organisation"]
        self._clean(row)

    def _clean(self, row: _Row) -> None:
        refused = {problem.column for problem in row.problems}
        excluded = ["territory", "category", "organisation", "user", "erased_at"]
        excluded += [name for name, column in COLUMN_OF.items() if column in refused]
        problems: dict[str, list[str]] = {}
        try:
            row.record.clean_fields(exclude=excluded)
        except ValidationError as error:
            problems = error.message_dict
        if not row.record.category_id and "categorie" not in refused:
            problems["category"] = [_("This field is required.")]
        if "phone" not in problems:
            try:
                validate_phone(row.record.phone)
            except ValidationError as error:
                problems["phone"] = error.messages
        for name, messages in problems.items():
            for message in messages:
                row.refuse(COLUMN_OF.get(name, "categorie"), message)

    def _check_duplicate(self, row: _Row, seen: dict[tuple[str, str], int]) -> None:
        record = row.record
        if not record.name or not record.kind:
            return
        key = (record.kind, record.name)
        if key in self.existing:
            message = _("“%(name)s” is already in the actor map: it is not imported again.")
            row.refuse("nom", message % {"name": record.name})
        elif key in seen:
            message = _("“%(name)s” is already on line %(line)s.")
            row.refuse("nom", message % {"name": record.name, "line": seen[key]})
        else:
            seen[key] = row.line

    def _resolve_organisations(self, rows: list[_Row]) -> list[CsvProblem]:
        """Each organisation named is one of the file or one already in the territory; no
        organisation belongs to itself, even through others."""
        in_file = {
            row.record.name.casefold(): row
            for row in rows
            if row.record.kind == ActorKind.ORGANISATION and row.record.name
        }
        problems = []
        for row in rows:
            key = row.organisation_name.casefold()
            if not key:
                continue
            if key not in in_file and key not in self.organisations:
                message = _("No organisation “%(name)s” in this file or in the territory.")
                problems.append(
                    CsvProblem(message % {"name": row.organisation_name}, row.line, "organisation")
                )
            elif _loops(row, in_file):
                message = _("An organisation cannot belong to itself, even through others.")
                problems.append(CsvProblem(message, row.line, "organisation"))
        return problems


def _loops(row: _Row, in_file: dict[str, _Row]) -> bool:
    if row.record.kind != ActorKind.ORGANISATION:
        return False
    seen = {row.record.name.casefold()}
    key = row.organisation_name.casefold()
    while key in in_file:
        if key in seen:
            return True
        seen.add(key)
        key = in_file[key].organisation_name.casefold()
    return False


def _insert(existing: dict[str, Actor], rows: list[_Row]) -> list[Actor]:
    """Insert the actors, each organisation before its members (in rounds: an organisation of the
    file may itself belong to another of the file), so every row goes in with its organisation."""
    organisations = existing | {
        row.record.name.casefold(): row.record for row in rows if row.record.kind == ActorKind.ORGANISATION
    }
    for row in rows:
        if row.organisation_name:
            row.record.organisation = organisations[row.organisation_name.casefold()]
    waiting = [row.record for row in rows]
    while waiting:
        ready = [record for record in waiting if record.organisation is None or record.organisation.pk]
        Actor.objects.bulk_create(ready, batch_size=500)
        waiting = [record for record in waiting if record.pk is None]
    return [row.record for row in rows]


def _category_keys(item: Item) -> set[str]:
    return {search_key(item.code), search_key(item.label_fr), search_key(item.label_en)}
