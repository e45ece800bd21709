"""Demo temu-bisnis events for `manage.py seed_demo`: one open for registration, one held two months ago.

Idempotent: found by its title, so a second run changes nothing.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from matchmaking.partnerships.services import partnership_open_from_outcome
from profiles.models import BuyerOrganisation, IkmProfile, Kabupaten, User

from .enums import (
    FOLLOW_UP_RESULTS,
    EventStatus,
    MeetingStatus,
    ParticipantKind,
    RegistrationStatus,
    RequestStatus,
)
from .models import Event, Meeting, MeetingRequest, Outcome, Registration
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


PAST_EVENT_TITLE = "Temu Bisnis IKM Logam Tegal 2026"
#: Outcomes in turn for the past event's meetings: most lead somewhere, some do not.
PAST_OUTCOMES = ("mou", "follow_up", "no_interest", "sample", "quotation", "follow_up", "no_interest")


@transaction.atomic
def seed_demo_past_event(*, dinas: User) -> Event | None:
    """A temu bisnis held two months ago, with its meetings, outcomes and the partnerships that came of them
    (a few already with purchase orders), so the partnership pages and the Dinas dashboard have figures."""
    from matchmaking.models import Partnership
    from matchmaking.partnerships.services import partnership_advance, purchase_order_add

    if Event.objects.filter(title=PAST_EVENT_TITLE).exists():
        return None
    tegal = Kabupaten.objects.get(name="Kabupaten Tegal")
    # The demo IKM owner's business first, so that login has partnerships to update.
    ikms = list(IkmProfile.objects.filter(Q(verification_status="verified") | Q(owner__isnull=False),
                                          ref__startswith="DEMO-", kabupaten__province=tegal.province)
                .order_by(F("owner").asc(nulls_last=True), "ref")[:9])
    buyers = list(BuyerOrganisation.objects.filter(name__in=(
        "PT Kereta Api Indonesia (Persero)", "PT Kubota Indonesia", "PT PLN (Persero)")).order_by("name"))
    if not ikms or not buyers:
        return None
    day = timezone.localdate() - dt.timedelta(days=60)
    event = Event.objects.create(
        title=PAST_EVENT_TITLE, organiser="Dinas Perindustrian Kabupaten Tegal", kabupaten=tegal,
        venue="Gedung LIK Takaru, Tegal", start_date=day, end_date=day,
        registration_opens=timezone.now() - dt.timedelta(days=90),
        registration_closes=timezone.now() - dt.timedelta(days=67), meeting_minutes=20,
        session_start=dt.time(9), session_end=dt.time(12), tables=len(buyers), status=EventStatus.FINISHED,
        created_by=dinas)
    # Everyone came: checked in at the door that morning, as the meetings below were all held.
    arrived = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    approved = {"status": RegistrationStatus.APPROVED, "registered_by": dinas, "decided_by": dinas,
                "checked_in_at": arrived, "checked_in_by": dinas}
    ikm_regs = [Registration.objects.create(event=event, kind=ParticipantKind.IKM, ikm=ikm, **approved)
                for ikm in ikms]
    buyer_regs = [Registration.objects.create(event=event, kind=ParticipantKind.BUYER, buyer=b, **approved)
                  for b in buyers]
    turn = 0
    for i, ikm_reg in enumerate(ikm_regs):
        for j, buyer_reg in enumerate(buyer_regs):
            if (i + j) % 3 == 2:
                continue  # not every pair asked to meet
            request = MeetingRequest.objects.create(event=event, requester=buyer_reg, recipient=ikm_reg,
                                                    status=RequestStatus.ACCEPTED, created_by=dinas)
            result = PAST_OUTCOMES[turn % len(PAST_OUTCOMES)]
            meeting = Meeting.objects.create(event=event, request=request, slot=(i + j) % 9, table=j,
                                             status=MeetingStatus.HELD, followed_up=result in FOLLOW_UP_RESULTS)
            turn += 1
            outcome = Outcome.objects.create(meeting=meeting, side=ParticipantKind.BUYER, result=result,
                                             recorded_by=dinas, recorded_at=timezone.now() - dt.timedelta(days=59))
            partnership_open_from_outcome(outcome)
    partnerships = list(Partnership.objects.filter(event=event).select_related("ikm", "buyer").order_by("pk"))
    for index, partnership in enumerate(partnerships):
        if index % 4 == 0 and partnership.stage == "contact":
            partnership_advance(partnership=partnership, by=dinas, to_stage="curation", note="Kunjungan pabrik")
        if index % 4 == 1:
            purchase_order_add(partnership=partnership, by=dinas, value_idr=Decimal(85_000_000 + 15_000_000 * index),
                               order_date=day + dt.timedelta(days=30), number=f"PO-DEMO-{index:03d}")
        if index % 8 == 1:
            purchase_order_add(partnership=partnership, by=dinas, value_idr=Decimal(120_000_000),
                               order_date=day + dt.timedelta(days=50), number=f"PO-DEMO-{index:03d}B")
    return event
