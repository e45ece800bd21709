"""Event background work: thin tasks that take ids and call the services; each is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from .mail import (
    meeting_request_notify,
    pending_requests_remind,
    registration_decision_notify,
    schedule_published_notify,
)
from .services import schedule_solve

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 5, "retry_backoff_max": 300,
         "retry_jitter": True, "max_retries": 5}


@shared_task(name="events.schedule_solve", soft_time_limit=660, time_limit=720)
def schedule_solve_task(run_id: int) -> str:
    run = schedule_solve(run_id=run_id)
    return "skipped" if run is None else f"{run.status}: {run.meetings} meetings"


@shared_task(name="events.registration_decision_notify", soft_time_limit=60, time_limit=90, **RETRY)
def registration_decision_notify_task(registration_id: int) -> int:
    return registration_decision_notify(registration_id=registration_id)


@shared_task(name="events.meeting_request_notify", soft_time_limit=60, time_limit=90, **RETRY)
def meeting_request_notify_task(request_id: int) -> int:
    return meeting_request_notify(request_id=request_id)


@shared_task(name="events.schedule_published_notify", soft_time_limit=600, time_limit=660, **RETRY)
def schedule_published_notify_task(event_id: int) -> int:
    return schedule_published_notify(event_id=event_id)


@shared_task(name="events.pending_requests_remind", soft_time_limit=600, time_limit=660)
def pending_requests_remind_task() -> int:
    return pending_requests_remind()
