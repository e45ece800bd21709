"""One, three and six months after an event, ask both sides of each open partnership for an update.

The request is an e-mail (an SMS for an IKM owner with a phone only) with a one-click link: a signed token
naming the partnership and the person, which opens the update page without signing in and lets them move
that one partnership on (or say nothing changed). Partnerships not from an event count from their opening.
A reminder row per (partnership, month mark) makes the job safe to run twice; a mark is sent only in
the month after it falls due, so an old partnership never gets a late flood.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ikmportal.sms import send_sms
from profiles.models import User

from ..enums import PartnershipStage
from ..models import Partnership, PartnershipReminder

logger = logging.getLogger(__name__)

REMINDER_MONTHS = (1, 3, 6)
LINK_SALT = "matchmaking.partnership-update"
LINK_MAX_AGE = dt.timedelta(days=60)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def due_mark(anchor: dt.date, today: dt.date, sent: set[int]) -> int | None:
    """The month mark to send today: the latest one fallen due within the last month and not yet sent."""
    for months in reversed(REMINDER_MONTHS):
        due = add_months(anchor, months)
        if due <= today < add_months(due, 1):
            return None if months in sent else months
    return None


def update_token(partnership_id: int, user_id: int) -> str:
    return signing.dumps({"p": partnership_id, "u": user_id}, salt=LINK_SALT, compress=True)


def read_update_token(token: str) -> tuple[int, int] | None:
    """(partnership id, user id), or None when the link is forged or older than LINK_MAX_AGE."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        return int(data["p"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def update_link(partnership_id: int, user_id: int) -> str:
    path = reverse("matchmaking:partnership_update_link", args=[update_token(partnership_id, user_id)])
    return settings.SITE_URL.rstrip("/") + path


def reminders_create(today: dt.date | None = None) -> list[int]:
    """Write the reminder rows due today (one per partnership at most); their ids, for sending."""
    today = today or timezone.localdate()
    earliest = add_months(today, -(REMINDER_MONTHS[-1] + 1))
    rows = (Partnership.objects.exclude(stage=PartnershipStage.ENDED)
            .filter(Q(created_at__date__gte=earliest) | Q(event__end_date__gte=earliest))
            .values_list("pk", "event__end_date", "created_at"))
    sent: dict[int, set[int]] = {}
    for partnership_id, months in PartnershipReminder.objects.filter(
            partnership__in=[r[0] for r in rows]).values_list("partnership_id", "months"):
        sent.setdefault(partnership_id, set()).add(months)
    wanted = []
    for partnership_id, event_end, created_at in rows:
        anchor = event_end or timezone.localtime(created_at).date()
        mark = due_mark(anchor, today, sent.get(partnership_id, set()))
        if mark is not None:
            wanted.append(PartnershipReminder(partnership_id=partnership_id, months=mark))
    with transaction.atomic():
        PartnershipReminder.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(PartnershipReminder.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))


def people_of(partnership: Partnership) -> list[User]:
    """Who is asked: the IKM's owner and the buyer organisation's active staff."""
    people = list(partnership.buyer.staff.filter(is_active=True))
    owner = partnership.ikm.owner
    if owner is not None and owner.is_active:
        people.insert(0, owner)
    return people


def reminder_send(*, reminder_id: int) -> int:
    """Send one reminder to both sides (skipped when sent already or the partnership has ended)."""
    reminder = (PartnershipReminder.objects.select_related("partnership__ikm__owner", "partnership__buyer",
                                                           "partnership__event")
                .filter(pk=reminder_id, sent_at__isnull=True).first())
    if reminder is None:
        return 0
    partnership = reminder.partnership
    count = 0
    if partnership.is_open:
        for person in people_of(partnership):
            count += _ask(person, partnership, reminder.months)
    PartnershipReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return count


def _ask(person: User, partnership: Partnership, months: int) -> int:
    link = update_link(partnership.pk, person.pk)
    with translation.override(person.language or settings.LANGUAGE_CODE):
        since = partnership.event.title if partnership.event_id else _("the start of your partnership")
        subject = _("How is your partnership with %(other)s going?") % {
            "other": partnership.buyer.name if person.pk == partnership.ikm.owner_id else partnership.ikm.display_name}
        text = _("It is %(months)s month(s) since %(since)s. Where does %(ikm)s – %(buyer)s stand now "
                 "(stage: %(stage)s)? One click updates it, no password needed:") % {
            "months": months, "since": since, "ikm": partnership.ikm.display_name, "buyer": partnership.buyer.name,
            "stage": partnership.get_stage_display()}
    if person.email:
        send_mail(subject, f"{text}\n\n{link}\n", settings.DEFAULT_FROM_EMAIL, [person.email])
        return 1
    if person.phone and person.phone_verified:
        send_sms(person.phone, f"{subject} {link}")
        return 1
    logger.info("partnership %s: no way to reach user %s", partnership.pk, person.pk)
    return 0
