"""The forms of the self-assessment: the HTTP input boundary of its pages. They check the shape of
the input; the rules — a level of the question's scale, a campaign still open, a person of the map
who answers once — are the services' (`assessments`), whose refusals land next to the question or
the field they name.

- A campaign's form takes its title, planned closing date and visibility; the référentiel version
  is the current one when it opens, never chosen.
- The answer form asks, for each key action grouped under its posture, a level of maturity (each
  described for that key action), the evidence behind it and the records that show it (journal
  entries, stories of change, planning documents); then, for each practice to stop or to start, its
  progress and evidence. « I don't know » leaves the question unanswered. Its fields are named after
  the question: `K1-level`, `K1-evidence`, `K1-journal_entries`, `K1-stories`, `K1-documents`.
  Outcomes linked through the API are not offered here and stay as they are.
- The respondent's group is one of the current categories of actors, chosen by code; a response
  keeps its own row for an unchanged code. A person of the map the editor may not read is not
  offered and stays as it is, as do journal entries they may not read.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from trajectoires.cooperation.actor_selectors import nameable_actors
from trajectoires.cooperation.models import Actor
from trajectoires.governance.participation_forms import DATE_WIDGET, visibility_field
from trajectoires.planning.document_selectors import documents_of
from trajectoires.referential.models import Item
from trajectoires.referential.selectors import kept_or_current, referential_items
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.permissions import visible_to

from .assessments import EVIDENCE_LINKS, GROUP_GRID, AnswerInput, Questionnaire
from .models import AssessmentAnswer, AssessmentCampaign, AssessmentResponse
from .stories import readable_stories

NOT_ANSWERED = ""


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example: Self-assessment 2026, mid-term review."),
    )
    closes_on = forms.DateField(
        label=_("Planned closing date"),
        required=False,
        help_text=_("A reminder for the respondents; the campaign closes when you close it."),
        widget=DATE_WIDGET,
    )
    visibility = visibility_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].initial = "partners"
        self.fields["visibility"].help_text = _(
            "Only those who can read the campaign may answer it: contributors need « Partners » or wider."
        )

    @classmethod
    def for_campaign(cls, campaign: AssessmentCampaign, data=None) -> "CampaignForm":
        initial = {name: getattr(campaign, name) for name in ("title", "closes_on", "visibility")}
        return cls(data, initial=initial)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item: Item) -> str:
        return item.label


class ActorField(forms.ModelChoiceField):
    def label_from_instance(self, actor: Actor) -> str:
        return f"{actor.name} ({actor.category.label})"


@dataclass(frozen=True)
class QuestionFields:
    """A question of the form with its bound fields, for the template to draw one fieldset."""

    question: Item
    level: forms.BoundField
    evidence: forms.BoundField
    links: list[forms.BoundField]  # the records that show it, when the territory has some

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def links_open(self) -> bool:
        """Whether the records are shown unfolded: some are chosen, or in error."""
        return any(link.value() or link.errors for link in self.links)


@dataclass(frozen=True)
class PostureFields:
    posture: Item
    questions: list[QuestionFields]


def _level_label(level: Item, description: str = ""):
    if not description:
        return level.label
    return format_html("<strong>{}</strong> — {}", level.label, description)


def _dated(title: str, day) -> str:
    return f"{title} ({formats.date_format(day, 'DATE_FORMAT')})"


def _evidence_records(viewer, territory) -> dict[str, dict[str, object]]:
    """The records a key action's answer may link, by kind, as the form's choices (by id)."""
    entries = visible_to(JournalEntry.objects.filter(territory=territory), viewer).order_by(
        "-occurred_on", "-id"
    )
    stories = readable_stories(viewer, territory).order_by("-collected_on", "-id")
    return {
        "journal_entries": {
            str(entry.pk): (entry, _dated(entry.title, entry.occurred_on)) for entry in entries
        },
        "stories": {str(story.pk): (story, _dated(story.title, story.collected_on)) for story in stories},
        "documents": {
            str(document.pk): (document, document.title) for document in documents_of(viewer, territory)
        },
    }


LINK_LABELS = {
    "journal_entries": (
        _("Entries of the journal"),
        _("Entries that document it; hold Ctrl (or ⌘) to choose several."),
    ),
    "stories": (_("Stories of change"), _("Stories that show it; hold Ctrl (or ⌘) to choose several.")),
    "documents": (_("Planning documents"), _("Documents that carry it; hold Ctrl (or ⌘) to choose several.")),
}


class AnswerForm(forms.Form):
    category = CategoryChoiceField(
        label=_("Group"),
        queryset=Item.objects.none(),
        to_field_name="code",
        help_text=_("The group the respondent answers for: results are compared between groups."),
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        help_text=_("For example: mayor, deputy for the transition, director general of services."),
    )
    respondent = ActorField(
        label=_("Person of the map"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("Not on the map"),
        help_text=_("If the respondent is on the territory's map of actors."),
    )

    def __init__(
        self,
        data=None,
        *,
        viewer,
        campaign: AssessmentCampaign,
        questions: Questionnaire,
        response: AssessmentResponse | None = None,
        stored: dict[str, AssessmentAnswer] | None = None,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.questions = questions
        self.response = response
        territory = campaign.territory
        self.fields["category"].queryset = referential_items(GROUP_GRID)
        self.fields["respondent"].queryset = nameable_actors(viewer, territory)
        if response is not None and response.respondent_id and not self._offers(response.respondent_id):
            del self.fields["respondent"]  # a person the editor cannot read stays as it is
        self.records = _evidence_records(viewer, territory)
        self.stored = stored or {}
        for question in questions.questions:
            self._add_question_fields(question)
        self._fill(self.stored)

    def _offers(self, actor_id: int) -> bool:
        return self.fields["respondent"].queryset.filter(pk=actor_id).exists()

    def _add_question_fields(self, question: Item) -> None:
        code = question.code
        descriptions = question.levels if question.grid.code == "key_action" else []
        choices = [
            (level.code, _level_label(level, descriptions[index] if index < len(descriptions) else ""))
            for index, level in enumerate(self.questions.scale_for(question))
        ]
        choices.append((NOT_ANSWERED, _("I don't know / no opinion")))
        key_action = question.grid.code == "key_action"
        # The level is checked by the service, which names the question's scale in its refusal.
        self.fields[f"{code}-level"] = forms.CharField(
            label=_("Level of maturity") if key_action else _("Progress"),
            required=False,
            initial=NOT_ANSWERED,
            widget=forms.RadioSelect(choices=choices),
        )
        self.fields[f"{code}-evidence"] = forms.CharField(
            label=_("Evidence"),
            required=False,
            help_text=_("What shows it: facts, documents, decisions, dates."),
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        if not key_action:
            return
        for kind, records in self.records.items():
            if records:
                label, help_text = LINK_LABELS[kind]
                choices = [(pk, text) for pk, (_record, text) in records.items()]
                self.fields[f"{code}-{kind}"] = forms.MultipleChoiceField(
                    label=label, required=False, choices=choices, help_text=help_text
                )

    def _fill(self, stored: dict[str, AssessmentAnswer]) -> None:
        for code, answer in stored.items():
            if f"{code}-level" not in self.fields:
                continue
            self.initial[f"{code}-level"] = answer.level.code
            self.initial[f"{code}-evidence"] = answer.evidence
            for kind, records in self.records.items():
                if f"{code}-{kind}" in self.fields:
                    chosen = [str(record.pk) for record in getattr(answer, kind).all()]
                    self.initial[f"{code}-{kind}"] = [pk for pk in chosen if pk in records]

    @classmethod
    def for_response(
        cls, response: AssessmentResponse, stored: dict[str, AssessmentAnswer], data=None, **kwargs
    ) -> "AnswerForm":
        initial = {"category": response.category, "role": response.role, "respondent": response.respondent_id}
        return cls(data, initial=initial, response=response, stored=stored, **kwargs)

    # The questions, as the template draws them -------------------------------------------------

    def _question_fields(self, question: Item) -> QuestionFields:
        code = question.code
        links = [self[f"{code}-{kind}"] for kind in self.records if f"{code}-{kind}" in self.fields]
        return QuestionFields(question, self[f"{code}-level"], self[f"{code}-evidence"], links)

    def postures(self) -> list[PostureFields]:
        """The key actions grouped under their posture, in the référentiel's order."""
        grouped: dict[int, PostureFields] = {}
        for question in self.questions.of_grid("key_action"):
            posture = question.parent
            if posture.pk not in grouped:
                grouped[posture.pk] = PostureFields(posture, [])
            grouped[posture.pk].questions.append(self._question_fields(question))
        return list(grouped.values())

    def stop(self) -> list[QuestionFields]:
        return [self._question_fields(question) for question in self.questions.of_grid("stop")]

    def start(self) -> list[QuestionFields]:
        return [self._question_fields(question) for question in self.questions.of_grid("start")]

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """Each field in error: the id to reach it, its question or label, its messages."""
        summary = []
        codes = {question.code: question for question in self.questions.questions}
        for name, messages in self.errors.items():
            if name == NON_FIELD_ERRORS or name not in self.fields:
                continue
            field = self[name]
            code = name.split("-", 1)[0]
            label = f"{code} — {codes[code].label}" if code in codes and "-" in name else field.label
            target = field.auto_id + ("_0" if name.endswith("-level") else "")
            summary.append((target, label, list(messages)))
        return summary

    # The values, as the service takes them -----------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        for question in self.questions.questions:
            code = question.code
            level = cleaned.get(f"{code}-level") or NOT_ANSWERED
            evidence = (cleaned.get(f"{code}-evidence") or "").strip()
            linked = any(cleaned.get(f"{code}-{kind}") for kind in self.records)
            if level == NOT_ANSWERED and (evidence or linked):
                self.add_error(
                    f"{code}-level",
                    _("Choose a level for this evidence, or leave the evidence empty."),
                )
        return cleaned

    def clean_category(self):
        category = self.cleaned_data["category"]
        kept = [self.response.category] if self.response is not None else []
        return kept_or_current(GROUP_GRID, [category.code], kept)[0]

    def answers(self) -> dict[str, AnswerInput]:
        given = {}
        for question in self.questions.questions:
            code = question.code
            level = self.cleaned_data.get(f"{code}-level") or NOT_ANSWERED
            if level == NOT_ANSWERED:
                continue
            given[code] = AnswerInput(
                level=level,
                evidence=self.cleaned_data.get(f"{code}-evidence") or "",
                **self._links(code),
            )
        return given

    def _links(self, code: str) -> dict[str, list]:
        """The records chosen for the question; kinds the form does not offer keep what is stored."""
        stored = self.stored.get(code)
        links = {kind: list(getattr(stored, kind).all()) if stored else [] for kind in EVIDENCE_LINKS}
        for kind, records in self.records.items():
            if f"{code}-{kind}" in self.fields:
                links[kind] = [records[pk][0] for pk in self.cleaned_data.get(f"{code}-{kind}") or []]
        return links

    def service_values(self) -> dict:
        """The cleaned values under the names `response_save` takes."""
        values = {
            "category": self.cleaned_data["category"],
            "role": self.cleaned_data["role"],
            "answers": self.answers(),
        }
        if "respondent" in self.fields:
            values["respondent"] = self.cleaned_data.get("respondent")
        elif self.response is not None:
            values["respondent"] = self.response.respondent
        return values

    def field_errors(self, error: ValidationError) -> ValidationError:
        """A refusal of the service, its question codes turned into the names of their fields: the
        message lands next to the question it names."""
        if not hasattr(error, "error_dict"):
            return error
        named: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            if f"{name}-level" in self.fields:
                name = f"{name}-level"
            named.setdefault(name, []).extend(messages)
        return ValidationError(named)
