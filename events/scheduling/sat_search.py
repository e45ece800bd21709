"""The solver's last phase: fewer breaks by large neighbourhood search with a SAT solver, every meeting kept.

The annealing (`annealing`) moves a meeting or a Kempe chain at a time; on the hardest public events it
ends where one break fewer needs dozens of meetings to move together. This phase builds one SAT model of the
event once (Gluecard 4: Glucose 4.1 with native cardinality constraints, through python-sat) and then, again
and again, keeps most meetings where they are and asks the solver for a schedule with one break fewer in
which only the others may move:

- `x[r, s]`: scheduled meeting r is in slot s (one of its allowed slots; a locked meeting has only its own);
  each scheduled meeting in exactly one slot, at most `seats` meetings per participant and slot. Every
  "at most k of these" (and "at least", as at most k of the negations) is a native constraint of the solver,
  not clauses of a counter: the solver propagates it directly, about twice the conflicts a second here;
- `busy[p, s]` exactly when p has a meeting in slot s; at most two people per table busy in a slot. With one
  seat each, that is the table limit (every meeting makes exactly two people busy); with more seats it is
  only implied, and the meetings in a slot are also counted against `tables`. Implied as well, because it
  prunes the search: p is busy in no more slots than they have meetings (with one seat, in exactly as many);
- `later[p, s]`: p is busy in some slot after s; a break starts at s when p is busy at s, free at s + 1 and
  busy later, and an incremental totalizer counts break starts, so "at most k breaks" is one assumption.

Each step assumes every meeting outside the neighbourhood stays in its slot and the totalizer's output
"more than best - 1 breaks" false, within a budget of conflicts; the solver keeps what it learnt between
steps. A neighbourhood is the meetings in a window of consecutive slots: half the time over a slot where
someone has a break, else anywhere and now and then also with a random sample of the others. The window's
width adapts: one slot wider after a step that proved no better schedule exists there, several narrower
(`NARROWER_AFTER_UNDECIDED`) after a step that ran out of conflicts, as a proof takes milliseconds and a step
that runs out a second. So a poor start gets quick small steps and a good one the wide steps that alone can
still improve it. The run is planned in the solver's propagations, not seconds (the same seed gives the
same answer on any machine unless the clock is what stops it), and only a schedule that checks out in plain
Python (slots allowed, seats, tables, fewer breaks) is taken.

Requests still out stay out (the solver adds them afterwards where they fit): weight comes first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator

from pysat.card import ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from .model import IndexedInstance, breaks_of

# Glucose settled these steps faster than CaDiCaL 1.9.5 (on the five hardest public events, seeds 0-7 at 8 s,
# 19.0 breaks on average against 21.25); Gluecard, the same solver with the cardinality constraints native
# instead of sequential counters, about halves a conflict's cost (on the four hardest, 9 s, seeds 0-5:
# 13.0 breaks on average, worst 14, against 14.0, worst 15, on a VM where Glucose made 5.7 million
# propagations a second).
SOLVER = "gluecard4"
STEP_CONFLICTS = 12_000  # per step: enough for a wide window to be settled, small enough for many steps
STEP_PROPAGATIONS = 6_000_000  # and this many (Glucose looks at both only when it restarts)
STEP_WORK = 10_000  # a step's own cost (assumptions, phases, model) counted in propagations
# The planning rate in propagations. Gluecard made 2.5-4 million a second on that VM, so there the clock,
# not this budget, ends the search (and the same seed need not give the same schedule).
NOMINAL_WORK_PER_SECOND = 8_000_000
FIRST_WIDTH, MIN_WIDTH = 8, 4  # slots freed by a window step: adapted as steps go (see reduce_breaks)
# After a step that ran out of conflicts, the width shrinks by this many slots. On ticf-13crafb, the slowest
# of the public events to improve (one search, seed 5), a step that proved no better schedule exists in its
# window took 4-7 ms and one that ran out about 1.1 s, with windows of 150-195 of its 195 meetings; the
# 3-4 steps that ran out took 3.8 s of the search's 6 shrinking by one slot, 4.6 s by three, so the profile
# alone does not settle it. The totals do, a little: on the four hardest events, 9 s each, seeds 0-11 (one
# total per seed), by one slot 13.33 breaks on average, worst 15; by three 13.08, worst 14; halving the width
# 13.17 (seeds 0-5), worst 14.
NARROWER_AFTER_UNDECIDED = 3
WIDTH_JITTER = 2  # each step's window is up to this many slots wider or narrower than the current width
SAMPLED_SHARE = 0.15  # in a mixed step, this share of the meetings outside the window is freed too
BREAK_WINDOW_SHARE = 0.5  # of the steps: the window is put over a slot where someone has a break
FOUND, NONE_EXISTS, UNDECIDED = "found", "none exists", "undecided"  # what a step concluded
MAX_PLACEMENTS = 10_000  # meeting-slot pairs: beyond, building the model and each step cost seconds


def applies(indexed: IndexedInstance, slot_of: list[int]) -> bool:
    """Whether the event is small enough for this search: the public events are (1,000-5,900 meeting-slot
    pairs), the bench's generated event of 2,000 meetings over 20 slots (some 40,000) is not."""
    placements = sum(
        1 if indexed.locked_slot[request] >= 0 else len(indexed.allowed[request])
        for request, slot in enumerate(slot_of)
        if slot >= 0
    )
    return 0 < placements <= MAX_PLACEMENTS


