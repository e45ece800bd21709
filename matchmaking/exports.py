"""Spreadsheet exports of matchmaking data (openpyxl)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Need


def shortlist_xlsx(need: Need) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Shortlist")[:31]
    sheet.append([_("Supplier"), _("Regency/city"), _("Processes"), _("Capacity (t/month)"), _("Verified"),
                  _("Phone"), _("E-mail"), _("Note"), _("Added by"), _("Added at")])
    entries = need.shortlist.select_related("ikm__kabupaten", "added_by").prefetch_related("ikm__processes")
    for entry in entries:
        ikm = entry.ikm
        sheet.append([ikm.display_name, ikm.kabupaten.name, ", ".join(p.name for p in ikm.processes.all()),
                      float(ikm.capacity_tons_month) if ikm.capacity_tons_month is not None else None,
                      _("yes") if ikm.is_verified else _("no"), ikm.phone, ikm.email, entry.note,
                      str(entry.added_by or ""), timezone.localtime(entry.added_at).replace(tzinfo=None)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
