"""Photos and documents of an innovation.

Files are checked by their content (`jipp.core.files.validate_upload`: PDF, JPEG, PNG, DOCX,
XLSX; a size limit from settings.MAX_UPLOAD_MB), stored through the storage API under a generated
name (so S3 works when S3_BUCKET is set), and served only by `views_data.attachment_download`,
which checks `registry.view_innovation` (a draft's files are not public) and always answers
with `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`.

Photos inline: a JPEG/PNG photo of a *published* innovation may be shown as an <img> on public
pages through `views_data.attachment_image` (inline, image types only, content checked at upload);
any other file, and every file of a draft or withdrawn innovation, is only downloadable by those
who may view the innovation.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from jipp.core.files import ALL_KINDS, DOCUMENT_KINDS, IMAGE_KINDS, generated_name, validate_upload
from jipp.registry.models import Attachment, Innovation

ALLOWED_BY_KIND = {
    Attachment.Kind.PHOTO: IMAGE_KINDS,
    Attachment.Kind.DOCUMENT: ALL_KINDS,
    Attachment.Kind.DECREE: DOCUMENT_KINDS + IMAGE_KINDS,
}
MAX_ATTACHMENTS = 30


@transaction.atomic
def add_attachment(*, user, innovation: Innovation, uploaded, kind: str) -> Attachment:
    """Store `uploaded` for `innovation` after checking rights, size and content type.

    Raises PermissionDenied (not an editor of the innovation) or ValidationError (too large,
    empty, a forged or disallowed type, too many files); nothing is stored in either case.
    """
    if not user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied(_("You cannot add files to this innovation."))
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of file.")})
    if innovation.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("An innovation can have at most %(count)d files.") % {"count": MAX_ATTACHMENTS})
    try:
        detected = validate_upload(uploaded, allowed=ALLOWED_BY_KIND[kind])
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    original = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or detected.label
    attachment = Attachment(
        innovation=innovation,
        kind=kind,
        original_name=original,
        content_type=detected.content_type,
        size=uploaded.size,
        uploaded_by=user if user.is_authenticated else None,
    )
    uploaded.seek(0)
    # The storage may still rename on a clash; the name is random either way.
    attachment.file.save(generated_name(detected), File(uploaded), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)  # no orphan file when the record is refused
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, user, attachment: Attachment) -> None:
    """Remove the attachment and its stored file (after the transaction commits)."""
    if not user.has_perm("registry.change_innovation", attachment.innovation):
        raise PermissionDenied(_("You cannot remove files of this innovation."))
    storage, name = attachment.file.storage, attachment.file.name
    shared = Attachment.objects.filter(file=name).exclude(pk=attachment.pk).exists()  # demo data shares one file
    attachment.delete()
    if name and not shared:
        transaction.on_commit(lambda: storage.delete(name))


def may_show_inline(attachment: Attachment) -> bool:
    """A published innovation's JPEG/PNG photo may be shown as an <img> on public pages."""
    return (
        attachment.kind == Attachment.Kind.PHOTO
        and attachment.content_type in ("image/jpeg", "image/png")
        and attachment.innovation.status == Innovation.Status.PUBLISHED
    )
