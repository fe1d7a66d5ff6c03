from django import forms
from django.utils.translation import gettext_lazy as _

from .coherence import Cell
from .models import Coherence


class CoherenceForm(forms.Form):
    """One cell of the matrix: its value and the reason (the service checks them again)."""

    value = forms.ChoiceField(
        label=_("Coherence with the orientation"),
        choices=Coherence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose coherent, neutral or contradictory.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("What in the document serves or hinders the orientation: the council discusses it."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say why: the reason is what the council will discuss.")},
    )

    @classmethod
    def for_cell(cls, cell: Cell, data=None) -> "CoherenceForm":
        initial = {"value": cell.assessment.value, "reason": cell.reason} if cell.assessment else {}
        return cls(data, initial=initial)
