"""The SAT neighbourhood search: fewer breaks, every meeting kept where it may be, checked by the validator."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from events.scheduling import sat_search
from events.scheduling.assemble import assemble_schedule
from events.scheduling.instance import Instance, Meeting, Participant, Request, instance_from_dict
from events.scheduling.model import IndexedInstance, index_instance
from events.scheduling.solver import _Search
from events.scheduling.validate import ScheduleCheck, check_schedule

B2B_DIR = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "b2b"


def checked(instance: Instance, indexed: IndexedInstance, slot_of: list[int]) -> ScheduleCheck:
    check = check_schedule(instance, assemble_schedule(indexed, slot_of, seconds=0.0, upper_bound=None))
    assert check.violations == []
    return check


def searched(indexed: IndexedInstance, start: list[int], seconds: float = 1.0) -> list[int]:
    return sat_search.reduce_breaks(
        indexed,
        start,
        deadline=time.perf_counter() + seconds,
        planned_seconds=seconds,
        breaks_floor=0,
        seed=0,
    )


def test_sat_search_closes_gaps_counting_seats_and_tables() -> None:
    # Two buyers with two seats each, eight IKMs meeting both, three tables.
    ikms = [f"I{i}" for i in range(8)]
    instance = Instance(
        slots=8,
        tables=3,
        participants=(
            Participant(id="B1", seats=2),
            Participant(id="B2", seats=2),
            *(Participant(id=ikm) for ikm in ikms),
        ),
        requests=tuple(Request(a=buyer, b=ikm) for buyer in ("B1", "B2") for ikm in ikms),
    )
    indexed = index_instance(instance)
    start = [r // 2 for r in range(indexed.request_count)]  # valid, but every IKM waits between its two

    better = searched(indexed, start)

    before, after = checked(instance, indexed, start), checked(instance, indexed, better)
    assert before.breaks > 0
    assert after.breaks == 0
    assert after.scheduled == before.scheduled == indexed.request_count


def test_sat_search_keeps_to_the_tables_with_one_seat_each() -> None:
    # One table. A meets B only in slot 0 and D meets E only in slot 1; A-C and D-F may go anywhere. Without
    # the table limit A-C would join D-E in slot 1 and nobody would wait; with it, one of A and D waits.
    instance = Instance(
        slots=4,
        tables=1,
        participants=tuple(Participant(id=name) for name in "ABCDEF"),
        requests=(
            Request(a="A", b="B", slots=frozenset({0})),
            Request(a="A", b="C"),
            Request(a="D", b="E", slots=frozenset({1})),
            Request(a="D", b="F"),
        ),
    )
    indexed = index_instance(instance)
    start = [0, 2, 1, 3]  # A busy in 0 and 2, D in 1 and 3: two breaks

    better = searched(indexed, start)

    after = checked(instance, indexed, better)  # the validator counts the tables too
    assert after.breaks == 1
    assert better == [0, 3, 1, 2]  # A waits from 1 to 3; D meets F straight after E


def test_sat_search_keeps_locked_meetings_and_leaves_requests_out_alone() -> None:
    instance = Instance(
        slots=6,
        tables=2,
        participants=tuple(Participant(id=name) for name in "ABCDE"),
        requests=(
            Request(a="A", b="B"),
            Request(a="A", b="C"),
            Request(a="A", b="D"),
            Request(a="B", b="C"),
            Request(a="D", b="E"),
        ),
        locked=(Meeting(a="A", b="B", slot=2, table=0),),
    )
    indexed = index_instance(instance)
    start = [2, 0, 5, 4, -1]  # A busy in 0, 2 and 5, B in 2 and 4, C in 0 and 4: four breaks; D-E out

    better = searched(indexed, start)

    after = checked(instance, indexed, better)
    assert better[0] == 2  # the organiser's meeting stays
    assert better[4] == -1  # weight is the annealing's and the insertion's business, not this search's
    assert after.breaks == 0
    # The only days without a break: A in 0-2, B and C in 1-2 and 0-1, or the mirror image.
    assert better[1:4] in ([0, 1, 1], [4, 3, 3])


def test_sat_search_removes_breaks_of_a_public_event_keeping_every_meeting() -> None:
    instance = instance_from_dict(json.loads((B2B_DIR / "forum-13crafc.json").read_text(encoding="utf-8")))
    indexed = index_instance(instance)
    search = _Search(indexed, random.Random(0))
    search.construct()
    search.add_weight(len(instance.requests), deadline=time.perf_counter() + 2.0)
    start = search.best_slot_of

    better = searched(indexed, start, seconds=2.0)

    before, after = checked(instance, indexed, start), checked(instance, indexed, better)
    assert after.scheduled == before.scheduled
    assert after.breaks < before.breaks
