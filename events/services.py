"""Writing events: the life cycle, registrations, meeting requests, the scheduler adapter, the day itself.

Every state change records who and when, runs in one transaction, and raises EventError (a translated
message for the person) when it cannot be done. Background work is sent with `outbox_enqueue`, so it
leaves only once the transaction has committed.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ikmportal.outbox.services import outbox_enqueue
from matchmaking.dashboard.freshness import dashboard_figures_changed
from matchmaking.partnerships.services import partnership_open_from_outcome
from profiles.models import BuyerOrganisation, IkmProfile, User

from .enums import (
    EVENT_TRANSITIONS,
    FOLLOW_UP_RESULTS,
    PRIORITY_WEIGHT,
    EventStatus,
    MeetingStatus,
    OutcomeResult,
    ParticipantKind,
    PartOfDay,
    Priority,
    RegistrationStatus,
    RequestStatus,
    ScheduleRunStatus,
)
from .models import (
    Event,
    EventStatusChange,
    Meeting,
    MeetingRequest,
    Outcome,
    Registration,
    ScheduleRun,
)
from .rules import acts_for, manages_event
from .scheduling import Instance, InstanceError, Participant, Request, check_schedule, instance_to_dict, solve
from .scheduling import Meeting as PlannedMeeting

logger = logging.getLogger(__name__)

EVENT_M2M = ("eligible_kabupaten", "eligible_process_groups")


class EventError(Exception):
    """An event action that cannot be done; the message is translated and shown to the person."""


def _require_manager(event: Event, by: User) -> None:
    if not manages_event(by, event):
        raise EventError(_("This event is outside your region."))


# --- Events -------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, by: User, **fields) -> Event:
    """Create a draft event organised by a Dinas user; its kabupaten must be in the user's region.

    Side effects: one Event row, its eligibility links, one status record.
    """
    if not by.is_dinas_staff:
        raise EventError(_("Only Dinas staff organise events."))
    m2m = {name: fields.pop(name, None) for name in EVENT_M2M}
    event = Event(created_by=by, status=EventStatus.DRAFT, status_changed_at=timezone.now(),
                  status_changed_by=by, **fields)
    _require_manager(event, by)
    event.full_clean()
    event.save()
    for name, values in m2m.items():
        if values is not None:
            getattr(event, name).set(values)
    EventStatusChange.objects.create(event=event, from_status=EventStatus.DRAFT, to_status=EventStatus.DRAFT, by=by)
    return event


# Fields that define the slots: availability and meetings are stored by slot number, so these cannot
# change once meetings exist (the numbers would point at other times).
SLOT_FIELDS = ("start_date", "end_date", "meeting_minutes", "session_start", "session_end", "breaks")


@transaction.atomic
def event_update(*, event: Event, by: User, **fields) -> Event:
    """Change an event's details (not its status). Side effects: the Event row and its links.

    Raises EventError when the times would change under meetings already scheduled.
    """
    _require_manager(event, by)
    m2m = {name: fields.pop(name, None) for name in EVENT_M2M}
    stored = Event.objects.get(pk=event.pk)
    if any(name in fields and fields[name] != getattr(stored, name) for name in SLOT_FIELDS) \
            and stored.meetings.exists():
        raise EventError(_("Meetings are already scheduled: the dates, times and breaks can no longer change."))
    for name, value in fields.items():
        setattr(event, name, value)
    _require_manager(event, by)  # the new kabupaten must be in the region too
    event.full_clean()
    event.save()
    for name, values in m2m.items():
        if values is not None:
            getattr(event, name).set(values)
    return event


@transaction.atomic
def event_status_set(*, event: Event, by: User, status: str) -> Event:
    """Move an event along its life cycle (EVENT_TRANSITIONS) and record who and when.

    Publishing needs a finished schedule run and e-mails every approved participant (after commit).
    """
    _require_manager(event, by)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if status not in EVENT_TRANSITIONS.get(locked.status, ()):
        raise EventError(_("An event cannot go from “%(from)s” to “%(to)s”.") % {
            "from": locked.get_status_display(), "to": EventStatus(status).label if status in EventStatus.values
            else status})
    if status == EventStatus.PUBLISHED:
        if not locked.meetings.exists():
            raise EventError(_("Run the scheduler before publishing: there are no meetings yet."))
        locked.published_at = timezone.now()
    EventStatusChange.objects.create(event=locked, from_status=locked.status, to_status=status, by=by)
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.status_changed_by = by
    locked.save(update_fields=["status", "status_changed_at", "status_changed_by", "published_at"])
    if status == EventStatus.PUBLISHED:
        outbox_enqueue("events.schedule_published_notify", args=[locked.pk])
    event.status, event.published_at = locked.status, locked.published_at
    return locked


# --- Registrations ------------------------------------------------------------------------------------


def ikm_eligible(event: Event, ikm: IkmProfile) -> bool:
    """Whether an IKM's region and processes are among those the event invites (empty lists: all)."""
    kabupaten_ids = {k.pk for k in event.eligible_kabupaten.all()}
    if kabupaten_ids and ikm.kabupaten_id not in kabupaten_ids:
        return False
    group_ids = {g.pk for g in event.eligible_process_groups.all()}
    return not group_ids or ikm.processes.filter(group_id__in=group_ids).exists()


