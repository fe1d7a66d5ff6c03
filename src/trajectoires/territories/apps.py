from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "trajectoires.territories"
    label = "territories"
    verbose_name = _("Territories in transition")

    def ready(self) -> None:
        from trajectoires.accounts.signals import account_deleting

        from .receivers import refuse_erasing_a_last_admin

        account_deleting.connect(refuse_erasing_a_last_admin, dispatch_uid="territories.last_admin")
