"""Reading events, already joined for the page that needs them."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from profiles.models import User
from profiles.selectors import region_scope_q

from .enums import (
    EventStatus,
    MeetingStatus,
    OutcomeResult,
    ParticipantKind,
    RegistrationStatus,
    RequestStatus,
)
from .models import Event, Meeting, MeetingRequest, Outcome, Registration, Slot

REGISTRATION_JOINS = ("ikm__owner", "ikm__kabupaten", "buyer", "event")


def events_for(user: User) -> QuerySet[Event]:
    """Events a person sees in the list: Dinas their region's (drafts included), everyone else the public ones."""
    events = Event.objects.select_related("kabupaten").annotate(
        registration_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.APPROVED)))
    if user.is_authenticated and user.is_dinas_staff:
        return events.filter(region_scope_q(user))
    return events.exclude(status=EventStatus.DRAFT)


def registrations_of(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related(*REGISTRATION_JOINS).order_by("kind", "status", "pk")


def registrations_acted_for(user: User, event: Event) -> list[Registration]:
    """The registrations a person acts for at an event: their IKMs', or their buyer organisation's."""
    if not user.is_authenticated:
        return []
    if user.is_buyer_staff:
        query = Q(buyer_id=user.buyer_organisation_id)
    elif user.is_ikm_owner:
        query = Q(ikm__owner=user)
    else:
        return []
    return list(registrations_of(event).filter(query))


@dataclass
class Counterpart:
    registration: Registration
    request: MeetingRequest | None
    suggested: bool


def counterparts_for(registration: Registration) -> list[Counterpart]:
    """Approved participants on the other side, with the request between us (if any); suggested first."""
    others = list(registrations_of(registration.event).filter(status=RegistrationStatus.APPROVED).exclude(
        kind=registration.kind))
    requests = MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration))
    by_other = {(r.recipient_id if r.requester_id == registration.pk else r.requester_id): r for r in requests}
    suggested = suggested_counterpart_ids(registration, [o.pk for o in others])
    rows = [Counterpart(o, by_other.get(o.pk), o.pk in suggested) for o in others]
    rank = {pk: i for i, pk in enumerate(suggested)}
    rows.sort(key=lambda row: (rank.get(row.registration.pk, len(rank)), row.registration.name))
    return rows


def suggested_counterpart_ids(registration: Registration, candidate_ids: list[int]) -> list[int]:
    """Registrations the matching engine ranks best for this participant, best first (empty without
    matchmaking suggestions): for an IKM, buyers whose needs it is suggested for; for a buyer, the IKMs
    suggested for its needs."""
    from matchmaking.models import Suggestion

    candidates = Registration.objects.filter(pk__in=candidate_ids)
    if registration.kind == ParticipantKind.IKM:
        rows = (Suggestion.objects.filter(ikm_id=registration.ikm_id)
                .values_list("need__buyer_id", "score").order_by("-score"))
        best: dict[int, float] = {}
        for buyer_id, score in rows:
            best.setdefault(buyer_id, score)
        by_buyer = dict(candidates.filter(buyer_id__in=best).values_list("buyer_id", "pk"))
        return [by_buyer[b] for b in best if b in by_buyer]
    rows = (Suggestion.objects.filter(need__buyer_id=registration.buyer_id)
            .values_list("ikm_id", "score").order_by("-score"))
    best = {}
    for ikm_id, score in rows:
        best.setdefault(ikm_id, score)
    by_ikm = dict(candidates.filter(ikm_id__in=best).values_list("ikm_id", "pk"))
    return [by_ikm[i] for i in best if i in by_ikm]


def requests_of(event: Event) -> QuerySet[MeetingRequest]:
    return (MeetingRequest.objects.filter(event=event)
            .select_related("requester__ikm", "requester__buyer", "recipient__ikm", "recipient__buyer")
            .order_by("status", "created_at"))


def meetings_of(event: Event) -> QuerySet[Meeting]:
    return (Meeting.objects.filter(event=event)
            .select_related("request__requester__ikm", "request__requester__buyer",
                            "request__recipient__ikm", "request__recipient__buyer")
            .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.all()))
            .order_by("slot", "table"))