@transaction.atomic
def registration_create(*, event: Event, by: User, ikm: IkmProfile | None = None,
                        buyer: BuyerOrganisation | None = None, seats: int = 1) -> Registration:
    """Register an IKM (by its owner or, on its behalf, by Dinas) or a buyer organisation (by its staff).

    Registrations by Dinas are approved at once; the others wait for a decision. Side effects: one row.
    """
    on_behalf = manages_event(by, event)
    if (ikm is None) == (buyer is None):
        raise EventError(_("Register either an IKM or a buyer organisation."))
    if ikm is not None:
        if not on_behalf and ikm.owner_id != by.pk:
            raise EventError(_("You can only register your own business."))
        if not ikm_eligible(event, ikm):
            raise EventError(_("This event is for IKMs from other regions or with other processes."))
        seats = 1
    elif not on_behalf and by.buyer_organisation_id != buyer.pk:
        raise EventError(_("You can only register your own organisation."))
    if on_behalf:
        if event.status in (EventStatus.PUBLISHED, EventStatus.FINISHED):
            raise EventError(_("The schedule is already published."))
    elif not event.is_registration_open:
        raise EventError(_("Registration for this event is closed."))
    if not 1 <= int(seats) <= 20:
        raise EventError(_("A buyer sends between 1 and 20 representatives in parallel."))
    exists = Registration.objects.filter(event=event, ikm=ikm) if ikm else Registration.objects.filter(
        event=event, buyer=buyer)
    if exists.exists():
        raise EventError(_("Already registered for this event."))
    now = timezone.now()
    registration = Registration.objects.create(
        event=event, kind=ParticipantKind.IKM if ikm else ParticipantKind.BUYER, ikm=ikm, buyer=buyer,
        seats=seats, registered_by=by, registered_at=now,
        status=RegistrationStatus.APPROVED if on_behalf else RegistrationStatus.PENDING,
        decided_by=by if on_behalf else None, decided_at=now if on_behalf else None,
    )
    return registration


@transaction.atomic
def registration_decide(*, registration: Registration, by: User, approve: bool) -> Registration:
    """Approve or decline a registration; the participant is e-mailed the decision after commit."""
    _require_manager(registration.event, by)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    status = RegistrationStatus.APPROVED if approve else RegistrationStatus.DECLINED
    if locked.status == status:
        return locked
    if locked.status == RegistrationStatus.CANCELLED:
        raise EventError(_("This registration was cancelled."))
    locked.status, locked.decided_by, locked.decided_at = status, by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    outbox_enqueue("events.registration_decision_notify", args=[locked.pk])
    registration.status = locked.status
    return locked


