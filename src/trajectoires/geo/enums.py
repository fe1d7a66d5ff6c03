from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    REGION = "region", _("Region")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    EPT = "ept", _("Territorial public establishment (EPT)")
    COMMUNE = "commune", _("Commune")


PLURAL_LABELS = {
    AreaKind.REGION: _("Regions"),
    AreaKind.DEPARTEMENT: _("Départements"),
    AreaKind.EPCI: _("Intercommunalities (EPCI)"),
    AreaKind.EPT: _("Territorial public establishments (EPT)"),
    AreaKind.COMMUNE: _("Communes"),
}

# From the largest scale to the smallest: the order in which a page lists the scales.
SCALE_ORDER = [AreaKind.REGION, AreaKind.DEPARTEMENT, AreaKind.EPCI, AreaKind.EPT, AreaKind.COMMUNE]


class EpciType(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


class AliasKind(models.TextChoices):
    DELEGATED = "deleguee", _("delegated commune")
    ASSOCIATED = "associee", _("associated commune")
    MUNICIPAL_DISTRICT = "arrondissement", _("municipal district")
