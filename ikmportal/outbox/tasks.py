from celery import shared_task

from .services import outbox_resend_pending


@shared_task(name="outbox.resend_pending", soft_time_limit=120, time_limit=150)
def outbox_resend_pending_task() -> int:
    return outbox_resend_pending()
