import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus, RequestStatus
from events.models import Event, Meeting, MeetingRequest, Registration
from tests.factories import (
    BuyerRegistrationFactory,
    DinasStaffFactory,
    EventFactory,
    IkmProfileFactory,
    IkmRegistrationFactory,
    kabupaten,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinas_surabaya(db):
    return DinasStaffFactory(scope_kabupaten=kabupaten("Kota Surabaya"))


def _published(event, ikm_registration, buyer_registration):
    request = MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration,
                                            status=RequestStatus.ACCEPTED)
    meeting = Meeting.objects.create(event=event, request=request, slot=1, table=0)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.PUBLISHED)
    event.refresh_from_db()
    return meeting


# --- Every rule refuses the wrong user -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["registration_list", "request_list", "schedule", "checkin", "board", "report",
                                  "report_xlsx", "table_sheets", "event_edit"])
def test_manager_pages_refuse_participants_and_other_regions(client, event, ikm_owner, buyer_staff,
                                                              dinas_surabaya, dinas_tegal, name):
    url = reverse(f"events:{name}", args=[event.pk])
    for user in (ikm_owner, buyer_staff, dinas_surabaya):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(dinas_tegal)
    assert client.get(url).status_code == 200


def test_event_create_refuses_participants(client, ikm_owner, buyer_staff):
    for user in (ikm_owner, buyer_staff):
        client.force_login(user)
        assert client.get(reverse("events:event_create")).status_code == 403


def test_event_create_by_dinas(client, dinas_tegal):
    client.force_login(dinas_tegal)
    response = client.post(reverse("events:event_create"), {
        "title": "Temu Bisnis Pengecoran", "organiser": "Dinas Perindustrian Tegal",
        "kabupaten": kabupaten("Kabupaten Tegal").pk, "venue": "LIK Takaru", "start_date": "2031-03-01",
        "end_date": "2031-03-01", "registration_opens": "2031-01-01T08:00", "registration_closes": "2031-02-20T17:00",
        "meeting_minutes": 20, "session_start": "09:00", "session_end": "15:00", "tables": 10,
        "breaks_text": "12:00-13:00"})
    event = Event.objects.get(title="Temu Bisnis Pengecoran")
    assert response.status_code == 302
    assert event.breaks == [["12:00", "13:00"]] and event.status == EventStatus.DRAFT
    assert len(event.slots()) == 15


def test_event_create_bad_breaks_is_a_message_not_a_500(client, dinas_tegal):
    client.force_login(dinas_tegal)
    client.cookies["django_language"] = "en"  # the message is checked in its English source form
    response = client.post(reverse("events:event_create"), {"title": "X", "breaks_text": "noon"})
    assert response.status_code == 200
    assert "is not a break" in response.content.decode()


def test_draft_event_hidden_from_participants(client, ikm_owner, dinas_tegal):
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(ikm_owner)
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 403
    assert event.title not in client.get(reverse("events:event_list")).content.decode()
    client.force_login(dinas_tegal)
    assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 200


def test_ikm_cannot_see_another_ikms_agenda_or_files(client, event, ikm_registration, buyer_registration):
    _published(event, ikm_registration, buyer_registration)
    other = IkmRegistrationFactory(event=event)
    client.force_login(other.ikm.owner)
    for name in ("agenda", "agenda_ics", "agenda_pdf", "participant"):
        assert client.get(reverse(f"events:{name}", args=[ikm_registration.pk])).status_code == 403
    assert client.get(reverse("events:agenda", args=[other.pk])).status_code == 200


def test_buyer_staff_of_another_organisation_cannot_see_agenda(client, event, ikm_registration,
                                                               buyer_registration, other_buyer_staff):
    _published(event, ikm_registration, buyer_registration)
    client.force_login(other_buyer_staff)
    assert client.get(reverse("events:agenda", args=[buyer_registration.pk])).status_code == 403


