"""`photo_process` (Celery: the public derivatives of a new photo) and `photo_blur`
(moderation: blurred derivatives), with reading the private original and storing the
derivatives on the `ReportPhoto` row."""
import logging

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import ReportPhoto
from .blurring import _box_check
from .errors import PhotoProcessingError
from .rendering import _derivatives_render

__all__ = ["photo_process", "photo_blur"]

logger = logging.getLogger(__name__)


def photo_process(*, photo: ReportPhoto) -> None:
    """Make the public image and thumbnail of `photo` from its private original.

    Applies the EXIF orientation, converts to sRGB, scales to PHOTO_PUBLIC_MAX_EDGE and
    PHOTO_THUMB_MAX_EDGE (longest edge, pixels, never enlarged) and writes JPEGs without
    any metadata (checked before storing). Idempotent: a photo that is already done (in
    memory or in the database) is left alone; a failed one is tried again. Undecodable originals mark
    the photo `failed` with the reason in `processing_error`; storage errors (`OSError`
    while reading or writing files) propagate so that the Celery task retries.
    """
    if photo.processing == ReportPhoto.Processing.DONE:
        return
    current = ReportPhoto.objects.filter(pk=photo.pk).values_list("processing", flat=True).first()
    if current is None:  # deleted with its report meanwhile
        return
    if current == ReportPhoto.Processing.DONE:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])
        return
    try:
        data = _original_read(photo=photo)
    except FileNotFoundError as exc:
        _processing_fail(photo=photo, error=f"original missing: {exc}")
        return
    try:
        image, thumbnail = _derivatives_render(data=data)
    except PhotoProcessingError as exc:
        _processing_fail(photo=photo, error=str(exc))
        return
    _derivatives_store(photo=photo, image=image, thumbnail=thumbnail, replace=False)


def photo_blur(*, photo: ReportPhoto, box: tuple[float, float, float, float] | None = None) -> None:
    """Replace the public image and thumbnail of `photo` by blurred ones (moderation).

    `box` is (left, top, right, bottom) as fractions 0–1 of the width and height of the
    picture as displayed (after EXIF orientation), so it means the same area on the
    public image and the thumbnail; None blurs the whole picture. The derivatives are
    rendered again from the private original; the original itself is not changed. The
    previous derivative files are deleted after commit (caches and CDNs may still hold
    copies). Raises `PhotoProcessingError` if the original cannot be decoded and
    `ValueError` for a malformed box.
    """
    if box is not None:
        box = _box_check(box=box)
    image, thumbnail = _derivatives_render(data=_original_read(photo=photo), blur_box=box, blur=True)
    _derivatives_store(photo=photo, image=image, thumbnail=thumbnail, replace=True)


def _original_read(*, photo: ReportPhoto) -> bytes:
    if not photo.original.name:
        raise FileNotFoundError("no original file")
    with photo.original.storage.open(photo.original.name, "rb") as fh:
        return fh.read()


def _derivatives_store(*, photo: ReportPhoto, image: bytes, thumbnail: bytes, replace: bool) -> None:
    """Write both files, then point the row at them.

    Without `replace` (processing) the row is only updated if nobody finished it meanwhile
    (beat re-queueing, a retried task); otherwise our files are deleted again. Files left
    over from earlier renders are deleted after commit.
    """
    names = []
    try:
        for field_name, data in (("image", image), ("thumbnail", thumbnail)):
            field = ReportPhoto._meta.get_field(field_name)
            names.append(field.storage.save(field.generate_filename(photo, f"{field_name}.jpg"), ContentFile(data),
                                            max_length=field.max_length))
        image_name, thumbnail_name = names
        with transaction.atomic():
            row = (ReportPhoto.objects.select_for_update().filter(pk=photo.pk)
                   .values("processing", "image", "thumbnail").first())
            if row is None or (not replace and row["processing"] == ReportPhoto.Processing.DONE):
                stale = names
            else:
                ReportPhoto.objects.filter(pk=photo.pk).update(
                    image=image_name, thumbnail=thumbnail_name, processing=ReportPhoto.Processing.DONE,
                    processing_error="",
                )
                stale = [row["image"], row["thumbnail"]]
            transaction.on_commit(lambda: _files_delete(names=stale), robust=True)
        if stale is not names:
            names = []  # adopted by the row
    except BaseException:
        _files_delete(names=names)
        raise
    if row is not None:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])


def _files_delete(*, names) -> None:
    for field_name, name in zip(("image", "thumbnail"), names, strict=False):
        if name:
            ReportPhoto._meta.get_field(field_name).storage.delete(name)


def _processing_fail(*, photo: ReportPhoto, error: str) -> None:
    logger.warning("photo %s: processing failed: %s", photo.pk, error)
    updated = (ReportPhoto.objects.filter(pk=photo.pk).exclude(processing=ReportPhoto.Processing.DONE)
               .update(processing=ReportPhoto.Processing.FAILED, processing_error=error))
    if updated:
        photo.processing, photo.processing_error = ReportPhoto.Processing.FAILED, error
    else:
        photo.refresh_from_db(fields=["processing", "processing_error", "image", "thumbnail"])
