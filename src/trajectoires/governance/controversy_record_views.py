"""The pages of what the instruction of a controversy gathers: the parties and their positions, the
expertise, the versions of the état de la controverse and their co-signatures, the follow-up
actions of the decision. Each page calls its service in `controversy_records` and comes back to
the controversy's story; a record or a right that is missing answers 404.

- Who may write what is the services' and `permissions`' rule: contributors add parties and
  expertise and change the parties they wrote; the team writes the états and the follow-up; a
  party's own account co-signs for it.
- A group's contact address is offered to the territory team only (and to whoever adds the group);
  an actor the editor may not read stays the party, unnamed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from trajectoires.cooperation.network_selectors import ActorView, readable_actor_ids
from trajectoires.cooperation.permissions import can_read_actor_contacts
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import is_territory_team
from trajectoires.territories.selectors import territory_get

from .controversies import PartyView, access_controversy, controversy_story
from .controversy_forms import (
    CosignForm,
    ExpertiseForm,
    FollowUpDoneForm,
    FollowUpForm,
    PartyForm,
    StateForm,
)
from .controversy_records import (
    access_follow_up,
    access_party,
    access_state,
    can_cosign,
    expertise_add,
    follow_up_add,
    follow_up_done,
    party_add,
    party_delete,
    party_update,
    state_cosign,
    state_write,
)
from .controversy_views import saved_and_back, signatory_ids, steerable_story
from .permissions import can_add_expertise, can_add_party, can_edit_party

FORM_TEMPLATE = "governance/controversy_record_form.html"


def _form_page(request, territory, controversy, form, heading: str, intro: str = "", **extra):
    context = {
        "territory": territory,
        "controversy": controversy,
        "form": form,
        "heading": heading,
        "intro": intro,
        **extra,
    }
    return render(request, FORM_TEMPLATE, context)


# Parties -----------------------------------------------------------------------------------------


@login_required
def party_new(request, slug: str, pk: int):
    territory = territory_get(slug)
    controversy = access_controversy(request.user, territory, pk)
    if not can_add_party(request.user, territory):
        raise Http404
    form = PartyForm(request.POST or None, viewer=request.user, territory=territory)

    def save():
        return party_add(actor=request.user, controversy=controversy, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The party and its position were recorded."))
    intro = _("A party is an actor of the map or a group of inhabitants, with its position.")
    return _form_page(request, territory, controversy, form, _("Add a party"), intro)


def _editable_party(request, slug: str, pk: int, party_pk: int):
    territory = territory_get(slug)
    controversy = access_controversy(request.user, territory, pk)
    party = access_party(controversy, party_pk)
    if not can_edit_party(request.user, party):
        raise Http404
    return territory, controversy, party


def _party_label(user, territory, party) -> str:
    """The party as the story names it (an actor `user` may not read is not named)."""
    actor = ActorView.of(party.actor, readable_actor_ids(user, territory.pk)) if party.actor_id else None
    return PartyView(party, actor).label


@login_required
def party_edit(request, slug: str, pk: int, party: int):
    territory, controversy, found = _editable_party(request, slug, pk, party)
    contacts = can_read_actor_contacts(request.user, territory)
    form = PartyForm.for_party(found, request.POST or None, viewer=request.user, contacts=contacts)

    def save():
        return party_update(actor=request.user, party=found, **form.service_values())

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The party's position was saved."))
    label = _party_label(request.user, territory, found)
    heading = _("Edit the position of %(party)s") % {"party": label}
    return _form_page(request, territory, controversy, form, heading)


@login_required
def party_remove(request, slug: str, pk: int, party: int):
    territory, controversy, found = _editable_party(request, slug, pk, party)
    errors = []
    if request.method == "POST":
        try:
            party_delete(actor=request.user, party=found)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            errors = error.messages
        else:
            return saved_and_back(request, controversy, _("The party was removed."))
    context = {
        "territory": territory,
        "controversy": controversy,
        "label": _party_label(request.user, territory, found),
        "errors": errors,
    }
    return render(request, "governance/controversy_party_delete.html", context)


# Expertise ---------------------------------------------------------------------------------------


@login_required
def expertise_new(request, slug: str, pk: int):
    territory = territory_get(slug)
    controversy = access_controversy(request.user, territory, pk)
    if not can_add_expertise(request.user, territory):
        raise Http404
    form = ExpertiseForm(request.POST or None)

    def save():
        return expertise_add(actor=request.user, controversy=controversy, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The expertise was recorded."))
    intro = _("A document (study, report, opinion) or a hearing gathered by the instruction.")
    return _form_page(request, territory, controversy, form, _("Add expertise"), intro)


# The état de la controverse ----------------------------------------------------------------------


@login_required
def state_new(request, slug: str, pk: int):
    territory, story = steerable_story(request, slug, pk)
    controversy = story.controversy
    latest = story.current_state.state if story.current_state else None
    form = StateForm(request.POST or None, controversy=controversy, parties=story.parties, latest=latest)

    def save():
        return state_write(actor=request.user, controversy=controversy, **form.cleaned_data)

    if saved := saved_through(request, form, save):
        message = _("Version %(number)s of the état de la controverse was saved.") % {"number": saved.number}
        return saved_and_back(request, controversy, message)
    intro = _(
        "A version is never rewritten: this one will carry the next number. It starts from the latest "
        "version's text."
    )
    return _form_page(
        request, territory, controversy, form, _("New version of the état de la controverse"), intro
    )


def state_detail(request, slug: str, pk: int, number: int):
    territory = territory_get(slug)
    story = controversy_story(request.user, territory, pk)
    version = next((view for view in story.states if view.state.number == number), None)
    if version is None:
        raise Http404
    latest = story.current_state.state.number
    context = {
        "territory": territory,
        "controversy": story.controversy,
        "version": version,
        "is_latest": version.state.number == latest,
        "latest": latest,
        "team": is_territory_team(request.user, territory),
    }
    return render(request, "governance/controversy_state.html", context)


@login_required
def state_cosign_page(request, slug: str, pk: int, number: int):
    territory = territory_get(slug)
    story = controversy_story(request.user, territory, pk)
    controversy = story.controversy
    state = access_state(controversy, number)
    allowed = [view for view in story.parties if can_cosign(request.user, state, view.party)]
    if not allowed:
        raise Http404
    signed = signatory_ids(state)
    remaining = [view for view in allowed if view.party.pk not in signed]
    heading = _("Co-sign the état de la controverse")
    if not remaining:
        intro = _("Every party you may sign for has co-signed version %(number)s.") % {"number": number}
        return _form_page(request, territory, controversy, None, heading, intro)
    form = CosignForm(request.POST or None, parties=remaining)

    def save():
        return state_cosign(actor=request.user, state=state, party=form.chosen_party())

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The co-signature was recorded."))
    intro = _(
        "Co-signing says that the party agrees with version %(number)s of the état de la controverse."
    ) % {"number": number}
    return _form_page(request, territory, controversy, form, heading, intro, submit=_("Co-sign"))


# Follow-up ---------------------------------------------------------------------------------------


@login_required
def follow_up_new(request, slug: str, pk: int):
    territory, story = steerable_story(request, slug, pk)
    controversy = story.controversy
    form = FollowUpForm(request.POST or None)

    def save():
        return follow_up_add(actor=request.user, controversy=controversy, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The follow-up action was planned."))
    return _form_page(request, territory, controversy, form, _("Plan a follow-up action"))


@login_required
def follow_up_done_page(request, slug: str, pk: int, follow_up: int):
    territory, story = steerable_story(request, slug, pk)
    controversy = story.controversy
    found = access_follow_up(controversy, follow_up)
    initial = {"done_on": found.done_on} if found.done_on else None
    form = FollowUpDoneForm(request.POST or None, initial=initial)

    def save():
        return follow_up_done(actor=request.user, follow_up=found, **form.cleaned_data)

    if saved_through(request, form, save):
        return saved_and_back(request, controversy, _("The follow-up action was saved."))
    heading = _("Mark « %(action)s » done") % {"action": found.action}
    return _form_page(request, territory, controversy, form, heading)
