"""What participants take to the day: the calendar file, the PDF agenda, the check-in QR code."""

import base64
import io
from datetime import UTC

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .enums import MeetingStatus
from .models import Registration
from .selectors import AgendaRow


def meeting_uid(meeting) -> str:
    """Stable across re-runs: a meeting is its request, wherever the scheduler puts it."""
    return f"meeting-{meeting.request_id}@ikmportal"


def agenda_ics(registration: Registration, rows: list[AgendaRow]) -> bytes:
    """An iCalendar file of a participant's meetings; each keeps its UID and raises SEQUENCE when it moves
    or is cancelled, so importing it again replaces the earlier one."""
    event = registration.event
    calendar = Calendar()
    calendar.add("prodid", "-//ikmportal//temu bisnis//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title} — {registration.name}")
    stamp = (event.published_at or timezone.now()).astimezone(UTC)
    for row in rows:
        item = CalendarEvent()
        item.add("uid", meeting_uid(row.meeting))
        item.add("sequence", row.meeting.sequence)
        item.add("dtstamp", stamp)
        item.add("dtstart", row.slot.start)
        item.add("dtend", row.slot.end)
        item.add("summary", _("Meeting with %(name)s") % {"name": row.counterpart.name})
        item.add("location", _("%(venue)s, table %(table)s") % {"venue": event.venue,
                                                                  "table": row.meeting.table_number})
        item.add("status", "CANCELLED" if row.meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()


def checkin_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:checkin_scan", args=[registration.checkin_token])


def checkin_qr_data_uri(registration: Registration) -> str:
    """The check-in QR code as an SVG data URI (the CSP allows data: images)."""
    image = qrcode.make(checkin_url(registration), image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def agenda_pdf(registration: Registration, rows: list[AgendaRow]) -> bytes:
    """A one-page (or more) PDF agenda with the QR code to check in."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    event = registration.event
    styles = getSampleStyleSheet()

    class QrFlowable(Flowable):
        def __init__(self, value: str, size: float):
            super().__init__()
            self.value, self.size = value, size

        def wrap(self, *args):
            return self.size, self.size

        def draw(self):
            widget = QrCodeWidget(self.value)
            x1, y1, x2, y2 = widget.getBounds()
            drawing = Drawing(self.size, self.size, transform=[self.size / (x2 - x1), 0, 0,
                                                                self.size / (y2 - y1), 0, 0])
            drawing.add(widget)
            renderPDF.draw(drawing, self.canv, 0, 0)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=f"{event.title} — {registration.name}",
                                 leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    story = [
        Paragraph(event.title, styles["Title"]),
        Paragraph(f"{registration.name}", styles["Heading2"]),
        Paragraph(f"{event.venue} · {event.start_date:%d-%m-%Y}", styles["Normal"]),
        Spacer(1, 4 * mm),
        QrFlowable(checkin_url(registration), 32 * mm),
        Paragraph(_("Show this code at the check-in desk."), styles["Italic"]),
        Spacer(1, 4 * mm),
    ]
    data = [[_("Time"), _("Table"), _("Meeting with"), _("Status")]]
    for row in rows:
        local = timezone.localtime(row.slot.start)
        data.append([f"{local:%d-%m %H:%M}–{timezone.localtime(row.slot.end):%H:%M}", str(row.meeting.table_number),
                     Paragraph(row.counterpart.name, styles["Normal"]), str(row.meeting.get_status_display())])
    if len(data) == 1:
        story.append(Paragraph(_("No meetings scheduled."), styles["Normal"]))
    else:
        table = Table(data, colWidths=[35 * mm, 15 * mm, 90 * mm, 30 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    document.build(story)
    return buffer.getvalue()
