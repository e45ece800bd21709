"""Temu bisnis (business-matching days): events, registrations, meeting requests, meetings, outcomes.

Indonesian words kept as the real terms:
- temu bisnis: a day (or days) of short one-to-one meetings between IKMs and buyers, run by a Dinas.

Slots are derived from the event's session times: each day from `session_start`, one slot every
`meeting_minutes`, skipping the breaks, up to `session_end`. A slot is identified by its index across all
days; availability and meetings store indexes, so changing the times after registration moves them.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.models import BuyerOrganisation, IkmProfile, Kabupaten, ProcessGroup

from .enums import (
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

NOON = time(12, 0)


@dataclass(frozen=True)
class Slot:
    index: int
    day: date
    start: datetime
    end: datetime

    @property
    def is_morning(self) -> bool:
        return self.start.time() < NOON


class Event(models.Model):
    """A temu bisnis organised by a Dinas in (and for) a kabupaten/kota."""

    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200,
                                 help_text=_("For example: Dinas Perindustrian Kabupaten Tegal."))
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="events",
                                  verbose_name=_("regency/city"),
                                  help_text=_("Dinas staff whose region covers it manage the event."))
    venue = models.CharField(_("venue"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration and request deadline"))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20,
                                                       validators=[MinValueValidator(5), MaxValueValidator(240)])
    session_start = models.TimeField(_("session start"), default=time(9, 0))
    session_end = models.TimeField(_("session end"), default=time(16, 0))
    breaks = models.JSONField(_("breaks"), default=list, blank=True,
                              help_text='[["12:00", "13:00"], ...]')
    tables = models.PositiveSmallIntegerField(_("number of tables"), default=10,
                                              validators=[MinValueValidator(1), MaxValueValidator(500)])
    eligible_kabupaten = models.ManyToManyField(Kabupaten, blank=True, related_name="+",
                                                verbose_name=_("IKMs from (empty: anywhere)"))
    eligible_process_groups = models.ManyToManyField(ProcessGroup, blank=True, related_name="+",
                                                     verbose_name=_("IKMs doing (empty: any process)"))
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def break_times(self) -> list[tuple[time, time]]:
        return [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in self.breaks or []]

    def days(self) -> list[date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=i) for i in range(max(count, 0))]

    def slots(self) -> list[Slot]:
        """Every meeting slot of the event, in time order, in Asia/Jakarta (the site's time zone)."""
        zone = timezone.get_default_timezone()
        step = timedelta(minutes=self.meeting_minutes)
        breaks = self.break_times()
        result: list[Slot] = []
        for day in self.days():
            start = datetime.combine(day, self.session_start, tzinfo=zone)
            session_end = datetime.combine(day, self.session_end, tzinfo=zone)
            while start + step <= session_end:
                end = start + step
                clash = next((datetime.combine(day, b_end, tzinfo=zone) for b_start, b_end in breaks
                              if start.time() < b_end and end.time() > b_start), None)
                if clash is not None:
                    start = clash
                    continue
                result.append(Slot(len(result), day, start, end))
                start = end
        return result

    def slot_indexes(self, part_of_day: str) -> frozenset[int] | None:
        if part_of_day == PartOfDay.MORNING:
            return frozenset(s.index for s in self.slots() if s.is_morning)
        if part_of_day == PartOfDay.AFTERNOON:
            return frozenset(s.index for s in self.slots() if not s.is_morning)
        return None

    @property
    def is_registration_open(self) -> bool:
        return (self.status == EventStatus.REGISTRATION_OPEN
                and self.registration_opens <= timezone.now() < self.registration_closes)

    @property
    def requests_open(self) -> bool:
        return self.status == EventStatus.REGISTRATION_OPEN and timezone.now() < self.registration_closes

    @property
    def schedule_visible(self) -> bool:
        return self.status in (EventStatus.PUBLISHED, EventStatus.FINISHED)


class EventStatusChange(models.Model):
    """One change of an event's status: who, when, from and to."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=EventStatus.choices)
    to_status = models.CharField(max_length=20, choices=EventStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.from_status} → {self.to_status}"


class Registration(models.Model):
    """An IKM or a buyer organisation taking part in an event; a buyer sends `seats` people in parallel."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("side"), max_length=5, choices=ParticipantKind.choices)
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, null=True, blank=True,
                            related_name="event_registrations")
    buyer = models.ForeignKey(BuyerOrganisation, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="event_registrations")
    seats = models.PositiveSmallIntegerField(_("representatives in parallel"), default=1,
                                             validators=[MinValueValidator(1), MaxValueValidator(20)])
    unavailable_slots = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.PENDING)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    checkin_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+")

    class Meta:
        ordering = ["event", "kind", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "ikm"], name="registration_event_ikm_unique"),
            models.UniqueConstraint(fields=["event", "buyer"], name="registration_event_buyer_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind=ParticipantKind.IKM, ikm__isnull=False, buyer__isnull=True)
                           | models.Q(kind=ParticipantKind.BUYER, buyer__isnull=False, ikm__isnull=True)),
                name="registration_one_party",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.ikm.display_name if self.kind == ParticipantKind.IKM else self.buyer.name

    @property
    def solver_id(self) -> str:
        return f"r{self.pk}"

    @property
    def is_approved(self) -> bool:
        return self.status == RegistrationStatus.APPROVED


