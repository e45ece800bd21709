"""E-mails about events, sent by the worker, each rendered in its recipient's language."""

import logging
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from profiles.models import User

from .enums import ParticipantKind, RegistrationStatus, RequestStatus
from .models import Event, MeetingRequest, Registration, ScheduleNotice
from .selectors import pending_reminder_requests

logger = logging.getLogger(__name__)

REMINDER_EVERY_DAYS = 3


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def people_of(registration: Registration) -> list[User]:
    """Who receives a participant's e-mail: the IKM's owner, or the buyer organisation's active staff."""
    if registration.kind == ParticipantKind.IKM:
        owner = registration.ikm.owner
        return [owner] if owner is not None and owner.is_active and owner.email else []
    return list(registration.buyer.staff.filter(is_active=True).exclude(email=""))


def _send(person: User, subject_and_body) -> None:
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject, body = subject_and_body()
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


def registration_decision_notify(*, registration_id: int) -> int:
    registration = Registration.objects.select_related("event", "ikm__owner", "buyer").filter(
        pk=registration_id).first()
    if registration is None or registration.status not in (RegistrationStatus.APPROVED, RegistrationStatus.DECLINED):
        return 0

    def compose():
        event = registration.event
        if registration.status == RegistrationStatus.APPROVED:
            subject = _("You are registered for %(event)s") % {"event": event.title}
            text = _("%(name)s takes part in %(event)s. Request meetings before the deadline.") % {
                "name": registration.name, "event": event.title}
        else:
            subject = _("Registration for %(event)s") % {"event": event.title}
            text = _("We are sorry: %(name)s could not be given a place at %(event)s.") % {
                "name": registration.name, "event": event.title}
        return subject, f"{text}\n\n{_link('events:participant', registration.pk)}"

    people = people_of(registration)
    for person in people:
        _send(person, compose)
    return len(people)


def meeting_request_notify(*, request_id: int) -> int:
    meeting_request = MeetingRequest.objects.select_related(
        "event", "requester__ikm", "requester__buyer", "recipient__ikm__owner", "recipient__buyer").filter(
        pk=request_id, status=RequestStatus.PENDING).first()
    if meeting_request is None:
        return 0

    def compose():
        subject = _("%(name)s asks to meet you at %(event)s") % {
            "name": meeting_request.requester.name, "event": meeting_request.event.title}
        text = _("Accept or decline the request before the deadline.")
        return subject, f"{text}\n\n{_link('events:participant', meeting_request.recipient_id)}"

    people = people_of(meeting_request.recipient)
    for person in people:
        _send(person, compose)
    return len(people)


def schedule_published_notify(*, event_id: int) -> int:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or not event.schedule_visible:
        return 0
    sent = 0
    # An event shown as finished without ever being published counts as one publication.
    published_at = event.published_at or event.created_at
    registrations = event.registrations.filter(status=RegistrationStatus.APPROVED).select_related(
        "ikm__owner", "buyer")
    for registration in registrations:
        def compose(registration=registration):
            subject = _("Your agenda for %(event)s") % {"event": event.title}
            text = _("The meeting schedule is published. Your agenda, calendar file and check-in code:")
            return subject, f"{text}\n\n{_link('events:agenda', registration.pk)}"

        for person in people_of(registration):
            # Safe to run twice (retries, late acks): each person is told once per publication. The notice
            # is written before sending, in one transaction with it: a failed send leaves no notice, so the
            # retry sends; a second worker waits on the row and then skips.
            with transaction.atomic():
                _notice, new = ScheduleNotice.objects.get_or_create(
                    event=event, published_at=published_at, person=person)
                if not new:
                    continue
                _send(person, compose)
            sent += 1
    return sent


def pending_requests_remind(*, now=None) -> int:
    """Remind participants of requests still waiting for their answer, every few days until the deadline:
    one e-mail per person listing all of a participant's waiting requests (not one per request); marks them
    reminded. Returns the number of e-mails sent."""
    now = now or timezone.now()
    due = pending_reminder_requests(now=now, every_days=REMINDER_EVERY_DAYS).select_related(
        "event", "requester__ikm", "requester__buyer", "recipient__ikm__owner", "recipient__buyer",
    ).order_by("recipient_id", "created_at")
    sent = 0
    for _recipient_id, group in groupby(due, key=attrgetter("recipient_id")):
        waiting = list(group)
        recipient, event = waiting[0].recipient, waiting[0].event

        def compose(waiting=waiting, recipient=recipient, event=event):
            count = len(waiting)
            subject = ngettext(
                "Reminder: %(count)d meeting request is waiting for your answer",
                "Reminder: %(count)d meeting requests are waiting for your answer", count) % {"count": count}
            text = _("Please accept or decline them for %(event)s before the deadline, %(deadline)s:") % {
                "event": event.title,
                "deadline": date_format(timezone.localtime(event.registration_closes), "j F Y H:i")}
            names = "\n".join(f"- {r.requester.name}" for r in waiting)
            return subject, f"{text}\n\n{names}\n\n{_link('events:participant', recipient.pk)}"

        for person in people_of(recipient):
            _send(person, compose)
            sent += 1
        MeetingRequest.objects.filter(pk__in=[r.pk for r in waiting]).update(reminded_at=now)
    return sent
