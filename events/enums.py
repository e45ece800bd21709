from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event", "Draft")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    SCHEDULING = "scheduling", _("Scheduling")
    PUBLISHED = "published", _("Schedule published")
    FINISHED = "finished", pgettext_lazy("event", "Finished")


# Which status may follow which: the one place the event's life cycle is written down.
EVENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventStatus.DRAFT: (EventStatus.REGISTRATION_OPEN,),
    EventStatus.REGISTRATION_OPEN: (EventStatus.SCHEDULING, EventStatus.DRAFT),
    EventStatus.SCHEDULING: (EventStatus.PUBLISHED, EventStatus.REGISTRATION_OPEN),
    EventStatus.PUBLISHED: (EventStatus.FINISHED, EventStatus.SCHEDULING),
    EventStatus.FINISHED: (),
}


class ParticipantKind(models.TextChoices):
    IKM = "ikm", _("IKM")
    BUYER = "buyer", _("Buyer")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("registration", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("registration", "Approved")
    DECLINED = "declined", pgettext_lazy("registration", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class Priority(models.TextChoices):
    MUST = "must", _("Must meet")
    WANT = "want", _("Want to meet")
    NICE = "nice", _("Nice to meet")


PRIORITY_WEIGHT = {Priority.MUST: 3, Priority.WANT: 2, Priority.NICE: 1}


class PartOfDay(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Morning only")
    AFTERNOON = "afternoon", _("Afternoon only")


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("request", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("request", "Accepted")
    DECLINED = "declined", pgettext_lazy("request", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("request", "Cancelled")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting", "Scheduled")
    HELD = "held", pgettext_lazy("meeting", "Held")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class ScheduleRunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("schedule run", "Queued")
    RUNNING = "running", pgettext_lazy("schedule run", "Running")
    DONE = "done", pgettext_lazy("schedule run", "Done")
    FAILED = "failed", pgettext_lazy("schedule run", "Failed")


class OutcomeResult(models.TextChoices):
    NO_INTEREST = "no_interest", _("No interest")
    FOLLOW_UP = "follow_up", _("Follow up")
    SAMPLE = "sample", _("Sample requested")
    QUOTATION = "quotation", _("Quotation requested")
    MOU = "mou", _("MoU")


#: Outcomes that lead somewhere: they open a partnership and count as a follow-up on the dashboard.
FOLLOW_UP_RESULTS: tuple[str, ...] = (OutcomeResult.FOLLOW_UP, OutcomeResult.SAMPLE, OutcomeResult.QUOTATION,
                                      OutcomeResult.MOU)
