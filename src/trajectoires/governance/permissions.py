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
