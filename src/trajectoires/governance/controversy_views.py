"""The pages of the controversy register: the register with its filters, the story of one
controversy as a citizen reads it, and the writes of the controversy itself — report, change,
delete, move along its life cycle, write its decision. What the instruction gathers (parties,
expertise, états, follow-up) has its pages in `controversy_record_views`.

- Every page reads through the services' selectors; a controversy the viewer may not read, and a
  write page the viewer may not use, answer 404 like a missing one.
- The story names the people behind each step to the territory team only, as it shows a group's
  contact address to the team only; anyone else reads what was done, when and why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from trajectoires.cooperation.permissions import can_read_actor_contacts
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import is_territory_team
from trajectoires.territories.selectors import territory_get

from .controversies import (
    ControversyStory,
    access_controversy,
    controversy_delete,
    controversy_register,
    controversy_report,
    controversy_story,
    controversy_update,
    readable_controversies,
    stage_counts,
    subject_area_choices,
)
from .controversy_forms import ControversyFilterForm, ControversyForm, DecisionWriteForm, MoveForm
from .controversy_lifecycle import SETTLED, controversy_move, decision_write, move_errors, next_stages
from .controversy_records import WRITING_STAGES, can_cosign
from .models import ControversyStage
from .permissions import (
    can_add_controversy,
    can_add_expertise,
    can_add_party,
    can_edit_controversy,
    can_edit_party,
    can_steer_controversy,
)
from .spaces import readable_spaces

CONTROVERSIES_PER_PAGE = 30


# Shared by the pages of a controversy ------------------------------------------------------------


def editable_controversy(request, slug: str, pk: int):
    """The territory and the controversy `request.user` may change, or a 404."""
    territory = territory_get(slug)
    controversy = access_controversy(request.user, territory, pk)
    if not can_edit_controversy(request.user, controversy):
        raise Http404
    return territory, controversy


def steerable_story(request, slug: str, pk: int) -> tuple:
    """The territory and the story of a controversy whose life cycle `request.user` steers, or a 404."""
    territory = territory_get(slug)
    story = controversy_story(request.user, territory, pk)
    if not can_steer_controversy(request.user, story.controversy):
        raise Http404
    return territory, story


def saved_and_back(request, controversy, message: str):
    """After a write: back to the story, with what was done."""
    messages.success(request, message)
    return redirect("controversies:detail", slug=controversy.territory.slug, pk=controversy.pk)


def signatory_ids(state) -> set[int]:
    """The parties who co-signed `state` (read from memory when its signatories are prefetched)."""
    return {party.pk for party in state.signatories.all()}


def cosignable_parties(user, story: ControversyStory) -> list:
    """The parties `user` may co-sign the current état for and who have not signed it yet: any party
    for the team, a party's own account for itself; none once the decision is taken."""
    current = story.current_state
    if current is None or story.controversy.stage in SETTLED:
        return []
    signed = signatory_ids(current.state)
    return [
        view
        for view in story.parties
        if view.party.pk not in signed and can_cosign(user, current.state, view.party)
    ]


# The register ------------------------------------------------------------------------------------


def controversies_page(request, slug: str):
    territory = territory_get(slug)
    spaces = list(readable_spaces(request.user, territory).order_by("name", "id"))
    filter_form = ControversyFilterForm(request.GET, spaces=spaces, areas=list(subject_area_choices()))
    chosen = filter_form.chosen()
    controversies = controversy_register(request.user, territory, **chosen)
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filtered": bool(chosen),
        "counts": stage_counts(request.user, territory),
        "page": Paginator(controversies, CONTROVERSIES_PER_PAGE).get_page(request.GET.get("page")),
        "can_add": can_add_controversy(request.user, territory),
    }
    return render(request, "governance/controversies.html", context)


# The story ---------------------------------------------------------------------------------------


def controversy_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    story = controversy_story(request.user, territory, pk)
    context = {
        "territory": territory,
        "story": story,
        "controversy": story.controversy,
        "timeline": story.timeline,
        "settled": story.controversy.stage in SETTLED,
        "earlier_states": story.states[1:],
        **_story_rights(request.user, territory, story),
    }
    return render(request, "governance/controversy.html", context)


