from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trajectoires.core.visibility import Visibility
from trajectoires.geo.enums import SCALE_ORDER
from trajectoires.geo.models import Area
from trajectoires.referential.models import Item
from trajectoires.territories.models import Territory

from .document_selectors import binding_areas
from .legal_links import document_types
from .models import DocumentStatus, PlanningDocument

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def area_reference(area: Area) -> str:
    """How forms and the API name an area: `kind-code` (region-44, commune-68343)."""
    return f"{area.kind}-{area.code}"


class DocumentTypeField(forms.ModelChoiceField):
    def label_from_instance(self, doc_type) -> str:
        return doc_type.label


class AreaReferenceField(forms.Field):
    """An area named `kind-code`; the select offers the areas binding the territory, and the
    service explains why another area does not fit."""

    widget = forms.Select
    default_error_messages = {
        "unknown": _("Choose an area of the geography, named kind-code (region-44, commune-68343)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        kind, _dash, code = str(value).strip().partition("-")
        area = Area.objects.filter(kind=kind, code=code.upper(), is_obsolete=False).first()
        if area is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return area

    def prepare_value(self, value):
        return area_reference(value) if isinstance(value, Area) else value


class DocumentForm(forms.Form):
    doc_type = DocumentTypeField(
        label=_("Type of document"), queryset=Item.objects.none(), to_field_name="code", empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    writer = AreaReferenceField(
        label=_("Writing body"),
        help_text=_(
            "The territory’s own area or an area containing it. A document of a higher scale is shared "
            "with every territory inside it: it is recorded only once."
        ),
    )
    status = forms.ChoiceField(label=pgettext_lazy("document", "Status"), choices=DocumentStatus.choices)
    adopted_on = forms.DateField(label=_("Adopted on"), required=False, widget=DATE_INPUT)
    review_due_on = forms.DateField(label=_("Review due on"), required=False, widget=DATE_INPUT)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    visibility = forms.ChoiceField(
        label=_("Who can read this document"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, territory: Territory, document: PlanningDocument | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The current version's types, by code; a document keeps its own type's row while its
        # code is unchanged, whatever its version (decision 0009).
        self.fields["doc_type"].queryset = document_types()
        self.document = document
        areas = sorted(binding_areas(territory), key=lambda area: (SCALE_ORDER.index(area.kind), area.name))
        self.fields["writer"].widget.choices = [
            (area_reference(area), f"{area.name} ({area.get_kind_display()})") for area in areas
        ]

    @classmethod
    def for_document(cls, document: PlanningDocument, data=None) -> "DocumentForm":
        initial = {
            field: getattr(document, field)
            for field in ("title", "writer", "status", "adopted_on", "review_due_on", "link", "summary")
        }
        initial |= {"doc_type": document.doc_type.code, "visibility": document.visibility}
        return cls(data, initial=initial, territory=document.territory, document=document)

    def clean_doc_type(self) -> Item:
        chosen = self.cleaned_data["doc_type"]
        kept = self.document.doc_type if self.document is not None else None
        return kept if kept is not None and kept.code == chosen.code else chosen


class DocumentFilterForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("document", "Status"), required=False)
    type = forms.ChoiceField(label=_("Type of document"), required=False)

    def __init__(self, *args, types: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *DocumentStatus.choices]
        self.fields["type"].choices = [("", _("All")), *((item.code, item.label) for item in types)]

    def chosen(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "type": ""}
        return {"status": self.cleaned_data["status"], "type": self.cleaned_data["type"]}
