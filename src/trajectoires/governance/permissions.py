"""Rules of the governance records. Spaces, meetings, decisions and trainings follow the other
territory records: admins, editors and contributors add them; admins and editors change any, a
contributor their own. The team's structure (DGS, expertise pole) is the admins' and editors'."""

from trajectoires.steering.permissions import can_edit_territory_record
from trajectoires.territories.permissions import can_contribute_to_territory, is_territory_writer

can_add_space = can_contribute_to_territory
can_edit_space = can_edit_territory_record
can_add_decision = can_contribute_to_territory
can_edit_decision = can_edit_territory_record
can_add_training = can_contribute_to_territory
can_edit_training = can_edit_territory_record
can_edit_team_structure = is_territory_writer

# Controversies: anyone who contributes reports one, states a party's position and brings expertise
# (partners come for exactly that); the team — admins and editors — steers the life cycle, writes
# the état de la controverse, the decision and its follow-up. A party's own account may co-sign.
can_add_controversy = can_contribute_to_territory
can_edit_controversy = can_edit_territory_record
can_add_party = can_contribute_to_territory
can_add_expertise = can_contribute_to_territory


def can_steer_controversy(user, controversy) -> bool:
    return is_territory_writer(user, controversy.territory)


def can_edit_party(user, party) -> bool:
    """The team changes any party's position; a contributor the ones they wrote."""
    territory = party.controversy.territory
    return is_territory_writer(user, territory) or (
        can_contribute_to_territory(user, territory)
        and party.author_id is not None
        and party.author_id == getattr(user, "pk", None)
    )
