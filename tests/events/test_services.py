import datetime

import pytest
from django.utils import timezone

from events.enums import EventStatus, MeetingStatus, RegistrationStatus, RequestStatus, ScheduleRunStatus
from events.models import Event, Meeting, MeetingRequest, Registration
from events.scheduling import Meeting as PlannedMeeting
from events.scheduling import check_meetings
from events.services import (
    EventError,
    event_create,
    event_status_set,
    meeting_add_by_dinas,
    meeting_lock_set,
    meeting_request_answer,
    meeting_request_create,
    meeting_status_set,
    outcome_record,
    registration_check_in,
    registration_create,
    registration_decide,
    schedule_inputs,
    schedule_run_request,
    schedule_solve,
)
from ikmportal.outbox.models import OutboxMessage
from tests.factories import (
    BuyerRegistrationFactory,
    DinasStaffFactory,
    IkmProfileFactory,
    IkmRegistrationFactory,
    kabupaten,
)

pytestmark = pytest.mark.django_db


def _accepted(event, ikm_reg, buyer_reg, priority="want", part_of_day="any"):
    return MeetingRequest.objects.create(event=event, requester=buyer_reg, recipient=ikm_reg, priority=priority,
                                         part_of_day=part_of_day, status=RequestStatus.ACCEPTED)


def _solve(event, by, seconds=1):
    event.status = EventStatus.SCHEDULING
    event.save()
    run = schedule_run_request(event=event, by=by, seconds=seconds)
    # Under the test broker the task is queued, not run: run it here as the worker would.
    return schedule_solve(run_id=run.pk) or run.__class__.objects.get(pk=run.pk)


def _check_written(event):
    """Check what is in the database, meeting rows alone, with the independent validator."""
    instance, request_of_pair = schedule_inputs(event)
    pair_of_request = {pk: pair for pair, pk in request_of_pair.items()}
    planned = []
    for meeting in Meeting.objects.filter(event=event).exclude(status=MeetingStatus.CANCELLED):
        a, b = sorted(pair_of_request[meeting.request_id])
        planned.append(PlannedMeeting(a=a, b=b, slot=meeting.slot, table=meeting.table))
    return check_meetings(instance, planned)


def test_event_create_by_dinas_outside_region_refused(db):
    dinas = DinasStaffFactory(scope_kabupaten=kabupaten("Kota Surabaya"))
    with pytest.raises(EventError):
        event_create(by=dinas, title="X", organiser="Dinas", kabupaten=kabupaten("Kabupaten Tegal"), venue="V",
                     start_date=timezone.localdate(), end_date=timezone.localdate(),
                     registration_opens=timezone.now(), registration_closes=timezone.now() + timezone.timedelta(days=1))


def test_event_create_by_dinas_in_region_is_draft(dinas_tegal):
    event = event_create(by=dinas_tegal, title="Temu", organiser="Dinas", kabupaten=kabupaten("Kabupaten Tegal"),
                         venue="V", start_date=timezone.localdate(), end_date=timezone.localdate(),
                         registration_opens=timezone.now(),
                         registration_closes=timezone.now() + timezone.timedelta(days=1), breaks=[["10:00", "10:30"]])
    assert event.status == EventStatus.DRAFT
    assert event.created_by == dinas_tegal
    # 9:00-16:00 in 20-minute slots, with 10:00-10:30 taken out
    assert all(not (s.start.hour == 10 and s.start.minute < 30) for s in event.slots())


def test_event_status_set_records_who_and_refuses_skipping(event, dinas_tegal):
    with pytest.raises(EventError):
        event_status_set(event=event, by=dinas_tegal, status=EventStatus.PUBLISHED)
    event_status_set(event=event, by=dinas_tegal, status=EventStatus.SCHEDULING)
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULING and event.status_changed_by == dinas_tegal
    assert event.status_changes.get().to_status == EventStatus.SCHEDULING