@transaction.atomic
def registration_availability_set(*, registration: Registration, by: User, unavailable: Iterable[int]) -> None:
    """Record the slots a participant cannot attend (indexes of `event.slots()`)."""
    event = registration.event
    if not (acts_for(by, registration) or manages_event(by, event)):
        raise EventError(_("You cannot change this registration."))
    if event.status in (EventStatus.PUBLISHED, EventStatus.FINISHED):
        raise EventError(_("The schedule is published; ask the organiser to change your availability."))
    count = len(event.slots())
    slots = sorted({int(s) for s in unavailable})
    if any(not 0 <= s < count for s in slots):
        raise EventError(_("Unknown time slot."))
    registration.unavailable_slots = slots
    registration.save(update_fields=["unavailable_slots"])


# --- Meeting requests ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(*, requester: Registration, recipient: Registration, by: User,
                           priority: str = Priority.WANT, part_of_day: str = PartOfDay.ANY) -> MeetingRequest:
    """One participant asks another (of the other side, approved for the same event) for a meeting.

    Refused after the deadline, twice for the same pair, or when either side is not an approved participant.
    Side effects: one MeetingRequest; after commit, an e-mail to the recipient.
    """
    event = requester.event
    if not acts_for(by, requester) and not manages_event(by, event):
        raise EventError(_("You cannot request meetings for this participant."))
    if recipient.event_id != event.pk or recipient.status != RegistrationStatus.APPROVED:
        raise EventError(_("You can only request meetings with approved participants of this event."))
    if requester.status != RegistrationStatus.APPROVED:
        raise EventError(_("Your registration has not been approved yet."))
    if requester.kind == recipient.kind:
        raise EventError(_("Meetings are between an IKM and a buyer."))
    if not event.requests_open:
        raise EventError(_("The deadline for meeting requests has passed."))
    if priority not in Priority.values or part_of_day not in PartOfDay.values:
        raise EventError(_("Choose a priority and a time of day from the list."))
    if MeetingRequest.objects.filter(requester__in=[requester, recipient], recipient__in=[requester, recipient]).exists():
        raise EventError(_("There is already a request between you and %(name)s.") % {"name": recipient.name})
    meeting_request = MeetingRequest.objects.create(
        event=event, requester=requester, recipient=recipient, priority=priority, part_of_day=part_of_day,
        created_by=by)
    outbox_enqueue("events.meeting_request_notify", args=[meeting_request.pk])
    return meeting_request


@transaction.atomic
def meeting_request_answer(*, meeting_request: MeetingRequest, by: User, accept: bool) -> MeetingRequest:
    """The recipient (or the organiser) accepts or declines a pending request; records who and when."""
    if not acts_for(by, meeting_request.recipient) and not manages_event(by, meeting_request.event):
        raise EventError(_("Only the invited participant can answer this request."))
    locked = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if locked.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED, RequestStatus.DECLINED):
        raise EventError(_("This request was cancelled."))
    if meeting_request.event.status in (EventStatus.PUBLISHED, EventStatus.FINISHED):
        raise EventError(_("The schedule is published; requests can no longer change."))
    locked.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.save(update_fields=["status", "answered_by", "answered_at"])
    meeting_request.status = locked.status
    return locked


@transaction.atomic
def meeting_request_withdraw(*, meeting_request: MeetingRequest, by: User) -> MeetingRequest:
    """The requester (or the organiser) withdraws a request that has no meeting yet.

    Once the schedule has placed it, the meeting itself is cancelled instead (which frees the slot).
    """
    if not acts_for(by, meeting_request.requester) and not manages_event(by, meeting_request.event):
        raise EventError(_("Only the participant who asked can withdraw this request."))
    locked = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if locked.status == RequestStatus.CANCELLED:
        return locked
    if Meeting.objects.filter(request=locked).exclude(status=MeetingStatus.CANCELLED).exists():
        raise EventError(_("This meeting is already scheduled: cancel the meeting instead."))
    locked.status = RequestStatus.CANCELLED
    locked.answered_by, locked.answered_at = by, timezone.now()
    locked.save(update_fields=["status", "answered_by", "answered_at"])
    meeting_request.status = locked.status
    return locked


