"""Writing buyer needs: create, edit, status changes (recorded), attachments."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import User

from .attachments import check_attachment
from .enums import NeedStatus
from .exceptions import NeedError
from .models import (
    Need,
    NeedAttachment,
    NeedCertification,
    NeedMaterial,
    NeedProcess,
    NeedStatusChange,
    ShortlistEntry,
)

ALLOWED_TRANSITIONS = {
    NeedStatus.DRAFT: {NeedStatus.OPEN, NeedStatus.CLOSED},
    NeedStatus.OPEN: {NeedStatus.CLOSED, NeedStatus.AWARDED},
    NeedStatus.CLOSED: {NeedStatus.OPEN},
    NeedStatus.AWARDED: set(),
}
MAX_ATTACHMENTS = 10


def need_requirements_set(need: Need, *, processes, materials, certifications) -> None:
    """Replace a need's requirement rows; each argument maps an object to `required` (True/False)."""
    NeedProcess.objects.filter(need=need).delete()
    NeedMaterial.objects.filter(need=need).delete()
    NeedCertification.objects.filter(need=need).delete()
    NeedProcess.objects.bulk_create([NeedProcess(need=need, process=p, required=r) for p, r in processes.items()])
    NeedMaterial.objects.bulk_create([NeedMaterial(need=need, material=m, required=r) for m, r in materials.items()])
    NeedCertification.objects.bulk_create(
        [NeedCertification(need=need, certification=c, required=r) for c, r in certifications.items()])


def need_changed(need: Need) -> None:
    """Everything that depends on a need (its suggestions) is recomputed after commit."""
    from .recompute import request_need_recompute

    request_need_recompute(need.pk)


@transaction.atomic
def need_save(*, need: Need, by: User, processes: dict, materials: dict, certifications: dict) -> Need:
    """Create or update a need of the user's organisation with its requirements.

    Side effects: the need row and its requirement rows; after commit, its suggestions are recomputed.
    """
    if need.pk is None:
        if not by.is_buyer_staff:
            raise NeedError(_("Only buyer staff can post needs."))
        need.buyer_id = by.buyer_organisation_id
        need.created_by = by
    elif need.buyer_id != by.buyer_organisation_id and not by.is_superuser:
        raise NeedError(_("This need belongs to another organisation."))
    if not processes:
        raise NeedError(_("Name at least one process."))
    need.full_clean()
    need.save()
    need_requirements_set(need, processes=processes, materials=materials, certifications=certifications)
    need_changed(need)
    return need


@transaction.atomic
def need_status_set(*, need: Need, by: User, status: str) -> NeedStatusChange:
    """Move a need through draft → open → closed/awarded (closed may reopen), recording who and when."""
    locked = Need.objects.select_for_update().get(pk=need.pk)
    if status not in ALLOWED_TRANSITIONS.get(locked.status, set()):
        raise NeedError(_("A need that is %(from)s cannot become %(to)s.") % {
            "from": locked.get_status_display(), "to": NeedStatus(status).label if status in NeedStatus.values
            else status})
    change = NeedStatusChange.objects.create(need=locked, from_status=locked.status, to_status=status, by=by)
    locked.status = status
    fields = ["status", "updated_at"]
    if status == NeedStatus.OPEN and locked.opened_at is None:
        locked.opened_at = timezone.now()
        fields.append("opened_at")
    locked.save(update_fields=fields)
    need.status = locked.status
    need_changed(locked)
    return change


@transaction.atomic
def need_attachment_add(*, need: Need, by: User, upload) -> NeedAttachment:
    """Store a drawing after checking its content; raises ValidationError or NeedError, storing nothing."""
    if need.attachments.count() >= MAX_ATTACHMENTS:
        raise NeedError(_("A need can have at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
    content_type = check_attachment(upload)
    attachment = NeedAttachment(need=need, original_name=upload.name[:200], content_type=content_type,
                                size=upload.size, uploaded_by=by)
    attachment.file.save(upload.name[-100:], upload, save=False)
    attachment.save()
    return attachment


def shortlist_entry_add(*, need: Need, ikm, by: User, note: str = "") -> ShortlistEntry:
    """Put a supplier on a need's shortlist (or update its note)."""
    entry, _created = ShortlistEntry.objects.update_or_create(
        need=need, ikm=ikm, defaults={"note": note.strip()[:300], "added_by": by})
    return entry
