from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trajectoires.core.form_pages import saved_through
from trajectoires.territories.selectors import territory_get

from .document_forms import DocumentFilterForm, DocumentForm
from .document_selectors import access_document, by_scale, documents_of, review_state
from .documents import document_create, document_delete, document_update
from .legal_links import document_types, territory_legal_links
from .permissions import can_add_document, can_edit_document


def _with_review_state(documents, today):
    for document in documents:
        document.review_state = review_state(document, today=today)
    return documents


def document_list(request, slug: str):
    """The documents binding the territory, by scale from the région down, and their legal links."""
    territory = territory_get(slug)
    types = list(document_types())
    filter_form = DocumentFilterForm(request.GET, types=types)
    chosen = filter_form.chosen()
    documents = _with_review_state(list(documents_of(request.user, territory)), timezone.localdate())
    shown = [
        document
        for document in documents
        if chosen["status"] in ("", document.status) and chosen["type"] in ("", document.doc_type.code)
    ]
    context = {
        "territory": territory,
        "filter_form": filter_form,
        "filtered": bool(chosen["status"] or chosen["type"]),
        "groups": by_scale(shown),
        "legal_links": territory_legal_links(request.user, territory, documents=documents, types=types),
        "can_add": can_add_document(request.user, territory),
    }
    return render(request, "planning/documents.html", context)


def document_detail(request, slug: str, pk: int):
    territory = territory_get(slug)
    document = access_document(request.user, territory, pk)
    document.review_state = review_state(document, today=timezone.localdate())
    links = territory_legal_links(request.user, territory).of(document)
    context = {
        "territory": territory,
        "document": document,
        "legal_links": links,
        "can_edit": can_edit_document(request.user, document),
    }
    return render(request, "planning/document.html", context)


@login_required
def document_new(request, slug: str):
    territory = territory_get(slug)
    if not can_add_document(request.user, territory):
        raise Http404
    form = DocumentForm(request.POST or None, territory=territory)

    def save():
        return document_create(actor=request.user, territory=territory, **form.cleaned_data)

    return _form_page(request, territory, form, None, save)


@login_required
def document_edit(request, slug: str, pk: int):
    territory = territory_get(slug)
    document = access_document(request.user, territory, pk)
    if not can_edit_document(request.user, document):
        raise Http404
    form = DocumentForm.for_document(document, request.POST or None)

    def save():
        return document_update(actor=request.user, document=document, **form.cleaned_data)

    return _form_page(request, territory, form, document, save)


@login_required
def document_remove(request, slug: str, pk: int):
    territory = territory_get(slug)
    document = access_document(request.user, territory, pk)
    if not can_edit_document(request.user, document):
        raise Http404
    if request.method == "POST":
        document_delete(actor=request.user, document=document)
        messages.success(request, _("The planning document was deleted."))
        return redirect("documents:list", slug=territory.slug)
    context = {"territory": territory, "document": document, "assessments": document.assessments.count()}
    return render(request, "planning/document_delete.html", context)


def _form_page(request, territory, form, document, save):
    if saved := saved_through(request, form, save):
        messages.success(request, _("The planning document was saved."))
        return redirect("documents:detail", slug=territory.slug, pk=saved.pk)
    context = {"territory": territory, "form": form, "document": document}
    return render(request, "planning/document_form.html", context)
