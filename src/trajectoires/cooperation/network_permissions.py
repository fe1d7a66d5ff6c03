"""Who may write survey rounds and their ties: the territory's writers (admin, editor) only.

A round is the team's survey instrument: its ties are what the actors reported when the team asked
them, and its metrics measure the cooperation effect. Contributors (partners of the territory) read
the rounds their visibility allows but do not add ties: a tie they added would change a
measurement the team answers for. Reading follows the round's visibility (SPEC §4).
"""

import rules

from trajectoires.territories.permissions import is_territory_writer


@rules.predicate
def can_edit_survey_round(user, survey_round) -> bool:
    return is_territory_writer(user, survey_round.territory)


can_add_survey_round = is_territory_writer  # (user, territory)
can_edit_ties = can_edit_survey_round  # (user, survey round)
