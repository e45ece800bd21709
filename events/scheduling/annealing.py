"""The solver's break phase, compiled: simulated annealing on breaks with every scheduled meeting kept.

Pure Python ran about 30,000 moves a second; these kernels, compiled by numba, run millions, which is what
closes the gap to the exact solvers on the public events. State lives in flat numpy arrays:

- `count[p * S + s]`: meetings of participant p in slot s; `owner[p * S + s]` the meeting there when p has
  one seat (-1 when free), the only case where a swap has to follow p;
- `day[p]`: p's busy slots as a bit mask (slots < 63), so breaks and idle slots are a few bit operations;
- `load[s]`: meetings in slot s; `slot_of[r]`, `best[r]`: the current and the best schedule.

One move takes a meeting to another allowed slot; whoever is in the way in that slot (a one-seat
participant's meeting there) swaps the other way, and so on: the Kempe chain of the two slots. Half of the
moves aim at a participant with a gap and take one of their meetings next to one of their runs. A swap the
temperature refuses is, now and then, tried as the first half of a compound move: made, then followed by a
swap aimed at a participant it left with a break, and both kept or both undone on their joint cost. The cost
guiding the search is `BREAK_COST` per break plus each day's idle slots up to `IDLE_CAP`, plus, while tables
are not all needed, a price per meeting beyond the tables that rises during a run so that it ends
table-feasible; only table-feasible schedules are kept as the best, in the exact order: fewest breaks, then
fewest idle slots. Now and then, requests still out go into any slot where they fit (weight comes first).

Work is cut into chunks of `CHUNK` moves so the driver can watch the clock between them; a run's length is
planned from the budget at a nominal rate, not from the clock, so a seed gives the same answer on any
machine unless the clock is what stops it. Independent runs with different seeds go in parallel threads
(the kernels release the GIL) and the best schedule wins. Compiled code is cached on disk (numba's
`cache=True`; `NUMBA_CACHE_DIR` chooses where), so only a process's first call after an install compiles.
The kernels read this module's constants as compiled-in values: setting one from outside (a test, an
experiment) changes nothing once compiled, and the disk cache notices edits to this file, not new values.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Event

import numba
import numpy as np

from .model import IndexedInstance, breaks_of, idle_of

MAX_SLOTS = 62  # bit masks in int64
BREAK_COST = 5  # in idle-slot units: a break costs as much as five idle slots
IDLE_CAP = 8  # idle slots beyond this many in one day add nothing to the guide
FIRST_TEMPERATURE, RESTART_TEMPERATURE, LAST_TEMPERATURE = 2.0, 1.2, 0.1
OVERFLOW_COST_FIRST, OVERFLOW_COST_LAST = 2.0, 10.0
OVERFLOW_MAX_FILL = 0.9  # above this share of all table-slots in use, no slot may overflow
TARGETED_SHARE = 0.5
COMPOUND_SHARE = 0.3  # of the uphill swaps the temperature refuses: tried with a repair after them
CHAIN_LIMIT = 40
NOMINAL_RATE = 4_000_000  # moves per second of budget planned for the runs
FIRST_RUN_SHARE = 0.6  # the first run is long; restarts from the best follow until the deadline,
RESTARTS = 2  # ... each this share of the rest of the planned moves
CHUNK = 200_000
INSERT_EVERY = 10 * CHUNK  # moves between tries to add the requests still out
LATE_MARGIN, LATE_START = 0.05, 0.5  # see _Run.advance

# Indexes into a run's integer and float scalars (kept in arrays so the kernel can update them in place).
BREAKS, IDLE, OVERFLOW, BEST_BREAKS, BEST_IDLE, MOVABLE = range(6)
TEMPERATURE, OVERFLOW_COST, WEIGHT_ADDED = range(3)

_M1, _M2, _M4, _H01 = 0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x0101010101010101


@numba.njit(cache=True, inline="always")
def _popcount(x):
    x = x - ((x >> 1) & _M1)
    x = (x & _M2) + ((x >> 2) & _M2)
    x = (x + (x >> 4)) & _M4
    return ((x * _H01) >> 56) & 0xFF


@numba.njit(cache=True, inline="always")
def _bit_length(x):
    n = 0
    if x >> 32:
        n += 32
        x >>= 32
    if x >> 16:
        n += 16
        x >>= 16
    if x >> 8:
        n += 8
        x >>= 8
    if x >> 4:
        n += 4
        x >>= 4
    if x >> 2:
        n += 2
        x >>= 2
    if x >> 1:
        n += 1
        x >>= 1
    return n + x


@numba.njit(cache=True, inline="always")
def _breaks(day):
    return _popcount(day & ~(day << 1)) - 1 if day else 0


@numba.njit(cache=True, inline="always")
def _idle(day):
    if not day:
        return 0
    return _bit_length(day) - _popcount((day & -day) - 1) - _popcount(day)


@numba.njit(cache=True, inline="always")
def _guide(day):
    return BREAK_COST * _breaks(day) + min(_idle(day), IDLE_CAP)


@numba.njit(cache=True, nogil=True)
def _seed(seed):
    np.random.seed(seed)


@numba.njit(cache=True, inline="always")
def _kempe(request, source, target, slots, seats, side_a, side_b, allowed_mask, can_move, owner, chain, target_of,
           touched, in_chain):  # fmt: skip
    """The Kempe chain of moving `request` from `source` to `target`: (meetings, participants) written into
    `chain` / `target_of` / `touched`; (0, 0) if some meeting in it may not go to the other slot."""
    chain[0] = request
    target_of[0] = target
    length = 1
    touched[0] = side_a[request]
    touched[1] = side_b[request]
    in_chain[side_a[request]] = True
    in_chain[side_b[request]] = True
    people = 2
    position = 0
    feasible = True
    while position < people and feasible:
        person = touched[position]
        position += 1
        if seats[person] != 1:
            continue
        for here, there in ((source, target), (target, source)):
            other = owner[person * slots + here]
            if other < 0:
                continue
            known = False
            for j in range(length):
                if chain[j] == other:
                    known = True
                    break
            if known:
                continue
            if length == CHAIN_LIMIT or not (allowed_mask[other] >> there) & 1 or not can_move[other]:
                feasible = False
                break
            chain[length] = other
            target_of[length] = there
            length += 1
            for side in (side_a[other], side_b[other]):
                if not in_chain[side]:
                    in_chain[side] = True
                    touched[people] = side
                    people += 1
    for j in range(people):
        in_chain[touched[j]] = False
    if not feasible:
        return 0, 0
    return length, people


@numba.njit(cache=True, inline="always")
def _effect(length, people, source, target, chain, target_of, touched, side_a, side_b, slots, seats, count, day,
            change_s, change_t, new_day):  # fmt: skip
    """(guide cost change, meetings gained by `target`, seats respected) of a chain; fills the participants'
    count changes and new days, which `_apply` uses and clears (or `_clear` if it is not made)."""
    into_target = 0
    for j in range(length):
        step = 1 if target_of[j] == target else -1
        into_target += step
        for side in (side_a[chain[j]], side_b[chain[j]]):
            change_t[side] += step
            change_s[side] -= step
    delta = 0
    feasible = True
    for j in range(people):
        person = touched[j]
        now_s = count[person * slots + source] + change_s[person]
        now_t = count[person * slots + target] + change_t[person]
        if now_s > seats[person] or now_t > seats[person]:
            feasible = False
        changed = day[person]
        changed = changed | (1 << source) if now_s else changed & ~(1 << source)
        changed = changed | (1 << target) if now_t else changed & ~(1 << target)
        new_day[person] = changed
        delta += _guide(changed) - _guide(day[person])
    return delta, into_target, feasible


@numba.njit(cache=True, inline="always")
def _clear(people, touched, change_s, change_t):
    for j in range(people):
        change_s[touched[j]] = 0
        change_t[touched[j]] = 0


@numba.njit(cache=True, inline="always")
def _tables(load, source, target, into_target, tables, relax_tables):
    """(change of the meetings beyond the tables, allowed) when `target` gains `into_target` meetings from
    `source`: with tables relaxed any change is allowed at a price, else neither slot may exceed them."""
    if not into_target:
        return 0, True
    if relax_tables:
        change = (
            max(load[source] - into_target - tables, 0)
            + max(load[target] + into_target - tables, 0)
            - max(load[source] - tables, 0)
            - max(load[target] - tables, 0)
        )
        return change, True
    return 0, load[target] + into_target <= tables and load[source] - into_target <= tables


@numba.njit(cache=True, inline="always")
def _apply(length, people, source, target, chain, target_of, touched, side_a, side_b, slots, seats, count, owner,
           day, load, slot_of, score, new_day, change_s, change_t, into_target):  # fmt: skip
    """Make a chain whose effect was just computed."""
    for j in range(length):
        moved = chain[j]
        for side in (side_a[moved], side_b[moved]):
            if seats[side] == 1 and owner[side * slots + slot_of[moved]] == moved:
                owner[side * slots + slot_of[moved]] = -1
    for j in range(length):
        moved = chain[j]
        slot_of[moved] = target_of[j]
        for side in (side_a[moved], side_b[moved]):
            if seats[side] == 1:
                owner[side * slots + target_of[j]] = moved
    for j in range(people):
        person = touched[j]
        score[BREAKS] += _breaks(new_day[person]) - _breaks(day[person])
        score[IDLE] += _idle(new_day[person]) - _idle(day[person])
        day[person] = new_day[person]
        count[person * slots + source] += change_s[person]
        count[person * slots + target] += change_t[person]
        change_s[person] = 0
        change_t[person] = 0
    load[source] -= into_target
    load[target] += into_target


@numba.njit(cache=True, inline="always")
def _edge_move(person, day, meetings_start, meetings_of, can_move, allowed_mask, full_day):
    """A meeting of `person` and a slot next to one of their runs, or (-1, -1)."""
    current = day[person]
    mine = meetings_start[person + 1] - meetings_start[person]
    if mine == 0:
        return -1, -1
    request = meetings_of[meetings_start[person] + np.random.randint(mine)]
    if not can_move[request]:
        return -1, -1
    edges = ((current << 1) | (current >> 1)) & ~current & full_day & allowed_mask[request]
    if not edges:
        return -1, -1
    pick = np.random.randint(_popcount(edges))
    for _skip in range(pick):
        edges &= edges - 1
    return request, _bit_length(edges & -edges) - 1


@numba.njit(cache=True, nogil=True)
def _anneal_chunk(
    slots, tables, side_a, side_b, seats, allowed_start, allowed_slots, allowed_mask, meetings_start,
    meetings_of, movable, can_move, count, owner, day, load, slot_of, best, score, heat, moves, cooling,
    overflow_rise, relax_tables, breaks_floor, idle_floor,
):  # fmt: skip
    """Make `moves` moves; True as soon as the best schedule reaches both floors."""
    participants = day.shape[0]
    full_day = (1 << slots) - 1
    movable_count = score[MOVABLE]
    temperature = heat[TEMPERATURE]
    overflow_cost = heat[OVERFLOW_COST]
    chain = np.empty(CHAIN_LIMIT, np.int64)
    target_of = np.empty(CHAIN_LIMIT, np.int64)
    touched = np.empty(2 * CHAIN_LIMIT + 2, np.int64)
    chain2 = np.empty(CHAIN_LIMIT, np.int64)
    target_of2 = np.empty(CHAIN_LIMIT, np.int64)
    touched2 = np.empty(2 * CHAIN_LIMIT + 2, np.int64)
    change_s = np.zeros(participants, np.int64)
    change_t = np.zeros(participants, np.int64)
    new_day = np.zeros(participants, np.int64)
    in_chain = np.zeros(participants, np.bool_)
    reached = False
    for _ in range(moves):
        temperature *= cooling
        overflow_cost += overflow_rise
        if np.random.random() < TARGETED_SHARE:
            person = np.random.randint(participants)
            if not _breaks(day[person]) and not _idle(day[person]):
                continue
            request, target = _edge_move(
                person, day, meetings_start, meetings_of, can_move, allowed_mask, full_day
            )
            if request < 0:
                continue
        else:
            request = movable[np.random.randint(movable_count)]
            options = allowed_start[request + 1] - allowed_start[request]
            target = allowed_slots[allowed_start[request] + np.random.randint(options)]
        source = slot_of[request]
        if target == source:
            continue
        length, people = _kempe(
            request,
            source,
            target,
            slots,
            seats,
            side_a,
            side_b,
            allowed_mask,
            can_move,
            owner,
            chain,
            target_of,
            touched,
            in_chain,
        )
        if length == 0:
            continue
        delta, into_target, feasible = _effect(
            length,
            people,
            source,
            target,
            chain,
            target_of,
            touched,
            side_a,
            side_b,
            slots,
            seats,
            count,
            day,
            change_s,
            change_t,
            new_day,
        )
        overflow_change, fits = _tables(load, source, target, into_target, tables, relax_tables)
        feasible = feasible and fits
        if not feasible:
            _clear(people, touched, change_s, change_t)
            continue
        cost = delta + overflow_cost * overflow_change
        accepted = cost <= 0 or np.random.random() < np.exp(-cost / temperature)
        if not accepted and np.random.random() >= COMPOUND_SHARE:
            _clear(people, touched, change_s, change_t)
            continue
        _apply(
            length,
            people,
            source,
            target,
            chain,
            target_of,
            touched,
            side_a,
            side_b,
            slots,
            seats,
            count,
            owner,
            day,
            load,
            slot_of,
            score,
            new_day,
            change_s,
            change_t,
            into_target,
        )
        score[OVERFLOW] += overflow_change
        if not accepted:
            # Compound: follow the uphill swap with a repair aimed at someone it left with a gap.
            repaired = False
            person = touched[np.random.randint(people)]
            if _breaks(day[person]):
                request2, target2 = _edge_move(
                    person, day, meetings_start, meetings_of, can_move, allowed_mask, full_day
                )
                if request2 >= 0 and slot_of[request2] != target2:
                    source2 = slot_of[request2]
                    length2, people2 = _kempe(
                        request2,
                        source2,
                        target2,
                        slots,
                        seats,
                        side_a,
                        side_b,
                        allowed_mask,
                        can_move,
                        owner,
                        chain2,
                        target_of2,
                        touched2,
                        in_chain,
                    )
                    if length2:
                        delta2, into2, ok2 = _effect(
                            length2,
                            people2,
                            source2,
                            target2,
                            chain2,
                            target_of2,
                            touched2,
                            side_a,
                            side_b,
                            slots,
                            seats,
                            count,
                            day,
                            change_s,
                            change_t,
                            new_day,
                        )
                        change2, fits2 = _tables(load, source2, target2, into2, tables, relax_tables)
                        ok2 = ok2 and fits2
                        total = cost + delta2 + overflow_cost * change2
                        if ok2 and (total <= 0 or np.random.random() < np.exp(-total / temperature)):
                            _apply(
                                length2,
                                people2,
                                source2,
                                target2,
                                chain2,
                                target_of2,
                                touched2,
                                side_a,
                                side_b,
                                slots,
                                seats,
                                count,
                                owner,
                                day,
                                load,
                                slot_of,
                                score,
                                new_day,
                                change_s,
                                change_t,
                                into2,
                            )
                            score[OVERFLOW] += change2
                            repaired = True
                        else:
                            _clear(people2, touched2, change_s, change_t)
            if not repaired:
                for j in range(length):
                    target_of[j] = source if target_of[j] == target else target
                _d, back, _ok = _effect(
                    length,
                    people,
                    target,
                    source,
                    chain,
                    target_of,
                    touched,
                    side_a,
                    side_b,
                    slots,
                    seats,
                    count,
                    day,
                    change_s,
                    change_t,
                    new_day,
                )
                _apply(
                    length,
                    people,
                    target,
                    source,
                    chain,
                    target_of,
                    touched,
                    side_a,
                    side_b,
                    slots,
                    seats,
                    count,
                    owner,
                    day,
                    load,
                    slot_of,
                    score,
                    new_day,
                    change_s,
                    change_t,
                    back,
                )
                score[OVERFLOW] -= overflow_change
                continue
        if score[OVERFLOW] == 0 and (
            score[BREAKS] < score[BEST_BREAKS]
            or (score[BREAKS] == score[BEST_BREAKS] and score[IDLE] < score[BEST_IDLE])
        ):
            score[BEST_BREAKS] = score[BREAKS]
            score[BEST_IDLE] = score[IDLE]
            best[:] = slot_of
            if score[BEST_BREAKS] <= breaks_floor and score[BEST_IDLE] <= idle_floor:
                reached = True
                break
    heat[TEMPERATURE] = temperature
    heat[OVERFLOW_COST] = overflow_cost
    return reached


@numba.njit(cache=True, nogil=True)
def _insert_waiting(
    slots, tables, side_a, side_b, seats, allowed_start, allowed_slots, weight, waiting, movable, can_move,
    count, owner, day, load, slot_of, best, score, heat,
):  # fmt: skip
    """Weight first: put each waiting request (-1 once placed) that fits somewhere now into the free slot
    that adds least to the two days' guide cost; the schedule then becomes the best one."""
    if score[OVERFLOW]:
        return 0
    added = 0
    for position in range(waiting.shape[0]):
        request = waiting[position]
        if request < 0:
            continue
        a, b = side_a[request], side_b[request]
        chosen, chosen_cost = -1, 1 << 30
        for option in range(allowed_start[request], allowed_start[request + 1]):
            slot = allowed_slots[option]
            if (
                load[slot] >= tables
                or count[a * slots + slot] >= seats[a]
                or count[b * slots + slot] >= seats[b]
            ):
                continue
            bit = 1 << slot
            cost = _guide(day[a] | bit) - _guide(day[a]) + _guide(day[b] | bit) - _guide(day[b])
            if cost < chosen_cost:
                chosen, chosen_cost = slot, cost
        if chosen < 0:
            continue
        waiting[position] = -1
        slot_of[request] = chosen
        load[chosen] += 1
        for side in (a, b):
            score[BREAKS] += _breaks(day[side] | (1 << chosen)) - _breaks(day[side])
            score[IDLE] += _idle(day[side] | (1 << chosen)) - _idle(day[side])
            day[side] |= 1 << chosen
            count[side * slots + chosen] += 1
            if seats[side] == 1:
                owner[side * slots + chosen] = request
        if allowed_start[request + 1] - allowed_start[request] > 1:
            can_move[request] = True
            movable[score[MOVABLE]] = request
            score[MOVABLE] += 1
        heat[WEIGHT_ADDED] += weight[request]
        added += 1
    if added:
        score[BEST_BREAKS] = score[BREAKS]
        score[BEST_IDLE] = score[IDLE]
        best[:] = slot_of
    return added


