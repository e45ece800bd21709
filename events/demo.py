"""A demo temu-bisnis event for `manage.py seed_demo`: registration open, a few approved participants.

Idempotent: found by its title, so a second run changes nothing.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from profiles.models import BuyerOrganisation, IkmProfile, Kabupaten, User

from .enums import EventStatus
from .models import Event
from .services import event_create, event_status_set, registration_create

DEMO_EVENT_TITLE = "Temu Bisnis IKM Logam Jawa Tengah 2027"


@transaction.atomic
def seed_demo_event(*, dinas: User) -> Event:
    event = Event.objects.filter(title=DEMO_EVENT_TITLE).first()
    if event is not None:
        return event
    today = timezone.localdate()
    start = today + dt.timedelta(days=45)
    event = event_create(
        by=dinas, title=DEMO_EVENT_TITLE, organiser="Dinas Perindustrian Provinsi Jawa Tengah",
        kabupaten=Kabupaten.objects.get(name="Kota Semarang"), venue="PRPP Convention Hall, Semarang",
        description="Temu bisnis satu lawan satu antara IKM logam dan BUMN serta industri besar.",
        start_date=start, end_date=start,
        registration_opens=timezone.now() - dt.timedelta(days=1),
        registration_closes=timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=7), dt.time(17))),
        meeting_minutes=20, session_start=dt.time(9), session_end=dt.time(15), breaks=[["12:00", "13:00"]],
        tables=12,
    )
    event_status_set(event=event, by=dinas, status=EventStatus.REGISTRATION_OPEN)
    for ikm in IkmProfile.objects.filter(ref__startswith="DEMO-", kabupaten__province=event.kabupaten.province,
                                         verification_status="verified").order_by("ref")[:8]:
        registration_create(event=event, by=dinas, ikm=ikm)
    for name in ("PT Kereta Api Indonesia (Persero)", "PT Kubota Indonesia", "PT PLN (Persero)"):
        registration_create(event=event, by=dinas, buyer=BuyerOrganisation.objects.get(name=name), seats=2)
    return event
