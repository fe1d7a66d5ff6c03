from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.steering.forms import KeyActionChoiceField, KeyActionFilterField
from trajectoires.steering.models import Orientation
from trajectoires.steering.narrative_forms import OrientationChoiceField
from trajectoires.steering.narratives import vision_orientations

from .actions import KEY_ACTION_GRID, ActionFilters, services_of
from .models import Action, ActionStatus, Service

SERVICES_LIST_ID = "territory-services"  # the <datalist> of existing services the owner field suggests


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    """An action; its services are typed by name (the service layer matches or creates them)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    owner_service = forms.CharField(
        label=_("Owner service"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"list": SERVICES_LIST_ID, "autocomplete": "off"}),
        help_text=_("The service that carries the action: choose an existing one or type a new name."),
    )
    services = forms.CharField(
        label=_("Other services involved"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=_date_input())
    ends_on = forms.DateField(label=_("End"), required=False, widget=_date_input())
    budget = forms.DecimalField(label=_("Budget (€)"), required=False, max_digits=14, decimal_places=2)
    orientations = OrientationChoiceField(
        label=_("Orientations of the vision the action serves"),
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
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, viewer=None, territory=None, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orientations"].queryset = vision_orientations(viewer, territory)
        # The current version's key actions, by code; an action keeps the rows it holds for the
        # codes it keeps, whatever their version (decision 0009).
        self.fields["key_actions"].queryset = referential_items(KEY_ACTION_GRID)
        self.kept_key_actions = list(action.key_actions.all()) if action is not None else []

    def clean_services(self) -> list[str]:
        return [line for line in self.cleaned_data["services"].splitlines() if line.strip()]

    def clean_key_actions(self) -> list:
        codes = [item.code for item in self.cleaned_data["key_actions"]]
        return kept_or_current(KEY_ACTION_GRID, codes, self.kept_key_actions)

    @classmethod
    def for_action(cls, action: Action, data=None, *, viewer=None) -> "ActionForm":
        fields = ("title", "description", "status", "starts_on", "ends_on", "budget", "visibility")
        initial = {field: getattr(action, field) for field in fields}
        initial["owner_service"] = action.owner_service.name if action.owner_service_id else ""
        others = [service.name for service in action.services.all() if service.pk != action.owner_service_id]
        initial["services"] = "\n".join(others)
        initial["orientations"] = list(action.orientations.all())
        initial["key_actions"] = list(action.key_actions.all())
        return cls(data, initial=initial, viewer=viewer, territory=action.territory, action=action)


class ServiceFilterField(forms.ModelChoiceField):
    def label_from_instance(self, service) -> str:
        return service.name


class ActionFilterForm(forms.Form):
    """The trajectory's filters (GET): a filter that does not validate is left out."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    service = ServiceFilterField(
        label=_("Service"), queryset=Service.objects.none(), required=False, empty_label=_("All")
    )
    # By code (?key_action=K8): the filter finds the actions holding the key action in any version.
    key_action = KeyActionFilterField(
        label=_("Key action"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )

    def __init__(self, *args, viewer=None, territory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *ActionStatus.choices]
        self.fields["service"].queryset = services_of(viewer, territory)
        self.fields["key_action"].queryset = referential_items(KEY_ACTION_GRID)

    def filters(self) -> ActionFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return ActionFilters(
            status=data.get("status") or "",
            service=data["service"].pk if data.get("service") else None,
            key_action=data["key_action"].code if data.get("key_action") else "",
        )