@transaction.atomic
def meeting_add_by_dinas(*, ikm_registration: Registration, buyer_registration: Registration, by: User,
                         priority: str = Priority.MUST) -> MeetingRequest:
    """Dinas adds a meeting it thinks matters: an accepted request, whatever the deadline."""
    event = ikm_registration.event
    _require_manager(event, by)
    if (ikm_registration.kind, buyer_registration.kind) != (ParticipantKind.IKM, ParticipantKind.BUYER) or \
            buyer_registration.event_id != event.pk:
        raise EventError(_("Choose one IKM and one buyer of this event."))
    if not (ikm_registration.is_approved and buyer_registration.is_approved):
        raise EventError(_("Both participants must be approved first."))
    if priority not in Priority.values:
        raise EventError(_("Choose a priority from the list."))
    pair = [ikm_registration, buyer_registration]
    existing = MeetingRequest.objects.select_for_update().filter(requester__in=pair, recipient__in=pair).first()
    now = timezone.now()
    if existing is not None:
        existing.status, existing.priority, existing.added_by_dinas = RequestStatus.ACCEPTED, priority, True
        existing.answered_by, existing.answered_at = by, now
        existing.save(update_fields=["status", "priority", "added_by_dinas", "answered_by", "answered_at"])
        return existing
    return MeetingRequest.objects.create(
        event=event, requester=buyer_registration, recipient=ikm_registration, priority=priority,
        status=RequestStatus.ACCEPTED, added_by_dinas=True, created_by=by, answered_by=by, answered_at=now)


# --- Scheduling ---------------------------------------------------------------------------------------


def schedule_inputs(event: Event) -> tuple[Instance, dict[frozenset, int]]:
    """The pure solver's instance for an event, and which MeetingRequest each pair stands for.

    Approved participants with their seats and availability; accepted requests between them, weighted by
    priority and limited by part of day; meetings Dinas locked (and meetings already held or missed)
    stay where they are.
    """
    slot_count = len(event.slots())
    every = frozenset(range(slot_count))
    registrations = list(event.registrations.filter(status=RegistrationStatus.APPROVED).order_by("pk"))
    participants = tuple(
        Participant(id=r.solver_id, side=r.kind, seats=r.seats,
                    available=every - {s for s in r.unavailable_slots if isinstance(s, int)})
        for r in registrations
    )
    approved = {r.pk for r in registrations}
    part_slots = {part: event.slot_indexes(part) for part in PartOfDay.values}
    requests, request_of_pair, locked = [], {}, []
    accepted = (MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
                .select_related("meeting").order_by("pk"))
    for meeting_request in accepted:
        if meeting_request.requester_id not in approved or meeting_request.recipient_id not in approved:
            continue
        a, b = f"r{meeting_request.requester_id}", f"r{meeting_request.recipient_id}"
        requests.append(Request(a=a, b=b, weight=PRIORITY_WEIGHT[meeting_request.priority],
                                slots=part_slots[meeting_request.part_of_day]))
        request_of_pair[frozenset((a, b))] = meeting_request.pk
        meeting = getattr(meeting_request, "meeting", None)
        if meeting is not None and (meeting.locked or meeting.status in (MeetingStatus.HELD, MeetingStatus.NO_SHOW)):
            locked.append(PlannedMeeting(a=a, b=b, slot=meeting.slot, table=meeting.table))
    instance = Instance(slots=max(slot_count, 1), tables=event.tables, participants=participants,
                        requests=tuple(requests), locked=tuple(locked))
    return instance, request_of_pair


@transaction.atomic
def schedule_run_request(*, event: Event, by: User, seconds: int = 10) -> ScheduleRun:
    """Ask the worker to (re-)schedule an event; returns the queued run. Side effects: a ScheduleRun row;
    after commit, the `events.schedule_solve` task."""
    _require_manager(event, by)
    if event.status not in (EventStatus.SCHEDULING, EventStatus.PUBLISHED):
        raise EventError(_("Close registration (status “Scheduling”) before running the scheduler."))
    if not 1 <= int(seconds) <= 600:
        raise EventError(_("Give the scheduler between 1 and 600 seconds."))
    run = ScheduleRun.objects.create(event=event, requested_by=by, seconds_budget=int(seconds))
    outbox_enqueue("events.schedule_solve", args=[run.pk])
    return run


