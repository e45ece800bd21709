"""An Instance turned into integer-indexed arrays, shared by the greedy baseline, the solver and the bounds.

The search loops run millions of times in pure Python, so they index plain lists by integers instead of
looking participants up by id; this module does that translation once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .instance import Instance, locked_request


@dataclass
class IndexedInstance:
    """Participants and requests numbered 0..P-1 and 0..R-1; slot sets also as bit masks."""

    instance: Instance
    slot_count: int
    table_count: int
    seats: list[int]
    request_a: list[int]
    request_b: list[int]
    weight: list[float]
    allowed: list[list[int]]  # per request: sorted slots where it may go
    allowed_mask: list[int]
    locked_slot: list[int]  # per request: the locked slot, or -1
    locked_table: list[int]  # per request: the locked table, or -1 (locked without a table, or not locked)
    requests_of: list[list[int]]  # per participant: the requests that involve them

    @property
    def participant_count(self) -> int:
        return len(self.seats)

    @property
    def request_count(self) -> int:
        return len(self.request_a)


def index_instance(instance: Instance) -> IndexedInstance:
    """Number everything; requests keep the order of `instance.requests`."""
    position = {p.id: index for index, p in enumerate(instance.participants)}
    available = [p.available for p in instance.participants]
    request_a, request_b, weight, allowed, allowed_mask = [], [], [], [], []
    requests_of: list[list[int]] = [[] for _ in instance.participants]
    for index, request in enumerate(instance.requests):
        a, b = position[request.a], position[request.b]
        slots = available[a] & available[b]
        if request.slots is not None:
            slots &= request.slots
        ordered = sorted(slots)
        request_a.append(a)
        request_b.append(b)
        weight.append(request.weight)
        allowed.append(ordered)
        allowed_mask.append(sum(1 << s for s in ordered))
        requests_of[a].append(index)
        requests_of[b].append(index)
    locked_slot = [-1] * len(instance.requests)
    locked_table = [-1] * len(instance.requests)
    unlocked: dict[frozenset[str], list[int]] = {}
    for index, request in enumerate(instance.requests):
        unlocked.setdefault(request.pair, []).append(index)
    for meeting in instance.locked:
        # Same choice as the Instance check made: the heaviest not-yet-locked request allowing the slot.
        candidates = unlocked[meeting.pair]
        chosen = locked_request([instance.requests[i] for i in candidates], meeting.slot)
        index = next(i for i in candidates if instance.requests[i] is chosen)
        candidates.remove(index)
        locked_slot[index] = meeting.slot
        locked_table[index] = -1 if meeting.table is None else meeting.table
    return IndexedInstance(
        instance=instance,
        slot_count=instance.slots,
        table_count=instance.tables,
        seats=[p.seats for p in instance.participants],
        request_a=request_a,
        request_b=request_b,
        weight=weight,
        allowed=allowed,
        allowed_mask=allowed_mask,
        locked_slot=locked_slot,
        locked_table=locked_table,
        requests_of=requests_of,
    )


def breaks_of(mask: int) -> int:
    """Idle stretches between meetings for one participant whose busy slots are the bits of `mask`."""
    if not mask:
        return 0
    return (mask & ~(mask << 1)).bit_count() - 1


def idle_of(mask: int) -> int:
    """Idle slots inside the participant's span (first to last busy slot)."""
    if not mask:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()
