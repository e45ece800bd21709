"""Importing an event's participants from XLSX: `kind` (ikm|buyer), `ref` or `name`, `seats` (buyers)."""

import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from profiles.models import BuyerOrganisation, IkmProfile, User

from .models import Event, Registration
from .services import EventError, registration_create

MAX_ROWS = 2000


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _rows(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # noqa: BLE001 - any unreadable upload becomes one message
        raise EventError(_("This is not a readable XLSX file.")) from exc
    if not rows:
        raise EventError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    if "kind" not in header or not ({"ref", "name"} & set(header)):
        raise EventError(_("The first row must name the columns: kind, and ref or name."))
    if len(rows) > MAX_ROWS + 1:
        raise EventError(_("At most %(count)d rows per file.") % {"count": MAX_ROWS})
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v not in (None, "") for v in row)]


def participants_import(*, event: Event, by: User, data: bytes) -> ImportResult:
    """Register every row's IKM (by ref or name) or buyer (by name); Dinas registrations are approved.

    Rows already registered are skipped; each bad row is reported with its row number and not written.
    """
    result = ImportResult()
    for number, row in enumerate(_rows(data), start=2):
        kind = str(row.get("kind") or "").strip().lower()
        ref, name = str(row.get("ref") or "").strip(), str(row.get("name") or "").strip()
        try:
            with transaction.atomic():
                if kind == "ikm":
                    ikm = (IkmProfile.objects.filter(ref=ref).first() if ref else None) or (
                        IkmProfile.objects.filter(name__iexact=name).first() if name else None)
                    if ikm is None:
                        raise EventError(_("no IKM with this ref or name"))
                    if Registration.objects.filter(event=event, ikm=ikm).exists():
                        result.skipped += 1
                        continue
                    registration_create(event=event, by=by, ikm=ikm)
                elif kind == "buyer":
                    buyer = BuyerOrganisation.objects.filter(name__iexact=name).first() if name else None
                    if buyer is None:
                        raise EventError(_("no buyer organisation with this name"))
                    if Registration.objects.filter(event=event, buyer=buyer).exists():
                        result.skipped += 1
                        continue
                    seats = row.get("seats") or 1
                    try:
                        seats = int(seats)
                    except (TypeError, ValueError):
                        raise EventError(_("seats must be a whole number")) from None
                    registration_create(event=event, by=by, buyer=buyer, seats=seats)
                else:
                    raise EventError(_("kind must be ikm or buyer"))
        except EventError as exc:
            result.errors.append(_("Row %(row)d: %(error)s") % {"row": number, "error": exc})
            continue
        result.created += 1
    return result
