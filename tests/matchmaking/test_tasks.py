"""Recompute tasks: debounced requests, a real worker after a profile save, chunks, match e-mails."""

import time

import pytest
from celery import current_app
from django.core import mail
from django.db import connection, transaction

from ikmportal.outbox.models import OutboxMessage
from matchmaking.models import Suggestion, SuggestionAnswer
from matchmaking.recompute import (
    IKM_TASK,
    open_need_chunks,
    recompute_claim,
    request_ikm_recompute,
    suggestions_recompute_all,
)
from matchmaking.tasks import mutual_match_notify_task, suggestions_recompute_chunk_task
from profiles.models import Process
from tests.factories import BuyerStaffFactory, UserFactory
from tests.matchmaking.test_recompute import make_ikm, make_need, ranked
from tests.worker import REDIS_URL, database_url, running_worker


@pytest.fixture
def with_broker(settings):
    """Debouncing only applies with a real broker (without one, tasks run in-process at once)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL


@pytest.mark.django_db
def test_repeated_saves_collapse_into_one_queued_run(settings, with_broker, django_capture_on_commit_callbacks):
    settings.MATCHMAKING_RECOMPUTE_DEBOUNCE_SECONDS = 0.3
    ikm = make_ikm(processes=["turning"])

    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            request_ikm_recompute(ikm.pk)

    assert OutboxMessage.objects.filter(task_name=IKM_TASK, args=[ikm.pk]).count() == 1
    assert recompute_claim("ikm", ikm.pk) > 0  # saves just came in: the run waits for them to settle


@pytest.mark.django_db
def test_a_save_after_the_run_started_queues_a_new_run(settings, with_broker, django_capture_on_commit_callbacks):
    settings.MATCHMAKING_RECOMPUTE_DEBOUNCE_SECONDS = 0.2
    ikm = make_ikm(processes=["turning"])
    with django_capture_on_commit_callbacks(execute=True):
        request_ikm_recompute(ikm.pk)
    time.sleep(0.25)

    claimed = recompute_claim("ikm", ikm.pk)
    with django_capture_on_commit_callbacks(execute=True):
        request_ikm_recompute(ikm.pk)

    assert claimed is None
    assert OutboxMessage.objects.filter(task_name=IKM_TASK, args=[ikm.pk]).count() == 2


@pytest.mark.django_db
def test_chunk_task_recomputes_only_its_needs():
    make_ikm(processes=["cast-grey-iron", "turning"])
    mine, other = make_need(), make_need()

    suggestions_recompute_chunk_task.apply(args=[[mine.pk]])

    assert len(ranked(mine)) == 1 and ranked(other) == []
    assert open_need_chunks(size=1) == [[mine.pk], [other.pk]]


@pytest.mark.django_db
def test_mutual_match_mails_each_side_in_their_language_once():
    ikm = make_ikm(processes=["turning"], owner=UserFactory(language="en"))
    buyer = BuyerStaffFactory(language="id")
    need = make_need(buyer=buyer.buyer_organisation, created_by=buyer)
    SuggestionAnswer.objects.create(need=need, ikm=ikm, side="buyer", answer="interested", by=buyer)
    SuggestionAnswer.objects.create(need=need, ikm=ikm, side="ikm", answer="interested", by=ikm.owner)

    sent = mutual_match_notify_task.apply(args=[need.pk, ikm.pk]).get()
    again = mutual_match_notify_task.apply(args=[need.pk, ikm.pk]).get()

    assert (sent, again) == (2, 0)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[ikm.owner.email].subject.startswith("Mutual interest")
    assert need.title in by_address[buyer.email].body



@pytest.mark.django_db(transaction=True)
def test_real_worker_recomputes_after_a_profile_save(reference_data):
    ikm = make_ikm(processes=["cast-grey-iron"])
    need = make_need(processes=["turning"])
    suggestions_recompute_all()
    assert ranked(need) == []
    default_queue = current_app.conf.task_default_queue

    with running_worker(database_url=database_url(connection)) as (_client, queue):
        current_app.conf.task_default_queue = queue
        try:
            with transaction.atomic():  # what the profile save service does
                ikm.processes.add(Process.objects.get(code="turning"))
                request_ikm_recompute(ikm.pk)
            deadline = time.monotonic() + 90
            while not Suggestion.objects.filter(need=need, ikm=ikm).exists() and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            current_app.conf.task_default_queue = default_queue

    assert ranked(need) == [ikm.pk]
