"""A territory's actor map (K5): organisations and people, each in an actor category.

Read through the caller's visibility like every territory record; a forbidden actor answers exactly
like a missing one (404). Contact details (`email`, `phone`, `notes`, `platform_account`) are given
to the territory team only and are `null` for anyone else, whatever the actor's visibility.
Writes go through the page's form and the services: the team's admins and editors create, change
and delete; contributors create.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from trajectoires.cooperation.actor_forms import ActorForm
from trajectoires.cooperation.actor_gdpr import actor_erase, actor_export
from trajectoires.cooperation.actor_selectors import CATEGORY_GRID, access_actor, actor_list
from trajectoires.cooperation.actors import ERASED_FIELDS, actor_create, actor_delete, actor_update
from trajectoires.cooperation.models import Actor, ActorKind
from trajectoires.cooperation.permissions import can_edit_actor, can_read_actor_contacts
from trajectoires.core.visibility import Visibility
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.selectors import territory_get

from .auth import ANONYMOUS_ALLOWED, SIGNED_IN
from .errors import error_responses, invalid, service_call
from .pagination import PageOut, PageQuery, paginate

router = Router(tags=["actors"])
EDITABLE = ("kind", "name", "category", "organisation", "function", "email", "phone", "notes", "visibility")


class OrganisationOut(Schema):
    id: int
    name: str


class ActorOut(Schema):
    id: int
    territory: str = Field(description="The territory's slug.")
    kind: ActorKind
    name: str
    category: str = Field(description="Code of the référentiel's actor category (elu, agent…).")
    organisation: OrganisationOut | None = Field(
        description="The organisation the actor belongs to, when the caller may read it."
    )
    function: str
    visibility: Visibility
    erased: bool = Field(description="True once a person's personal data were erased (GDPR).")
    email: str | None = Field(description="For the territory team only; null for anyone else.")
    phone: str | None = Field(description="For the territory team only; null for anyone else.")
    notes: str | None = Field(description="For the territory team only; null for anyone else.")
    platform_account: str | None = Field(
        description="E-mail of the linked platform account; for the territory team only."
    )


class ActorPage(PageOut):
    results: list[ActorOut]


class ActorFilters(Schema):
    category: str = Field("", description="An actor category code (elu, agent, etat_territorial…).")
    kind: ActorKind | None = None
    q: str = Field("", description="A part of the name.", max_length=200)


class ActorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ActorKind
    name: str = Field(json_schema_extra={"minLength": 1, "maxLength": 200})
    category: str = Field(description="An actor category code (elu, agent, etat_territorial…).")
    organisation: int | None = Field(None, description="The id of an organisation of the territory.")
    function: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    user_email: str = Field("", description="The e-mail of the actor's platform account, to link it.")
    visibility: Visibility = Visibility.PRIVATE


class ActorPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ActorKind | None = None
    name: str | None = Field(None, json_schema_extra={"minLength": 1, "maxLength": 200})
    category: str | None = None
    organisation: int | None = None
    function: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    user_email: str | None = None
    visibility: Visibility | None = None


def _out(actor: Actor, contacts: bool) -> dict[str, Any]:
    visible_organisation = actor.organisation_id and actor.organisation_visible
    return {
        "id": actor.pk,
        "territory": actor.territory.slug,
        "kind": actor.kind,
        "name": actor.name,
        "category": actor.category.code,
        "organisation": (
            {"id": actor.organisation_id, "name": actor.organisation.name} if visible_organisation else None
        ),
        "function": actor.function,
        "visibility": actor.visibility,
        "erased": actor.erased_at is not None,
        "email": actor.email if contacts else None,
        "phone": actor.phone if contacts else None,
        "notes": actor.notes if contacts else None,
        "platform_account": (actor.user.email if actor.user_id else "") if contacts else None,
    }


def _category_code(code: str) -> str:
    """A category code of the current référentiel, as the form takes it; the form keeps the actor's
    own row when the code is unchanged."""
    if not referential_items(CATEGORY_GRID).filter(code=code).exists():
        message = _("Unknown actor category: %(code)s.") % {"code": code}
        raise invalid({"category": [message]})
    return code


def _validated(form: ActorForm) -> dict[str, Any]:
    if not form.is_valid():
        raise invalid(form.errors)
    return form.cleaned_data


@router.get(
    "/{slug:slug}/actors/",
    response={200: ActorPage, **error_responses(401, 404, 422)},
    summary="List a territory's actors",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_actors(request: HttpRequest, slug: str, pages: Query[PageQuery], filters: Query[ActorFilters]):
    """The actors the caller may read, by name, filtered by category, kind and name."""
    territory = territory_get(slug)
    contacts = can_read_actor_contacts(request.user, territory)
    actors = actor_list(
        request.user, territory, category=filters.category, kind=filters.kind or "", query=filters.q
    ).select_related("user")
    return paginate(request, actors, pages, lambda actor: _out(actor, contacts))


@router.get(
    "/{slug:slug}/actors/{int:pk}",
    response={200: ActorOut, **error_responses(401, 404)},
    summary="Read an actor",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def read_actor(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    return _out(access_actor(request.user, territory, pk), can_read_actor_contacts(request.user, territory))


@router.post(
    "/{slug:slug}/actors/",
    auth=SIGNED_IN,
    response={201: ActorOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Add an actor (admins, editors, contributors)",
)
def create_actor(request: HttpRequest, slug: str, payload: ActorIn):
    territory = territory_get(slug)
    data = payload.model_dump() | {"category": _category_code(payload.category)}
    cleaned = _validated(ActorForm(data, viewer=request.user, territory=territory))
    actor = service_call(lambda: actor_create(actor=request.user, territory=territory, **cleaned))
    try:
        actor = access_actor(request.user, territory, actor.pk)
    except Http404:  # a contributor may add a private actor, which only the team reads
        actor.organisation_visible = False
    return Status(201, _out(actor, can_read_actor_contacts(request.user, territory)))


@router.patch(
    "/{slug:slug}/actors/{int:pk}",
    auth=SIGNED_IN,
    response={200: ActorOut, **error_responses(400, 401, 403, 404, 413, 422)},
    summary="Change some fields of an actor (admins, editors)",
)
def update_actor(request: HttpRequest, slug: str, pk: int, payload: ActorPatch):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    if not can_edit_actor(request.user, actor):
        raise Http404
    sent = payload.model_dump(exclude_unset=True)
    if "category" in sent:
        sent["category"] = _category_code(sent["category"] or "")
    form = ActorForm.for_actor(actor, viewer=request.user)
    data = {name: _initial(form, name) for name in form.fields} | sent
    cleaned = _validated(ActorForm.for_actor(actor, data, viewer=request.user))
    values = {name: cleaned[name] for name in sent if name in cleaned}
    if actor.erased_at is not None:  # the service refuses to write these back
        values |= {name: value for name, value in sent.items() if name in ERASED_FIELDS}
    service_call(lambda: actor_update(actor=request.user, record=actor, **values))
    return _out(access_actor(request.user, territory, pk), can_read_actor_contacts(request.user, territory))


@router.delete(
    "/{slug:slug}/actors/{int:pk}",
    auth=SIGNED_IN,
    response={204: None, **error_responses(401, 403, 404, 409)},
    summary="Delete an actor without cooperation ties (admins, editors)",
)
def delete_actor(request: HttpRequest, slug: str, pk: int):
    actor = access_actor(request.user, territory_get(slug), pk)
    service_call(lambda: actor_delete(actor=request.user, record=actor), conflict=True)
    return Status(204, None)


@router.post(
    "/{slug:slug}/actors/{int:pk}/export",
    auth=SIGNED_IN,
    response={200: dict[str, Any], **error_responses(401, 403, 404)},
    summary="Everything stored about a person (GDPR access and portability; territory admins)",
)
def export_actor(request: HttpRequest, slug: str, pk: int):
    actor = access_actor(request.user, territory_get(slug), pk)
    return service_call(lambda: actor_export(actor=request.user, record=actor))


@router.post(
    "/{slug:slug}/actors/{int:pk}/erase",
    auth=SIGNED_IN,
    response={200: ActorOut, **error_responses(401, 403, 404, 409)},
    summary="Erase a person's personal data, keeping their place in the network (territory admins)",
)
def erase_actor(request: HttpRequest, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    erased = service_call(lambda: actor_erase(actor=request.user, record=actor), conflict=True)
    return _out(
        access_actor(request.user, territory, erased.pk), can_read_actor_contacts(request.user, territory)
    )


def _initial(form: ActorForm, name: str) -> Any:
    """The field's value as the form would send it back (a category by code, an organisation by id)."""
    field = form.fields[name]
    return field.prepare_value(form.initial.get(name, field.initial))
