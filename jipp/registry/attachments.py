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

Photos need an alternative text at upload. Each gets a thumbnail (at most THUMBNAIL_SIZE, JPEG,
re-encoded by Pillow so no metadata of the original survives) made at upload, or on first request
for photos stored before thumbnails existed, and kept in `Attachment.thumbnail`; the innovation page
shows the photos as thumbnails and the catalogue shows each innovation's first photo.
"""

import io
import logging
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from jipp.core.files import ALL_KINDS, DOCUMENT_KINDS, IMAGE_KINDS, generated_name, store_file, validate_upload
from jipp.registry import revisions
from jipp.registry.models import Attachment, Innovation

ALLOWED_BY_KIND = {
    Attachment.Kind.PHOTO: IMAGE_KINDS,
    Attachment.Kind.DOCUMENT: ALL_KINDS,
    Attachment.Kind.DECREE: DOCUMENT_KINDS + IMAGE_KINDS,
}
MAX_ATTACHMENTS = 30
THUMBNAIL_SIZE = (480, 360)
# Pillow refuses larger images outright (a "decompression bomb" is a small file of huge dimensions).
MAX_PIXELS = 40_000_000
INLINE_TYPES = ("image/jpeg", "image/png")
logger = logging.getLogger(__name__)


@transaction.atomic
def add_attachment(*, user, innovation: Innovation, uploaded, kind: str, alt_text: str = "") -> Attachment:
    """Store `uploaded` for `innovation` after checking rights, size and content type.

    A photo needs `alt_text` (what it shows) and gets its thumbnail now. Raises PermissionDenied
    (not an editor of the innovation) or ValidationError (too large, empty, a forged or disallowed
    type, an unreadable image, no alternative text for a photo, too many files); nothing is stored
    in either case.
    """
    if not user.has_perm("registry.change_innovation", innovation):
        raise PermissionDenied(_("You cannot add files to this innovation."))
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of file.")})
    alt_text = " ".join((alt_text or "").split())
    if kind == Attachment.Kind.PHOTO and not alt_text:
        raise ValidationError(
            {"alt_text": _("Describe what the photo shows, for people who cannot see it (alternative text).")}
        )
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
        alt_text=alt_text,
        uploaded_by=user if user.is_authenticated else None,
    )
    thumbnail = None
    if kind == Attachment.Kind.PHOTO:
        uploaded.seek(0)
        try:
            thumbnail = render_thumbnail(uploaded)
        except ValueError:
            unreadable = _("This image cannot be read, or it is too large. Save it again as JPEG or PNG.")
            raise ValidationError({"file": unreadable}) from None
    uploaded.seek(0)
    # The storage may still rename on a clash; the name is random either way.
    store_file(attachment.file, generated_name(detected), File(uploaded))
    if thumbnail is not None:
        attachment.thumbnail.save(f"{uuid.uuid4().hex}.jpg", ContentFile(thumbnail), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # No orphan files when the record is refused.
        attachment.file.storage.delete(attachment.file.name)
        if attachment.thumbnail:
            attachment.thumbnail.storage.delete(attachment.thumbnail.name)
        raise
    if kind == Attachment.Kind.PHOTO and revisions.needs_review(user, innovation):
        # A UPP's new photo of a published innovation waits for the Admin Lokal like any other change.
        revisions.propose_photo(user=user, attachment=attachment)
    return attachment


def render_thumbnail(handle) -> bytes:
    """A JPEG of the image in `handle`, turned upright (EXIF orientation) and fitted within
    THUMBNAIL_SIZE. Raises ValueError for an unreadable or oversized image."""
    try:
        with Image.open(handle) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("too many pixels")
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # JPEG: decode at a smaller scale
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, (255, 255, 255))
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc)) from exc


def thumbnail_of(attachment: Attachment):
    """The photo's stored thumbnail, made and kept now if it has none yet (photos stored before
    thumbnails existed, e.g. imported ones). None when the photo cannot be read."""
    if attachment.thumbnail:
        return attachment.thumbnail
    try:
        with attachment.file.open("rb") as handle:
            data = render_thumbnail(handle)
    except (ValueError, FileNotFoundError, OSError):
        logger.warning("No thumbnail for attachment %s", attachment.pk)
        return None
    attachment.thumbnail.save(f"{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
    Attachment.objects.filter(pk=attachment.pk).update(thumbnail=attachment.thumbnail.name)
    return attachment.thumbnail


def photos_of(innovation: Innovation) -> list[Attachment]:
    """The photos that may be shown inline (a published innovation's JPEG/PNG photos), in upload order."""
    if innovation.status != Innovation.Status.PUBLISHED:
        return []
    return list(
        innovation.attachments.filter(
            kind=Attachment.Kind.PHOTO, content_type__in=INLINE_TYPES, awaiting_review=False
        ).order_by("pk")
    )


def attach_covers(innovations: Iterable[Innovation]) -> None:
    """Set `.cover` on each innovation: its first showable photo, or None (one query for the page)."""
    innovations = list(innovations)
    published = [i.pk for i in innovations if i.status == Innovation.Status.PUBLISHED]
    covers: dict[int, Attachment] = {}
    if published:
        photos = (
            Attachment.objects.filter(innovation_id__in=published, kind=Attachment.Kind.PHOTO,
                                      content_type__in=INLINE_TYPES, awaiting_review=False)
            .order_by("innovation_id", "pk")
            .only("pk", "innovation_id", "alt_text", "original_name")
        )  # fmt: skip
        for photo in photos:
            covers.setdefault(photo.innovation_id, photo)
    for innovation in innovations:
        innovation.cover = covers.get(innovation.pk)


@transaction.atomic
def delete_attachment(*, user, attachment: Attachment) -> None:
    """Remove the attachment and its stored file (after the transaction commits)."""
    if not user.has_perm("registry.change_innovation", attachment.innovation):
        raise PermissionDenied(_("You cannot remove files of this innovation."))
    storage, name = attachment.file.storage, attachment.file.name
    shared = Attachment.objects.filter(file=name).exclude(pk=attachment.pk).exists()  # demo data shares one file
    thumbnail = attachment.thumbnail.name if attachment.thumbnail else ""
    attachment.delete()
    if name and not shared:
        transaction.on_commit(lambda: storage.delete(name))
    if thumbnail:
        transaction.on_commit(lambda: storage.delete(thumbnail))


def may_show_inline(attachment: Attachment) -> bool:
    """A published innovation's JPEG/PNG photo may be shown as an <img> on public pages."""
    return (
        attachment.kind == Attachment.Kind.PHOTO
        and attachment.content_type in INLINE_TYPES
        and attachment.innovation.status == Innovation.Status.PUBLISHED
        and not attachment.awaiting_review
    )


def may_preview(user, attachment: Attachment) -> bool:
    """A photo waiting for approval is shown to the innovation's editors (the UPP and its gatekeepers)."""
    return (
        attachment.kind == Attachment.Kind.PHOTO
        and attachment.content_type in INLINE_TYPES
        and attachment.awaiting_review
        and user.has_perm("registry.change_innovation", attachment.innovation)
    )
