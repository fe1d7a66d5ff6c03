"""Rules of the planning records. Planning documents and the coherence matrix are the team's
judgement: admins and editors write them. Actions and pilots follow the other territory records:
admins, editors and contributors add them; admins and editors edit any, a contributor their own."""

import rules

from trajectoires.steering.permissions import can_edit_territory_record
from trajectoires.territories.permissions import can_contribute_to_territory, is_territory_writer


@rules.predicate
def can_edit_document(user, document) -> bool:
    """Only the team of the territory that recorded a document keeps it; the other territories
    inside its writing area read it and assess it against their own vision."""
    return is_territory_writer(user, document.territory)


can_add_document = is_territory_writer
can_assess_coherence = is_territory_writer
can_add_action = can_contribute_to_territory
can_edit_action = can_edit_territory_record
can_add_pilot = can_contribute_to_territory
can_edit_pilot = can_edit_territory_record
