"""Keeping an IKM upload between preview and commit, so the person decides with the errors in view."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.exceptions import ProfileError
from profiles.models import ImportBatch, User

from .ikm import IkmImportPreview, IkmImportResult, ikm_rows_commit, ikm_rows_validate
from .tables import TableError, read_table


def ikm_file_preview(*, data: bytes, filename: str, scope_user: User | None = None) -> IkmImportPreview:
    try:
        header, rows = read_table(data, filename)
    except TableError as exc:
        return IkmImportPreview(file_errors=[str(exc)], rows=[])
    return ikm_rows_validate(header, rows, scope_user=scope_user)


def ikm_batch_create(*, user: User, data: bytes, filename: str) -> tuple[ImportBatch, IkmImportPreview]:
    preview = ikm_file_preview(data=data, filename=filename, scope_user=user)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.IKM, uploaded_by=user, filename=filename[:255], content=data,
        summary={"rows": len(preview.rows), "valid": len(preview.valid_rows), "invalid": len(preview.invalid_rows)},
    )
    return batch, preview


def ikm_batch_preview(batch: ImportBatch) -> IkmImportPreview:
    return ikm_file_preview(data=bytes(batch.content), filename=batch.filename, scope_user=batch.uploaded_by)


@transaction.atomic
def ikm_batch_commit(*, batch: ImportBatch, user: User) -> IkmImportResult:
    """Write the batch's valid rows (validated again now) and mark the batch done; all or nothing."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.uploaded_by_id != user.pk:
        raise ProfileError(_("This import belongs to someone else."))
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ProfileError(_("This import was already finished."))
    preview = ikm_batch_preview(batch)
    if preview.file_errors or not preview.valid_rows:
        raise ProfileError(_("There are no valid rows to import."))
    result = ikm_rows_commit(preview, skip_invalid=True)
    batch.status = ImportBatch.Status.COMMITTED
    batch.finished_at = timezone.now()
    batch.summary = {**batch.summary, "created": result.created, "updated": result.updated,
                     "skipped": result.skipped}
    batch.content = b""
    batch.save(update_fields=["status", "finished_at", "summary", "content"])
    return result


def ikm_batch_cancel(*, batch: ImportBatch, user: User) -> None:
    if batch.uploaded_by_id != user.pk:
        raise ProfileError(_("This import belongs to someone else."))
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEWED).update(
        status=ImportBatch.Status.CANCELLED, finished_at=timezone.now(), content=b"")
