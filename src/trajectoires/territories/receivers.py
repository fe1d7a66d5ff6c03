"""What territories answer to signals from lower layers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .teams import teams_where_last_admin


def refuse_erasing_a_last_admin(sender, user, **kwargs) -> None:
    """An account that is the only admin of a team cannot be erased: the team would be locked."""
    if names := teams_where_last_admin(user):
        raise ValidationError(
            _("You are the only admin of %(teams)s: name another admin there before deleting your account.")
            % {"teams": ", ".join(names)}
        )