def schedule_solve(*, run_id: int) -> ScheduleRun | None:
    """Run the pure solver for a queued run and write its meetings in one transaction.

    Safe to run twice: only a queued run is claimed. Every schedule is checked by the independent
    validator before anything is written; if the event's inputs changed while solving, nothing is written
    and the run fails with a message asking to run again. Meetings keep their `sequence` when they stay in
    place and get the next one when they move, so calendar files replace themselves.
    """
    claimed = ScheduleRun.objects.filter(pk=run_id, status=ScheduleRunStatus.QUEUED).update(
        status=ScheduleRunStatus.RUNNING)
    if not claimed:
        logger.info("schedule run %s: not queued, nothing to do", run_id)
        return None
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    event = run.event
    try:
        instance, request_of_pair = schedule_inputs(event)
        schedule = solve(instance, seconds=run.seconds_budget)
    except InstanceError as exc:
        return _run_failed(run, _("The event cannot be scheduled as it is: %(problem)s") % {"problem": exc})
    check = check_schedule(instance, schedule)
    if not check.is_valid:
        logger.error("schedule run %s: invalid schedule: %s", run_id, check.violations)
        return _run_failed(run, _("The scheduler produced an invalid schedule; nothing was written."))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        again, _pairs = schedule_inputs(event)
        if instance_to_dict(again) != instance_to_dict(instance):
            return _run_failed(run, _("Registrations or requests changed while scheduling; run it again."))
        locked_pairs = {m.pair for m in instance.locked}
        previous = {m.request_id: m for m in Meeting.objects.filter(event=event)}
        Meeting.objects.filter(event=event, locked=False, status=MeetingStatus.SCHEDULED).delete()
        Meeting.objects.filter(event=event, status=MeetingStatus.SCHEDULED).exclude(
            request_id__in=request_of_pair.values()).delete()
        # A request cancelled late and then added again by Dinas gets a fresh placement.
        Meeting.objects.filter(event=event, status=MeetingStatus.CANCELLED,
                               request_id__in=request_of_pair.values()).delete()
        new = []
        for planned in schedule.meetings:
            if planned.pair in locked_pairs:
                continue
            request_id = request_of_pair[planned.pair]
            old = previous.get(request_id)
            sequence = 0 if old is None else old.sequence + (old.slot != planned.slot or old.table != planned.table)
            new.append(Meeting(event=event, request_id=request_id, slot=planned.slot, table=planned.table,
                               sequence=sequence))
        Meeting.objects.bulk_create(new)
        run.status = ScheduleRunStatus.DONE
        run.finished_at = timezone.now()
        run.objective, run.upper_bound = schedule.objective, schedule.upper_bound
        run.breaks, run.seconds, run.meetings = schedule.breaks, schedule.seconds, len(schedule.meetings)
        run.unscheduled = [{"request": request_of_pair[u.request.pair], "reason": u.reason}
                           for u in schedule.unscheduled]
        run.save()
    return run


def _run_failed(run: ScheduleRun, message: str) -> ScheduleRun:
    run.status, run.message, run.finished_at = ScheduleRunStatus.FAILED, str(message), timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


