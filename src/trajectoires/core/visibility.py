"""Visibility of territory-owned records (SPEC §4). Filtering by viewer lives with the territories,
which know who is in a team and who is a partner; this module only names the levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private — the territory team")
    PARTNERS = "partners", _("Partners — the team, its contributors and its funders")
    ALLIANCE = "alliance", _("Alliance — every signed-in member")
    PUBLIC = "public", _("Public — anyone, and open data")


def visibility_field() -> models.CharField:
    return models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE, db_index=True
    )
