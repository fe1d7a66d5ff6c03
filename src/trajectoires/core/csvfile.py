"""Reading a CSV file that a person made with a spreadsheet, before any row is imported.

Accepted: UTF-8 (with or without the byte order mark spreadsheets add) or Windows-1252 (what Excel
saves on French Windows); `,` or `;` between values (`;` is what French spreadsheets write), chosen
from the header line; a header line naming the columns, compared without case, accents or spaces
(« Mission partagée » is `mission_partagee`). Refused, with the reason: another extension, a file too
big or with too many rows, UTF-16 or binary content, unknown, missing or repeated columns.

Every problem names its line in the file (the header is line 1) and, when it can, its column, so
an importer can list them all and write nothing (SPEC §7).
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .text import search_key

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
EXTENSIONS = (".csv", ".txt")
DELIMITERS = (",", ";")
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class CsvProblem:
    """One thing wrong: at a line (None: the file as a whole), in a column (None: the whole line)."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.line is not None and self.column:
            return _("Line %(line)d, column “%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line is not None:
            return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class CsvFileError(Exception):
    """The file cannot be read as the expected table; `problems` says why, each on its own."""

    def __init__(self, problems: list[CsvProblem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class CsvRow:
    line: int  # where the row starts in the file (the header is line 1)
    values: dict[str, str] = field(default_factory=dict)  # column → text, stripped ("" when empty)


@dataclass(frozen=True)
class CsvTable:
    columns: list[str]  # the file's columns, in their canonical names, in the file's order
    rows: list[CsvRow]
    encoding: str
    delimiter: str


def column_key(header: str) -> str:
    """The canonical name of a header cell: « Mission partagée » → `mission_partagee`."""
    return search_key(header).replace(" ", "_")


def read_csv(
    upload: IO[bytes] | bytes,
    *,
    columns: Sequence[str],
    required: Sequence[str] = (),
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> CsvTable:
    """The rows of `upload` (an uploaded file or bytes) under the expected `columns` (canonical
    names); `required` columns must be in the header, the others may be left out."""
    raw = _read_bytes(upload, max_bytes)
    text, encoding = _decode(raw)
    header_line = text.partition("\n")[0]
    if not header_line.strip():
        raise CsvFileError([CsvProblem(_("The file is empty: its first line must name the columns."))])
    delimiter = _delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [column_key(cell) for cell in next(reader)]
        _check_header(header, columns, required)
        rows = _rows(reader, header, max_rows)
    except csv.Error:
        message = _("This line cannot be read as CSV (a quotation mark may be missing).")
        raise CsvFileError([CsvProblem(message, line=reader.line_num)]) from None
    return CsvTable(header, rows, encoding, delimiter)


def csv_template(columns: Sequence[str], rows: Sequence[Sequence[str]] = ()) -> bytes:
    """A file to fill in: UTF-8 with a byte order mark (so spreadsheets read accents right), and `;`
    between columns, the separator French spreadsheets expect (the reader accepts `,` too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


def _read_bytes(upload: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if not isinstance(upload, bytes):
        name = (getattr(upload, "name", "") or "").lower()
        if not name.endswith(EXTENSIONS):
            raise CsvFileError([CsvProblem(_("Send a CSV file (a name ending in .csv)."))])
        if (getattr(upload, "size", None) or 0) > max_bytes:
            raise CsvFileError([_too_big(max_bytes)])
        upload = upload.read(max_bytes + 1)
    if len(upload) > max_bytes:
        raise CsvFileError([_too_big(max_bytes)])
    return upload


def _too_big(max_bytes: int) -> CsvProblem:
    return CsvProblem(_("The file is too big: at most %(limit)s.") % {"limit": filesizeformat(max_bytes)})


def _decode(raw: bytes) -> tuple[str, str]:
    if b"\0" in raw:
        raise CsvFileError([_not_text()])
    encodings = ("utf-8-sig",) if raw.startswith(UTF8_BOM) else ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise CsvFileError([_not_text()])


def _not_text() -> CsvProblem:
    return CsvProblem(
        _(
            "The file is not text in UTF-8 or Windows-1252 (it may be a spreadsheet or UTF-16): "
            "save it as “CSV UTF-8” and send it again."
        )
    )


def _delimiter(header_line: str) -> str:
    """`;` when the header line has more of them than commas (French spreadsheets), else `,`."""
    return max(DELIMITERS, key=lambda delimiter: (header_line.count(delimiter), delimiter == ","))


def _check_header(header: list[str], columns: Sequence[str], required: Sequence[str]) -> None:
    problems = []
    expected = ", ".join(columns)
    if unknown := [name or "?" for name in header if name not in columns]:
        problems.append(
            CsvProblem(
                _("Unknown columns: %(unknown)s. The columns are: %(expected)s.")
                % {"unknown": ", ".join(unknown), "expected": expected},
                line=1,
            )
        )
    if missing := [name for name in required if name not in header]:
        problems.append(
            CsvProblem(_("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)}, line=1)
        )
    if repeated := sorted({name for name in header if name and header.count(name) > 1}):
        problems.append(
            CsvProblem(
                _("Columns named more than once: %(repeated)s.") % {"repeated": ", ".join(repeated)},
                line=1,
            )
        )
    if problems:
        raise CsvFileError(problems)


def _rows(reader, header: list[str], max_rows: int) -> list[CsvRow]:
    rows, problems = [], []
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are left out
        if len(cells) > len(header):
            message = _("This line has %(found)d values for %(expected)d columns.") % {
                "found": len(cells),
                "expected": len(header),
            }
            problems.append(CsvProblem(message, line=start))
            continue
        values = {
            name: (cells[index].strip() if index < len(cells) else "") for index, name in enumerate(header)
        }
        rows.append(CsvRow(start, values))
        if len(rows) > max_rows:
            message = _("The file has more than %(count)d rows: split it.") % {"count": max_rows}
            raise CsvFileError([CsvProblem(message)])
    if problems:
        raise CsvFileError(problems)
    return rows
