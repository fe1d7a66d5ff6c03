"""Journal rules: admins, editors and contributors write entries (viewers only read); admins
and editors edit any entry, a contributor edits their own."""

import rules

from trajectoires.territories.permissions import (
    can_contribute_to_territory,
    is_territory_contributor,
    is_territory_writer,
)


@rules.predicate
def is_author(user, entry) -> bool:
    return entry.author_id is not None and entry.author_id == getattr(user, "pk", None)


@rules.predicate
def can_edit_journal_entry(user, entry) -> bool:
    territory = entry.territory
    return is_territory_writer(user, territory) or (
        is_territory_contributor(user, territory) and is_author(user, entry)
    )


can_add_journal_entry = can_contribute_to_territory
