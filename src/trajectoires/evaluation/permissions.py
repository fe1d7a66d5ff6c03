"""Rules of the evaluation records.

Outcomes follow the other territory records: admins, editors and contributors harvest them; admins
and editors change any, a contributor their own. Substantiations are recorded by those who may add
outcomes (a partner may bring an independent view).

Self-assessment: the territory admin opens, edits, closes and deletes campaigns; admins, editors and
contributors answer; a response is changed by whoever recorded it, or by the admin.

Diagnostic sensible: the writers (admin, editor) write it; the admin validates, shares it with
funders, deletes it and says who records and reads the interviews (see `diagnostics.can_read_notes`).

Stories of change: collected like outcomes (a contributor changes their own); the writers frame
them (domains, periods), verify them, give feedback and record the selection rounds.
"""

from trajectoires.steering.permissions import can_edit_territory_record
from trajectoires.territories.permissions import (
    can_contribute_to_territory,
    can_manage_territory,
    can_write_in_territory,
    is_territory_admin,
)

can_add_outcome = can_contribute_to_territory
can_edit_outcome = can_edit_territory_record
can_substantiate = can_contribute_to_territory

can_run_assessment = can_manage_territory
can_answer_assessment = can_contribute_to_territory

can_write_diagnostic = can_write_in_territory

can_add_story = can_contribute_to_territory
can_edit_story = can_edit_territory_record
can_manage_diagnostic = can_manage_territory


def can_edit_assessment_response(user, response) -> bool:
    territory = response.campaign.territory
    if is_territory_admin(user, territory):
        return True
    recorded_by_them = getattr(user, "is_authenticated", False) and response.recorded_by_id == user.pk
    return recorded_by_them and can_answer_assessment(user, territory)
