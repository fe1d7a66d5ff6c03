"""Import of a round's cooperation ties from a CSV file, and the file's template.

Columns (French, accents and case do not matter): `acteur_1, acteur_2, type, frequence, qualite`
(required), then the PARTNER scores `ouverture, fiabilite, mission_partagee, influence,
implication, ressources` (optional columns, each cell 1 to 4 or empty). Actors are named exactly as
in the territory's actor map; type and frequency by code (`joint_project`) or label
(« Projet commun »). The file is read by `core.csvfile` (UTF-8 or Windows-1252, `,` or `;`).

Every row is checked before anything is written, with the same rules as a tie entered by hand
(`rounds.tie_errors`) and against the other rows of the file: one bad row and nothing is written,
each problem given with its line and column — unless the importer asks to skip the bad rows, in
which case the good ones are written and the bad ones reported.
"""

from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from trajectoires.core.csvfile import CsvFileError, CsvProblem, CsvRow, csv_template, read_csv
from trajectoires.core.text import search_key

from .models import Actor, SurveyRound, Tie, TieFrequency, TieType
from .network_permissions import can_edit_ties
from .rounds import PairKey, pair_key, taken_pairs, tie_errors, ties_write

# Column of the file → field of the tie.
COLUMNS = {
    "acteur_1": "source",
    "acteur_2": "target",
    "type": "tie_type",
    "frequence": "frequency",
    "qualite": "quality",
    "ouverture": "openness",
    "fiabilite": "reliability",
    "mission_partagee": "shared_mission",
    "influence": "influence",
    "implication": "involvement",
    "ressources": "resources",
}
REQUIRED = ("acteur_1", "acteur_2", "type", "frequence", "qualite")
COLUMN_OF = {field: column for column, field in COLUMNS.items()}
TEMPLATE_NAME = "modele-liens-cooperation.csv"


@dataclass(frozen=True)
class TieImport:
    created: int
    skipped: list[CsvProblem]  # the problems of the rows left out (skip_bad_rows only)


def ties_template() -> bytes:
    return csv_template(list(COLUMNS))


def ties_import(
    *, actor: Any, survey_round: SurveyRound, upload: IO[bytes] | bytes, skip_bad_rows: bool = False
) -> TieImport:
    """Add the file's ties to the round, all or none (CsvFileError lists every problem); with
    `skip_bad_rows`, the good rows and the list of the others. A wrong file is refused either way."""
    if not can_edit_ties(actor, survey_round):
        raise PermissionDenied
    table = read_csv(upload, columns=list(COLUMNS), required=REQUIRED)
    if not table.rows:
        raise CsvFileError([CsvProblem(_("The file has no tie to import."))])
    reader = _RowReader(survey_round)
    with transaction.atomic():
        taken = {key: 0 for key in taken_pairs(survey_round)}  # key → line in the file (0: already there)
        ties, problems = [], []
        for row in table.rows:
            tie, row_problems = reader.tie(row, taken)
            if row_problems:
                problems += row_problems
            else:
                ties.append(tie)
        if problems and not skip_bad_rows:
            raise CsvFileError(problems)
        created = ties_write(actor=actor, survey_round=survey_round, ties=ties) if ties else []
    return TieImport(len(created), problems)


class _RowReader:
    """Turns rows into ties, with the territory's actors and the choices read once."""

    def __init__(self, survey_round: SurveyRound):
        self.round = survey_round
        self.territory = survey_round.territory
        self.actors: dict[str, list[Actor]] = {}
        for record in Actor.objects.filter(territory=self.territory, erased_at__isnull=True):
            self.actors.setdefault(record.name, []).append(record)
        self.tie_types = _choice_keys(TieType)
        self.frequencies = _choice_keys(TieFrequency)

    def tie(self, row: CsvRow, taken: dict[PairKey, int]) -> tuple[Tie, list[CsvProblem]]:
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        for column, field in COLUMNS.items():
            text = row.values.get(column, "")
            try:
                values[field] = self._value(field, text)
            except ValueError as error:
                errors[field] = [str(error)]
        tie = Tie(round=self.round, **values)
        if not errors:
            errors = self._duplicate_in_file(tie, taken, row.line) or tie_errors(
                tie, territory=self.territory, taken=taken.keys()
            )
        if not errors:
            taken[pair_key(tie.source_id, tie.target_id, tie.tie_type)] = row.line
        problems = [
            CsvProblem(message, line=row.line, column=COLUMN_OF.get(field))
            for field, messages in errors.items()
            for message in messages
        ]
        return tie, problems

    def _value(self, field: str, text: str) -> Any:
        if field in ("source", "target"):
            return self._actor(text)
        if field == "tie_type":
            return _choice(self.tie_types, text)
        if field == "frequency":
            return _choice(self.frequencies, text)
        return _score(text, required=field == "quality")

    def _actor(self, name: str) -> Actor:
        if not name:
            raise ValueError(_("Name an actor."))
        found = self.actors.get(name, [])
        if not found:
            raise ValueError(
                _("No actor of %(territory)s is named “%(name)s”.")
                % {"territory": self.territory.name, "name": name}
            )
        if len(found) > 1:
            raise ValueError(
                _("Several actors are named “%(name)s” (an organisation and a person): rename one of them.")
                % {"name": name}
            )
        return found[0]

    def _duplicate_in_file(self, tie: Tie, taken: dict[PairKey, int], line: int) -> dict[str, list[str]]:
        earlier = taken.get(pair_key(tie.source_id, tie.target_id, tie.tie_type))
        if earlier:
            return {"tie_type": [_("The same tie is already on line %(line)d.") % {"line": earlier}]}
        return {}


def _choice_keys(choices) -> dict[str, str]:
    """Each choice by its code and by its label in French and in English, folded."""
    keys = {}
    for value, label in choices.choices:
        keys[search_key(value)] = value
        for language in ("fr", "en"):
            with translation.override(language):
                keys[search_key(str(label))] = value
    return keys


def _choice(keys: dict[str, str], text: str) -> str:
    if not text:
        raise ValueError(_("This value is required."))
    if (value := keys.get(search_key(text))) is None:
        accepted = ", ".join(sorted(set(keys.values())))
        raise ValueError(
            _("“%(value)s” is not one of the accepted values: %(accepted)s (or their labels).")
            % {"value": text, "accepted": accepted}
        )
    return value


def _score(text: str, *, required: bool) -> int | None:
    if not text:
        if required:
            raise ValueError(_("This value is required."))
        return None
    if text not in ("1", "2", "3", "4"):
        raise ValueError(_("Enter a whole number from 1 to 4 (“%(value)s” given).") % {"value": text})
    return int(text)
