"""The forms of a contract's objectives: the HTTP input boundary of their pages. They check the shape
of the input; the rules — an objective written, orientations of the territory's vision, a reason and
a learning for each re-adjustment, the lesson written when an objective is abandoned — are the
services' (`objectives`), whose refusals land next to the field they name, in their own words (so
those fields are not required here).

- The orientations are those of the territory's vision: the contract ties its objectives to them
  whoever prepares it.
- The key actions are the current référentiel's, by code; an objective keeps the rows it holds for
  the codes it keeps, whatever their version (decision 0009).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.steering.forms import KeyActionChoiceField
from trajectoires.steering.models import Orientation
from trajectoires.steering.narrative_forms import OrientationChoiceField
from trajectoires.territories.models import Territory

from .models import Objective, ObjectiveOutcome, ObjectiveVersion
from .objectives import ObjectiveInput

KEY_ACTION_GRID = "key_action"


def _text(label, rows=4, **options) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **options
    )


def _target() -> forms.CharField:
    return forms.CharField(
        label=_("Target"),
        max_length=300,
        required=False,
        help_text=_("What shows the objective is reached, e.g. « 3 communes sharing a post by 2029 »."),
    )


class ObjectiveForm(forms.Form):
    statement = _text(_("Objective"))
    target = _target()
    orientations = OrientationChoiceField(
        label=_("Orientations of the territory’s vision"),
        queryset=Orientation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    key_actions = KeyActionChoiceField(
        label=_("Key actions"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, territory: Territory, objective: Objective | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orientations"].queryset = Orientation.objects.filter(vision__territory=territory)
        self.fields["key_actions"].queryset = referential_items(KEY_ACTION_GRID)
        self.kept_key_actions = list(objective.key_actions.all()) if objective is not None else []

    def clean_key_actions(self) -> list:
        codes = [item.code for item in self.cleaned_data["key_actions"]]
        return kept_or_current(KEY_ACTION_GRID, codes, self.kept_key_actions)

    @classmethod
    def for_objective(cls, objective: Objective, version: ObjectiveVersion, data=None) -> "ObjectiveForm":
        initial = {
            "statement": version.statement,
            "target": version.target,
            "orientations": list(objective.orientations.all()),
            "key_actions": [item.code for item in objective.key_actions.all()],
        }
        return cls(data, initial=initial, territory=objective.contract.territory, objective=objective)

    def objective_input(self) -> ObjectiveInput:
        data = self.cleaned_data
        return ObjectiveInput(
            statement=data["statement"],
            target=data["target"],
            orientations=list(data["orientations"]),
            key_actions=list(data["key_actions"]),
        )


class ReadjustForm(forms.Form):
    statement = _text(_("New wording of the objective"))
    target = _target()
    reason = _text(_("Why re-adjust it"), help_text=_("What changed since the contract was signed."))
    learning = _text(
        _("What was learnt"), help_text=_("What the territory and its funders know now that they did not.")
    )

    @classmethod
    def for_version(cls, version: ObjectiveVersion, data=None) -> "ReadjustForm":
        return cls(data, initial={"statement": version.statement, "target": version.target})


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How the objective ends"), choices=ObjectiveOutcome.choices, widget=forms.RadioSelect
    )
    outcome_note = _text(
        _("What the outcome teaches"),
        help_text=_(
            "Required when the objective is abandoned: the lesson learnt counts as learning, not as failure."
        ),
    )
