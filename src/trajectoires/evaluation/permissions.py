"""Rules of the evaluation records. Outcomes follow the other territory records: admins, editors and
contributors harvest them; admins and editors change any, a contributor their own. Substantiations
are recorded by those who may add outcomes (a partner may bring an independent view)."""

from trajectoires.steering.permissions import can_edit_territory_record
from trajectoires.territories.permissions import can_contribute_to_territory

can_add_outcome = can_contribute_to_territory
can_edit_outcome = can_edit_territory_record
can_substantiate = can_contribute_to_territory