@dataclass
class _Arrays:
    """The instance as the kernels read it."""

    slots: int
    tables: int
    side_a: np.ndarray
    side_b: np.ndarray
    seats: np.ndarray
    allowed_start: np.ndarray
    allowed_slots: np.ndarray
    allowed_mask: np.ndarray
    meetings_start: np.ndarray
    meetings_of: np.ndarray
    weight: np.ndarray
    flexible: np.ndarray  # per request: not locked and more than one allowed slot
    placeable: np.ndarray  # per request: not locked and some allowed slot


def _arrays(indexed: IndexedInstance) -> _Arrays:
    def starts(lists):
        start = np.zeros(len(lists) + 1, np.int64)
        start[1:] = np.cumsum([len(items) for items in lists])
        return start

    return _Arrays(
        slots=indexed.slot_count,
        tables=indexed.table_count,
        side_a=np.array(indexed.request_a, np.int64),
        side_b=np.array(indexed.request_b, np.int64),
        seats=np.array(indexed.seats, np.int64),
        allowed_start=starts(indexed.allowed),
        allowed_slots=np.array([s for slots in indexed.allowed for s in slots], np.int64),
        allowed_mask=np.array(indexed.allowed_mask, np.int64),
        meetings_start=starts(indexed.requests_of),
        meetings_of=np.array([r for requests in indexed.requests_of for r in requests], np.int64),
        weight=np.array(indexed.weight, np.float64),
        flexible=np.array(
            [
                lock < 0 and len(slots) > 1
                for lock, slots in zip(indexed.locked_slot, indexed.allowed, strict=True)
            ]
        ),
        placeable=np.array(
            [
                lock < 0 and bool(slots)
                for lock, slots in zip(indexed.locked_slot, indexed.allowed, strict=True)
            ]
        ),
    )


