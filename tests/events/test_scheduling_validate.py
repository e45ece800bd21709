"""The independent validator: it must catch every broken constraint and recount the objective."""

from __future__ import annotations

from events.scheduling.instance import Instance, Meeting, Participant, Request
from events.scheduling.validate import check_meetings


def small_event(**changes: object) -> Instance:
    fields = {
        "slots": 8,
        "tables": 2,
        "participants": (
            Participant(id="A"),
            Participant(id="B"),
            Participant(id="C", available=frozenset({0, 1, 2})),
            Participant(id="D", seats=2),
        ),
        "requests": (
            Request(a="A", b="B", weight=3),
            Request(a="A", b="C", weight=2),
            Request(a="B", b="D", weight=1, slots=frozenset({0, 1})),
            Request(a="C", b="D", weight=1),
            Request(a="A", b="D", weight=1),
        ),
    }
    fields.update(changes)
    return Instance(**fields)


def test_check_meetings_counts_breaks_as_idle_stretches() -> None:
    # A busy in slots {1, 2, 5, 7}: two idle stretches (3-4 and 6), three idle slots; partners meet once.
    instance = small_event(
        tables=4,
        participants=(*small_event().participants, Participant(id="E")),
        requests=(*small_event().requests, Request(a="A", b="E", weight=1)),
    )
    meetings = [
        Meeting(a="A", b="B", slot=1, table=0),
        Meeting(a="A", b="C", slot=2, table=0),
        Meeting(a="A", b="D", slot=5, table=0),
        Meeting(a="A", b="E", slot=7, table=0),
    ]

    check = check_meetings(instance, meetings)

    assert check.violations == []
    assert (check.objective, check.breaks, check.idle, check.scheduled) == (7, 2, 3, 4)


def test_check_meetings_accepts_two_meetings_in_one_slot_for_two_seats() -> None:
    instance = small_event()
    meetings = [Meeting(a="B", b="D", slot=1, table=0), Meeting(a="C", b="D", slot=1, table=1)]

    check = check_meetings(instance, meetings)

    assert check.violations == [] and check.breaks == 0


def test_check_meetings_reports_every_kind_of_violation() -> None:
    instance = small_event(locked=(Meeting(a="A", b="B", slot=0, table=1),))
    meetings = [
        Meeting(a="A", b="B", slot=0, table=0),  # locked at table 1
        Meeting(a="A", b="C", slot=0, table=1),  # A double-booked
        Meeting(a="B", b="D", slot=4, table=0),  # request allows only slots 0-1
        Meeting(a="C", b="D", slot=5, table=0),  # C is not available in slot 5
        Meeting(a="A", b="D", slot=4, table=0),  # table 0 twice in slot 4
        Meeting(a="B", b="C", slot=6, table=0),  # nobody asked
        Meeting(a="A", b="X", slot=6, table=1),  # unknown
        Meeting(a="A", b="D", slot=9, table=1),  # slot out of range
        Meeting(a="C", b="D", slot=2, table=7),  # table out of range, and C-D twice
    ]

    violations = "\n".join(check_meetings(instance, meetings).violations)

    assert "A: 2 meetings in slot 0 but only 1 seat(s)" in violations
    assert "more than the requests allow" in violations  # B-D in slot 4, C-D twice
    assert "C is not available in this slot" in violations
    assert "slot 4: table 0 holds 2 meetings at once" in violations
    assert "meeting B-C: nobody requested this meeting" in violations
    assert "unknown participant X" in violations
    assert "slot outside 0..7" in violations
    assert "table 7 outside 0..1" in violations
    assert "locked meeting A-B is not in slot 0 at table 1" in violations


def test_check_meetings_reports_too_many_meetings_for_tables() -> None:
    instance = small_event(tables=1)
    meetings = [Meeting(a="A", b="B", slot=3, table=0), Meeting(a="C", b="D", slot=3, table=0)]

    violations = check_meetings(instance, meetings).violations

    assert "slot 3: 2 meetings but only 1 tables" in violations