def reduce_breaks(
    indexed: IndexedInstance,
    slot_of: list[int],
    *,
    deadline: float,
    planned_seconds: float,
    breaks_floor: int,
    seed: int,
    on_better: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """A schedule with the same meetings as `slot_of` (per request: its slot or -1) and no more breaks, found
    by steps of about `planned_seconds` (stopping early at `deadline` or at `breaks_floor` breaks). Each
    better schedule is also passed to `on_better` as soon as it is found."""
    best_breaks = _breaks(indexed, slot_of)
    if best_breaks <= breaks_floor or not any(slot >= 0 for slot in slot_of):
        return slot_of
    rng = random.Random(seed)
    budget = int(planned_seconds * NOMINAL_WORK_PER_SECOND)
    model = _BreaksModel(indexed, slot_of, max_breaks=best_breaks)
    try:
        spent = 0
        best = list(slot_of)
        width = min(FIRST_WIDTH, indexed.slot_count)
        while spent < budget and best_breaks > breaks_floor and time.perf_counter() < deadline:
            free = _neighbourhood(indexed, best, rng, width)
            outcome, found, propagations = model.fewer_breaks(best, free, at_most=best_breaks - 1)
            spent += propagations + STEP_WORK
            if outcome == NONE_EXISTS:  # this window is settled: look wider
                width = min(indexed.slot_count, width + 1)
            elif outcome == UNDECIDED:  # too wide for a step's conflicts: look narrower
                width = max(MIN_WIDTH, width - NARROWER_AFTER_UNDECIDED)
            elif (
                outcome == FOUND
                and _fits(indexed, found)
                and (found_breaks := _breaks(indexed, found)) < best_breaks
            ):
                best, best_breaks = found, found_breaks
                if on_better is not None:
                    on_better(best)
        return best
    finally:
        model.close()


class _BreaksModel:
    """The event as one incremental SAT model over its scheduled meetings (see the module doc)."""

    def __init__(self, indexed: IndexedInstance, slot_of: list[int], *, max_breaks: int) -> None:
        pool = IDPool()
        clauses: list[list[int]] = []
        cards: list[tuple[list[int], int]] = []  # (literals, k): at most k of them true
        self.x: dict[tuple[int, int], int] = {}
        at: dict[tuple[int, int], list[int]] = {}
        in_slot: list[list[int]] = [[] for _ in range(indexed.slot_count)]
        meetings_of = [0] * indexed.participant_count
        for request, slot in enumerate(slot_of):
            if slot < 0:
                continue
            locked = indexed.locked_slot[request]
            options = []
            for option in [locked] if locked >= 0 else indexed.allowed[request]:
                variable = pool.id(("x", request, option))
                self.x[request, option] = variable
                options.append(variable)
                in_slot[option].append(variable)
                for participant in (indexed.request_a[request], indexed.request_b[request]):
                    at.setdefault((participant, option), []).append(variable)
            clauses.append(options)
            _at_most(cards, options, 1)
            meetings_of[indexed.request_a[request]] += 1
            meetings_of[indexed.request_b[request]] += 1
        # With one seat each, the busy-count limit per slot below is the table limit itself, as every meeting
        # makes exactly two people busy; counting the meetings as well only made the model larger (ticf-13crafb,
        # when the counts were still clauses: 93,000 variables and 200,000 clauses against 52,000 and 114,000).
        if any(seats > 1 for seats in indexed.seats):
            for variables in in_slot:
                _at_most(cards, variables, indexed.table_count)
        break_starts = []
        busy_by_participant = []
        for participant, meetings in enumerate(meetings_of):
            if not meetings:
                continue
            busy = self._busy(participant, indexed, at, pool, clauses, cards)
            busy_slots = [literal for literal in busy if literal]
            # Implied: busy in no more slots than meetings, and with one seat in exactly as many.
            _at_most(cards, busy_slots, meetings)
            if indexed.seats[participant] == 1:
                _at_least(cards, busy_slots, meetings)
            busy_by_participant.append(busy)
            break_starts.extend(_break_starts(participant, busy, pool, clauses))
        for slot in range(indexed.slot_count):  # a meeting makes two people busy, a table holds one meeting
            busy_here = [busy[slot] for busy in busy_by_participant if busy[slot]]
            _at_most(cards, busy_here, 2 * indexed.table_count)
        self.totalizer = ITotalizer(lits=break_starts, ubound=max(1, max_breaks), top_id=pool.top)
        clauses.extend(self.totalizer.cnf.clauses)
        self.solver = Solver(name=SOLVER, bootstrap_with=clauses)
        for literals, bound in cards:
            self.solver.add_atmost(literals, bound)

    @staticmethod
    def _busy(
        participant: int,
        indexed: IndexedInstance,
        at: dict[tuple[int, int], list[int]],
        pool: IDPool,
        clauses: list[list[int]],
        cards: list[tuple[list[int], int]],
    ) -> list[int]:
        """Per slot, the literal "participant busy" (0 where none of their meetings may go)."""
        busy = []
        for slot in range(indexed.slot_count):
            meetings = at.get((participant, slot), [])
            if not meetings:
                busy.append(0)
                continue
            variable = pool.id(("busy", participant, slot))
            clauses.extend([-meeting, variable] for meeting in meetings)
            clauses.append([-variable, *meetings])
            _at_most(cards, meetings, indexed.seats[participant])
            busy.append(variable)
        return busy

    def fewer_breaks(self, slot_of: list[int], free: set[int], *, at_most: int) -> tuple[str, list[int], int]:
        """Whether a schedule moving only the meetings in `free` has at most `at_most` breaks (FOUND, with it;
        NONE_EXISTS; or UNDECIDED when the step's budget ran out), and the propagations spent."""
        assumptions = [
            self.x[request, slot] for request, slot in enumerate(slot_of) if slot >= 0 and request not in free
        ]
        assumptions.append(-self.totalizer.rhs[at_most])
        solver = self.solver
        solver.set_phases([v if slot_of[request] == slot else -v for (request, slot), v in self.x.items()])
        before = solver.accum_stats().get("propagations", 0)
        solver.conf_budget(STEP_CONFLICTS)
        solver.prop_budget(STEP_PROPAGATIONS)
        answer = solver.solve_limited(assumptions=assumptions)
        spent = max(1, solver.accum_stats().get("propagations", 0) - before)
        if answer is None:
            return UNDECIDED, slot_of, spent
        if not answer:
            return NONE_EXISTS, slot_of, spent
        true = {literal for literal in solver.get_model() if literal > 0}
        found = list(slot_of)
        for (request, slot), variable in self.x.items():
            if variable in true:
                found[request] = slot
        return FOUND, found, spent

    def close(self) -> None:
        self.solver.delete()
        self.totalizer.delete()


def _break_starts(participant: int, busy: list[int], pool: IDPool, clauses: list[list[int]]) -> Iterator[int]:
    """Literals true when a break of `participant` starts at a slot: busy there, free in the next, busy in a later one."""
    later = [0] * len(busy)  # later[s]: busy in some slot after s
    for slot in range(len(busy) - 2, -1, -1):
        parts = [literal for literal in (busy[slot + 1], later[slot + 1]) if literal]
        if not parts:
            continue
        variable = pool.id(("later", participant, slot))
        clauses.extend([-part, variable] for part in parts)
        clauses.append([-variable, *parts])
        later[slot] = variable
    for slot in range(len(busy) - 2):
        if not busy[slot] or not later[slot + 1]:
            continue
        start = pool.id(("break", participant, slot))
        clause = [-busy[slot], -later[slot + 1], start]
        if busy[slot + 1]:
            clause.append(busy[slot + 1])
        clauses.append(clause)
        yield start


def _at_most(cards: list[tuple[list[int], int]], literals: list[int], bound: int) -> None:
    """At most `bound` of `literals` true (nothing to add where there are no more of them than that)."""
    if len(literals) > bound:
        cards.append((list(literals), bound))


def _at_least(cards: list[tuple[list[int], int]], literals: list[int], bound: int) -> None:
    """At least `bound` of `literals` true: at most len - bound of them false."""
    _at_most(cards, [-literal for literal in literals], len(literals) - bound)


def _neighbourhood(indexed: IndexedInstance, slot_of: list[int], rng: random.Random, width: int) -> set[int]:
    """The meetings a step may move: those in a window of about `width` slots, half the time over a slot
    where someone has a break, else anywhere and now and then with a random sample of the others."""
    slot_count = indexed.slot_count
    width = max(1, min(slot_count, width + rng.randint(-WIDTH_JITTER, WIDTH_JITTER)))
    gaps = _gap_slots(indexed, slot_of) if rng.random() < BREAK_WINDOW_SHARE else []
    if gaps:
        gap = gaps[rng.randrange(len(gaps))]
        first = max(0, min(gap - rng.randrange(width), slot_count - width))
        sampled = 0.0
    else:
        first = rng.randrange(slot_count - width + 1)
        sampled = SAMPLED_SHARE if rng.random() < 0.5 else 0.0
    return {
        request
        for request, slot in enumerate(slot_of)
        if slot >= 0 and (first <= slot < first + width or rng.random() < sampled)
    }


def _days(indexed: IndexedInstance, slot_of: list[int]) -> list[int]:
    """Per participant, their busy slots as a bit mask."""
    day = [0] * indexed.participant_count
    for request, slot in enumerate(slot_of):
        if slot >= 0:
            day[indexed.request_a[request]] |= 1 << slot
            day[indexed.request_b[request]] |= 1 << slot
    return day


def _gap_slots(indexed: IndexedInstance, slot_of: list[int]) -> list[int]:
    """The slots where someone is free between two of their meetings (once per such person and slot)."""
    return [
        slot
        for mask in _days(indexed, slot_of)
        if mask
        for slot in range((mask & -mask).bit_length() - 1, mask.bit_length() - 1)
        if not mask >> slot & 1
    ]


def _breaks(indexed: IndexedInstance, slot_of: list[int]) -> int:
    """Breaks of a schedule, summed over participants."""
    return sum(breaks_of(mask) for mask in _days(indexed, slot_of))


def _fits(indexed: IndexedInstance, slot_of: list[int]) -> bool:
    """Every meeting in an allowed (or its locked) slot, seats and tables respected."""
    load = [0] * indexed.slot_count
    seats_used: dict[tuple[int, int], int] = {}
    for request, slot in enumerate(slot_of):
        if slot < 0:
            continue
        locked = indexed.locked_slot[request]
        if (locked >= 0 and slot != locked) or (locked < 0 and not indexed.allowed_mask[request] >> slot & 1):
            return False
        load[slot] += 1
        for participant in (indexed.request_a[request], indexed.request_b[request]):
            used = seats_used.get((participant, slot), 0) + 1
            if used > indexed.seats[participant]:
                return False
            seats_used[participant, slot] = used
    return max(load) <= indexed.table_count
