"""Uploads: every file is checked by its content and size before anything is written, and is
served only as a download to those who may read its record."""

import pytest
from django.core.exceptions import ValidationError

from tests.files import EXE, PDF, PNG, odt, upload
from tests.pages import page_text
from tests.trust.world import ROLES, build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.core.uploads import check_upload
from trajectoires.steering.models import Attachment, JournalEntry
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
NEW = "/territoires/ungersheim/journal/nouveau/"


@pytest.fixture
def world():
    return build_world()


def entry_data(**values):
    return {"title": "Chantier participatif", "occurred_on": "2026-05-04", "visibility": "private"} | values


def stored_files(settings) -> list:
    media = settings.MEDIA_ROOT
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("compte-rendu.txt", "Réunion du comité : 12 présents.".encode(), "text/plain"),
        ("budget.csv", b"poste;montant\nsemences;120\n", "text/csv"),
        ("notes.md", b"# Notes\n", "text/markdown"),
        ("statuts.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_files_get_the_type_their_content_proves(name, content, content_type):
    checked = check_upload(upload(name, content, "application/x-anything"), field="fichier")
    assert (checked.name, checked.content_type, checked.size) == (name, content_type, len(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", PNG),  # a PNG calling itself a PDF
        ("outil.exe", EXE),
        ("outil.pdf", EXE),
        ("image.png", PDF),
        ("notes.txt", b"\xff\xfe\x00binary"),
        ("archive.zip", odt()),
        ("statuts.odt", b"not a zip at all"),
        ("sans-extension", PDF[:0] + b"hello"),
    ],
)
def test_files_whose_content_and_name_disagree_are_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content), field="fichier")
    message = refused.value.message_dict["fichier"][0]
    assert message.startswith(
        f"Type de fichier non accepté : « {name} » (acceptés : csv, docx, jpeg, jpg, md"
    )


def test_a_file_too_large_is_refused_with_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = upload("gros.txt", b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as refused:
        check_upload(big, field="fichier")
    assert refused.value.message_dict == {"fichier": ["Le fichier « gros.txt » dépasse 10 Mo."]}


def test_a_refused_file_writes_nothing_at_all(client, world, settings):
    client_as(client, world, "editor")
    response = client.post(
        NEW,
        entry_data(attachments=[upload("ok.txt", b"bon"), upload("rapport.pdf", PNG)]),
    )
    assert (
        "Ajouter des fichiers : Acceptés : csv, docx, jpeg, jpg, md, ods, odt, pdf, png, txt, webp, xlsx ; "
        "10 Mo au plus chacun. Type de fichier non accepté : « rapport.pdf » (acceptés : csv,"
    ) in page_text(response)
    assert (JournalEntry.objects.count(), Attachment.objects.count(), stored_files(settings)) == (0, 0, [])
    assert not AuditEntry.objects.filter(action="journal_entry.create").exists()


def test_a_too_large_file_is_refused_on_the_page(client, world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client_as(client, world, "editor")
    response = client.post(NEW, entry_data(attachments=[upload("long.txt", b"a" * 2048)]))
    assert "1,0 Kio au plus chacun. Le fichier « long.txt » dépasse 1,0 Kio." in page_text(response)
    assert JournalEntry.objects.count() == 0 and stored_files(settings) == []


def test_the_service_checks_files_too(world, settings):
    with pytest.raises(ValidationError) as refused:
        journal_entry_create(
            actor=world.people["editor"],
            territory=world.territory,
            title="Sans passer par la page",
            occurred_on="2026-05-04",
            attachments=[upload("virus.pdf", EXE)],
        )
    assert list(refused.value.message_dict) == ["attachments"]
    assert (JournalEntry.objects.count(), stored_files(settings)) == (0, [])


def test_files_are_stored_under_random_names_and_served_as_downloads(client, world, settings):
    client_as(client, world, "editor")
    client.post(NEW, entry_data(attachments=[upload("../../etc/passwd.txt", b"Compte rendu")]))
    attachment = Attachment.objects.get()
    assert attachment.name == "passwd.txt"
    assert attachment.file.name.startswith(f"territories/{world.territory.pk}/")
    assert "passwd" not in attachment.file.name and len(attachment.file.name.rsplit("/", 1)[1]) == 32
    response = client.get(f"/territoires/ungersheim/journal/{attachment.entry_id}/fichiers/{attachment.pk}/")
    assert b"".join(response.streaming_content) == b"Compte rendu"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="passwd.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


READERS = {"admin", "editor", "viewer"}


@pytest.mark.parametrize("role", ROLES)
def test_a_private_entry_s_file_is_a_404_to_whoever_may_not_read_the_entry(client, world, role):
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Devis",
        occurred_on="2026-05-04",
        visibility="private",
        attachments=[upload("devis.pdf", PDF)],
    )
    attachment = entry.attachments.get()
    url = f"/territoires/ungersheim/journal/{entry.pk}/fichiers/{attachment.pk}/"
    response = client_as(client, world, role).get(url)
    if role in READERS:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    else:
        missing = client.get(url.replace(f"/{attachment.pk}/", f"/{attachment.pk + 1000}/"))
        assert response.status_code == missing.status_code == 404
    # The file of another entry is never reached through this one.
    other = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Public",
        occurred_on="2026-05-04",
        visibility="public",
    )
    assert (
        client.get(f"/territoires/ungersheim/journal/{other.pk}/fichiers/{attachment.pk}/").status_code == 404
    )
