"""A search in a forked process: its latest report comes back, it is stopped at the deadline, a failure
leaves the caller's own result, and the parent's database connection survives it."""

from __future__ import annotations

import os
import time

import pytest

from events.scheduling import forked
from profiles.models import Province


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_the_last_report_of_a_finished_search_comes_back() -> None:
    def search(report):
        report([1, 2, 3])
        report([0, -1, 2] * 2000)  # bigger than a pipe's buffer in one report
        return "its own return value is not sent"

    child = forked.start(search)
    assert child is not None
    assert child.latest(wait_until=time.perf_counter() + 30) == [0, -1, 2] * 2000
    assert gone(child.pid)


def test_a_search_still_running_at_the_deadline_is_stopped_keeping_what_it_reported() -> None:
    def search(report):
        report([4, 5])
        time.sleep(600)

    child = forked.start(search)
    assert child.latest(wait_until=time.perf_counter() + 0.5) == [4, 5]
    assert gone(child.pid)


def test_a_failing_search_reports_nothing() -> None:
    def search(report):
        raise RuntimeError("the SAT solver could not be loaded")

    child = forked.start(search)
    assert child.latest(wait_until=time.perf_counter() + 30) is None
    assert gone(child.pid)


def test_a_fork_that_fails_leaves_the_search_to_the_caller(monkeypatch) -> None:
    def no_more_processes():
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_more_processes)
    assert forked.start(lambda report: report([1])) is None


@pytest.mark.django_db
def test_the_parents_database_connection_works_after_a_search_in_a_child() -> None:
    provinces = Province.objects.count()

    def search(report):
        report([1])

    assert forked.start(search).latest(wait_until=time.perf_counter() + 30) == [1]
    assert Province.objects.count() == provinces
    Province.objects.create(code="98", name="Provinsi Uji Fork", latitude=0, longitude=0)
    assert Province.objects.filter(name="Provinsi Uji Fork").exists()
