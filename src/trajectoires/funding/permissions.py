"""Who may do what with a contract.

- a funder's members (admin or officer) prepare the contracts their funder leads and record its
  tranches; only a funder admin signs for the funder and agrees to a re-adjustment;
- the territory admin signs for the territory; the territory's writers keep its budget lines and
  objectives up to date;
- a contract is read by the parties (the territory by its visibility, the co-funders always).
"""

from trajectoires.accounts.models import FunderRole
from trajectoires.territories.enums import WRITE_ROLES, TerritoryRole
from trajectoires.territories.permissions import viewer_scope

from .models import Contract, ContractParty


def funder_role(user, funder_id: int) -> str | None:
    return viewer_scope(user).funder_roles.get(funder_id)


def is_funder_member(user, funder) -> bool:
    return funder_role(user, funder.pk) is not None


def is_funder_admin(user, funder_id: int) -> bool:
    return funder_role(user, funder_id) == FunderRole.ADMIN


def territory_role(user, contract: Contract) -> str | None:
    return viewer_scope(user).roles.get(contract.territory_id)


def is_territory_admin(user, contract: Contract) -> bool:
    return territory_role(user, contract) == TerritoryRole.ADMIN


def is_territory_writer(user, contract: Contract) -> bool:
    return territory_role(user, contract) in WRITE_ROLES


def lead_party(contract: Contract) -> ContractParty | None:
    return next((party for party in contract.parties.all() if party.is_lead), None)


def is_lead_member(user, contract: Contract) -> bool:
    lead = lead_party(contract)
    return lead is not None and funder_role(user, lead.funder_id) is not None


def party_funder_ids(user, contract: Contract) -> set[int]:
    """The co-funders of `contract` that `user` is a member of."""
    roles = viewer_scope(user).funder_roles
    return {party.funder_id for party in contract.parties.all() if party.funder_id in roles}


def can_prepare(user, contract: Contract) -> bool:
    """Edit a draft: its lead funder's members and the territory admin."""
    return is_lead_member(user, contract) or is_territory_admin(user, contract)


def can_follow(user, contract: Contract) -> bool:
    """Record what happens once signed (budget spent, objectives): the writers and the lead funder."""
    return is_lead_member(user, contract) or is_territory_writer(user, contract)
