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
3. Breaks. Simulated annealing with the weight held (meetings only move), compiled: see `annealing`.
   Two searches with different seeds run in parallel threads and the better schedule wins. On an event
   small enough (`sat_search.applies`: every public one), the annealing has a third of the time left; then a
   large neighbourhood search with a SAT solver (`sat_search`), which moves dozens of meetings at once
   where the annealing is stuck, runs from its best schedule with two seeds, each in a forked process
   (`forked`) stopped at the deadline, and the better schedule wins.
   Afterwards any request still out that now fits is added.

The search stops early when the weight reaches its upper bound and the breaks reach the per-participant
lower bound of `bound.breaks_lower_bound`.
"""

from __future__ import annotations

import functools
import math
import random
import time

from . import annealing, forked, sat_search
from .assemble import assemble_schedule
from .bound import breaks_lower_bound, weight_upper_bound
from .instance import Instance, Schedule
from .model import IndexedInstance, breaks_of, idle_of, index_instance

IDLE_WEIGHT = 0.2  # idle slots steer construction towards compact days; breaks still decide the best
WEIGHT_PHASE_SHARE = 0.5  # at most this share of the budget goes to adding weight
TABU_TENURE = 10
IDLE_CAP = 4  # idle slots beyond this many in one day add nothing to the construction's guide
SEARCHES = 2  # parallel break searches (the machines have two cores)
ANNEALING_SHARE = 0.35  # of the break phase's time; the SAT neighbourhood searches get the rest


def solve(instance: Instance, *, seconds: float = 10.0, seed: int = 0, searches: int = SEARCHES) -> Schedule:
    """Schedule `instance` within about `seconds`; the same seed gives the same answer (see module doc).
    `searches` break searches run in parallel, one per CPU core is right."""
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
        deadline=deadline,
        breaks_floor=breaks_floor,
        idle_floor=idle_floor,
        planned_seconds=seconds,
        seeds=[seed * searches + i for i in range(searches)],
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
        self.overflow = 0  # meetings beyond the tables, summed over slots (a schedule with any is never kept)
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
        self, *, deadline: float, breaks_floor: int, idle_floor: int, planned_seconds: float, seeds: list[int]
    ) -> None:
        """Fewer breaks, then fewer idle slots, every scheduled meeting kept (the compiled annealing of
        `annealing.reduce_breaks`, one search per seed); then any request still out that now fits goes in."""
        if self._at_floor(breaks_floor, idle_floor):
            return
        with_sat_search = sat_search.applies(self.indexed, self.best_slot_of)
        share = ANNEALING_SHARE if with_sat_search else 1.0
        now = time.perf_counter()
        better = annealing.reduce_breaks(
            self.indexed,
            self.best_slot_of,
            deadline=now + (deadline - now) * share,
            planned_seconds=planned_seconds * share,
            floors=(breaks_floor, idle_floor),
            seeds=seeds,
        )
        self.restore(better)
        self.remember_if_best()
        if with_sat_search and not self._at_floor(breaks_floor, idle_floor):
            self._sat_search_on_both_cores(
                deadline=deadline,
                breaks_floor=breaks_floor,
                planned_seconds=planned_seconds * (1 - ANNEALING_SHARE),
                seeds=seeds,
            )
        movable, waiting = self._movable_and_waiting()
        if waiting:
            self._insert_waiting(waiting, movable)
        if self.key() < self.best_key:
            self.restore(self.best_slot_of)

    def _sat_search_on_both_cores(
        self, *, deadline: float, breaks_floor: int, planned_seconds: float, seeds: list[int]
    ) -> None:
        """The SAT neighbourhood search from the best schedule so far, one search per seed, each in a forked
        process of its own and stopped at the deadline whatever it is doing (`forked`: Glucose stops only when
        it restarts); the best schedule they reported is kept. Where no process can be forked, one search runs
        here."""
        start = list(self.best_slot_of)

        def search(seed: int, on_better: forked.Report | None = None) -> list[int]:
            return sat_search.reduce_breaks(
                self.indexed,
                start,
                deadline=deadline,
                planned_seconds=planned_seconds,
                breaks_floor=breaks_floor,
                seed=seed,
                on_better=on_better,
            )

        children = [child for seed in seeds if (child := forked.start(functools.partial(search, seed)))]
        if children:
            results = [child.latest(wait_until=deadline) for child in children]
        else:
            results = [search(seeds[0])]
        for better in results:
            if better is not None:
                self.restore(better)
                self.remember_if_best()

    def _movable_and_waiting(self) -> tuple[list[int], list[int]]:
        """Scheduled meetings that may move, and requests still out that have some allowed slot."""
        indexed = self.indexed
        slot_of, locked_slot, allowed = self.slot_of, indexed.locked_slot, indexed.allowed
        movable = [r for r in range(indexed.request_count) if slot_of[r] >= 0 and locked_slot[r] < 0]
        waiting = [r for r in range(indexed.request_count) if slot_of[r] < 0 and allowed[r]]
        return movable, waiting

    def _at_floor(self, breaks_floor: int, idle_floor: int) -> bool:
        return self.best_key[1] >= -breaks_floor and self.best_key[2] >= -idle_floor

    def _insert_waiting(self, waiting: list[int], movable: list[int]) -> None:
        """Weight first: any waiting request that now fits somewhere goes in at once."""
        for request in list(waiting):
            slot = self.free_slot(request)
            if slot >= 0:
                self.place(request, slot)
                waiting.remove(request)
                movable.append(request)
                self.remember_if_best()
