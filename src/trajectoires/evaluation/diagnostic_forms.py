"""The forms of the diagnostic sensible: the HTTP input boundary of its pages. They check the shape
of the input; the rules — every section and one interview before completing, a consent with its
scope and date, an interview quoted only with the consent to be quoted, note readers among the
territory's members — are the services' (`diagnostics`), whose refusals land next to the field they
name.

- The diagnostic's form has its title, visibility and six sections, each explained in one sentence.
- An interview names a person of the map (among the actors the recorder may read) or describes an
  anonymous profile; a person of the map the recorder may not read is not offered and stays as it is.
- The note readers are chosen among the territory's members; the admin reads the notes anyway.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectoires.accounts.models import Funder, User
from trajectoires.cooperation.models import Actor
from trajectoires.governance.participation_forms import DATE_WIDGET, visibility_field
from trajectoires.territories.enums import TerritoryRole
from trajectoires.territories.models import TerritoryMembership

from .diagnostics import SECTION_FIELDS, interviewee_choices
from .models import DIAGNOSTIC_SECTIONS, ConsentScope, Diagnostic, Interview

# What each section holds, in one sentence (the spirit of a qualitative diagnostic that sheds light
# on the territory's actors, blockages and narratives before any major support).
SECTION_HELP = {
    "context_history": _(
        "Where the territory comes from: its geography, its history, the events that still shape "
        "how people see the transition."
    ),
    "actors_relations": _(
        "Who acts on the territory, who counts, who is missing, and how they get on: alliances, "
        "distrust, go-betweens."
    ),
    "perceptions": _(
        "How the people met see the territory, the transition and the municipality, in their own words."
    ),
    "blockages": _(
        "What stops or slows the transition: conflicts, fears, habits, rules, missing means — "
        "said without blaming anyone."
    ),
    "narratives": _(
        "The stories the territory tells about itself, those that bring people together and those "
        "that divide."
    ),
    "dynamics_levers": _(
        "What already moves and what could help: people, places, projects to lean on, and where to start."
    ),
}
NO_SCOPE = ("", _("No consent"))


class DiagnosticForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Diagnostic sensible 2026."),
    )
    visibility = visibility_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in DIAGNOSTIC_SECTIONS:
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                help_text=SECTION_HELP[name],
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    @classmethod
    def for_diagnostic(cls, diagnostic: Diagnostic, data=None) -> "DiagnosticForm":
        names = ("title", "visibility", *SECTION_FIELDS)
        return cls(data, initial={name: getattr(diagnostic, name) for name in names})


class IntervieweeField(forms.ModelChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


class InterviewForm(forms.Form):
    interviewee = IntervieweeField(
        label=_("Person of the map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("Not on the map"),
        help_text=_("The person interviewed, if they are on the territory's map of actors."),
    )
    profile = forms.CharField(
        label=_("Anonymous profile"),
        max_length=200,
        required=False,
        help_text=_("Otherwise, who they are without naming them: for example, farmer in her fifties."),
    )
    interviewed_on = forms.DateField(
        label=_("Interviewed on"), initial=timezone.localdate, widget=DATE_WIDGET
    )
    interviewer = forms.CharField(label=_("Interviewed by"), max_length=200)
    consent_given = forms.BooleanField(
        label=_("Consent given"),
        required=False,
        help_text=_("The person agreed that the interview be used for the diagnostic."),
    )
    consent_scope = forms.ChoiceField(
        label=_("Scope of the consent"),
        required=False,
        choices=[NO_SCOPE, *ConsentScope.choices],
        widget=forms.RadioSelect,
    )
    consent_recorded_on = forms.DateField(label=_("Consent recorded on"), required=False, widget=DATE_WIDGET)
    publishable = forms.BooleanField(
        label=_("May be quoted"),
        required=False,
        help_text=_("Only with the person's recorded consent to be quoted; quoted anonymously."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        help_text=_("Personal data: read only by the people the territory admin allows."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(
        self, *args, viewer=None, diagnostic: Diagnostic, interview: Interview | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.interview = interview
        self.fields["interviewee"].queryset = interviewee_choices(viewer, diagnostic).select_related(
            "category"
        )
        if interview is not None and interview.interviewee_id and not self._offers(interview.interviewee_id):
            del self.fields["interviewee"]  # a person the recorder cannot read stays as it is

    def _offers(self, actor_id: int) -> bool:
        return self.fields["interviewee"].queryset.filter(pk=actor_id).exists()

    @classmethod
    def for_interview(cls, interview: Interview, data=None, *, viewer=None) -> "InterviewForm":
        names = (
            "profile",
            "interviewed_on",
            "interviewer",
            "consent_given",
            "consent_scope",
            "consent_recorded_on",
            "publishable",
            "notes",
        )
        initial = {name: getattr(interview, name) for name in names}
        initial["interviewee"] = interview.interviewee_id
        return cls(data, initial=initial, viewer=viewer, diagnostic=interview.diagnostic, interview=interview)

    def service_values(self) -> dict:
        """The cleaned values under the names `interview_add` and `interview_update` take."""
        return dict(self.cleaned_data)


class MemberField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, roles: dict[int, str], **kwargs):
        self.roles = roles
        super().__init__(*args, **kwargs)

    def label_from_instance(self, user: User) -> str:
        return f"{user} ({self.roles.get(user.pk, '')})"


class NoteReadersForm(forms.Form):
    def __init__(self, *args, diagnostic: Diagnostic, **kwargs):
        super().__init__(*args, **kwargs)
        # The admins read the notes anyway: the others are chosen.
        memberships = TerritoryMembership.objects.filter(territory=diagnostic.territory).exclude(
            role=TerritoryRole.ADMIN
        )
        roles = {membership.user_id: TerritoryRole(membership.role).label for membership in memberships}
        self.fields["note_readers"] = MemberField(
            label=_("Who may record the interviews and read their notes"),
            queryset=User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "email"),
            required=False,
            roles=roles,
            help_text=_("Members of the territory; its admins always may."),
            widget=forms.CheckboxSelectMultiple,
        )
        if not self.is_bound:
            self.initial["note_readers"] = [user.pk for user in diagnostic.note_readers.all()]


class FunderField(forms.ModelChoiceField):
    def label_from_instance(self, funder: Funder) -> str:
        return funder.name


class ShareForm(forms.Form):
    funder = FunderField(label=_("Partner funder"), queryset=Funder.objects.none(), empty_label=None)

    def __init__(self, *args, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = funders
