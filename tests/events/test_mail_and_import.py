import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from openpyxl import Workbook

from events.enums import EventStatus, RegistrationStatus, RequestStatus
from events.importing import participants_import
from events.mail import (
    meeting_request_notify,
    pending_requests_remind,
    registration_decision_notify,
    schedule_published_notify,
)
from events.models import Event, MeetingRequest, Registration
from events.selectors import event_report
from events.services import EventError
from tests.factories import BuyerOrganisationFactory, IkmProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_registration_decision_mail_in_recipients_language(event):
    owner = UserFactory(language="en")
    registration = Registration.objects.create(event=event, kind="ikm", ikm=IkmProfileFactory(owner=owner),
                                               status=RegistrationStatus.APPROVED)
    assert registration_decision_notify(registration_id=registration.pk) == 1
    assert mail.outbox[0].to == [owner.email]
    assert mail.outbox[0].subject.startswith("You are registered")


def test_request_mail_goes_to_the_recipient(ikm_registration, buyer_registration, ikm_owner):
    request = MeetingRequest.objects.create(event=ikm_registration.event, requester=buyer_registration,
                                            recipient=ikm_registration)
    assert meeting_request_notify(request_id=request.pk) == 1
    assert mail.outbox[0].to == [ikm_owner.email]
    request.status = RequestStatus.DECLINED
    request.save()
    assert meeting_request_notify(request_id=request.pk) == 0


def test_schedule_published_mail_only_when_published(event, ikm_registration, buyer_registration):
    assert schedule_published_notify(event_id=event.pk) == 0
    Event.objects.filter(pk=event.pk).update(status=EventStatus.PUBLISHED)
    assert schedule_published_notify(event_id=event.pk) == 2


def test_reminders_every_few_days_until_the_deadline(ikm_registration, buyer_registration):
    request = MeetingRequest.objects.create(event=ikm_registration.event, requester=buyer_registration,
                                            recipient=ikm_registration,
                                            created_at=timezone.now() - timezone.timedelta(days=4))
    assert pending_requests_remind() == 1
    assert pending_requests_remind() == 0  # reminded just now
    later = timezone.now() + timezone.timedelta(days=3, minutes=1)
    assert pending_requests_remind(now=later) == 1
    request.refresh_from_db()
    Event.objects.filter(pk=request.event_id).update(registration_closes=timezone.now())
    assert pending_requests_remind(now=later + timezone.timedelta(days=4)) == 0


def test_a_reminder_lists_all_waiting_requests_in_one_mail(ikm_registration, buyer_registration, ikm_owner):
    from tests.factories import BuyerRegistrationFactory, BuyerStaffFactory

    other_buyer = BuyerRegistrationFactory(event=ikm_registration.event, buyer=BuyerStaffFactory(
        buyer_organisation__name="PT Industri Kereta Api").buyer_organisation)
    four_days_ago = timezone.now() - timezone.timedelta(days=4)
    requests = [MeetingRequest.objects.create(event=ikm_registration.event, requester=requester,
                                              recipient=ikm_registration, created_at=four_days_ago)
                for requester in (buyer_registration, other_buyer)]

    assert pending_requests_remind() == 1

    reminder = mail.outbox[0]
    assert reminder.to == [ikm_owner.email]
    assert reminder.subject == "Pengingat: 2 permintaan pertemuan menunggu jawaban Anda"
    assert buyer_registration.name in reminder.body and "PT Industri Kereta Api" in reminder.body
    assert f"/events/registrations/{ikm_registration.pk}/" in reminder.body
    assert all(r.reminded_at is not None for r in MeetingRequest.objects.filter(pk__in=[r.pk for r in requests]))


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_participants_import_registers_and_reports_bad_rows(event, dinas_tegal):
    ikm = IkmProfileFactory(ref="IKM-001")
    buyer = BuyerOrganisationFactory(name="PT Barata")
    data = _xlsx([["kind", "ref", "name", "seats"], ["ikm", "IKM-001", "", None], ["buyer", "", "pt barata", 3],
                  ["ikm", "NOPE", "", None], ["vendor", "", "X", None]])
    result = participants_import(event=event, by=dinas_tegal, data=data)
    assert result.created == 2 and len(result.errors) == 2
    assert Registration.objects.get(event=event, buyer=buyer).seats == 3
    assert Registration.objects.get(event=event, ikm=ikm).status == RegistrationStatus.APPROVED
    again = participants_import(event=event, by=dinas_tegal, data=data)
    assert again.created == 0 and again.skipped == 2


def test_participants_import_rejects_a_non_xlsx_file(event, dinas_tegal):
    with pytest.raises(EventError):
        participants_import(event=event, by=dinas_tegal, data=b"not a workbook")


def test_event_report_counts(event, ikm_registration, buyer_registration):
    MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration,
                                  status=RequestStatus.ACCEPTED)
    report = event_report(event)
    assert report["registrations"]["ikms"] == 1 and report["registrations"]["buyers"] == 1
    assert report["requests"]["accepted"] == 1


def test_schedule_published_mail_is_sent_once_when_the_task_runs_twice(event, ikm_registration, buyer_registration):
    event.status, event.published_at = EventStatus.PUBLISHED, timezone.now()
    event.save()

    first = schedule_published_notify(event_id=event.pk)
    cache.clear()  # a Redis restart between the two runs changes nothing: the notices are in the database
    again = schedule_published_notify(event_id=event.pk)

    assert (first, again) == (2, 0)
    assert len(mail.outbox) == 2


def test_schedule_published_mail_is_sent_again_after_a_failed_send_and_for_a_new_publication(
        event, ikm_registration, buyer_registration, monkeypatch):
    import events.mail

    event.status, event.published_at = EventStatus.PUBLISHED, timezone.now()
    event.save()
    real_send_mail = events.mail.send_mail

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(events.mail, "send_mail", smtp_down)
    with pytest.raises(ConnectionRefusedError):
        schedule_published_notify(event_id=event.pk)
    monkeypatch.setattr(events.mail, "send_mail", real_send_mail)
    assert schedule_published_notify(event_id=event.pk) == 2  # the retry tells everyone

    event.published_at = timezone.now()  # re-published after a change: everyone is told again
    event.save()
    assert schedule_published_notify(event_id=event.pk) == 2
