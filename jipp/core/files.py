"""Checks for uploaded files: the type is read from the content, not trusted from the name.

Allowed: PDF, JPEG, PNG, DOCX, XLSX. Anything else (HTML, scripts, executables, a PDF that is
really an HTML page) is refused with a message that says why. Stored names are generated, so a
user's file name never reaches the file system or a URL.
"""

import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
JPEG = FileKind("jpg", "image/jpeg", "JPEG")
PNG = FileKind("png", "image/png", "PNG")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX")
ALL_KINDS = (PDF, JPEG, PNG, DOCX, XLSX)
IMAGE_KINDS = (JPEG, PNG)
DOCUMENT_KINDS = (PDF, DOCX, XLSX)


def detect_kind(uploaded) -> FileKind | None:
    """The kind of `uploaded` (a Django UploadedFile or binary file object) judged by its bytes."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def validate_upload(uploaded, *, allowed: tuple[FileKind, ...] = ALL_KINDS, max_mb: int | None = None) -> FileKind:
    """Return the file's kind, or raise ValidationError saying what is wrong (size, type, forged)."""
    max_mb = max_mb or settings.MAX_UPLOAD_MB
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": uploaded.size / 1024 / 1024, "limit": max_mb},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_kind(uploaded)
    allowed_labels = ", ".join(k.label for k in allowed)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("This file's content is not an allowed type (%(allowed)s), whatever its name says.")
            % {"allowed": allowed_labels},
            code="bad_type",
        )
    name = (getattr(uploaded, "name", "") or "").lower()
    declared = name.rsplit(".", 1)[-1] if "." in name else ""
    if declared and declared not in {kind.extension, "jpeg" if kind is JPEG else kind.extension}:
        raise ValidationError(
            _("The file is named .%(declared)s but its content is %(actual)s.")
            % {"declared": declared, "actual": kind.label},
            code="mismatch",
        )
    return kind


def generated_name(kind: FileKind) -> str:
    """A random stored name with the extension of the detected kind."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def storage_full_message() -> str:
    return _(
        "The server's storage is full: the file was not saved, and nothing else was either. What you typed "
        "is kept below; try again later, or tell the helpdesk."
    )


def store_file(field_file, name: str, content) -> None:
    """Save an upload into a model's FieldFile (without saving the row). A full disk (ENOSPC, EDQUOT) is a
    ValidationError with a clear message (code "storage_full"), the partial file removed, so the calling
    service's transaction rolls back and the view shows the form again with what was typed."""
    import errno

    target = field_file.field.generate_filename(field_file.instance, name)
    existed = field_file.storage.exists(target)
    try:
        field_file.save(name, content, save=False)
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        try:  # the storage leaves what it wrote before the disk filled up; never touch a file it did not write
            if not existed and field_file.storage.exists(target):
                field_file.storage.delete(target)
        except OSError:
            pass
        field_file.name = None
        raise ValidationError({"file": storage_full_message()}, code="storage_full") from None
