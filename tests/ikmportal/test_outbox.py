import os

import pytest
import redis

from ikmportal.outbox.models import OutboxMessage
from ikmportal.outbox.services import outbox_enqueue, outbox_resend_pending

REDIS_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def real_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL
    client = redis.Redis.from_url(REDIS_URL)
    client.delete("celery")
    yield client
    client.delete("celery")


@pytest.mark.django_db
def test_outbox_sends_to_the_real_broker_after_commit(real_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue("ikmportal.ping")
        assert real_broker.llen("celery") == 0  # nothing leaves before the transaction commits

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert real_broker.llen("celery") == 1


@pytest.mark.django_db
def test_outbox_keeps_task_pending_when_broker_down_then_resends(
    real_broker, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue("ikmportal.ping")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.last_error

    settings.CELERY_BROKER_URL = REDIS_URL
    sent = outbox_resend_pending(older_than_seconds=0)

    message.refresh_from_db()
    assert sent == 1
    assert message.status == OutboxMessage.Status.SENT
    assert real_broker.llen("celery") == 1


@pytest.mark.django_db
def test_outbox_runs_task_in_process_without_broker(settings, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue("ikmportal.ping")

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
