"""Who may do what with the actors of a territory (K5).

- the team writers (admin, editor) create, edit and delete actors; contributors may add actors
  (one by one or by CSV import) but not change them afterwards;
- contact details (e-mail, phone, notes) are read by the team only (admin, editor, viewer),
  whatever the actor's visibility: everyone else who may read the actor sees its name, kind,
  category, organisation and function;
- a person's personal data are exported and erased (GDPR) by the territory admin only.
"""

import rules

from trajectoires.territories.permissions import (
    can_contribute_to_territory,
    is_territory_admin,
    is_territory_team,
    is_territory_writer,
)

from .models import ActorKind


@rules.predicate
def can_edit_actor(user, actor) -> bool:
    return is_territory_writer(user, actor.territory)


@rules.predicate
def is_person(user, actor) -> bool:
    return actor.kind == ActorKind.PERSON


@rules.predicate
def can_manage_personal_data(user, actor) -> bool:
    return is_territory_admin(user, actor.territory)


can_add_actor = can_contribute_to_territory  # (user, territory)
can_delete_actor = can_edit_actor
can_read_actor_contacts = is_territory_team  # (user, territory)
can_export_actor = is_person & can_manage_personal_data
can_erase_actor = is_person & can_manage_personal_data
