"""The forms of the controversy register: the HTTP input boundary of its pages. They check the shape
of the input; the rules across fields, rows and stages — an actor or a group but not both, two
parties before the deliberation, an état before the decision… — are the services'
(`controversies`, `controversy_lifecycle`, `controversy_records`), whose refusals land next to
the field they name.

- A choice offers only what the viewer may read: spaces as forums, actors as parties; a forum or
  an actor the viewer may not read is not offered, and stays as it is when they edit.
- Parties are labelled as the story page labels them (`PartyView.label`).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import kept_or_current

from .controversies import AREA_GRID, PartyView, subject_area_choices
from .decisions import readable_decisions
from .models import Controversy, ControversyStage, Decision, ExpertiseKind, Party
from .participation_forms import DATE_WIDGET, SpaceChoiceField, visibility_field
from .spaces import readable_spaces

EVERYTHING = ("", _("All"))


def _text(label, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea(attrs={"rows": rows})
    )


class ControversyFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    forum = forms.TypedChoiceField(label=_("Forum"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Subject area"), required=False)

    def __init__(self, *args, spaces=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [EVERYTHING, *ControversyStage.choices]
        self.fields["forum"].choices = [EVERYTHING, *((space.pk, space.name) for space in spaces)]
        self.fields["area"].choices = [EVERYTHING, *((item.code, item.label) for item in areas)]

    def chosen(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item: Item) -> str:
        return item.label


class ControversyForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = _text(
        _("Description"), rows=6, help_text=_("What is at stake, who disagrees about what, and since when.")
    )
    forum = SpaceChoiceField(
        label=_("Forum where it is instructed"),
        queryset=None,
        required=False,
        help_text=_("The participation space where the parties are heard; it must be chosen to instruct."),
    )
    subject_areas = AreaChoiceField(
        label=_("Subject areas"),
        queryset=Item.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("The essential needs it touches."),
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = visibility_field()

    def __init__(self, *args, viewer=None, territory=None, controversy: Controversy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = readable_spaces(viewer, territory).order_by("name", "id")
        # The current version's essential needs, by code; a controversy keeps the rows it holds for
        # the codes it keeps, whatever their version (decision 0009).
        self.fields["subject_areas"].queryset = subject_area_choices()
        self.kept_areas = list(controversy.subject_areas.all()) if controversy is not None else []
        if (
            controversy is not None
            and controversy.forum_id
            and not getattr(controversy, "forum_visible", True)
        ):
            del self.fields["forum"]  # a forum the editor cannot read stays as it is

    @classmethod
    def for_controversy(cls, controversy: Controversy, data=None, *, viewer=None) -> "ControversyForm":
        initial = {field: getattr(controversy, field) for field in ("subject", "description", "visibility")}
        initial["forum"] = controversy.forum_id
        initial["subject_areas"] = [item.code for item in controversy.subject_areas.all()]
        return cls(
            data, initial=initial, viewer=viewer, territory=controversy.territory, controversy=controversy
        )

    def clean_subject_areas(self) -> list[Item]:
        codes = [item.code for item in self.cleaned_data["subject_areas"]]
        return kept_or_current(AREA_GRID, codes, self.kept_areas)


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), widget=forms.RadioSelect)
    # Not required here: the service says why a reason is needed, in its own words.
    reason = _text(_("Why?"), required=False, help_text=_("Told to the parties and kept in the timeline."))

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(stage.value, stage.label) for stage in stages]
        if len(stages) == 1:
            self.fields["to_stage"].initial = stages[0].value


class DecisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, decision: Decision) -> str:
        return decision.title


class DecisionWriteForm(forms.Form):
    decision_text = _text(_("Decision"), rows=6, help_text=_("What was decided, by whom, and why."))
    instruction_use = _text(
        _("How the decision used the instruction"),
        rows=5,
        required=False,
        help_text=_(
            "Which positions, expertise and parts of the état de la controverse it followed or set aside; "
            "needed before the decision is taken."
        ),
    )
    related_decisions = DecisionChoiceField(
        label=_("Related decisions"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_("Decisions of the register it led to or relates to."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, viewer=None, controversy: Controversy, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "decision_text": controversy.decision_text,
                "instruction_use": controversy.instruction_use,
                "related_decisions": [decision.pk for decision in controversy.related_decisions.all()],
            },
        )
        super().__init__(*args, **kwargs)
        decisions = readable_decisions(viewer, controversy.territory).order_by("-decided_on", "-id")
        self.fields["related_decisions"].queryset = decisions


class PartyActorField(forms.ModelChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class PartyForm(forms.Form):
    actor = PartyActorField(
        label=_("Actor of the map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("None: a group of inhabitants"),
        help_text=_("Either an actor of the map…"),
    )
    group_name = forms.CharField(
        label=_("Group of inhabitants"),
        max_length=200,
        required=False,
        help_text=_("…or the name of a group of inhabitants (one of the two)."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail of the group"),
        required=False,
        help_text=_("To tell the group when the controversy changes stage; read by the territory team only."),
    )
    position = _text(_("Position"), help_text=_("The party's position in a few sentences."))
    arguments = _text(_("Arguments"), rows=5, required=False)
    sources = _text(_("Sources"), required=False, help_text=_("One per line: documents, links, testimonies."))
    declared_interests = _text(
        _("Declared interests"),
        rows=3,
        required=False,
        help_text=_("What the party stands to gain or lose, as it declares it."),
    )

    def __init__(
        self, *args, viewer=None, territory=None, party: Party | None = None, contacts=True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = nameable_actors(viewer, territory)
        if party is not None and party.actor_id and not self._offers(party.actor_id):
            del self.fields["actor"]  # an actor the editor cannot read stays the party
        if not contacts:
            del self.fields["contact_email"]  # a group's address is read by the territory team only

    def _offers(self, actor_id: int) -> bool:
        return self.fields["actor"].queryset.filter(pk=actor_id).exists()

    @classmethod
    def for_party(cls, party: Party, data=None, *, viewer=None, contacts=False) -> "PartyForm":
        fields = ("group_name", "contact_email", "position", "arguments", "sources", "declared_interests")
        initial = {field: getattr(party, field) for field in fields}
        initial["actor"] = party.actor_id
        territory = party.controversy.territory
        return cls(data, initial=initial, viewer=viewer, territory=territory, party=party, contacts=contacts)

    def service_values(self) -> dict:
        """The cleaned values under the names the party services take."""
        values = dict(self.cleaned_data)
        if "actor" in values:
            values["actor_record"] = values.pop("actor")
        return values


class ExpertiseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ExpertiseKind.choices,
        initial=ExpertiseKind.DOCUMENT,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("The document's title, or who was heard.")
    )
    dated = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE_WIDGET)
    summary = _text(_("Summary"), rows=5, help_text=_("What it establishes or what was said."))
    source = forms.CharField(
        label=_("Source or link"),
        max_length=500,
        required=False,
        help_text=_("Where to read it: a link or a reference."),
    )


class PartyChoiceField(forms.ModelMultipleChoiceField):
    """Parties labelled as the story page labels them (an actor the viewer may not read is not named)."""

    def __init__(self, *args, labels: dict[int, str] | None = None, **kwargs):
        self.labels = labels or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, party: Party) -> str:
        return self.labels.get(party.pk, str(party))


def _party_labels(parties: list[PartyView]) -> dict[int, str]:
    return {view.party.pk: view.label for view in parties}


class StateForm(forms.Form):
    statement = _text(
        _("État de la controverse"),
        rows=8,
        help_text=_("What the instruction established: the facts agreed, the disagreements that remain."),
    )
    minority_view = _text(
        _("Minority view"), rows=4, required=False, help_text=_("The view of those who do not agree with it.")
    )
    signatories = PartyChoiceField(
        label=_("Co-signed by"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("The parties who agree with this version."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, controversy: Controversy, parties: list[PartyView], latest=None, **kwargs):
        if latest is not None:
            kwargs.setdefault(
                "initial", {"statement": latest.statement, "minority_view": latest.minority_view}
            )
        super().__init__(*args, **kwargs)
        field = self.fields["signatories"]
        field.queryset = controversy.parties.order_by("id")
        field.labels = _party_labels(parties)


class CosignForm(forms.Form):
    party = forms.ChoiceField(label=_("The party who co-signs"), widget=forms.RadioSelect)

    def __init__(self, *args, parties: list[PartyView], **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {view.party.pk: view.party for view in parties}
        self.fields["party"].choices = [(view.party.pk, view.label) for view in parties]
        if len(parties) == 1:
            self.fields["party"].initial = parties[0].party.pk

    def chosen_party(self) -> Party:
        return self.by_pk[int(self.cleaned_data["party"])]


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Action"), max_length=300, help_text=_("What will be done to carry out the decision.")
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        initial=timezone.localdate,
        help_text=_("Leave empty if the action is not done after all."),
        widget=DATE_WIDGET,
    )