def test_agenda_shows_the_meeting_on_both_sides(client, event, ikm_registration, buyer_registration, ikm_owner,
                                                buyer_staff):
    _published(event, ikm_registration, buyer_registration)
    client.force_login(ikm_owner)
    page = client.get(reverse("events:agenda", args=[ikm_registration.pk])).content.decode()
    assert buyer_registration.name in page and "data:image/svg+xml;base64," in page
    client.force_login(buyer_staff)
    assert ikm_registration.name in client.get(reverse("events:agenda", args=[buyer_registration.pk])).content.decode()


def test_agenda_calendar_has_stable_uid_and_sequence(client, event, ikm_registration, buyer_registration, ikm_owner):
    meeting = _published(event, ikm_registration, buyer_registration)
    client.force_login(ikm_owner)
    body = client.get(reverse("events:agenda_ics", args=[ikm_registration.pk])).content.decode()
    assert f"UID:meeting-{meeting.request_id}@ikmportal" in body and "SEQUENCE:0" in body
    Meeting.objects.filter(pk=meeting.pk).update(slot=2, sequence=1)
    body = client.get(reverse("events:agenda_ics", args=[ikm_registration.pk])).content.decode()
    assert f"UID:meeting-{meeting.request_id}@ikmportal" in body and "SEQUENCE:1" in body