class _Run:
    """One seed's search: a long annealing run, then restarts from its best schedule."""

    def __init__(
        self, arrays: _Arrays, slot_of: list[int], relax_tables: bool, weight_added: float = 0.0
    ) -> None:
        self.arrays = arrays
        self.relax_tables = relax_tables
        slots, participants = arrays.slots, arrays.seats.shape[0]
        self.slot_of = np.array(slot_of, np.int64)
        self.count = np.zeros(participants * slots, np.int64)
        self.owner = np.full(participants * slots, -1, np.int64)
        self.day = np.zeros(participants, np.int64)
        self.load = np.zeros(slots, np.int64)
        for request, slot in enumerate(slot_of):
            if slot < 0:
                continue
            self.load[slot] += 1
            for person in (arrays.side_a[request], arrays.side_b[request]):
                self.count[person * slots + slot] += 1
                self.owner[person * slots + slot] = request
                self.day[person] |= 1 << slot
        scheduled = self.slot_of >= 0
        self.can_move = scheduled & arrays.flexible
        self.movable = np.zeros(len(slot_of), np.int64)
        movable = np.flatnonzero(self.can_move)
        self.movable[: movable.size] = movable
        self.waiting = np.flatnonzero(~scheduled & arrays.placeable).astype(np.int64)
        breaks = sum(breaks_of(int(d)) for d in self.day)
        idle = sum(idle_of(int(d)) for d in self.day)
        overflow = int(np.maximum(self.load - arrays.tables, 0).sum())
        self.best = self.slot_of.copy()
        self.score = np.array([breaks, idle, overflow, breaks, idle, movable.size], np.int64)
        self.heat = np.array([0.0, 0.0, weight_added])

    def anneal(
        self,
        moves: int,
        first_temperature: float,
        deadline: float,
        floors: tuple[int, int],
        done_elsewhere: Event,
    ) -> bool:
        """One run of about `moves` moves, cooling from `first_temperature`; True once the floors are reached
        here or by another search (`done_elsewhere`). Requests still out are tried every INSERT_EVERY moves.

        Cooling follows the moves made; should the clock outrun them (a slow or busy machine), the second half
        of the run cools by the clock instead, so the run still ends cold by `deadline`."""
        a = self.arrays
        cooling = (LAST_TEMPERATURE / first_temperature) ** (1.0 / moves)
        self.heat[TEMPERATURE] = first_temperature
        self.heat[OVERFLOW_COST] = OVERFLOW_COST_FIRST if self.relax_tables else 0.0
        overflow_rise = (OVERFLOW_COST_LAST - OVERFLOW_COST_FIRST) / moves if self.relax_tables else 0.0
        started = time.perf_counter()
        run_time = max(1e-6, deadline - started)
        done = 0
        while done < moves:
            if self.waiting.size and done % INSERT_EVERY == 0:
                self._insert_waiting()
            if self.score[MOVABLE] == 0:
                return False
            step = min(CHUNK, moves - done)
            reached = _anneal_chunk(
                a.slots, a.tables, a.side_a, a.side_b, a.seats, a.allowed_start, a.allowed_slots,
                a.allowed_mask, a.meetings_start, a.meetings_of, self.movable, self.can_move, self.count,
                self.owner, self.day, self.load, self.slot_of, self.best, self.score, self.heat, step, cooling,
                overflow_rise, self.relax_tables, floors[0], floors[1],
            )  # fmt: skip
            done += step
            if reached:
                done_elsewhere.set()
                return True
            if done_elsewhere.is_set():
                return True
            now = time.perf_counter()
            if now >= deadline:
                return False
            late = (now - started) / run_time
            if late > LATE_START and late > done / moves + LATE_MARGIN:
                skipped = int(late * moves) - done
                self.heat[TEMPERATURE] *= cooling**skipped
                self.heat[OVERFLOW_COST] += overflow_rise * skipped
                done += skipped
        return False

    def _insert_waiting(self) -> None:
        a = self.arrays
        if _insert_waiting(
            a.slots, a.tables, a.side_a, a.side_b, a.seats, a.allowed_start, a.allowed_slots, a.weight,
            self.waiting, self.movable, self.can_move, self.count, self.owner, self.day, self.load,
            self.slot_of, self.best, self.score, self.heat,
        ):  # fmt: skip
            self.waiting = self.waiting[self.waiting >= 0]

    def restart_from_best(self) -> None:
        """Make the current schedule the best one again (rebuilding the bookkeeping)."""
        fresh = _Run(self.arrays, self.best.tolist(), self.relax_tables, float(self.heat[WEIGHT_ADDED]))
        self.__dict__.update(fresh.__dict__)

    @property
    def key(self) -> tuple[float, int, int]:
        """Smaller is better: most weight added, then fewest breaks, then fewest idle slots."""
        return (
            -round(float(self.heat[WEIGHT_ADDED]), 9),
            int(self.score[BEST_BREAKS]),
            int(self.score[BEST_IDLE]),
        )


