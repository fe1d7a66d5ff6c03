"""Journal rules: the team and contributors write entries; editors and admins edit any, a
contributor edits their own."""

import rules

from trajectoires.territories.permissions import is_territory_member, is_territory_writer


@rules.predicate
def is_author(user, entry) -> bool:
    return entry.author_id is not None and entry.author_id == getattr(user, "pk", None)


@rules.predicate
def can_edit_journal_entry(user, entry) -> bool:
    territory = entry.territory
    return is_territory_writer(user, territory) or (
        is_territory_member(user, territory) and is_author(user, entry)
    )


can_add_journal_entry = is_territory_member
