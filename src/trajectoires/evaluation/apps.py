from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "trajectoires.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from trajectoires.cooperation.signals import actor_erasing

        from .diagnostics import hide_erased_person

        actor_erasing.connect(hide_erased_person, dispatch_uid="evaluation.hide_erased_person")
