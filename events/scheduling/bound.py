"""Bounds that tell how far a schedule can still be from the best one, and let the solver stop early.

`weight_upper_bound` is the LP relaxation of the slot-indexed model (x[request, slot] in [0, 1], each
request at most once, seats per participant and slot, tables per slot), solved with HiGHS. It is exact on
most events we see because the IKM-buyer graph is bipartite and seats, not slot clashes, are what binds.

`breaks_lower_bound` looks at one participant at a time, assuming every request is scheduled: if no block
of consecutive slots can hold all their meetings, they will have at least one break whatever the others do.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, sparse

from .model import IndexedInstance


def weight_upper_bound(indexed: IndexedInstance) -> float:
    """An upper bound on the total weight any feasible schedule can reach (locked meetings included)."""
    total = sum(indexed.weight)
    locked_weight = 0.0
    slot_count = indexed.slot_count
    seats_left = [[seats] * slot_count for seats in indexed.seats]
    tables_left = [indexed.table_count] * slot_count
    for request, slot in enumerate(indexed.locked_slot):
        if slot >= 0:
            locked_weight += indexed.weight[request]
            seats_left[indexed.request_a[request]][slot] -= 1
            seats_left[indexed.request_b[request]][slot] -= 1
            tables_left[slot] -= 1

    columns: list[tuple[int, int]] = []
    for request, allowed in enumerate(indexed.allowed):
        if indexed.locked_slot[request] >= 0:
            continue
        a, b = indexed.request_a[request], indexed.request_b[request]
        columns.extend(
            (request, slot) for slot in allowed if seats_left[a][slot] > 0 and seats_left[b][slot] > 0
        )
    if not columns:
        return _round_down(locked_weight, indexed)

    request_count = indexed.request_count
    participant_rows = indexed.participant_count * slot_count
    rows, cols = [], []
    for column, (request, slot) in enumerate(columns):
        a, b = indexed.request_a[request], indexed.request_b[request]
        rows.extend(
            (
                request,
                request_count + a * slot_count + slot,
                request_count + b * slot_count + slot,
                request_count + participant_rows + slot,
            )
        )
        cols.extend((column,) * 4)
    row_count = request_count + participant_rows + slot_count
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(row_count, len(columns)))
    limits = np.concatenate(
        [
            np.ones(request_count),
            np.array([seats_left[p][s] for p in range(indexed.participant_count) for s in range(slot_count)]),
            np.array(tables_left, dtype=float),
        ]
    )
    objective = -np.array([indexed.weight[request] for request, _ in columns], dtype=float)
    result = optimize.linprog(objective, A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs")
    if result.status != 0:
        return total  # the LP never fails on a valid instance; fall back to the trivial bound if it does
    return min(total, _round_down(locked_weight - result.fun, indexed))


def _round_down(value: float, indexed: IndexedInstance) -> float:
    """With integer weights the optimum is an integer, so the bound may be rounded down."""
    if all(float(w).is_integer() for w in indexed.weight):
        return float(math.floor(value + 1e-6))
    return value


def breaks_lower_bound(indexed: IndexedInstance) -> tuple[int, int]:
    """(breaks, idle slots) that any schedule holding every request must have, summed over participants.

    Only one-seat participants are examined (with more seats, a busy block may hold several meetings
    per slot and the test below does not apply); for them, a day without breaks is a block of k
    consecutive slots matched one-to-one to their k meetings, which is checked block by block.
    """
    breaks = 0
    for participant, requests in enumerate(indexed.requests_of):
        if indexed.seats[participant] != 1 or len(requests) < 2:
            continue
        count = len(requests)
        if not any(
            _fits_block(indexed, requests, first, count) for first in range(indexed.slot_count - count + 1)
        ):
            breaks += 1
    # Each break leaves at least one idle slot behind it.
    return breaks, breaks


def _fits_block(indexed: IndexedInstance, requests: list[int], first: int, count: int) -> bool:
    """Can the requests be matched one-to-one to slots first..first+count-1 (Kuhn's augmenting paths)?"""
    block = range(first, first + count)
    options = []
    for request in requests:
        locked = indexed.locked_slot[request]
        mask = indexed.allowed_mask[request] if locked < 0 else 1 << locked
        slots = [s for s in block if mask >> s & 1]
        if not slots:
            return False
        options.append(slots)
    holder: dict[int, int] = {}

    def augment(index: int, seen: set[int]) -> bool:
        for slot in options[index]:
            if slot in seen:
                continue
            seen.add(slot)
            if slot not in holder or augment(holder[slot], seen):
                holder[slot] = index
                return True
        return False

    return all(augment(index, set()) for index in sorted(range(count), key=lambda i: len(options[i])))
