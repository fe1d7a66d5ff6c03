from django import forms
from django.utils.translation import gettext_lazy as _

from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.territories.permissions import is_territory_team

from .actor_selectors import CATEGORY_GRID, organisations_of
from .actors import ERASED_FIELDS, validate_phone
from .models import Actor, ActorKind

TEAM_ONLY = _("Seen by the territory team only.")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item) -> str:
        return item.label


class ActorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = CategoryChoiceField(label=_("Actor category"), queryset=None, to_field_name="code")
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("The organisation this actor belongs to, if it is in the map."),
    )
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False, help_text=TEAM_ONLY)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, help_text=TEAM_ONLY, validators=[validate_phone]
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=TEAM_ONLY
    )
    user_email = forms.EmailField(
        label=_("Platform account"),
        required=False,
        help_text=_("The e-mail address of this actor's account on the platform, if they have one."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this actor"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, data=None, *, viewer, territory, record: Actor | None = None, link_accounts=True, **kwargs
    ):
        super().__init__(data, **kwargs)
        # The current version's categories, by code; an actor keeps its own row for an unchanged code.
        self.fields["category"].queryset = referential_items(CATEGORY_GRID)
        self.record = record
        organisations = organisations_of(viewer, territory)
        if record is not None:
            organisations = organisations.exclude(pk=record.pk)
        self.fields["organisation"].queryset = organisations
        if not is_territory_team(viewer, territory):
            # What a contributor adds is read by the partners, themselves included, unless they say otherwise.
            self.fields["visibility"].initial = Visibility.PARTNERS
        if not link_accounts:
            del self.fields["user_email"]
        if record is not None and record.erased_at is not None:
            for name in ERASED_FIELDS:
                self.fields.pop(name, None)

    def clean_category(self):
        category = self.cleaned_data["category"]
        kept = [self.record.category] if self.record is not None and self.record.category_id else []
        return kept_or_current(CATEGORY_GRID, [category.code], kept)[0]

    @classmethod
    def for_actor(cls, record: Actor, data=None, **kwargs) -> "ActorForm":
        initial = {
            field: getattr(record, field)
            for field in ("kind", "name", "category", "organisation", "function", "email", "phone", "notes")
        }
        initial |= {
            "visibility": record.visibility,
            "user_email": record.user.email if record.user_id else "",
        }
        return cls(data, initial=initial, record=record, territory=record.territory, **kwargs)


class ActorFilterForm(forms.Form):
    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ActorKind.choices]
    )

    def __init__(self, data=None, *, categories, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (row.category.code, row.category.label) for row in categories
        ]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"category": data["category"], "kind": data["kind"], "query": data["q"]}


class ActorImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 or Windows-1252 encoding, columns separated by commas or semicolons; 2 MB at most."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
