"""Uploaded files: the one check every upload goes through, and the one way files are served.

A file is accepted when it is small enough (`settings.UPLOAD_MAX_BYTES`) and its CONTENT is of an
accepted type that agrees with its extension: the name a browser sends and the type it claims are
never trusted. Files are stored under random names (see the models' upload paths) and served only as
downloads, with the type recorded at upload, by views that first check the viewer may read the
record.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
SIGNATURE_BYTES = 8192  # enough for `filetype` to recognise every accepted signature

# Types recognised by their signature: the detected kind → the extensions it may carry.
SIGNED_TYPES = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/webp": ("webp",),
}
# Office documents are zip archives: recognised by the zip signature and the extension.
ZIP_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Plain text has no signature: accepted when it decodes as UTF-8 and holds no NUL byte.
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"}
ACCEPTED_EXTENSIONS = sorted(
    {ext for exts in SIGNED_TYPES.values() for ext in exts} | {*ZIP_TYPES, *TEXT_TYPES}
)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the check: its original name (for display only), type and size."""

    file: UploadedFile
    name: str
    content_type: str
    size: int


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload: UploadedFile, *, field: str) -> CheckedUpload:
    """The upload with its verified type, or a ValidationError naming `field` and the reason."""
    name = PurePath(upload.name or "").name[:200]
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                field: _("The file “%(name)s” is larger than %(limit)s.")
                % {"name": name, "limit": size_label(limit)}
            }
        )
    content_type = _content_type(upload, _extension(name))
    if content_type is None:
        raise ValidationError(
            {
                field: _("File type not accepted: “%(name)s” (accepted: %(extensions)s).")
                % {"name": name, "extensions": ", ".join(ACCEPTED_EXTENSIONS)}
            }
        )
    upload.seek(0)
    return CheckedUpload(upload, name, content_type, upload.size)


def size_label(size: int) -> str:
    """« 10 Mo » for a whole number of megabytes, Django's file size wording otherwise."""
    megabytes, rest = divmod(size, 1024 * 1024)
    return _("%(count)d MB") % {"count": megabytes} if megabytes and not rest else filesizeformat(size)


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _content_type(upload: UploadedFile, extension: str) -> str | None:
    """The type the content proves and the extension agrees with, or None."""
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    kind = filetype.guess(head)
    detected = kind.mime if kind else None
    if detected in SIGNED_TYPES:
        return detected if extension in SIGNED_TYPES[detected] else None
    if extension in ZIP_TYPES:
        return ZIP_TYPES[extension] if _is_zip(upload) else None
    if extension in TEXT_TYPES and kind is None and _is_utf8_text(upload):
        return TEXT_TYPES[extension]
    return None


def _is_zip(upload: UploadedFile) -> bool:
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        return False
    upload.seek(0)
    return zipfile.is_zipfile(upload)


def _is_utf8_text(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def file_download(stored: FieldFile, *, name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download, never rendered in the page's origin: the recorded type,
    `Content-Disposition: attachment` and no sniffing. The caller has checked the viewer's right."""
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
