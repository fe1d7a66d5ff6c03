"""The pages of the stories of change: the stories with their filters and the selection rounds, one
story with its actors, actions, verification, feedback and rounds, and the writes — collect, change,
delete a story; verify it and record the feedback given to its teller.

- Every page reads through the services' selectors; a story the viewer may not read, and a write
  page the viewer may not use, answer 404 like a missing one.
- A teller is named as `teller_label` names them: an anonymous teller is named to the team only.
  Who collected a story, and whether its teller consented, are the team's to read.
- A « Selected » badge is shown when a round the viewer may read selected the story.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.cooperation.models import Actor
from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.core.form_pages import saved_through
from trajectoires.planning.actions import readable_actions
from trajectoires.planning.models import Action
from trajectoires.territories.permissions import can_write_in_territory, is_territory_team
from trajectoires.territories.selectors import territory_get

from .models import ChangeStory, SelectionRound
from .permissions import can_add_story, can_edit_story
from .selection_rounds import readable_rounds, round_list
from .stories import (
    access_story,
    readable_stories,
    story_create,
    story_delete,
    story_feedback,
    story_list,
    story_update,
    story_verify,
    teller_label,
    territory_domains,
    territory_periods,
)
from .story_forms import FeedbackForm, StoryFilterForm, StoryForm, VerificationForm

STORIES_PER_PAGE = 20


@dataclass(frozen=True)
class StoryCard:
    story: ChangeStory
    teller: str
    selected: bool


@dataclass(frozen=True)
class RoundRow:
    selection: SelectionRound
    selected: ChangeStory | None  # None when the viewer may not read the story selected


@dataclass(frozen=True)
class StoryPage:
    story: ChangeStory
    teller: str
    actors: list[ActorView]
    actions: list[Action]
    rounds: list[SelectionRound]


def editable_story(request, slug: str, pk: int):
    """The territory and the story `request.user` may change, or a 404."""
    territory = territory_get(slug)
    story = access_story(request.user, territory, pk)
    if not can_edit_story(request.user, story):
        raise Http404
    return territory, story


def followed_story(request, slug: str, pk: int):
    """The territory and the story `request.user` may verify and give feedback on, or a 404."""
    territory = territory_get(slug)
    story = access_story(request.user, territory, pk)
    if not can_write_in_territory(request.user, territory):
        raise Http404
    return territory, story


def saved_and_back(request, story, message: str):
    """After a write: back to the story, with what was done."""
    messages.success(request, message)
    return redirect("stories:detail", slug=story.territory.slug, pk=story.pk)


def round_rows(viewer, territory, rounds) -> list[RoundRow]:
    """The rounds with their selected story, when `viewer` may read it (one query for them all)."""
    rounds = list(rounds)
    readable = readable_stories(viewer, territory).filter(pk__in=[item.selected_id for item in rounds])
    readable_ids = set(readable.values_list("pk", flat=True))
    return [RoundRow(item, item.selected if item.selected_id in readable_ids else None) for item in rounds]


# The stories -------------------------------------------------------------------------------------


def stories_page(request, slug: str):
    territory = territory_get(slug)
    viewer = request.user
    filter_form = StoryFilterForm(request.GET or None, territory=territory)
    chosen = filter_form.chosen()
    period, domain = chosen.get("period"), chosen.get("domain")
    stories = story_list(
        viewer, territory, period=period.pk if period else None, domain=domain.pk if domain else None
    ).select_related("territory")
    page = Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    selected_ids = set(
        readable_rounds(viewer, territory)
        .filter(selected__in=[story.pk for story in shown])
        .values_list("selected_id", flat=True)
    )
    rounds = round_list(viewer, territory)
    if period:
        rounds = rounds.filter(period=period)
    if domain:
        rounds = rounds.filter(Q(domain=domain) | Q(domain__isnull=True))
    writer = can_write_in_territory(viewer, territory)
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filtered": bool(chosen),
        "period": period,
        "page": page,
        "cards": [StoryCard(story, teller_label(viewer, story), story.pk in selected_ids) for story in shown],
        "rounds": round_rows(viewer, territory, rounds),
        "can_add": can_add_story(viewer, territory),
        "can_frame": writer,
        "can_hold_round": writer,
    }
    return render(request, "evaluation/story_list.html", context)


def story_page(viewer, territory, pk: int) -> StoryPage:
    """The story with its actors (as `viewer` may read them), actions and rounds, in the same number
    of queries whatever their numbers."""
    story = access_story(viewer, territory, pk)
    readable = readable_actor_ids(viewer, territory.pk)
    linked = Actor.objects.filter(change_stories=story).select_related("category").order_by("id")
    actors = sorted(
        (ActorView.of(actor, readable) for actor in linked),
        key=lambda view: (view.name is None, (view.name or "").lower(), view.id),
    )
    rounds = (
        readable_rounds(viewer, territory)
        .filter(Q(considered=story) | Q(selected=story))
        .select_related("period", "domain")
        .distinct()
        .order_by("-held_on", "-id")
    )
    return StoryPage(
        story=story,
        teller=teller_label(viewer, story),
        actors=actors,
        actions=list(readable_actions(viewer, territory).filter(change_stories=story).order_by("title")),
        rounds=list(rounds),
    )


def story_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    page = story_page(request.user, territory, pk)
    can_edit = can_edit_story(request.user, page.story)
    can_follow = can_write_in_territory(request.user, territory)
    context = {
        "territory": territory,
        "page": page,
        "story": page.story,
        "team": is_territory_team(request.user, territory),
        "can_edit": can_edit,
        "can_follow": can_follow,
        "has_actions": can_edit or can_follow,
    }
    return render(request, "evaluation/story.html", context)


# Collect, change, delete -------------------------------------------------------------------------


@login_required
def story_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_story(request.user, territory):
        raise Http404
    form = StoryForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return story_create(actor=request.user, territory=territory, **form.service_values())

    return _story_form_page(request, territory, form, None, save, _("The story was collected."))


@login_required
def story_edit(request, slug: str, pk: int):
    territory, story = editable_story(request, slug, pk)
    form = StoryForm.for_story(story, request.POST or None, viewer=request.user)

    def save():
        return story_update(actor=request.user, story=story, **form.service_values())

    return _story_form_page(request, territory, form, story, save, _("The story was saved."))


def _story_form_page(request, territory, form, story, save, message: str):
    if saved := saved_through(request, form, save):
        if not readable_stories(request.user, territory).filter(pk=saved.pk).exists():
            # A contributor may collect a private story: it is then the team's to read.
            messages.success(request, message)
            return redirect("stories:index", slug=territory.slug)
        return saved_and_back(request, saved, message)
    context = {
        "territory": territory,
        "form": form,
        "story": story,
        "framed": territory_periods(territory).exists() and territory_domains(territory).exists(),
        "can_frame": can_write_in_territory(request.user, territory),
    }
    return render(request, "evaluation/story_form.html", context)


@login_required
def story_remove(request, slug: str, pk: int):
    territory, story = editable_story(request, slug, pk)
    errors = []
    if request.method == "POST":
        try:
            story_delete(actor=request.user, story=story)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The story was deleted."))
            return redirect("stories:index", slug=territory.slug)
    context = {"territory": territory, "story": story, "errors": errors}
    return render(request, "evaluation/story_delete.html", context)


# Verification and feedback -----------------------------------------------------------------------


@login_required
def story_verification(request, slug: str, pk: int):
    territory, story = followed_story(request, slug, pk)
    initial = (
        {"verified_on": story.verified_on, "verification": story.verification} if story.verified_on else None
    )
    form = VerificationForm(request.POST or None, initial=initial)

    def save():
        return story_verify(actor=request.user, story=story, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, story, _("The verification was recorded."))
    context = {
        "territory": territory,
        "story": story,
        "form": form,
        "title": _("Verify the story"),
        "intro": _("Say how the team checked the story: a visit, a second witness, a document."),
    }
    return render(request, "evaluation/story_followup.html", context)


@login_required
def story_feedback_page(request, slug: str, pk: int):
    territory, story = followed_story(request, slug, pk)
    initial = None
    if story.feedback_given_on:
        initial = {"feedback": story.feedback, "feedback_given_on": story.feedback_given_on}
    form = FeedbackForm(request.POST or None, initial=initial)

    def save():
        return story_feedback(actor=request.user, story=story, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, story, _("The feedback was recorded."))
    context = {
        "territory": territory,
        "story": story,
        "form": form,
        "title": _("Give feedback to the teller"),
        "intro": _("Tellers hear back what became of their story: whether it was selected, and why."),
    }
    return render(request, "evaluation/story_followup.html", context)
