"""The event meeting scheduler: most weight first, then fewest breaks, then fewest idle slots.

How it works, in three phases sharing one incremental state (busy bit masks per participant, so the
breaks and idle slots of a day are a few integer operations):

1. Construction. Requests go heaviest and most constrained first into the feasible slot that adds the
   least to the two participants' breaks and idle time, avoiding slots that restricted requests need.
2. Weight. Like PartialCol for graph colouring: an unscheduled request is put into its best slot and
   whatever blocks it (a participant's full seats, the last table) is first moved to another free slot
   if possible, else taken out and returned to the pool. Gains are always taken, level moves often and
   small losses rarely, with a short tabu on putting a meeting straight back; the best schedule is kept.
   It stops as soon as every request is in or the LP upper bound is reached.
3. Breaks. Simulated annealing with the weight held (meetings only move, or get added): move a meeting to
   another slot, or swap two slots' meetings along a Kempe chain (what one participant moves out of a
   slot the other side must make room for), with a table-balancing partner when the target slot is full.
   When everyone has one seat, a Kempe swap is the whole connected component of the two slots' meetings
   and each touched participant's day just has two bits exchanged, which is cheap to build and to score.
   Moves are aimed half the time at a participant with a gap, towards the edge of one of their runs;
   now and then a participant's whole day is re-packed into one block of consecutive slots by a linear
   assignment whose costs are the partners' changes (scipy's linear_sum_assignment).
   The guide cost is breaks + MU * idle, with a day's idle slots counted up to IDLE_CAP only: a long
   gap that cannot be closed (a participant away at midday) should not pull the day's other meetings
   towards it. The best schedule is kept in the exact lexicographic order.
   Unless the meetings fill nearly every table of every slot, a slot may take more meetings than tables
   during the search, at a cost per extra meeting that rises during each run: full slots in the middle
   of the day otherwise wall the search in. Only table-feasible schedules are ever kept as the best.
   The first annealing run is long (one slow cooling beats many quick ones on these landscapes); its
   length is a number of iterations set from the meeting count and the budget in seconds (at a modest
   nominal rate), never from the clock, so a seed gives the same result on any machine as long as the
   time budget is not what stops it. Later runs restart from the best schedule found. Should the clock
   outrun the planned iterations (slow or busy machine, dense 10-slot events), a run cools by the clock
   in the second half of its time so it still ends cold; a run that reaches the bound earlier is not
   affected.

The search stops early when the weight reaches its upper bound and the breaks reach the per-participant
lower bound of `bound.breaks_lower_bound`.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
from scipy import optimize

from .assemble import assemble_schedule
from .bound import breaks_lower_bound, weight_upper_bound
from .instance import Instance, Schedule
from .model import IndexedInstance, breaks_of, idle_of, index_instance

IDLE_WEIGHT = 0.2  # idle slots guide the annealing towards compact days; breaks still decide the best
WEIGHT_PHASE_SHARE = 0.5  # at most this share of the budget goes to adding weight
TABU_TENURE = 10
IDLE_CAP = 4  # idle slots beyond this many in one day add nothing to the guide (measured: 4 beats 3, 6, none)
KEMPE_CHAIN_LIMIT = 40
FIRST_TEMPERATURE, RESTART_TEMPERATURE, LAST_TEMPERATURE = 0.6, 0.35, 0.02
RUN_LENGTH_PER_MEETING, RUN_LENGTH_MIN, RUN_LENGTH_MAX = 3000, 30_000, 3_000_000
NOMINAL_RATE = 30_000  # annealing iterations per second of budget planned for the first run
LATE_MARGIN = 0.05  # share of a run the clock may lead the iterations by before it sets the temperature
LATE_START = 0.5  # ... and never before this share of the run's time has passed
TARGETED_SHARE = 0.5
REPACK_SHARE = 0.05
# While breaks are reduced, a slot may hold more meetings than tables at this cost per extra meeting: the
# search then crosses full slots instead of being walled in by them (only table-feasible schedules are kept).
# It rises during a run from the first to the last value, so that each run ends table-feasible.
OVERFLOW_WEIGHT_FIRST, OVERFLOW_WEIGHT_LAST = 1.0, 3.0
# ... but only where there is room to pay an overflow back: when the meetings fill nearly every table of
# every slot, crossing a full slot only wastes moves.
OVERFLOW_MAX_FILL = 0.9
UNREACHABLE = 1e6


def solve(instance: Instance, *, seconds: float = 10.0, seed: int = 0) -> Schedule:
    """Schedule `instance` within about `seconds`; the same seed gives the same answer (see module doc)."""
    started = time.perf_counter()
    # Keep a little of the budget for building the answer, so `seconds` is an upper limit, not a target.
    deadline = started + seconds * 0.98 - 0.02
    indexed = index_instance(instance)
    search = _Search(indexed, random.Random(seed))
    search.construct()
    movable_total = sum(
        indexed.weight[r]
        for r in range(indexed.request_count)
        if indexed.allowed[r] or indexed.locked_slot[r] >= 0
    )
    # The LP costs a second or two on big events; skip it when construction already placed everything.
    upper_bound = movable_total if search.weight >= movable_total - 1e-9 else weight_upper_bound(indexed)
    weight_deadline = started + seconds * WEIGHT_PHASE_SHARE
    search.add_weight(upper_bound, deadline=weight_deadline)
    everything_in = search.weight >= sum(indexed.weight) - 1e-9
    breaks_floor, idle_floor = breaks_lower_bound(indexed) if everything_in else (0, 0)
    search.reduce_breaks(
        deadline=deadline, breaks_floor=breaks_floor, idle_floor=idle_floor, planned_seconds=seconds
    )
    return assemble_schedule(
        indexed, search.best_slot_of, seconds=time.perf_counter() - started, upper_bound=upper_bound
    )


class _Search:
    """The mutable schedule with incremental bookkeeping, and the moves of the three phases."""

    def __init__(self, indexed: IndexedInstance, rng: random.Random) -> None:
        self.indexed = indexed
        self.rng = rng
        slot_count = indexed.slot_count
        participant_count = indexed.participant_count
        self.slot_count = slot_count
        self.slot_of = [-1] * indexed.request_count
        self.busy_count = [0] * (participant_count * slot_count)
        self.meetings_at: list[list[int]] = [[] for _ in range(participant_count * slot_count)]
        self.mask = [0] * participant_count
        self.load = [0] * slot_count
        self.in_slot: list[list[int]] = [[] for _ in range(slot_count)]
        self.weight = 0.0
        self.breaks = 0
        self.idle = 0
        self.guide = 0.0
        self.overflow = 0  # meetings beyond the tables, summed over slots (0 outside the breaks phase)
        self.overflow_weight = 0.0
        self._guide_memo: dict[int, float] = {}
        # With one seat each (the usual case), a swap between two slots is a connected component of the
        # meetings in them, and each participant's day after it is their day with the two bits exchanged.
        self.single_seat = all(seats == 1 for seats in indexed.seats)
        for request, slot in enumerate(indexed.locked_slot):
            if slot >= 0:
                self.place(request, slot)
        self.best_slot_of = list(self.slot_of)
        self.best_key = self.key()

    # --- bookkeeping -------------------------------------------------------------------------------

    def guide_cost(self, mask: int) -> float:
        """breaks + IDLE_WEIGHT * idle for one participant's day, memoised by bit mask."""
        cost = self._guide_memo.get(mask)
        if cost is None:
            cost = breaks_of(mask) + IDLE_WEIGHT * min(idle_of(mask), IDLE_CAP)
            self._guide_memo[mask] = cost
        return cost

    def key(self) -> tuple[float, int, int]:
        """Lexicographic quality, larger is better: weight, then fewer breaks, then fewer idle slots."""
        return (round(self.weight, 9), -self.breaks, -self.idle)

    def _set_mask(self, participant: int, new_mask: int) -> None:
        old_mask = self.mask[participant]
        if old_mask == new_mask:
            return
        self.breaks += breaks_of(new_mask) - breaks_of(old_mask)
        self.idle += idle_of(new_mask) - idle_of(old_mask)
        self.guide += self.guide_cost(new_mask) - self.guide_cost(old_mask)
        self.mask[participant] = new_mask

    def place(self, request: int, slot: int) -> None:
        indexed = self.indexed
        self.slot_of[request] = slot
        self.load[slot] += 1
        if self.load[slot] > indexed.table_count:
            self.overflow += 1
        self.in_slot[slot].append(request)
        self.weight += indexed.weight[request]
        for participant in (indexed.request_a[request], indexed.request_b[request]):
            cell = participant * self.slot_count + slot
            self.busy_count[cell] += 1
            self.meetings_at[cell].append(request)
            self._set_mask(participant, self.mask[participant] | (1 << slot))

    def remove(self, request: int) -> None:
        indexed = self.indexed
        slot = self.slot_of[request]
        self.slot_of[request] = -1
        if self.load[slot] > indexed.table_count:
            self.overflow -= 1
        self.load[slot] -= 1
        self.in_slot[slot].remove(request)
        self.weight -= indexed.weight[request]
        for participant in (indexed.request_a[request], indexed.request_b[request]):
            cell = participant * self.slot_count + slot
            self.busy_count[cell] -= 1
            self.meetings_at[cell].remove(request)
            if not self.busy_count[cell]:
                self._set_mask(participant, self.mask[participant] & ~(1 << slot))

    def has_room(self, request: int, slot: int) -> bool:
        """Both sides have a free seat and a table is free in `slot` (the request is not in it)."""
        indexed = self.indexed
        slot_count = self.slot_count
        a, b = indexed.request_a[request], indexed.request_b[request]
        return (
            self.load[slot] < indexed.table_count
            and self.busy_count[a * slot_count + slot] < indexed.seats[a]
            and self.busy_count[b * slot_count + slot] < indexed.seats[b]
        )

    def free_slot(self, request: int, avoid: int = -1) -> int:
        """A slot where the request fits as things stand, starting from a random one; -1 if none."""
        allowed = self.indexed.allowed[request]
        if not allowed:
            return -1
        start = self.rng.randrange(len(allowed))
        for offset in range(len(allowed)):
            slot = allowed[(start + offset) % len(allowed)]
            if slot != avoid and slot != self.slot_of[request] and self.has_room(request, slot):
                return slot
        return -1

    def remember_if_best(self) -> bool:
        key = self.key()
        if key > self.best_key and not self.overflow:
            self.best_key = key
            self.best_slot_of = list(self.slot_of)
            return True
        return False

    def restore(self, slot_of: list[int]) -> None:
        """Make the current schedule equal to `slot_of` by moving only what differs."""
        for request, slot in enumerate(self.slot_of):
            if slot != slot_of[request] and slot >= 0:
                self.remove(request)
        for request, slot in enumerate(slot_of):
            if slot >= 0 and self.slot_of[request] != slot:
                self.place(request, slot)

    # --- phase 1: construction ---------------------------------------------------------------------

    def construct(self) -> None:
        indexed = self.indexed
        slot_count = self.slot_count
        # How much restricted requests need each slot: flexible ones should leave those slots alone.
        pressure = [0.0] * slot_count
        for request, allowed in enumerate(indexed.allowed):
            for slot in allowed:
                pressure[slot] += indexed.weight[request] / len(allowed)
        top = max(pressure) or 1.0
        pressure = [p / top for p in pressure]
        degree = [len(requests) for requests in indexed.requests_of]
        order = sorted(
            (r for r in range(indexed.request_count) if self.slot_of[r] < 0 and indexed.allowed[r]),
            key=lambda r: (
                -indexed.weight[r],
                len(indexed.allowed[r]),
                -(degree[indexed.request_a[r]] + degree[indexed.request_b[r]]),
            ),
        )
        for request in order:
            a, b = indexed.request_a[request], indexed.request_b[request]
            best_slot, best_score = -1, math.inf
            for slot in indexed.allowed[request]:
                if not self.has_room(request, slot):
                    continue
                bit = 1 << slot
                score = (
                    self.guide_cost(self.mask[a] | bit)
                    - self.guide_cost(self.mask[a])
                    + self.guide_cost(self.mask[b] | bit)
                    - self.guide_cost(self.mask[b])
                    + 0.05 * pressure[slot]
                    + 0.01 * self.load[slot] / indexed.table_count
                )
                if score < best_score:
                    best_slot, best_score = slot, score
            if best_slot >= 0:
                self.place(request, best_slot)
        self.remember_if_best()

    # --- phase 2: weight ---------------------------------------------------------------------------

    def add_weight(self, upper_bound: float, *, deadline: float) -> None:
        """PartialCol-style insertion with ejection until everything is in, the bound is hit, or time is up."""
        indexed = self.indexed
        rng = self.rng
        pool = [r for r in range(indexed.request_count) if self.slot_of[r] < 0 and indexed.allowed[r]]
        if not pool or self.weight >= upper_bound - 1e-9:
            return
        position = {r: i for i, r in enumerate(pool)}

        def pool_add(request: int) -> None:
            position[request] = len(pool)
            pool.append(request)

        def pool_take(request: int) -> None:
            index = position.pop(request)
            last = pool.pop()
            if last != request:
                pool[index] = last
                position[last] = index

        tabu: dict[tuple[int, int], int] = {}
        iteration = 0
        since_best = 0
        stall_limit = max(20000, 20 * len(pool))
        while pool and since_best < stall_limit:
            iteration += 1
            if iteration & 63 == 0 and time.perf_counter() > deadline:
                break
            # Tournament of two favours heavy requests without starving the light ones.
            request = pool[rng.randrange(len(pool))]
            other = pool[rng.randrange(len(pool))]
            if indexed.weight[other] > indexed.weight[request]:
                request = other
            plan = self._insertion_plan(request, tabu, iteration)
            if plan is None:
                continue
            gain, slot, blockers = plan
            if gain < 0 and rng.random() >= math.exp(gain / 0.3):
                continue
            if gain == 0 and rng.random() < 0.3:
                continue
            pool_take(request)
            for blocker in blockers:
                tabu[blocker, slot] = iteration + TABU_TENURE + rng.randrange(TABU_TENURE)
                self.remove(blocker)
            self.place(request, slot)
            for blocker in blockers:
                elsewhere = self.free_slot(blocker, avoid=slot)
                if elsewhere >= 0:
                    self.place(blocker, elsewhere)
                else:
                    pool_add(blocker)
            if self.remember_if_best():
                since_best = 0
                if self.weight >= upper_bound - 1e-9:
                    break
            else:
                since_best += 1
        if self.key() < self.best_key:
            self.restore(self.best_slot_of)

    def _insertion_plan(
        self, request: int, tabu: dict[tuple[int, int], int], iteration: int
    ) -> tuple[float, int, list[int]] | None:
        """The best slot for `request` and the meetings to take out of it; gain counts relocatable ones as 0."""
        indexed = self.indexed
        rng = self.rng
        slot_count = self.slot_count
        weight = indexed.weight
        locked_slot = indexed.locked_slot
        a, b = indexed.request_a[request], indexed.request_b[request]
        best: tuple[float, int, list[int]] | None = None
        best_tie = 0.0
        for slot in indexed.allowed[request]:
            if tabu.get((request, slot), 0) > iteration:
                continue
            blockers: list[int] = []
            feasible = True
            for participant in (a, b):
                cell = participant * slot_count + slot
                freed = sum(
                    1
                    for q in blockers
                    if indexed.request_a[q] == participant or indexed.request_b[q] == participant
                )
                if self.busy_count[cell] - freed < indexed.seats[participant]:
                    continue
                candidates = [q for q in self.meetings_at[cell] if q not in blockers and locked_slot[q] < 0]
                if not candidates:
                    feasible = False
                    break
                blockers.append(self._cheapest(candidates, slot))
            if not feasible:
                continue
            if self.load[slot] - len(blockers) >= indexed.table_count:
                members = self.in_slot[slot]
                sample = [members[rng.randrange(len(members))] for _ in range(min(6, len(members)))]
                candidates = [q for q in sample if q not in blockers and locked_slot[q] < 0]
                if not candidates:
                    continue
                blockers.append(self._cheapest(candidates, slot))
            lost = sum(weight[q] for q in blockers if self.free_slot(q, avoid=slot) < 0)
            gain = weight[request] - lost
            tie = rng.random()
            if best is None or gain > best[0] or (gain == best[0] and tie < best_tie):
                best, best_tie = (gain, slot, blockers), tie
        return best

    def _cheapest(self, candidates: list[int], slot: int) -> int:
        """The blocker that costs least to take out: one that can move elsewhere, else the lightest."""
        movable = [q for q in candidates if self.free_slot(q, avoid=slot) >= 0]
        if movable:
            return movable[self.rng.randrange(len(movable))]
        weight = self.indexed.weight
        return min(candidates, key=lambda q: (weight[q], self.rng.random()))

    # --- phase 3: breaks ---------------------------------------------------------------------------

    def reduce_breaks(
        self, *, deadline: float, breaks_floor: int, idle_floor: int, planned_seconds: float = 10.0
    ) -> None:
        """Simulated annealing over slot moves and Kempe-chain swaps, weight never decreasing."""
        movable, waiting = self._movable_and_waiting()
        if not movable:
            return
        # One long run does better than many short ones, but it must end (cool down) within the budget:
        # its length follows the budget at a modest iteration rate, never the clock, so it is the same
        # on any machine. Later runs restart from the best schedule.
        run_length = min(
            RUN_LENGTH_MAX,
            max(RUN_LENGTH_MIN, RUN_LENGTH_PER_MEETING * len(movable)),
            max(RUN_LENGTH_MIN, int(planned_seconds * NOMINAL_RATE)),
        )
        first_temperature, last_temperature = FIRST_TEMPERATURE, LAST_TEMPERATURE
        fill = len(movable) / max(1, self.indexed.table_count * self.slot_count)
        relax_tables = fill <= OVERFLOW_MAX_FILL
        run = 0
        while time.perf_counter() < deadline:
            if self._at_floor(breaks_floor, idle_floor):
                break
            if run:
                # The best schedule may hold fewer meetings than the current one (one inserted while a
                # slot overflowed is not kept), so the lists are rebuilt after going back to it.
                self.restore(self.best_slot_of)
                movable, waiting = self._movable_and_waiting()
                first_temperature = RESTART_TEMPERATURE
            self.overflow_weight = OVERFLOW_WEIGHT_FIRST if relax_tables else 0.0
            finished = self._anneal(
                movable,
                waiting,
                run_length,
                first_temperature,
                last_temperature,
                deadline,
                breaks_floor,
                idle_floor,
            )
            run += 1
            if not finished:
                break
        self.overflow_weight = 0.0
        if self.key() < self.best_key or self.overflow:
            self.restore(self.best_slot_of)

    def _movable_and_waiting(self) -> tuple[list[int], list[int]]:
        """Scheduled meetings that may move, and requests still out that have some allowed slot."""
        indexed = self.indexed
        slot_of, locked_slot, allowed = self.slot_of, indexed.locked_slot, indexed.allowed
        movable = [r for r in range(indexed.request_count) if slot_of[r] >= 0 and locked_slot[r] < 0]
        waiting = [r for r in range(indexed.request_count) if slot_of[r] < 0 and allowed[r]]
        return movable, waiting

    def _at_floor(self, breaks_floor: int, idle_floor: int) -> bool:
        return self.best_key[1] >= -breaks_floor and self.best_key[2] >= -idle_floor

    def _anneal(
        self,
        movable: list[int],
        waiting: list[int],
        iterations: int,
        first_temperature: float,
        last_temperature: float,
        deadline: float,
        breaks_floor: int,
        idle_floor: int,
    ) -> bool:
        """One annealing run; returns False if the deadline or the lower bound cut it short."""
        indexed = self.indexed
        rng = self.rng
        random_ = rng.random
        slot_count = self.slot_count
        allowed = indexed.allowed
        allowed_mask = indexed.allowed_mask
        request_a, request_b = indexed.request_a, indexed.request_b
        requests_of = indexed.requests_of
        locked_slot = indexed.locked_slot
        slot_of = self.slot_of
        mask = self.mask
        participant_count = indexed.participant_count
        full_day = (1 << slot_count) - 1
        cooling = (last_temperature / first_temperature) ** (1.0 / iterations)
        temperature = first_temperature
        run_started = time.perf_counter()
        run_time = max(1e-6, deadline - run_started)
        single_seat = self.single_seat
        busy_count, seats, load = self.busy_count, indexed.seats, self.load
        table_count = indexed.table_count
        overflow_weight = self.overflow_weight
        overflow_rise = (
            (OVERFLOW_WEIGHT_LAST - OVERFLOW_WEIGHT_FIRST) / iterations if overflow_weight else 0.0
        )
        for iteration in range(iterations):
            temperature *= cooling
            if iteration & 1023 == 0:
                if overflow_weight:
                    overflow_weight = self.overflow_weight = OVERFLOW_WEIGHT_FIRST + overflow_rise * iteration
                now = time.perf_counter()
                if now > deadline:
                    return False
                # On a slow or busy machine the clock may outrun the planned iterations: then, in the second
                # half of the time only (so a run that reaches the lower bound early stays deterministic),
                # cool by the clock instead, so that the run still ends cold.
                late = (now - run_started) / run_time
                if late > LATE_START and late > iteration / iterations + LATE_MARGIN:
                    temperature = min(temperature, first_temperature * (cooling ** (late * iterations)))
                if waiting and not self.overflow and iteration & 16383 == 0:
                    self._insert_waiting(waiting, movable)
            if random_() < REPACK_SHARE:
                participant = int(random_() * participant_count)
                if not breaks_of(mask[participant]):
                    continue
                chain = self._repack(participant)
                if chain is None:
                    continue
                delta = self._chain_delta(chain)
                if delta is None:
                    continue
                if delta <= 0 or random_() < math.exp(-delta / temperature):
                    crowded = self.overflow
                    for moved in chain:
                        self.remove(moved)
                    for moved, destination in chain.items():
                        self.place(moved, destination)
                    if (delta < 0 or crowded) and self._improved(breaks_floor, idle_floor):
                        return False
                continue
            if random_() < TARGETED_SHARE:
                # Aim at someone with a gap: move one of their meetings next to one of their runs.
                participant = int(random_() * participant_count)
                day = mask[participant]
                if not breaks_of(day) and not idle_of(day):
                    continue
                mine = [r for r in requests_of[participant] if slot_of[r] >= 0 and locked_slot[r] < 0]
                if not mine:
                    continue
                request = mine[int(random_() * len(mine))]
                edges = ((day << 1) | (day >> 1)) & ~day & full_day & allowed_mask[request]
                if not edges:
                    continue
                targets = [s for s in allowed[request] if edges >> s & 1]
                target = targets[int(random_() * len(targets))]
            else:
                request = movable[int(random_() * len(movable))]
                options = allowed[request]
                if len(options) < 2:
                    continue
                target = options[int(random_() * len(options))]
                if target == slot_of[request]:
                    continue
            source = slot_of[request]
            a, b = request_a[request], request_b[request]
            if (
                busy_count[a * slot_count + target] < seats[a]
                and busy_count[b * slot_count + target] < seats[b]
                and (overflow_weight or load[target] < table_count)
            ):
                new_a = self._mask_after_move(a, source, target)
                new_b = self._mask_after_move(b, source, target)
                delta = (
                    self.guide_cost(new_a)
                    - self.guide_cost(mask[a])
                    + self.guide_cost(new_b)
                    - self.guide_cost(mask[b])
                )
                if load[target] >= table_count:
                    delta += overflow_weight
                if load[source] > table_count:
                    delta -= overflow_weight
                if delta <= 0 or random_() < math.exp(-delta / temperature):
                    crowded = self.overflow
                    self.remove(request)
                    self.place(request, target)
                    if (delta < 0 or crowded) and self._improved(breaks_floor, idle_floor):
                        return False
                continue
            chain = self._kempe_chain(request, source, target)
            if chain is None:
                continue
            delta = self._swap_delta(chain, source, target) if single_seat else self._chain_delta(chain)
            if delta is None:
                continue
            if delta <= 0 or random_() < math.exp(-delta / temperature):
                crowded = self.overflow
                for moved in chain:
                    self.remove(moved)
                for moved, destination in chain.items():
                    self.place(moved, destination)
                if (delta < 0 or crowded) and self._improved(breaks_floor, idle_floor):
                    return False
        return True

    def _improved(self, breaks_floor: int, idle_floor: int) -> bool:
        """Keep the schedule if it is the best (and table-feasible); True if the lower bound is reached."""
        return self.remember_if_best() and self._at_floor(breaks_floor, idle_floor)

    def _mask_after_move(self, participant: int, source: int, target: int) -> int:
        day = self.mask[participant]
        if self.busy_count[participant * self.slot_count + source] == 1:
            day &= ~(1 << source)
        return day | (1 << target)

    def _insert_waiting(self, waiting: list[int], movable: list[int]) -> None:
        """Weight first: any waiting request that now fits somewhere goes in at once."""
        for request in list(waiting):
            slot = self.free_slot(request)
            if slot >= 0:
                self.place(request, slot)
                waiting.remove(request)
                movable.append(request)
                self.remember_if_best()

    def _kempe_chain(self, request: int, source: int, target: int) -> dict[int, int] | None:
        """Meetings to swap between `source` and `target` so that `request` lands in `target`.

        Whoever gets one meeting too many in a slot sends one of theirs the other way, until nobody is over
        their seats; then, if the target slot lacks a table, a meeting from it is swapped back the same way.
        Returns {request: new slot}, or None if a locked or slot-restricted meeting would have to move.
        """
        grow = self._grow_component if self.single_seat else self._grow_chain
        chain = grow({request: target}, [request])
        if chain is None:
            return None
        tables = self.indexed.table_count
        for _ in range(3):
            into_target = sum(1 for destination in chain.values() if destination == target)
            into_source = len(chain) - into_target
            if self.load[target] + into_target - into_source <= tables:
                if self.load[source] + into_source - into_target <= tables or self.overflow_weight:
                    return chain
                return None
            if self.overflow_weight and self.rng.random() < 0.5:
                return chain  # let the target slot overflow, at the cost `_swap_delta` adds
            members = self.in_slot[target]
            partner = members[int(self.rng.random() * len(members))]
            if partner in chain:
                continue
            grown = grow(dict(chain) | {partner: source}, [partner])
            if grown is not None:
                chain = grown
        return chain if self.overflow_weight else None

    def _grow_component(self, chain: dict[int, int], queue: list[int]) -> dict[int, int] | None:
        """`_grow_chain` when everyone has one seat: each cell holds at most one meeting, so nothing is random.

        The chain becomes the whole connected component, in the two slots, of meetings sharing a
        participant: whoever it touches keeps exactly the meetings they had, in exchanged slots.
        """
        indexed = self.indexed
        slot_count = self.slot_count
        allowed_mask = indexed.allowed_mask
        locked_slot = indexed.locked_slot
        request_a, request_b = indexed.request_a, indexed.request_b
        meetings_at = self.meetings_at
        slot_of = self.slot_of
        while queue:
            moving = queue.pop()
            destination = chain[moving]
            if locked_slot[moving] >= 0 or not allowed_mask[moving] >> destination & 1:
                return None
            back = slot_of[moving]
            for cell in (
                request_a[moving] * slot_count + destination,
                request_b[moving] * slot_count + destination,
            ):
                occupants = meetings_at[cell]
                if occupants:
                    bumped = occupants[0]
                    if bumped not in chain:
                        if len(chain) >= KEMPE_CHAIN_LIMIT:
                            return None
                        chain[bumped] = back
                        queue.append(bumped)
        return chain

    def _swap_delta(self, chain: dict[int, int], source: int, target: int) -> float:
        """Change of the guide cost for a component from `_grow_component` (tables already checked)."""
        indexed = self.indexed
        request_a, request_b = indexed.request_a, indexed.request_b
        mask = self.mask
        guide_cost = self.guide_cost
        both = (1 << source) | (1 << target)
        seen = set()
        into_target = sum(1 for destination in chain.values() if destination == target)
        net = 2 * into_target - len(chain)
        delta = self._overflow_delta({target: net, source: -net}) if net else 0.0
        for moved in chain:
            for participant in (request_a[moved], request_b[moved]):
                if participant in seen:
                    continue
                seen.add(participant)
                day = mask[participant]
                held = day & both
                if held and held != both:
                    delta += guide_cost(day ^ both) - guide_cost(day)
        return delta

    def _grow_chain(self, chain: dict[int, int], queue: list[int]) -> dict[int, int] | None:
        indexed = self.indexed
        slot_count = self.slot_count
        allowed_mask = indexed.allowed_mask
        locked_slot = indexed.locked_slot
        seats = indexed.seats
        slot_of = self.slot_of
        request_a, request_b = indexed.request_a, indexed.request_b
        meetings_at = self.meetings_at
        # Meetings the chain brings into each (participant, slot) cell, kept up to date as it grows.
        arriving: dict[int, int] = {}
        for other, where in chain.items():
            for cell in (request_a[other] * slot_count + where, request_b[other] * slot_count + where):
                arriving[cell] = arriving.get(cell, 0) + 1
        while queue:
            moving = queue.pop()
            destination = chain[moving]
            if locked_slot[moving] >= 0 or not allowed_mask[moving] >> destination & 1:
                return None
            for participant in (request_a[moving], request_b[moving]):
                cell = participant * slot_count + destination
                staying = [q for q in meetings_at[cell] if q not in chain]
                if arriving[cell] + len(staying) > seats[participant]:
                    if len(chain) >= KEMPE_CHAIN_LIMIT or not staying:
                        return None
                    bumped = staying[self.rng.randrange(len(staying))]
                    back = slot_of[moving]
                    chain[bumped] = back
                    for side in (request_a[bumped], request_b[bumped]):
                        key = side * slot_count + back
                        arriving[key] = arriving.get(key, 0) + 1
                    queue.append(bumped)
        return chain

    def _chain_delta(self, chain: dict[int, int]) -> float | None:
        """Change of the guide cost if the moves are applied; None if a seat or table limit would break."""
        indexed = self.indexed
        slot_count = self.slot_count
        change: dict[int, int] = {}
        load_change: dict[int, int] = {}
        for moved, destination in chain.items():
            origin = self.slot_of[moved]
            load_change[origin] = load_change.get(origin, 0) - 1
            load_change[destination] = load_change.get(destination, 0) + 1
            for participant in (indexed.request_a[moved], indexed.request_b[moved]):
                base = participant * slot_count
                change[base + origin] = change.get(base + origin, 0) - 1
                change[base + destination] = change.get(base + destination, 0) + 1
        if self.overflow_weight:
            delta = self._overflow_delta(load_change)
        else:
            delta = 0.0
            for slot, difference in load_change.items():
                if difference > 0 and self.load[slot] + difference > indexed.table_count:
                    return None
        new_masks: dict[int, int] = {}
        for cell, difference in change.items():
            if not difference:
                continue
            participant, slot = divmod(cell, slot_count)
            count = self.busy_count[cell] + difference
            if count > indexed.seats[participant]:
                return None
            day = new_masks.get(participant, self.mask[participant])
            new_masks[participant] = day | (1 << slot) if count else day & ~(1 << slot)
        return delta + sum(
            self.guide_cost(day) - self.guide_cost(self.mask[p]) for p, day in new_masks.items()
        )

    def _overflow_delta(self, load_change: dict[int, int]) -> float:
        """Change of the overflow cost if the slots' loads change by `load_change`."""
        tables = self.indexed.table_count
        load = self.load
        change = 0
        for slot, difference in load_change.items():
            before = load[slot]
            change += max(0, before + difference - tables) - max(0, before - tables)
        return self.overflow_weight * change

    def _repack(self, participant: int) -> dict[int, int] | None:
        """Moves that give a one-seat participant a day without gaps, cheapest for their partners.

        Each of their meetings is assigned to a slot of a block of consecutive slots (one longer block with
        a single hole is tried too) by a linear assignment whose costs are the partners' changes of guide
        cost; the block with the cheapest assignment wins. Partners must be free at the new slot.
        """
        indexed = self.indexed
        slot_count = self.slot_count
        if indexed.seats[participant] != 1:
            return None
        mine = [r for r in indexed.requests_of[participant] if self.slot_of[r] >= 0]
        count = len(mine)
        if count < 2 or count >= slot_count or any(indexed.locked_slot[r] >= 0 for r in mine):
            return None
        seats = indexed.seats
        busy_count = self.busy_count
        costs = np.full((count, slot_count), UNREACHABLE)
        for row, request in enumerate(mine):
            partner = (
                indexed.request_b[request]
                if indexed.request_a[request] == participant
                else indexed.request_a[request]
            )
            current = self.slot_of[request]
            partner_day = self.mask[partner]
            base = self.guide_cost(partner_day)
            partner_cells = partner * slot_count
            without = (
                partner_day & ~(1 << current) if busy_count[partner_cells + current] == 1 else partner_day
            )
            for slot in indexed.allowed[request]:
                if slot == current:
                    costs[row, slot] = 0.0
                elif busy_count[partner_cells + slot] < seats[partner]:
                    costs[row, slot] = self.guide_cost(without | (1 << slot)) - base
        best_cost, best_assignment = UNREACHABLE, None
        for width in (count, count + 1):
            for first in range(slot_count - width + 1):
                block = costs[:, first : first + width]
                rows, columns = optimize.linear_sum_assignment(block)
                total = block[rows, columns].sum()
                if width > count:
                    total += 1.0  # the hole is a break
                if total < best_cost:
                    best_cost = float(total)
                    best_assignment = [(mine[r], first + int(c)) for r, c in zip(rows, columns, strict=True)]
        if best_assignment is None or best_cost >= UNREACHABLE / 2:
            return None
        chain = {request: slot for request, slot in best_assignment if self.slot_of[request] != slot}
        return chain or None
