"""Rules of the territory's steering records (journal entries, celebrations, narratives): admins,
editors and contributors add them (viewers only read); admins and editors edit any of them, a
contributor edits their own."""

import rules

from trajectoires.territories.permissions import (
    can_contribute_to_territory,
    is_territory_contributor,
    is_territory_writer,
)


@rules.predicate
def is_author(user, record) -> bool:
    return record.author_id is not None and record.author_id == getattr(user, "pk", None)


@rules.predicate
def can_edit_territory_record(user, record) -> bool:
    territory = record.territory
    return is_territory_writer(user, territory) or (
        is_territory_contributor(user, territory) and is_author(user, record)
    )


can_add_journal_entry = can_contribute_to_territory
can_edit_journal_entry = can_edit_territory_record
can_add_celebration = can_contribute_to_territory
can_edit_celebration = can_edit_territory_record
can_add_narrative = can_contribute_to_territory
can_edit_narrative = can_edit_territory_record
