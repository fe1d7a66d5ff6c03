from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "trajectoires.steering"
    label = "steering"
    verbose_name = _("Steering")

    def ready(self) -> None:
        from trajectoires.core import fulltext

        from .models import JournalEntry

        fulltext.register(JournalEntry, "search_document", scope="territory")
