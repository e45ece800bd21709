"""Turn a slot per request into a Schedule: table numbers, the objective, and why the rest was left out.

Shared by the greedy baseline and the solver so both are reported, and explained, the same way.
"""

from __future__ import annotations

from .instance import Meeting, Schedule, Unscheduled
from .model import IndexedInstance, breaks_of, idle_of


def assemble_schedule(
    indexed: IndexedInstance, slot_of: list[int], *, seconds: float, upper_bound: float | None
) -> Schedule:
    """Build the Schedule for `slot_of` (-1 = not scheduled); assumes the placement is feasible."""
    instance = indexed.instance
    participants = instance.participants
    slot_count = indexed.slot_count
    taken: list[set[int]] = [set() for _ in range(slot_count)]
    for request, table in enumerate(indexed.locked_table):
        if table >= 0:
            taken[indexed.locked_slot[request]].add(table)
    next_table = [0] * slot_count
    meetings: list[Meeting] = []
    masks = [0] * len(participants)
    weight = 0.0
    for request, slot in enumerate(slot_of):
        if slot < 0:
            continue
        table = indexed.locked_table[request]
        if table < 0:
            # Smallest table number not reserved by a locked meeting: organisers like table 1, 2, 3...
            while next_table[slot] in taken[slot]:
                next_table[slot] += 1
            table = next_table[slot]
            taken[slot].add(table)
        a, b = indexed.request_a[request], indexed.request_b[request]
        meetings.append(Meeting(a=participants[a].id, b=participants[b].id, slot=slot, table=table))
        masks[a] |= 1 << slot
        masks[b] |= 1 << slot
        weight += indexed.weight[request]
    meetings.sort(key=lambda m: (m.slot, m.table))
    return Schedule(
        meetings=meetings,
        objective=weight,
        breaks=sum(breaks_of(m) for m in masks),
        idle=sum(idle_of(m) for m in masks),
        upper_bound=upper_bound,
        seconds=seconds,
        unscheduled=explain_unscheduled(indexed, slot_of),
    )


def explain_unscheduled(indexed: IndexedInstance, slot_of: list[int]) -> list[Unscheduled]:
    """Say, for each request left out, what blocks every slot it could have taken in this schedule."""
    instance = indexed.instance
    participants = instance.participants
    slot_count = indexed.slot_count
    busy = [[0] * slot_count for _ in participants]
    load = [0] * slot_count
    for request, slot in enumerate(slot_of):
        if slot >= 0:
            busy[indexed.request_a[request]][slot] += 1
            busy[indexed.request_b[request]][slot] += 1
            load[slot] += 1
    result = []
    for request, slot in enumerate(slot_of):
        if slot >= 0:
            continue
        a, b = indexed.request_a[request], indexed.request_b[request]
        name_a, name_b = participants[a].id, participants[b].id
        allowed = indexed.allowed[request]
        if not allowed:
            reason = (
                f"no common free slot: {name_a} and {name_b} are never both available when the request allows"
            )
        else:
            a_full = [s for s in allowed if busy[a][s] >= indexed.seats[a]]
            b_full = [s for s in allowed if busy[b][s] >= indexed.seats[b]]
            tables_full = [s for s in allowed if load[s] >= indexed.table_count]
            if len(a_full) == len(allowed):
                reason = f"{name_a}'s day is full in every slot this meeting could take"
            elif len(b_full) == len(allowed):
                reason = f"{name_b}'s day is full in every slot this meeting could take"
            elif len(tables_full) == len(allowed):
                reason = "no table free in any slot this meeting could take"
            elif set(a_full) | set(b_full) | set(tables_full) == set(allowed):
                reason = (
                    f"every possible slot is taken: {name_a} busy in {_slots(a_full)}, "
                    f"{name_b} busy in {_slots(b_full)}, tables full in {_slots(tables_full)}"
                )
            else:
                reason = "left out by the solver although a slot is free (time budget too short)"
        result.append(Unscheduled(request=instance.requests[request], reason=reason))
    return result


def _slots(slots: list[int]) -> str:
    return "[" + ", ".join(map(str, slots)) + "]" if slots else "none"
