"""The solver, the greedy baseline and the bounds, on small events with a known optimum and public ones.

Every schedule produced here is checked by the independent validator. Budgets are short; nothing is timed.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from events.scheduling import annealing
from events.scheduling.assemble import assemble_schedule
from events.scheduling.bound import breaks_lower_bound, weight_upper_bound
from events.scheduling.greedy import solve_greedy
from events.scheduling.instance import Instance, Meeting, Participant, Request, Schedule, instance_from_dict
from events.scheduling.model import index_instance
from events.scheduling.solver import _Search, solve
from events.scheduling.validate import check_schedule

B2B_DIR = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "b2b"
QUICK = 0.5  # seconds: small events reach their optimum long before


def everyone(*ids: str, seats: int = 1, available: set[int] | None = None) -> tuple[Participant, ...]:
    return tuple(
        Participant(id=i, seats=seats, available=None if available is None else frozenset(available))
        for i in ids
    )


def solved(instance: Instance, seconds: float = QUICK) -> Schedule:
    """Solve and insist that the independent validator finds nothing wrong."""
    schedule = solve(instance, seconds=seconds, seed=0)
    assert check_schedule(instance, schedule).violations == []
    return schedule


def slot_of(schedule: Schedule, a: str, b: str) -> int:
    return next(m.slot for m in schedule.meetings if {m.a, m.b} == {a, b})


def test_solve_packs_star_without_breaks() -> None:
    instance = Instance(
        slots=6,
        tables=3,
        participants=everyone("B", "I1", "I2", "I3"),
        requests=tuple(Request(a=i, b="B") for i in ("I1", "I2", "I3")),
    )

    schedule = solved(instance)

    assert (schedule.objective, schedule.breaks, schedule.idle) == (3, 0, 0)
    assert schedule.upper_bound == 3


def test_solve_drops_lightest_request_when_day_is_full() -> None:
    weights = {"I1": 3, "I2": 2, "I3": 1, "I4": 2}
    instance = Instance(
        slots=3,
        tables=5,
        participants=everyone("B", *weights),
        requests=tuple(Request(a=i, b="B", weight=w) for i, w in weights.items()),
    )

    schedule = solved(instance)

    assert (schedule.objective, schedule.breaks) == (7, 0)
    assert [(u.request.a, u.reason) for u in schedule.unscheduled] == [
        ("I3", "B's day is full in every slot this meeting could take")
    ]


def test_solve_accepts_forced_break_and_keeps_idle_minimal() -> None:
    # X must meet Y (only slot 0) and Z (slots 2 or 3): one break is unavoidable, one idle slot is best.
    participants = (
        Participant(id="X"),
        Participant(id="Y", available=frozenset({0})),
        Participant(id="Z", available=frozenset({2, 3})),
    )
    instance = Instance(
        slots=4, tables=2, participants=participants, requests=(Request(a="X", b="Y"), Request(a="X", b="Z"))
    )

    schedule = solved(instance)

    assert (schedule.objective, schedule.breaks, schedule.idle) == (2, 1, 1)
    assert slot_of(schedule, "X", "Z") == 2


def test_solve_honours_request_slots() -> None:
    instance = Instance(
        slots=6,
        tables=2,
        participants=everyone("A", "B", "C"),
        requests=(
            Request(a="A", b="B", slots=frozenset({4})),
            Request(a="A", b="C", slots=frozenset({0, 1, 5})),
        ),
    )

    schedule = solved(instance)

    assert slot_of(schedule, "A", "B") == 4
    assert slot_of(schedule, "A", "C") == 5  # next to slot 4: no break for A
    assert schedule.breaks == 0


def test_solve_uses_several_seats_in_one_slot() -> None:
    instance = Instance(
        slots=2,
        tables=4,
        participants=(Participant(id="B", seats=2), *everyone("I1", "I2", "I3", "I4")),
        requests=tuple(Request(a=i, b="B") for i in ("I1", "I2", "I3", "I4")),
    )

    schedule = solved(instance)

    assert schedule.objective == 4 and schedule.breaks == 0


def test_solve_beats_greedy_when_tables_are_scarce() -> None:
    # One table: greedy puts the flexible meeting in slot 0, where the restricted one had to go.
    instance = Instance(
        slots=2,
        tables=1,
        participants=everyone("A", "B", "C", "D", "E", "F"),
        requests=(
            Request(a="A", b="B", weight=3),
            Request(a="C", b="D", weight=3, slots=frozenset({0})),
            Request(a="E", b="F", weight=1),
        ),
    )

    ours, greedy = solved(instance), solve_greedy(instance)

    assert check_schedule(instance, greedy).violations == []
    assert (greedy.objective, ours.objective) == (4, 6)
    assert [u.reason for u in ours.unscheduled] == ["no table free in any slot this meeting could take"]


def test_solve_keeps_locked_meetings_in_place() -> None:
    instance = Instance(
        slots=5,
        tables=1,
        participants=everyone("A", "B", "C", "D"),
        requests=(Request(a="A", b="B"), Request(a="A", b="C"), Request(a="B", b="D")),
        locked=(Meeting(a="A", b="B", slot=2, table=0),),
    )

    schedule = solved(instance)

    assert Meeting(a="A", b="B", slot=2, table=0) in schedule.meetings
    assert (schedule.objective, schedule.breaks) == (3, 0)
    assert {slot_of(schedule, "A", "C"), slot_of(schedule, "B", "D")} == {1, 3}


def test_solve_explains_request_without_common_slot() -> None:
    participants = (
        Participant(id="A", available=frozenset({0})),
        Participant(id="B", available=frozenset({1})),
    )
    instance = Instance(slots=2, tables=1, participants=participants, requests=(Request(a="A", b="B"),))

    schedule = solved(instance)

    assert schedule.meetings == []
    assert schedule.unscheduled[0].reason.startswith("no common free slot")


def test_solve_repeats_result_for_same_seed() -> None:
    instance = Instance(
        slots=6,
        tables=2,
        participants=everyone("A", "B", "C", "D", "E"),
        requests=tuple(
            Request(a=x, b=y) for x, y in [("A", "B"), ("A", "C"), ("B", "D"), ("C", "E"), ("D", "E")]
        ),
    )

    first, second = solved(instance), solved(instance)

    assert first.meetings == second.meetings


def test_weight_upper_bound_counts_seats_and_tables() -> None:
    instance = Instance(
        slots=2,
        tables=1,
        participants=everyone("A", "B", "C", "D", "E", "F"),
        requests=(
            Request(a="A", b="B", weight=3),
            Request(a="C", b="D", weight=2),
            Request(a="E", b="F", weight=1),
        ),
    )

    assert weight_upper_bound(index_instance(instance)) == 5


def test_breaks_lower_bound_sees_forced_break() -> None:
    participants = (
        Participant(id="X"),
        Participant(id="Y", available=frozenset({0})),
        Participant(id="Z", available=frozenset({2, 3})),
    )
    instance = Instance(
        slots=4, tables=2, participants=participants, requests=(Request(a="X", b="Y"), Request(a="X", b="Z"))
    )

    assert breaks_lower_bound(index_instance(instance)) == (1, 1)


@pytest.mark.parametrize("name", ["tic-12crafc", "forum-13crafb"])
def test_solve_schedules_every_meeting_of_public_event(name: str) -> None:
    instance = instance_from_dict(json.loads((B2B_DIR / f"{name}.json").read_text(encoding="utf-8")))

    schedule = solved(instance, seconds=2.0)

    assert len(schedule.meetings) == len(instance.requests)
    assert schedule.unscheduled == []
    assert schedule.breaks < solve_greedy(instance).breaks


def _public_search(name: str, seed: int = 0) -> tuple[Instance, _Search]:
    instance = instance_from_dict(json.loads((B2B_DIR / f"{name}.json").read_text(encoding="utf-8")))
    search = _Search(index_instance(instance), random.Random(seed))
    search.construct()
    search.add_weight(len(instance.requests), deadline=time.perf_counter() + 2.0)
    return instance, search


def test_reduce_breaks_keeps_every_meeting_and_never_adds_breaks() -> None:
    # forum-13crafc has 12 tables for 154 meetings, so the search lets slots overflow on the way.
    instance, search = _public_search("forum-13crafc")
    scheduled = {r for r, slot in enumerate(search.best_slot_of) if slot >= 0}
    breaks_before = -search.best_key[1]

    search.reduce_breaks(
        deadline=time.perf_counter() + 1.0, breaks_floor=0, idle_floor=0, planned_seconds=1.0, seeds=[0, 1]
    )

    assert {r for r, slot in enumerate(search.best_slot_of) if slot >= 0} == scheduled
    assert -search.best_key[1] < breaks_before
    schedule = assemble_schedule(search.indexed, search.best_slot_of, seconds=0.0, upper_bound=None)
    check = check_schedule(instance, schedule)
    assert check.violations == []
    assert check.breaks == -search.best_key[1]


def test_break_search_respects_several_seats_and_scarce_tables() -> None:
    # Two buyers with two seats each, eight IKMs meeting both, three tables: swaps must count seats, not
    # assume one meeting per participant and slot.
    ikms = [f"I{i}" for i in range(8)]
    instance = Instance(
        slots=8,
        tables=3,
        participants=everyone("B1", "B2", seats=2) + everyone(*ikms),
        requests=tuple(Request(a=buyer, b=ikm) for buyer in ("B1", "B2") for ikm in ikms),
    )
    indexed = index_instance(instance)
    start = [-1] * indexed.request_count
    for r in range(indexed.request_count):  # a valid but gappy start: meeting r in slot r // 2
        start[r] = r // 2

    better = annealing.reduce_breaks(
        indexed, start, deadline=time.perf_counter() + 1.0, planned_seconds=0.2, floors=(0, 0), seeds=[0]
    )

    before = check_schedule(instance, assemble_schedule(indexed, start, seconds=0.0, upper_bound=None))
    after = check_schedule(instance, assemble_schedule(indexed, better, seconds=0.0, upper_bound=None))
    assert before.violations == [] and after.violations == []
    assert after.breaks < before.breaks
    assert all(slot >= 0 for slot in better)
