"""The actor map's pages: list, actor, new and edit forms, deletion, CSV import, and a person's
GDPR rights (export, erasure) for the territory admin."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from trajectoires.core.csvfile import CsvFileError, CsvProblem
from trajectoires.core.form_pages import saved_through
from trajectoires.territories.permissions import is_territory_writer
from trajectoires.territories.selectors import territory_get

from .actor_csv import TEMPLATE_NAME, actors_import, actors_template
from .actor_forms import ActorFilterForm, ActorForm, ActorImportForm
from .actor_gdpr import actor_erase, actor_export
from .actor_selectors import access_actor, actor_list, actors_of, category_counts, fantastic_four, members_of
from .actors import actor_create, actor_delete, actor_update
from .models import ActorKind
from .permissions import (
    can_add_actor,
    can_delete_actor,
    can_edit_actor,
    can_erase_actor,
    can_export_actor,
    can_read_actor_contacts,
)

ACTORS_PER_PAGE = 50
ERRORS_SHOWN = 200


def actors_page(request, slug: str):
    territory = territory_get(slug)
    counts = category_counts(request.user, territory)
    filters = ActorFilterForm(request.GET or None, categories=counts)
    actors = actor_list(request.user, territory, **filters.filters())
    page = Paginator(actors, ACTORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "territory": territory,
        "page": page,
        "filters": filters,
        "counts": counts,
        "fantastic_four": fantastic_four(counts),
        "contacts": can_read_actor_contacts(request.user, territory),
        "can_add": can_add_actor(request.user, territory),
    }
    return render(request, "cooperation/actor_list.html", context)


def actor_page(request, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    user = request.user
    context = {
        "territory": territory,
        "actor": actor,
        "members": members_of(user, actor) if actor.kind == ActorKind.ORGANISATION else None,
        "contacts": can_read_actor_contacts(user, territory),
        "can_edit": can_edit_actor(user, actor),
        "can_delete": can_delete_actor(user, actor),
        "can_export": can_export_actor(user, actor),
        "can_erase": can_erase_actor(user, actor) and actor.erased_at is None,
    }
    return render(request, "cooperation/actor_detail.html", context)


@login_required
def actor_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_actor(request.user, territory):
        raise Http404
    form = ActorForm(
        request.POST or None,
        viewer=request.user,
        territory=territory,
        link_accounts=is_territory_writer(request.user, territory),
    )

    def save():
        return actor_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _form_page(request, territory, form, None, save)


@login_required
def actor_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    if not can_edit_actor(request.user, actor):
        raise Http404
    form = ActorForm.for_actor(actor, request.POST or None, viewer=request.user)

    def save():
        return actor_update(actor=request.user, record=actor, **form.cleaned_data)

    return _form_page(request, territory, form, actor, save)


def _form_page(request, territory, form, actor, save):
    if saved := saved_through(request, form, save):
        return _saved(request, territory, saved)
    context = {"territory": territory, "form": form, "actor": actor}
    return render(request, "cooperation/actor_form.html", context)


def _saved(request, territory, actor):
    if actors_of(request.user, territory).filter(pk=actor.pk).exists():
        messages.success(request, _("The actor was saved."))
        return redirect("actors:detail", slug=territory.slug, pk=actor.pk)
    # A contributor may add an actor that only the team reads.
    messages.success(request, _("The actor was added; only the territory team can read it."))
    return redirect("actors:list", slug=territory.slug)


@login_required
def actor_delete_page(request, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    if not can_delete_actor(request.user, actor):
        raise Http404
    refusal = None
    if request.method == "POST":
        try:
            actor_delete(actor=request.user, record=actor)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The actor was deleted."))
            return redirect("actors:list", slug=territory.slug)
    context = {"territory": territory, "actor": actor, "refusal": refusal}
    return render(request, "cooperation/actor_delete.html", context, status=409 if refusal else 200)


@login_required
def actor_import_page(request, slug: str):
    territory = territory_get(slug)
    if not can_add_actor(request.user, territory):
        raise Http404
    form = ActorImportForm(request.POST or None, request.FILES or None)
    errors: list[CsvProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            records = actors_import(actor=request.user, territory=territory, upload=form.cleaned_data["file"])
        except CsvFileError as refused:
            errors = refused.problems
        else:
            count = len(records)
            message = ngettext("%(count)s actor was imported.", "%(count)s actors were imported.", count)
            message %= {"count": count}
            messages.success(request, message)
            return redirect("actors:list", slug=territory.slug)
    context = {
        "territory": territory,
        "form": form,
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
    }
    refused = bool(errors) or (request.method == "POST" and bool(form.errors))
    return render(request, "cooperation/actor_import.html", context, status=422 if refused else 200)


@login_required
def actor_template(request, slug: str):
    territory = territory_get(slug)
    if not can_add_actor(request.user, territory):
        raise Http404
    response = HttpResponse(actors_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response


@login_required
@require_POST
def actor_export_download(request, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    try:
        data = actor_export(actor=request.user, record=actor)
    except PermissionDenied:
        raise Http404 from None
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acteur-{actor.pk}.json"'
    return response


@login_required
def actor_erase_page(request, slug: str, pk: int):
    territory = territory_get(slug)
    actor = access_actor(request.user, territory, pk)
    if not can_erase_actor(request.user, actor) or actor.erased_at is not None:
        raise Http404
    missing_confirmation = request.method == "POST" and request.POST.get("confirm") != "yes"
    if request.method == "POST" and not missing_confirmation:
        try:
            actor_erase(actor=request.user, record=actor)
        except ValidationError:  # erased meanwhile, by another admin
            raise Http404 from None
        messages.success(request, _("The person's data were erased; their place in the network is kept."))
        return redirect("actors:detail", slug=territory.slug, pk=actor.pk)
    context = {"territory": territory, "actor": actor, "missing_confirmation": missing_confirmation}
    return render(request, "cooperation/actor_erase.html", context)
