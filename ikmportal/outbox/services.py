"""Writing to and draining the outbox."""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A page waits at most about a second for the broker; the beat job retries later.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def outbox_enqueue(task_name: str, *, args: list | None = None, kwargs: dict | None = None) -> OutboxMessage:
    """Record a task in the current transaction and send it to Celery once the transaction commits.

    Side effects: one OutboxMessage row; after commit, one broker send. A broker error is logged and the
    row stays pending for `outbox_resend_pending`; it never reaches the caller.
    """
    message = OutboxMessage.objects.create(task_name=task_name, args=args or [], kwargs=kwargs or {})
    transaction.on_commit(lambda: outbox_send(message.pk))
    return message


def outbox_send(message_id: int) -> bool:
    """Send one pending message; True when the broker took it (or, eagerly, the task ran)."""
    message = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
    if message is None:
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts + 1)
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            current_app.tasks[message.task_name].apply(args=message.args, kwargs=message.kwargs)
        else:
            with current_app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
                current_app.send_task(message.task_name, args=message.args, kwargs=message.kwargs,
                                      connection=connection, retry=True, retry_policy=SEND_RETRY_POLICY)
    except Exception as exc:  # noqa: BLE001 - any broker failure must leave the row pending, not fail a page
        logger.warning("outbox: could not send %s (%s): %s", message.task_name, message.pk, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=str(exc)[:2000])
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_resend_pending(*, older_than_seconds: int | None = None, limit: int = 500) -> int:
    """Send again what is still pending after a while (the broker was down at commit time).

    Returns how many were sent now. Old sent rows (over a week) are deleted to keep the table small.
    """
    age = timedelta(seconds=settings.OUTBOX_RESEND_AFTER_SECONDS if older_than_seconds is None
                    else older_than_seconds)
    pending_ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=timezone.now() - age)
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    sent = sum(outbox_send(pk) for pk in pending_ids)
    OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=timezone.now() - timedelta(days=7)
    ).delete()
    return sent
