"""The event report as an XLSX workbook (openpyxl)."""

import io

from django.utils.translation import gettext as _

from .enums import OutcomeResult
from .models import Event


def event_report_xlsx(event: Event, report: dict) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    summary.append([event.title])
    summary.append([])
    rows = [
        (_("Registrations"), report["registrations"]["total"]),
        (_("Approved IKMs"), report["registrations"]["ikms"]),
        (_("Approved buyers"), report["registrations"]["buyers"]),
        (_("Checked in"), report["registrations"]["checked_in"]),
        (_("Meeting requests"), report["requests"]["total"]),
        (_("Accepted requests"), report["requests"]["accepted"]),
        (_("Meetings scheduled"), report["meetings"]["scheduled"]),
        (_("Meetings held"), report["meetings"]["held"]),
        (_("No-shows"), report["meetings"]["no_show"]),
        (_("Cancelled"), report["meetings"]["cancelled"]),
    ]
    rows += [(str(label), report["outcomes"].get(value, 0)) for value, label in OutcomeResult.choices]
    for label, value in rows:
        summary.append([str(label), value])
    buyers = workbook.create_sheet(_("Per buyer")[:31])
    buyers.append([_("Buyer"), _("Meetings"), _("Held"), _("No-shows")])
    for row in report["per_buyer"]:
        buyers.append([row["buyer__name"], row["meetings"], row["held"], row["no_show"]])
    regions = workbook.create_sheet(_("Per regency")[:31])
    regions.append([_("Regency/city"), _("IKMs"), _("Meetings"), _("Held")])
    for row in report["per_kabupaten"]:
        regions.append([row["ikm__kabupaten__name"], row["ikms"], row["meetings"], row["held"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