def test_registration_by_owner_waits_and_decision_is_recorded(event, ikm, ikm_owner, dinas_tegal):
    registration = registration_create(event=event, by=ikm_owner, ikm=ikm)
    assert registration.status == RegistrationStatus.PENDING
    registration_decide(registration=registration, by=dinas_tegal, approve=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED and registration.decided_by == dinas_tegal
    assert OutboxMessage.objects.filter(task_name="events.registration_decision_notify",
                                        args=[registration.pk]).exists()


def test_registration_of_someone_elses_ikm_refused(event, ikm):
    with pytest.raises(EventError):
        registration_create(event=event, by=IkmProfileFactory().owner, ikm=ikm)


def test_registration_on_behalf_by_dinas_is_approved(event, ikm, dinas_tegal):
    registration = registration_create(event=event, by=dinas_tegal, ikm=ikm)
    assert registration.status == RegistrationStatus.APPROVED


def test_registration_twice_refused(event, ikm, ikm_owner):
    registration_create(event=event, by=ikm_owner, ikm=ikm)
    with pytest.raises(EventError):
        registration_create(event=event, by=ikm_owner, ikm=ikm)


def test_registration_outside_eligible_regions_refused(event, ikm, ikm_owner):
    event.eligible_kabupaten.set([kabupaten("Kota Surabaya")])
    with pytest.raises(EventError):
        registration_create(event=event, by=ikm_owner, ikm=ikm)


def test_registration_after_deadline_refused(event, ikm, ikm_owner):
    Event.objects.filter(pk=event.pk).update(registration_closes=timezone.now() - timezone.timedelta(minutes=1))
    event.refresh_from_db()
    with pytest.raises(EventError):
        registration_create(event=event, by=ikm_owner, ikm=ikm)


def test_request_to_unregistered_participant_refused(event, buyer_registration, buyer_staff):
    pending = IkmRegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    with pytest.raises(EventError):
        meeting_request_create(requester=buyer_registration, recipient=pending, by=buyer_staff)
    elsewhere = IkmRegistrationFactory()  # approved, but for another event
    with pytest.raises(EventError):
        meeting_request_create(requester=buyer_registration, recipient=elsewhere, by=buyer_staff)
    assert not MeetingRequest.objects.exists()


def test_request_twice_or_reversed_refused(ikm_registration, buyer_registration, buyer_staff, ikm_owner):
    meeting_request_create(requester=buyer_registration, recipient=ikm_registration, by=buyer_staff)
    with pytest.raises(EventError):
        meeting_request_create(requester=ikm_registration, recipient=buyer_registration, by=ikm_owner)


def test_request_for_someone_else_refused(ikm_registration, buyer_registration, other_buyer_staff):
    with pytest.raises(EventError):
        meeting_request_create(requester=buyer_registration, recipient=ikm_registration, by=other_buyer_staff)


def test_request_answered_only_by_recipient(ikm_registration, buyer_registration, buyer_staff, ikm_owner):
    meeting_request = meeting_request_create(requester=buyer_registration, recipient=ikm_registration,
                                             by=buyer_staff, priority="must", part_of_day="morning")
    with pytest.raises(EventError):
        meeting_request_answer(meeting_request=meeting_request, by=buyer_staff, accept=True)
    meeting_request_answer(meeting_request=meeting_request, by=ikm_owner, accept=True)
    meeting_request.refresh_from_db()
    assert meeting_request.status == RequestStatus.ACCEPTED and meeting_request.answered_by == ikm_owner


def test_schedule_written_by_solver_passes_the_validator(event, dinas_tegal):
    ikms = [IkmRegistrationFactory(event=event) for _ in range(5)]
    buyers = [BuyerRegistrationFactory(event=event, seats=2), BuyerRegistrationFactory(event=event)]
    ikms[0].unavailable_slots = [0, 1, 2]
    ikms[0].save()
    for i, ikm_reg in enumerate(ikms):
        for j, buyer_reg in enumerate(buyers):
            if (i + j) % 3:
                _accepted(event, ikm_reg, buyer_reg, priority=["must", "want", "nice"][i % 3],
                          part_of_day="morning" if i == 1 else "any")
    run = _solve(event, dinas_tegal)
    assert run.status == ScheduleRunStatus.DONE, run.message
    check = _check_written(event)
    assert check.is_valid, check.violations
    assert run.meetings == Meeting.objects.filter(event=event).count() > 0
    assert abs(check.objective - run.objective) < 1e-9
    assert run.upper_bound >= run.objective


def test_locked_meetings_survive_a_rerun(event, dinas_tegal):
    ikms = [IkmRegistrationFactory(event=event) for _ in range(3)]
    buyer = BuyerRegistrationFactory(event=event)
    for ikm_reg in ikms:
        _accepted(event, ikm_reg, buyer)
    _solve(event, dinas_tegal)
    meeting = Meeting.objects.filter(event=event).order_by("pk").first()
    # Dinas moves it to the last slot, table 3, and locks it there.
    meeting_lock_set(meeting=meeting, by=dinas_tegal, locked=True, slot=5, table=2)
    run = _solve(event, dinas_tegal)
    assert run.status == ScheduleRunStatus.DONE, run.message
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.locked) == (5, 2, True)
    assert Meeting.objects.filter(event=event).count() == 3
    assert _check_written(event).is_valid


def test_schedule_solve_runs_a_run_only_once(event, dinas_tegal, ikm_registration, buyer_registration):
    _accepted(event, ikm_registration, buyer_registration)
    run = _solve(event, dinas_tegal)
    assert schedule_solve(run_id=run.pk) is None
    assert Meeting.objects.filter(event=event).count() == 1


