"""Matchmaking background work: thin wrappers that take ids and call the services.

Every task is safe to run twice (a recompute replaces lists; notifications check a sent marker), retries
only on transient database/broker errors with exponential backoff and a bound, and has time limits.
"""

import logging

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from .answers import mutual_match_notify
from .partnerships.reminders import reminder_send, reminders_create
from .recompute import (
    CHUNK_TASK,
    open_need_chunks,
    recompute_claim,
    suggestions_recompute_for_ikm,
    suggestions_recompute_for_need,
    suggestions_recompute_needs,
)

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, BrokerOperationalError, RedisConnectionError)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(bind=True, name="matchmaking.need_suggestions_recompute", soft_time_limit=300, time_limit=360, **RETRY)
def need_suggestions_recompute_task(self, need_id: int) -> str:
    wait = recompute_claim("need", need_id)
    if wait is not None:  # saves are still coming in: run once they settle
        self.apply_async(args=[need_id], countdown=wait)
        return "deferred"
    report = suggestions_recompute_for_need(need_id)
    return f"{report.suggestions} suggestions"


@shared_task(bind=True, name="matchmaking.ikm_suggestions_recompute", soft_time_limit=120, time_limit=150, **RETRY)
def ikm_suggestions_recompute_task(self, ikm_id: int) -> str:
    wait = recompute_claim("ikm", ikm_id)
    if wait is not None:
        self.apply_async(args=[ikm_id], countdown=wait)
        return "deferred"
    report = suggestions_recompute_for_ikm(ikm_id)
    return f"{report.needs} needs touched"


@shared_task(name=CHUNK_TASK, soft_time_limit=600, time_limit=660, **RETRY)
def suggestions_recompute_chunk_task(need_ids: list[int]) -> str:
    report = suggestions_recompute_needs(need_ids)
    return f"{report.needs} needs, {report.suggestions} suggestions"


@shared_task(name="matchmaking.suggestions_recompute_all", soft_time_limit=120, time_limit=150, **RETRY)
def suggestions_recompute_all_task() -> int:
    """Split the open needs into chunks, one task each, so that several workers share the nightly run."""
    chunks = open_need_chunks()
    for need_ids in chunks:
        suggestions_recompute_chunk_task.delay(need_ids)
    return len(chunks)


@shared_task(name="matchmaking.mutual_match_notify", soft_time_limit=60, time_limit=90, **RETRY)
def mutual_match_notify_task(need_id: int, ikm_id: int) -> int:
    return mutual_match_notify(need_id=need_id, ikm_id=ikm_id)


@shared_task(name="matchmaking.partnership_reminders", soft_time_limit=1200, time_limit=1260, **RETRY)
def partnership_reminders_task() -> int:
    """Daily: ask both sides of open partnerships for an update 1, 3 and 6 months after their event."""
    return sum(reminder_send(reminder_id=pk) for pk in reminders_create())