@transaction.atomic
def meeting_lock_set(*, meeting: Meeting, by: User, locked: bool, slot: int | None = None,
                     table: int | None = None) -> Meeting:
    """Lock a meeting where it is (or move it to `slot`/`table` and lock it); re-runs leave it there."""
    event = meeting.event
    _require_manager(event, by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if slot is not None or table is not None:
        slot = meeting.slot if slot is None else int(slot)
        table = meeting.table if table is None else int(table)
        if not 0 <= slot < len(event.slots()) or not 0 <= table < event.tables:
            raise EventError(_("There is no such slot or table."))
        taken = Meeting.objects.filter(event=event, slot=slot, table=table).exclude(pk=meeting.pk).exclude(
            status=MeetingStatus.CANCELLED)
        if taken.exists():
            raise EventError(_("That table is already taken in that slot."))
        request = meeting.request
        busy = Meeting.objects.filter(event=event, slot=slot).exclude(pk=meeting.pk).exclude(
            status=MeetingStatus.CANCELLED)
        for side in (request.requester, request.recipient):
            count = busy.filter(models_q_side(side)).count()
            if count >= side.seats:
                raise EventError(_("%(name)s already has a meeting in that slot.") % {"name": side.name})
            if slot in side.unavailable_slots:
                raise EventError(_("%(name)s is not available in that slot.") % {"name": side.name})
        if (slot, table) != (meeting.slot, meeting.table):
            meeting.slot, meeting.table, meeting.sequence = slot, table, meeting.sequence + 1
    meeting.locked = locked
    meeting.status_changed_at, meeting.status_changed_by = timezone.now(), by
    meeting.save()
    return meeting


def models_q_side(registration: Registration) -> Q:
    return Q(request__requester=registration) | Q(request__recipient=registration)


# --- The day ------------------------------------------------------------------------------------------


@transaction.atomic
def registration_check_in(*, registration: Registration, by: User) -> Registration:
    """Mark a participant present (from the QR scan or the name search). Safe to repeat."""
    _require_manager(registration.event, by)
    if registration.status != RegistrationStatus.APPROVED:
        raise EventError(_("%(name)s is not an approved participant.") % {"name": registration.name})
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.checked_in_at is None:
        locked.checked_in_at, locked.checked_in_by = timezone.now(), by
        locked.save(update_fields=["checked_in_at", "checked_in_by"])
    registration.checked_in_at = locked.checked_in_at
    return locked


@transaction.atomic
def meeting_status_set(*, meeting: Meeting, by: User, status: str) -> Meeting:
    """Mark a meeting held, a no-show, or cancelled (a late cancellation frees its slot and table:
    the request is cancelled too, so a re-run does not place it again)."""
    if status not in MeetingStatus.values:
        raise EventError(_("Unknown meeting status."))
    is_manager = manages_event(by, meeting.event)
    takes_part = acts_for(by, meeting.request.requester) or acts_for(by, meeting.request.recipient)
    if not is_manager and not (takes_part and status == MeetingStatus.CANCELLED):
        raise EventError(_("You cannot change this meeting."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status == MeetingStatus.CANCELLED and status != MeetingStatus.CANCELLED:
        raise EventError(_("This meeting was cancelled."))
    if status == MeetingStatus.CANCELLED and locked.status != MeetingStatus.CANCELLED:
        locked.sequence += 1
        MeetingRequest.objects.filter(pk=locked.request_id).update(status=RequestStatus.CANCELLED)
    locked.status, locked.status_changed_at, locked.status_changed_by = status, timezone.now(), by
    locked.save(update_fields=["status", "sequence", "status_changed_at", "status_changed_by"])
    meeting.status = locked.status
    return locked


@transaction.atomic
def outcome_record(*, meeting: Meeting, by: User, result: str, notes: str = "") -> Outcome:
    """One side records what came of a meeting (replacing its earlier answer)."""
    request = meeting.request
    if acts_for(by, request.requester):
        side = request.requester.kind
    elif acts_for(by, request.recipient):
        side = request.recipient.kind
    else:
        raise EventError(_("Only the two sides of a meeting record its outcome."))
    if result not in OutcomeResult.values:
        raise EventError(_("Choose an outcome from the list."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise EventError(_("This meeting was cancelled."))
    slot = next((s for s in meeting.event.slots() if s.index == meeting.slot), None)
    if slot is not None and slot.start > timezone.now():
        raise EventError(_("Record the outcome after the meeting has started."))
    outcome, _created = Outcome.objects.update_or_create(
        meeting=meeting, side=side,
        defaults={"result": result, "notes": notes.strip(), "recorded_by": by, "recorded_at": timezone.now()})
    # Either side's follow-up or better counts (kept on the meeting for the dashboard's funnel).
    changes = {"followed_up": meeting.outcomes.filter(result__in=FOLLOW_UP_RESULTS).exists()}
    if meeting.status == MeetingStatus.SCHEDULED:
        changes.update(status=MeetingStatus.HELD, status_changed_at=timezone.now(), status_changed_by=by)
    Meeting.objects.filter(pk=meeting.pk).update(**changes)
    partnership_open_from_outcome(outcome)
    dashboard_figures_changed()
    return outcome