def test_agenda_pdf(client, event, ikm_registration, buyer_registration, ikm_owner):
    _published(event, ikm_registration, buyer_registration)
    client.force_login(ikm_owner)
    response = client.get(reverse("events:agenda_pdf", args=[ikm_registration.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_answer_request_refused_to_requester_and_strangers(client, event, ikm_registration, buyer_registration,
                                                           buyer_staff, other_buyer_staff, ikm_owner):
    request = MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration)
    url = reverse("events:request_answer", args=[request.pk])
    for user in (buyer_staff, other_buyer_staff):
        client.force_login(user)
        assert client.post(url, {"answer": "accept"}).status_code == 403
    client.force_login(ikm_owner)
    client.post(url, {"answer": "accept"})
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.ACCEPTED


def test_request_to_unknown_participant_is_a_message(client, event, buyer_registration, buyer_staff):
    client.force_login(buyer_staff)
    response = client.post(reverse("events:request_create", args=[buyer_registration.pk]),
                           {"recipient": 999999, "priority": "must", "part_of_day": "any"}, follow=True)
    assert response.status_code == 200
    assert not MeetingRequest.objects.exists()


def test_decide_registration_refused_to_other_region(client, event, ikm_owner, dinas_surabaya):
    registration = Registration.objects.create(event=event, kind="ikm", ikm=IkmProfileFactory(owner=ikm_owner))
    client.force_login(dinas_surabaya)
    assert client.post(reverse("events:registration_decide", args=[registration.pk]),
                       {"decision": "approve"}).status_code == 403


def test_check_in_scan_refused_to_participants(client, event, ikm_registration, ikm_owner, dinas_tegal):
    url = reverse("events:checkin_scan", args=[ikm_registration.checkin_token])
    client.force_login(ikm_owner)
    assert client.get(url).status_code == 403
    assert client.post(reverse("events:checkin_mark", args=[ikm_registration.pk])).status_code == 403
    client.force_login(dinas_tegal)
    assert client.get(url).status_code == 200
    client.post(reverse("events:checkin_mark", args=[ikm_registration.pk]))
    assert Registration.objects.get(pk=ikm_registration.pk).checked_in_at is not None


def test_outcome_page_refused_to_strangers(client, event, ikm_registration, buyer_registration, other_buyer_staff,
                                           dinas_tegal, ikm_owner):
    meeting = _published(event, ikm_registration, buyer_registration)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(start_date=yesterday, end_date=yesterday)
    url = reverse("events:outcome", args=[meeting.pk])
    for user in (other_buyer_staff, dinas_tegal):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(ikm_owner)
    client.post(url, {"result": "follow_up", "notes": ""})
    assert meeting.outcomes.get().result == "follow_up"


def test_meeting_place_refused_to_participants(client, event, ikm_registration, buyer_registration, ikm_owner):
    meeting = _published(event, ikm_registration, buyer_registration)
    client.force_login(ikm_owner)
    assert client.post(reverse("events:meeting_place", args=[meeting.pk]), {"locked": "on"}).status_code == 403


def test_report_xlsx_opens(client, event, ikm_registration, buyer_registration, dinas_tegal):
    from io import BytesIO

    from openpyxl import load_workbook

    _published(event, ikm_registration, buyer_registration)
    client.force_login(dinas_tegal)
    workbook = load_workbook(BytesIO(client.get(reverse("events:report_xlsx", args=[event.pk])).content))
    assert len(workbook.sheetnames) == 3


def test_participant_page_suggests_counterparts_from_matchmaking(client, event, ikm_registration, ikm_owner):
    from matchmaking.models import Suggestion
    from tests.factories import NeedFactory

    suggested = BuyerRegistrationFactory(event=event)
    BuyerRegistrationFactory(event=event)
    need = NeedFactory(buyer=suggested.buyer)
    Suggestion.objects.create(need=need, ikm=ikm_registration.ikm, rank=1, score=0.9)
    client.force_login(ikm_owner)
    response = client.get(reverse("events:participant", args=[ikm_registration.pk]))
    rows = response.context["counterparts"]
    assert rows[0].registration == suggested and rows[0].suggested and not rows[1].suggested


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_query_count(client, django_assert_max_num_queries, ikm_owner, count):
    EventFactory.create_batch(count)
    client.force_login(ikm_owner)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("events:event_list")).status_code == 200


def test_ikm_and_buyer_register_through_the_event_page(client, event, ikm, ikm_owner, buyer_staff):
    client.force_login(ikm_owner)
    assert "register-form" in client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    client.post(reverse("events:event_register", args=[event.pk]), {"ikm": ikm.pk})
    client.force_login(buyer_staff)
    client.post(reverse("events:event_register", args=[event.pk]), {"seats": "abc"})
    assert not Registration.objects.filter(kind="buyer").exists()
    client.post(reverse("events:event_register", args=[event.pk]), {"seats": 2})
    assert sorted(Registration.objects.values_list("kind", "seats", "status")) == [
        ("buyer", 2, "pending"), ("ikm", 1, "pending")]


def test_an_owner_of_one_business_finds_it_already_chosen(client, event, ikm, ikm_owner):
    client.force_login(ikm_owner)
    form = client.get(reverse("events:event_detail", args=[event.pk])).context["ikm_form"]
    assert form["ikm"].value() == ikm.pk and "---------" not in str(form["ikm"])
    IkmProfileFactory(owner=ikm_owner)
    form = client.get(reverse("events:event_detail", args=[event.pk])).context["ikm_form"]
    assert form["ikm"].value() is None and "---------" in str(form["ikm"])


def test_dinas_cannot_register_as_participant(client, event, dinas_tegal):
    client.force_login(dinas_tegal)
    assert client.post(reverse("events:event_register", args=[event.pk]), {"seats": 1}).status_code == 403


def test_schedule_page_lists_unscheduled_with_reason(client, event, dinas_tegal):
    from events.services import schedule_run_request, schedule_solve

    ikm_registration = IkmRegistrationFactory(event=event, unavailable_slots=[0, 1, 2, 3, 4, 5])
    buyer_registration = BuyerRegistrationFactory(event=event)
    MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration,
                                  status=RequestStatus.ACCEPTED)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.SCHEDULING)
    event.refresh_from_db()
    schedule_solve(run_id=schedule_run_request(event=event, by=dinas_tegal, seconds=1).pk)
    client.force_login(dinas_tegal)
    page = client.get(reverse("events:schedule", args=[event.pk])).content.decode()
    assert 'data-list="unscheduled"' in page and ikm_registration.name in page


def test_a_stranger_cannot_withdraw_someone_elses_request(client, event, ikm_registration, buyer_registration,
                                                          other_buyer_staff):
    request = MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration)
    client.force_login(other_buyer_staff)

    response = client.post(reverse("events:request_withdraw", args=[request.pk]))

    assert response.status_code == 403
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.PENDING