def _story_rights(user, territory, story: ControversyStory) -> dict:
    """What `user` may read beyond the story and do from it (all computed in memory)."""
    controversy = story.controversy
    open_instruction = controversy.stage not in SETTLED
    can_steer = can_steer_controversy(user, controversy)
    rights = {
        "team": is_territory_team(user, territory),
        "contacts": can_read_actor_contacts(user, territory),
        "can_edit": can_edit_controversy(user, controversy),
        "can_move": can_steer,
        "can_write_decision": can_steer and controversy.stage in WRITING_STAGES,
        "can_add_party": open_instruction and can_add_party(user, territory),
        "editable_parties": [view for view in story.parties if can_edit_party(user, view.party)]
        if open_instruction
        else [],
        "can_add_expertise": open_instruction and can_add_expertise(user, territory),
        "can_write_state": can_steer and controversy.stage in WRITING_STAGES,
        "cosignable": cosignable_parties(user, story),
        "can_follow_up": can_steer and not open_instruction,
        "can_mark_done": can_steer and bool(story.follow_ups),
    }
    rights["has_actions"] = any(value for name, value in rights.items() if name not in ("team", "contacts"))
    return rights


# Report, change, delete --------------------------------------------------------------------------


@login_required
def controversy_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_controversy(request.user, territory):
        raise Http404
    form = ControversyForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return controversy_report(actor=request.user, territory=territory, **form.cleaned_data)

    return _controversy_form_page(request, territory, form, None, save, _("The controversy was reported."))


@login_required
def controversy_edit(request, slug: str, pk: int):
    territory, controversy = editable_controversy(request, slug, pk)
    form = ControversyForm.for_controversy(controversy, request.POST or None, viewer=request.user)

    def save():
        return controversy_update(actor=request.user, controversy=controversy, **form.cleaned_data)

    return _controversy_form_page(
        request, territory, form, controversy, save, _("The controversy was saved.")
    )


def _controversy_form_page(request, territory, form, controversy, save, message: str):
    if saved := saved_through(request, form, save):
        if not readable_controversies(request.user, territory).filter(pk=saved.pk).exists():
            # A contributor may report a private controversy: it is then the team's to read.
            messages.success(request, message)
            return redirect("controversies:index", slug=territory.slug)
        return saved_and_back(request, saved, message)
    context = {"territory": territory, "form": form, "controversy": controversy}
    return render(request, "governance/controversy_form.html", context)


@login_required
def controversy_remove(request, slug: str, pk: int):
    territory, controversy = editable_controversy(request, slug, pk)
    if request.method == "POST":
        controversy_delete(actor=request.user, controversy=controversy)
        messages.success(request, _("The controversy was deleted."))
        return redirect("controversies:index", slug=territory.slug)
    context = {"territory": territory, "controversy": controversy}
    return render(request, "governance/controversy_delete.html", context)


# The life cycle and the decision -----------------------------------------------------------------


@login_required
def controversy_move_page(request, slug: str, pk: int):
    territory, story = steerable_story(request, slug, pk)
    controversy = story.controversy
    stages = next_stages(controversy)
    form = MoveForm(request.POST or None, stages=stages)

    def save():
        return controversy_move(actor=request.user, controversy=controversy, **form.cleaned_data)

    if step := saved_through(request, form, save):
        label = ControversyStage(step.to_stage).label
        message = _("The controversy is now « %(stage)s ».") % {"stage": label}
        return saved_and_back(request, controversy, message)
    context = {
        "territory": territory,
        "controversy": controversy,
        "form": form,
        "heading": _("Change the stage"),
        "missing": [(stage.label, move_errors(controversy, stage)) for stage in stages],
    }
    return render(request, "governance/controversy_move.html", context)


@login_required
def controversy_decision_page(request, slug: str, pk: int):
    territory, story = steerable_story(request, slug, pk)
    controversy = story.controversy
    form = DecisionWriteForm(request.POST or None, viewer=request.user, controversy=controversy)

    def save():
        return decision_write(actor=request.user, controversy=controversy, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The decision was saved."))
    context = {
        "territory": territory,
        "controversy": controversy,
        "form": form,
        "heading": _("Write the decision"),
        "intro": _(
            "Say what was decided and how the decision used the instruction: the parties' positions, "
            "the expertise and the état de la controverse."
        ),
    }
    return render(request, "governance/controversy_record_form.html", context)