class MeetingRequest(models.Model):
    """One side asking the other for a meeting at an event, with a priority (its weight in the schedule)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_made")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_received")
    priority = models.CharField(_("priority"), max_length=5, choices=Priority.choices, default=Priority.WANT)
    part_of_day = models.CharField(_("when"), max_length=10, choices=PartOfDay.choices, default=PartOfDay.ANY)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    added_by_dinas = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "recipient"], name="request_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient}"


class ScheduleRun(models.Model):
    """One run of the scheduler for an event: asked by whom, its figures, and what it left out."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(max_length=10, choices=ScheduleRunStatus.choices, default=ScheduleRunStatus.QUEUED)
    seconds_budget = models.PositiveSmallIntegerField(default=10)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    objective = models.FloatField(null=True, blank=True)
    upper_bound = models.FloatField(null=True, blank=True)
    breaks = models.PositiveIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    meetings = models.PositiveIntegerField(default=0)
    unscheduled = models.JSONField(default=list, blank=True)  # [{"request": id, "reason": str}]
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.event_id} run {self.pk} ({self.status})"

    @property
    def gap_percent(self) -> float | None:
        if self.objective is None or not self.upper_bound:
            return None
        return round(100 * (self.upper_bound - self.objective) / self.upper_bound, 1)


class Meeting(models.Model):
    """A request placed in a slot at a table. `locked` meetings stay where Dinas put them on re-runs.

    `sequence` grows each time the meeting moves or is cancelled, so calendar files replace themselves.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.PositiveSmallIntegerField(_("slot"))
    table = models.PositiveSmallIntegerField(_("table"))  # 0-based; shown as table + 1
    locked = models.BooleanField(_("locked"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    # Either side recorded follow-up or better (kept by outcome_record, so the dashboard counts without a join).
    followed_up = models.BooleanField(default=False, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+")

    class Meta:
        ordering = ["slot", "table"]
        # The dashboard's funnel counts held and followed-up meetings of many events from this index alone.
        indexes = [models.Index(fields=["event", "status", "followed_up"], name="meeting_event_status_followed")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.request} @ {self.slot}/{self.table}"

    @property
    def table_number(self) -> int:
        return self.table + 1


class Outcome(models.Model):
    """What one side of a held meeting says came of it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes")
    side = models.CharField(max_length=5, choices=ParticipantKind.choices)
    result = models.CharField(_("outcome"), max_length=12, choices=OutcomeResult.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["meeting", "side"], name="outcome_meeting_side_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.side}: {self.result}"


class ScheduleNotice(models.Model):
    """One person told that an event's schedule was published (once per publication, however often the
    worker runs the e-mail task: a retry or a late acknowledgement must not send it twice)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "published_at", "person"],
                                               name="schedule_notice_once_per_publication")]

    def __str__(self) -> str:
        return f"{self.event_id} @ {self.published_at:%Y-%m-%d %H:%M} → {self.person_id}"
