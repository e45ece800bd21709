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


def test_every_apps_tasks_are_registered_in_the_web_process_for_in_process_runs():
    from celery import current_app

    names = set(current_app.tasks)

    assert {"matchmaking.ikm_suggestions_recompute", "matchmaking.need_suggestions_recompute",
            "outbox.resend_pending"} <= names


@pytest.mark.django_db
def test_without_a_broker_a_profile_save_rescores_in_process(client, settings, django_capture_on_commit_callbacks):
    from matchmaking.models import Suggestion
    from tests.matchmaking.test_recompute import make_ikm, make_need

    settings.CELERY_TASK_ALWAYS_EAGER = True
    need = make_need(processes=("turning",))
    ikm = make_ikm(processes=[], description="")
    client.force_login(ikm.owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ikm/{ikm.pk}/edit/story/", {"description": "Kami melayani bubut dan frais CNC.",
                                                    "main_customers": ""})

    assert Suggestion.objects.filter(need=need, ikm=ikm).exists()
