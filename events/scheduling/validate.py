"""An independent check of a schedule against every DESIGN.md constraint.

Deliberately written from the meetings and the Instance alone, without the solver's indexed model or its
bit tricks, so that a bug in the search cannot hide itself: tests and the benchmark trust this, not the
solver's own bookkeeping.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .instance import Instance, Meeting, Request, Schedule


@dataclass
class ScheduleCheck:
    """What the validator found: broken constraints (empty when valid) and the recomputed objective."""

    violations: list[str] = field(default_factory=list)
    objective: float = 0.0
    breaks: int = 0
    idle: int = 0
    scheduled: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.violations


def check_meetings(instance: Instance, meetings: list[Meeting]) -> ScheduleCheck:
    """Check meetings against the instance; recompute weight, breaks and idle slots from them alone."""
    check = ScheduleCheck()
    participants = {p.id: p for p in instance.participants}
    requests_of_pair: defaultdict[frozenset[str], list[Request]] = defaultdict(list)
    for request in instance.requests:
        requests_of_pair[frozenset((request.a, request.b))].append(request)
    meetings_of_pair: defaultdict[frozenset[str], list[Meeting]] = defaultdict(list)
    per_slot: Counter[int] = Counter()
    tables_in_slot: defaultdict[int, Counter[int]] = defaultdict(Counter)
    busy: defaultdict[str, Counter[int]] = defaultdict(Counter)

    for meeting in meetings:
        label = f"meeting {meeting.a}-{meeting.b} in slot {meeting.slot}"
        unknown = [side for side in (meeting.a, meeting.b) if side not in participants]
        if unknown:
            check.violations.append(f"{label}: unknown participant {unknown[0]}")
            continue
        if not 0 <= meeting.slot < instance.slots:
            check.violations.append(f"{label}: slot outside 0..{instance.slots - 1}")
            continue
        meetings_of_pair[frozenset((meeting.a, meeting.b))].append(meeting)
        if meeting.table is None or not 0 <= meeting.table < instance.tables:
            check.violations.append(f"{label}: table {meeting.table!r} outside 0..{instance.tables - 1}")
        else:
            tables_in_slot[meeting.slot][meeting.table] += 1
        for side in (meeting.a, meeting.b):
            if meeting.slot not in participants[side].available:
                check.violations.append(f"{label}: {side} is not available in this slot")
            busy[side][meeting.slot] += 1
        per_slot[meeting.slot] += 1

    for pair, placed in meetings_of_pair.items():
        weight, matched = _match_requests(requests_of_pair.get(pair, []), placed)
        check.objective += weight
        check.scheduled += matched
        if matched < len(placed):
            a, b = sorted(pair)
            if not requests_of_pair.get(pair):
                check.violations.append(f"meeting {a}-{b}: nobody requested this meeting")
            else:
                check.violations.append(
                    f"meetings {a}-{b} in slots {sorted(m.slot for m in placed)}: more than the requests allow "
                    "(a request scheduled twice, or in a slot the request does not allow)"
                )

    for slot, count in sorted(per_slot.items()):
        if count > instance.tables:
            check.violations.append(f"slot {slot}: {count} meetings but only {instance.tables} tables")
    for slot, tables in sorted(tables_in_slot.items()):
        for table, count in sorted(tables.items()):
            if count > 1:
                check.violations.append(f"slot {slot}: table {table} holds {count} meetings at once")
    for side, slots in sorted(busy.items()):
        seats = participants[side].seats
        for slot, count in sorted(slots.items()):
            if count > seats:
                check.violations.append(f"{side}: {count} meetings in slot {slot} but only {seats} seat(s)")

    remaining = {pair: list(placed) for pair, placed in meetings_of_pair.items()}
    for locked in instance.locked:
        candidates = remaining.get(frozenset((locked.a, locked.b)), [])
        match = next(
            (m for m in candidates if m.slot == locked.slot and locked.table in (None, m.table)),
            None,
        )
        if match is None:
            where = f"slot {locked.slot}" + ("" if locked.table is None else f" at table {locked.table}")
            check.violations.append(f"locked meeting {locked.a}-{locked.b} is not in {where}")
        else:
            candidates.remove(match)

    for slots in busy.values():
        occupied = sorted(slots)
        # A stretch of idle slots between two busy ones is one break; every idle slot inside the span counts.
        check.breaks += sum(
            1 for before, after in zip(occupied, occupied[1:], strict=False) if after - before > 1
        )
        check.idle += occupied[-1] - occupied[0] + 1 - len(occupied)
    return check


def _match_requests(requests: list[Request], placed: list[Meeting]) -> tuple[float, int]:
    """Assign a pair's meetings to its requests (a slot the request allows, each request once).

    Usually one request and one meeting; a pair may ask for two meetings, so this is a small bipartite
    matching. Requests are tried heaviest first with augmenting paths, which gives the heaviest matched
    set (matchable request sets form a matroid). Returns (weight, number of meetings matched).
    """
    holder: dict[int, int] = {}  # meeting index -> request index

    def fits(request: Request, meeting: Meeting) -> bool:
        return request.slots is None or meeting.slot in request.slots

    def augment(request_index: int, seen: set[int]) -> bool:
        for meeting_index, meeting in enumerate(placed):
            if meeting_index in seen or not fits(requests[request_index], meeting):
                continue
            seen.add(meeting_index)
            if meeting_index not in holder or augment(holder[meeting_index], seen):
                holder[meeting_index] = request_index
                return True
        return False

    weight = 0.0
    for request_index in sorted(range(len(requests)), key=lambda i: -requests[i].weight):
        if augment(request_index, set()):
            weight += requests[request_index].weight
    return weight, len(holder)


def check_schedule(instance: Instance, schedule: Schedule) -> ScheduleCheck:
    """Like `check_meetings`, and also flag figures the schedule claims that the meetings don't support."""
    check = check_meetings(instance, schedule.meetings)
    if abs(check.objective - schedule.objective) > 1e-9:
        check.violations.append(f"objective claimed {schedule.objective}, meetings give {check.objective}")
    if check.breaks != schedule.breaks:
        check.violations.append(f"breaks claimed {schedule.breaks}, meetings give {check.breaks}")
    if check.idle != schedule.idle:
        check.violations.append(f"idle slots claimed {schedule.idle}, meetings give {check.idle}")
    if schedule.upper_bound is not None and check.objective > schedule.upper_bound + 1e-6:
        check.violations.append(
            f"objective {check.objective} exceeds the claimed upper bound {schedule.upper_bound}"
        )
    accounted = Counter(frozenset((m.a, m.b)) for m in schedule.meetings)
    accounted.update(frozenset((u.request.a, u.request.b)) for u in schedule.unscheduled)
    requested = Counter(frozenset((r.a, r.b)) for r in instance.requests)
    for pair, count in sorted(requested.items(), key=lambda item: sorted(item[0])):
        if accounted[pair] != count:
            a, b = sorted(pair)
            check.violations.append(
                f"request {a}-{b}: each request must be either scheduled or listed as unscheduled, exactly once"
            )
    return check