@dataclass
class AgendaRow:
    slot: Slot
    meeting: Meeting
    counterpart: Registration


def agenda_for(registration: Registration) -> list[AgendaRow]:
    """A participant's meetings in time order, each with its slot's times and the other side."""
    slots = registration.event.slots()
    meetings = meetings_of(registration.event).filter(
        Q(request__requester=registration) | Q(request__recipient=registration))
    rows = []
    for meeting in meetings:
        if meeting.slot >= len(slots):
            continue
        other = (meeting.request.recipient if meeting.request.requester_id == registration.pk
                 else meeting.request.requester)
        rows.append(AgendaRow(slots[meeting.slot], meeting, other))
    return rows


def latest_run(event: Event):
    return event.schedule_runs.select_related("requested_by").first()


def current_slot(event: Event, now=None) -> Slot | None:
    now = now or timezone.now()
    return next((s for s in event.slots() if s.start <= now < s.end), None)


def pending_reminder_requests(*, now, every_days: int) -> QuerySet[MeetingRequest]:
    """Pending requests of events still taking requests, not reminded in the last `every_days` days."""
    cutoff = now - timezone.timedelta(days=every_days)
    return (MeetingRequest.objects.filter(
        status=RequestStatus.PENDING, event__status=EventStatus.REGISTRATION_OPEN,
        event__registration_closes__gt=now, created_at__lte=cutoff)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff)))


def event_report(event: Event) -> dict:
    """Counts for the event report, aggregated in the database."""
    registrations = event.registrations.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(status=RegistrationStatus.APPROVED)),
        ikms=Count("pk", filter=Q(status=RegistrationStatus.APPROVED, kind=ParticipantKind.IKM)),
        buyers=Count("pk", filter=Q(status=RegistrationStatus.APPROVED, kind=ParticipantKind.BUYER)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    requests = event.meeting_requests.aggregate(
        total=Count("pk"),
        accepted=Count("pk", filter=Q(status=RequestStatus.ACCEPTED)),
        declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
        pending=Count("pk", filter=Q(status=RequestStatus.PENDING)),
    )
    meetings = event.meetings.aggregate(
        scheduled=Count("pk", filter=~Q(status=MeetingStatus.CANCELLED)),
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        no_show=Count("pk", filter=Q(status=MeetingStatus.NO_SHOW)),
        cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
    )
    outcomes = dict(Outcome.objects.filter(meeting__event=event).values_list("result").annotate(n=Count("pk"))
                    .values_list("result", "n"))
    per_buyer = list(
        event.registrations.filter(kind=ParticipantKind.BUYER, status=RegistrationStatus.APPROVED)
        .values("buyer__name")
        .annotate(
            meetings=_meeting_count(),
            held=_meeting_count(status=MeetingStatus.HELD),
            no_show=_meeting_count(status=MeetingStatus.NO_SHOW),
        ).order_by("buyer__name"))
    per_kabupaten = list(
        event.registrations.filter(kind=ParticipantKind.IKM, status=RegistrationStatus.APPROVED)
        .values("ikm__kabupaten__name")
        .annotate(ikms=Count("pk", distinct=True), meetings=_meeting_count(),
                  held=_meeting_count(status=MeetingStatus.HELD))
        .order_by("ikm__kabupaten__name"))
    outcome_rows = [(label, outcomes.get(value, 0)) for value, label in OutcomeResult.choices]
    return {"registrations": registrations, "requests": requests, "meetings": meetings, "outcomes": outcomes,
            "outcome_rows": outcome_rows,
            "per_buyer": per_buyer, "per_kabupaten": per_kabupaten}


def _meeting_count(status: str | None = None):
    made = Q(requests_made__meeting__isnull=False) & ~Q(requests_made__meeting__status=MeetingStatus.CANCELLED)
    received = Q(requests_received__meeting__isnull=False) & ~Q(
        requests_received__meeting__status=MeetingStatus.CANCELLED)
    if status:
        made = Q(requests_made__meeting__status=status)
        received = Q(requests_received__meeting__status=status)
    return Count("requests_made__meeting", filter=made, distinct=True) + Count(
        "requests_received__meeting", filter=received, distinct=True)
