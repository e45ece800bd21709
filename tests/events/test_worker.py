"""The scheduler in a real Celery worker: a forked pool child, the compiled break search and its threads."""

import pytest
from django.db import connection

from events.enums import EventStatus, ScheduleRunStatus
from events.models import Meeting, ScheduleRun
from tests.events.test_services import _accepted, _check_written
from tests.factories import BuyerRegistrationFactory, IkmRegistrationFactory
from tests.worker import database_url, running_worker


@pytest.mark.django_db(transaction=True)
def test_real_worker_schedules_an_event(reference_data, event, dinas_tegal):
    buyers = [BuyerRegistrationFactory(event=event, seats=2), BuyerRegistrationFactory(event=event)]
    for ikm_reg in [IkmRegistrationFactory(event=event) for _ in range(5)]:
        for buyer_reg in buyers:
            _accepted(event, ikm_reg, buyer_reg)
    event.status = EventStatus.SCHEDULING
    event.save()
    run = ScheduleRun.objects.create(event=event, requested_by=dinas_tegal, seconds_budget=2)

    with running_worker(database_url=database_url(connection), pool="prefork") as (client, queue):
        answer = client.send_task("events.schedule_solve", args=[run.pk], queue=queue).get(timeout=120)

    run.refresh_from_db()
    assert run.status == ScheduleRunStatus.DONE, run.message
    assert answer == "done: 10 meetings"
    assert Meeting.objects.filter(event=event).count() == 10
    assert _check_written(event).is_valid
