from django.db import models
from django.utils.translation import gettext_lazy as _

from trajectoires.geo.enums import AreaKind


class TerritoryKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunality (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Region")
    PETR = "petr", _("PETR (rural territorial balance hub)")
    PAYS = "pays", _("Pays")
    PNR = "pnr", _("Regional nature park")
    BASSIN_DE_VIE = "bassin_de_vie", _("Bassin de vie")
    OTHER = "other", _("Other perimeter")


# A territory of one of these kinds is exactly one area of the matching kind.
SINGLE_AREA_KINDS = {
    TerritoryKind.COMMUNE: AreaKind.COMMUNE,
    TerritoryKind.EPCI: AreaKind.EPCI,
    TerritoryKind.DEPARTEMENT: AreaKind.DEPARTEMENT,
    TerritoryKind.REGION: AreaKind.REGION,
}


class TerritoryRole(models.TextChoices):
    ADMIN = "admin", _("Territory admin")
    EDITOR = "editor", _("Territory editor")
    CONTRIBUTOR = "contributor", _("Territory contributor")
    VIEWER = "viewer", _("Territory viewer")


# The team sees private records; contributors are partners, like the funders of the territory.
TEAM_ROLES = {TerritoryRole.ADMIN, TerritoryRole.EDITOR, TerritoryRole.VIEWER}
WRITE_ROLES = {TerritoryRole.ADMIN, TerritoryRole.EDITOR}
