"""Heaviest-first greedy: the baseline the solver must beat, and what an organiser would do by hand.

Requests are taken by falling weight (ties in input order) and each goes into the earliest slot where both
sides have a free seat and a table is free. Locked meetings are placed first.
"""

from __future__ import annotations

import time

from .assemble import assemble_schedule
from .instance import Instance, Schedule
from .model import index_instance


def solve_greedy(instance: Instance) -> Schedule:
    """Schedule heaviest-first, earliest-slot-first; no search, no upper bound."""
    started = time.perf_counter()
    indexed = index_instance(instance)
    slot_count = indexed.slot_count
    busy = [[0] * slot_count for _ in range(indexed.participant_count)]
    load = [0] * slot_count
    slot_of = [-1] * indexed.request_count

    def place(request: int, slot: int) -> None:
        slot_of[request] = slot
        busy[indexed.request_a[request]][slot] += 1
        busy[indexed.request_b[request]][slot] += 1
        load[slot] += 1

    for request, slot in enumerate(indexed.locked_slot):
        if slot >= 0:
            place(request, slot)
    order = sorted(range(indexed.request_count), key=lambda r: -indexed.weight[r])
    seats = indexed.seats
    for request in order:
        if slot_of[request] >= 0:
            continue
        a, b = indexed.request_a[request], indexed.request_b[request]
        for slot in indexed.allowed[request]:
            if load[slot] < indexed.table_count and busy[a][slot] < seats[a] and busy[b][slot] < seats[b]:
                place(request, slot)
                break
    return assemble_schedule(indexed, slot_of, seconds=time.perf_counter() - started, upper_bound=None)