def reduce_breaks(
    indexed: IndexedInstance,
    slot_of: list[int],
    *,
    deadline: float,
    planned_seconds: float,
    floors: tuple[int, int],
    seeds: list[int],
) -> list[int]:
    """A schedule at least as good as `slot_of` (per request: its slot or -1): every meeting kept, requests
    still out added where they fit, then fewer breaks and idle slots. One search per seed, in parallel;
    `floors` (breaks, idle) end the searches early."""
    if indexed.slot_count > MAX_SLOTS:
        return slot_of
    arrays = _arrays(indexed)
    scheduled = sum(1 for slot in slot_of if slot >= 0)
    if not (np.array(slot_of) >= 0)[arrays.flexible].any():
        return slot_of
    relax_tables = scheduled <= OVERFLOW_MAX_FILL * indexed.table_count * indexed.slot_count
    moves = max(CHUNK, int(planned_seconds * NOMINAL_RATE))
    floors_reached = Event()

    def search(seed: int) -> _Run:
        _seed(seed)
        run = _Run(arrays, slot_of, relax_tables)
        if run.anneal(int(moves * FIRST_RUN_SHARE), FIRST_TEMPERATURE, deadline, floors, floors_reached):
            return run
        restart_moves = max(CHUNK, int(moves * (1 - FIRST_RUN_SHARE) / RESTARTS))
        while time.perf_counter() < deadline:
            run.restart_from_best()
            if run.anneal(restart_moves, RESTART_TEMPERATURE, deadline, floors, floors_reached):
                break
        return run

    if len(seeds) == 1:
        runs = [search(seeds[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
            runs = list(pool.map(search, seeds))
    winner = min(runs, key=lambda run: run.key)  # ties: the first seed's
    return winner.best.tolist()


def warm_up() -> None:
    """Compile (or load from the disk cache) the kernels, e.g. when a worker starts or an image is built."""
    from .instance import Instance, Participant, Request
    from .model import index_instance

    instance = Instance(
        slots=3,
        tables=2,
        participants=(Participant(id="A"), Participant(id="B"), Participant(id="C")),
        requests=(Request(a="A", b="B"), Request(a="A", b="C")),
    )
    # One request still out, so the insertion kernel is compiled too. Each kernel is compiled (or loaded) on
    # its first call, which comes before any look at the deadline: with the deadline passed, the search stops
    # there (this instance never reaches its floors, so a later deadline would only be waited out).
    reduce_breaks(
        index_instance(instance),
        [0, -1],
        deadline=time.perf_counter(),
        planned_seconds=0.01,
        floors=(0, 0),
        seeds=[0],
    )