def test_meeting_moves_raise_sequence(event, dinas_tegal, ikm_registration, buyer_registration):
    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    meeting = Meeting.objects.get(event=event)
    slot = (meeting.slot + 1) % 6
    meeting_lock_set(meeting=meeting, by=dinas_tegal, locked=True, slot=slot)
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_late_cancellation_frees_the_slot(event, dinas_tegal, ikm_registration, buyer_registration, ikm_owner):
    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    meeting = Meeting.objects.get(event=event)
    meeting_status_set(meeting=meeting, by=ikm_owner, status=MeetingStatus.CANCELLED)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.request.status == RequestStatus.CANCELLED
    assert meeting.sequence == 1
    instance, _pairs = schedule_inputs(event)
    assert instance.requests == ()


def test_participant_cannot_mark_no_show(event, dinas_tegal, ikm_registration, buyer_registration, ikm_owner):
    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    meeting = Meeting.objects.get(event=event)
    with pytest.raises(EventError):
        meeting_status_set(meeting=meeting, by=ikm_owner, status=MeetingStatus.NO_SHOW)
    meeting_status_set(meeting=meeting, by=dinas_tegal, status=MeetingStatus.NO_SHOW)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.NO_SHOW


def test_dinas_adds_a_meeting_as_accepted(ikm_registration, buyer_registration, dinas_tegal, buyer_staff):
    meeting_request = meeting_add_by_dinas(ikm_registration=ikm_registration, buyer_registration=buyer_registration,
                                           by=dinas_tegal)
    assert meeting_request.status == RequestStatus.ACCEPTED and meeting_request.added_by_dinas
    with pytest.raises(EventError):
        meeting_add_by_dinas(ikm_registration=ikm_registration, buyer_registration=buyer_registration,
                             by=buyer_staff)


def test_check_in_by_dinas_only(ikm_registration, dinas_tegal, ikm_owner):
    with pytest.raises(EventError):
        registration_check_in(registration=ikm_registration, by=ikm_owner)
    registration_check_in(registration=ikm_registration, by=dinas_tegal)
    assert Registration.objects.get(pk=ikm_registration.pk).checked_in_by == dinas_tegal


def test_outcome_recorded_by_each_side_and_refused_to_others(event, dinas_tegal, ikm_registration,
                                                            buyer_registration, ikm_owner, buyer_staff,
                                                            other_buyer_staff):
    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    _move_to_yesterday(event)
    meeting = Meeting.objects.select_related("request__requester", "request__recipient").get(event=event)
    outcome_record(meeting=meeting, by=ikm_owner, result="sample", notes="Kirim 5 contoh")
    outcome_record(meeting=meeting, by=buyer_staff, result="quotation")
    with pytest.raises(EventError):
        outcome_record(meeting=meeting, by=other_buyer_staff, result="mou")
    assert sorted(meeting.outcomes.values_list("side", "result")) == [("buyer", "quotation"), ("ikm", "sample")]
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD


def _move_to_yesterday(event):
    """The day has passed: outcomes can be recorded."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(start_date=yesterday, end_date=yesterday)


def test_outcome_before_the_meeting_starts_is_refused(event, dinas_tegal, ikm_registration, buyer_registration,
                                                     ikm_owner):
    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    meeting = Meeting.objects.select_related("request__requester", "request__recipient").get(event=event)

    with pytest.raises(EventError):
        outcome_record(meeting=meeting, by=ikm_owner, result="mou")

    assert not meeting.outcomes.exists()


def test_event_times_cannot_change_once_meetings_exist(event, dinas_tegal, ikm_registration, buyer_registration):
    from events.services import event_update

    _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)
    Event.objects.filter(pk=event.pk).update(created_by=dinas_tegal)
    event.refresh_from_db()

    with pytest.raises(EventError):
        event_update(event=event, by=dinas_tegal, meeting_minutes=15)
    event_update(event=event, by=dinas_tegal, venue="Aula Dinas")  # other details still change

    event.refresh_from_db()
    assert (event.meeting_minutes, event.venue) == (30, "Aula Dinas")


def test_requester_withdraws_a_request_before_it_is_scheduled(event, ikm_registration, buyer_registration,
                                                              buyer_staff, ikm_owner):
    from events.services import meeting_request_withdraw

    request = meeting_request_create(requester=buyer_registration, recipient=ikm_registration, by=buyer_staff)
    with pytest.raises(EventError):
        meeting_request_withdraw(meeting_request=request, by=ikm_owner)  # the recipient declines instead

    meeting_request_withdraw(meeting_request=request, by=buyer_staff)

    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED


def test_a_scheduled_request_cannot_be_withdrawn(event, dinas_tegal, ikm_registration, buyer_registration,
                                                 buyer_staff):
    from events.services import meeting_request_withdraw

    request = _accepted(event, ikm_registration, buyer_registration)
    _solve(event, dinas_tegal)

    with pytest.raises(EventError):
        meeting_request_withdraw(meeting_request=request, by=buyer_staff)

    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.ACCEPTED
