"""The scheduler's plain data: an event instance, the meetings it may hold, and a schedule.

The JSON shape is the contract in DESIGN.md ("Scheduler instance format"); `instance_from_dict` and
`schedule_to_dict` are the only places that know it, so the solver and the command never touch raw dicts.
Everything is checked once, here, so the solver can trust its input and a bad file gets a message that
names the offending entry instead of a traceback deep inside the search.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

SIDES = ("ikm", "buyer", "other")


class InstanceError(ValueError):
    """The instance is malformed or self-contradictory; the message names the offending entry."""


@dataclass(frozen=True)
class Participant:
    """Someone who holds meetings: an IKM, a buyer delegation (`seats` > 1 when several staff), or other."""

    id: str
    seats: int = 1
    available: frozenset[int] | None = None  # None: every slot (filled in by Instance)
    side: str = "other"


@dataclass(frozen=True)
class Request:
    """A wish for one meeting between `a` and `b`; `slots` (when not None) limits where it may go."""

    a: str
    b: str
    weight: float = 1
    slots: frozenset[int] | None = None

    @property
    def pair(self) -> frozenset[str]:
        """The unordered pair: a request between A and B is the same request as one between B and A."""
        return frozenset((self.a, self.b))


@dataclass(frozen=True)
class Meeting:
    """A request placed in a slot at a table (`table` None only for a locked meeting without a table)."""

    a: str
    b: str
    slot: int
    table: int | None = None

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))


@dataclass(frozen=True)
class Instance:
    """One event to schedule. Built directly or from JSON; validated on construction.

    `locked` meetings were placed by the organiser (or confirmed earlier) and must stay exactly where they
    are; each one must correspond to a request, which then counts as scheduled.
    """

    slots: int
    tables: int
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    locked: tuple[Meeting, ...] = ()

    def __post_init__(self) -> None:
        # Normalise once (any iterable of slots, `available=None` meaning all day) so that every reader
        # of an Instance can rely on frozensets and tuples.
        every_slot = frozenset(range(self.slots)) if isinstance(self.slots, int) else frozenset()
        participants = tuple(
            replace(p, available=every_slot if p.available is None else frozenset(p.available))
            for p in self.participants
        )
        requests = tuple(
            r if r.slots is None or isinstance(r.slots, frozenset) else replace(r, slots=frozenset(r.slots))
            for r in self.requests
        )
        object.__setattr__(self, "participants", participants)
        object.__setattr__(self, "requests", requests)
        object.__setattr__(self, "locked", tuple(self.locked))
        _check_instance(self)

    @property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    def allowed_slots(self, request: Request) -> frozenset[int]:
        """Slots where both sides are available and the request itself allows the meeting."""
        by_id = self.participant_by_id
        common = by_id[request.a].available & by_id[request.b].available
        return common if request.slots is None else common & request.slots


@dataclass(frozen=True)
class Unscheduled:
    """A request left out of the schedule, with the reason found by checking the final schedule."""

    request: Request
    reason: str


@dataclass
class Schedule:
    """The solver's answer: meetings with slot and table, the lexicographic objective, and what was left."""

    meetings: list[Meeting]
    objective: float
    breaks: int
    idle: int
    upper_bound: float | None = None
    seconds: float = 0.0
    unscheduled: list[Unscheduled] = field(default_factory=list)


def _check_instance(instance: Instance) -> None:
    """Raise InstanceError on anything the solver could not honour; messages name the entry."""
    if not isinstance(instance.slots, int) or instance.slots < 1:
        raise InstanceError(f"slots must be a positive integer, got {instance.slots!r}")
    if not isinstance(instance.tables, int) or instance.tables < 1:
        raise InstanceError(f"tables must be a positive integer, got {instance.tables!r}")
    by_id: dict[str, Participant] = {}
    for participant in instance.participants:
        if participant.id in by_id:
            raise InstanceError(f"participant {participant.id!r} is listed twice")
        if not isinstance(participant.seats, int) or participant.seats < 1:
            raise InstanceError(
                f"participant {participant.id!r}: seats must be >= 1, got {participant.seats!r}"
            )
        if participant.side not in SIDES:
            raise InstanceError(f"participant {participant.id!r}: side must be one of {', '.join(SIDES)}")
        for slot in participant.available:
            if not 0 <= slot < instance.slots:
                raise InstanceError(
                    f"participant {participant.id!r}: available slot {slot} is outside 0..{instance.slots - 1}"
                )
        by_id[participant.id] = participant
    requests_by_pair: dict[frozenset[str], list[Request]] = {}
    for index, request in enumerate(instance.requests):
        where = f"request {index} ({request.a}-{request.b})"
        for side in (request.a, request.b):
            if side not in by_id:
                raise InstanceError(f"{where}: unknown participant {side!r}")
        if request.a == request.b:
            raise InstanceError(f"{where}: a participant cannot meet themselves")
        # The same pair may ask for two meetings (the public forum events do): two requests, two meetings.
        requests_by_pair.setdefault(request.pair, []).append(request)
        weight = request.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
            raise InstanceError(f"{where}: weight must be a number, got {weight!r}")
        if weight <= 0:
            raise InstanceError(f"{where}: weight must be positive, got {weight!r}")
        for slot in request.slots or ():
            if not 0 <= slot < instance.slots:
                raise InstanceError(f"{where}: slot {slot} is outside 0..{instance.slots - 1}")
    _check_locked(instance, by_id, requests_by_pair)


def _check_locked(
    instance: Instance, by_id: dict[str, Participant], requests_by_pair: dict[frozenset[str], list[Request]]
) -> None:
    """Locked meetings must be placeable as given, or the solver would be asked the impossible."""
    unlocked = {pair: list(requests) for pair, requests in requests_by_pair.items()}
    load: dict[int, int] = {}
    busy: dict[tuple[str, int], int] = {}
    tables_used: set[tuple[int, int]] = set()
    for meeting in instance.locked:
        where = f"locked meeting {meeting.a}-{meeting.b} in slot {meeting.slot}"
        for side in (meeting.a, meeting.b):
            if side not in by_id:
                raise InstanceError(f"{where}: unknown participant {side!r}")
        if meeting.pair not in requests_by_pair:
            raise InstanceError(f"{where}: no request for this pair")
        if not unlocked[meeting.pair]:
            raise InstanceError(f"{where}: the pair is locked more often than it was requested")
        if not isinstance(meeting.slot, int) or not 0 <= meeting.slot < instance.slots:
            raise InstanceError(f"{where}: slot is outside 0..{instance.slots - 1}")
        for side in (meeting.a, meeting.b):
            if meeting.slot not in by_id[side].available:
                raise InstanceError(f"{where}: {side} is not available then")
        request = locked_request(unlocked[meeting.pair], meeting.slot)
        if request is None:
            raise InstanceError(f"{where}: the request does not allow this slot")
        unlocked[meeting.pair].remove(request)
        if meeting.table is not None:
            if not isinstance(meeting.table, int) or not 0 <= meeting.table < instance.tables:
                raise InstanceError(f"{where}: table {meeting.table!r} is outside 0..{instance.tables - 1}")
            if (meeting.slot, meeting.table) in tables_used:
                raise InstanceError(
                    f"{where}: table {meeting.table} is already taken by another locked meeting"
                )
            tables_used.add((meeting.slot, meeting.table))
        load[meeting.slot] = load.get(meeting.slot, 0) + 1
        if load[meeting.slot] > instance.tables:
            raise InstanceError(f"{where}: more locked meetings than tables in this slot")
        for side in (meeting.a, meeting.b):
            busy[side, meeting.slot] = busy.get((side, meeting.slot), 0) + 1
            if busy[side, meeting.slot] > by_id[side].seats:
                raise InstanceError(f"{where}: {side} has more locked meetings than seats in this slot")


def locked_request(candidates: Sequence[Request], slot: int) -> Request | None:
    """Which of a pair's requests a locked meeting in `slot` fulfils: the heaviest that allows the slot."""
    fitting = [r for r in candidates if r.slots is None or slot in r.slots]
    return max(fitting, key=lambda r: r.weight, default=None)


# --- JSON ---------------------------------------------------------------------------------------------


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise InstanceError(f"{where}: missing key {key!r}")
    return mapping[key]


def _integer(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}: expected an integer, got {value!r}")
    return value


def _integer_list(value: Any, where: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list of slot numbers, got {value!r}")
    return frozenset(_integer(item, where) for item in value)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstanceError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def _list(value: Any, where: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def instance_from_dict(data: Any) -> Instance:
    """Build an Instance from the DESIGN.md JSON (already parsed); raise InstanceError naming the problem.

    `available` defaults to every slot, `seats` to 1, `side` to "other", `weight` to 1; an optional
    `locked` list holds meetings `{"a", "b", "slot", "table"?}` that must stay where they are.
    """
    data = _mapping(data, "instance")
    slots = _integer(_require(data, "slots", "instance"), "slots")
    tables = _integer(_require(data, "tables", "instance"), "tables")
    if slots < 1:
        raise InstanceError(f"slots must be >= 1, got {slots}")
    participants = []
    for index, raw in enumerate(_list(_require(data, "participants", "instance"), "participants")):
        where = f"participants[{index}]"
        raw = _mapping(raw, where)
        participant_id = _text(_require(raw, "id", where), f"{where}.id")
        where = f"participant {participant_id!r}"
        available = (
            _integer_list(raw["available"], f"{where}.available")
            if "available" in raw
            else frozenset(range(slots))
        )
        participants.append(
            Participant(
                id=participant_id,
                seats=_integer(raw.get("seats", 1), f"{where}.seats"),
                available=available,
                side=raw.get("side", "other"),
            )
        )
    requests = []
    for index, raw in enumerate(_list(_require(data, "requests", "instance"), "requests")):
        where = f"requests[{index}]"
        raw = _mapping(raw, where)
        request_slots = raw.get("slots")
        requests.append(
            Request(
                a=_text(_require(raw, "a", where), f"{where}.a"),
                b=_text(_require(raw, "b", where), f"{where}.b"),
                weight=raw.get("weight", 1),
                slots=None if request_slots is None else _integer_list(request_slots, f"{where}.slots"),
            )
        )
    locked = []
    for index, raw in enumerate(_list(data.get("locked", []), "locked")):
        where = f"locked[{index}]"
        raw = _mapping(raw, where)
        table = raw.get("table")
        locked.append(
            Meeting(
                a=_text(_require(raw, "a", where), f"{where}.a"),
                b=_text(_require(raw, "b", where), f"{where}.b"),
                slot=_integer(_require(raw, "slot", where), f"{where}.slot"),
                table=None if table is None else _integer(table, f"{where}.table"),
            )
        )
    return Instance(
        slots=slots,
        tables=tables,
        participants=tuple(participants),
        requests=tuple(requests),
        locked=tuple(locked),
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The inverse of `instance_from_dict`, used to write generated benchmark events to files."""
    data: dict[str, Any] = {
        "slots": instance.slots,
        "tables": instance.tables,
        "participants": [
            {"id": p.id, "side": p.side, "seats": p.seats, "available": sorted(p.available)}
            for p in instance.participants
        ],
        "requests": [
            {"a": r.a, "b": r.b, "weight": r.weight} | ({} if r.slots is None else {"slots": sorted(r.slots)})
            for r in instance.requests
        ],
    }
    if instance.locked:
        data["locked"] = [
            {"a": m.a, "b": m.b, "slot": m.slot} | ({} if m.table is None else {"table": m.table})
            for m in instance.locked
        ]
    return data


def _number(value: float) -> float | int:
    """Integral floats print as integers, so weights 3/2/1 give `"objective": 4711`, not 4711.0."""
    return int(value) if float(value).is_integer() else value


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The DESIGN.md output; `idle` and `unscheduled` (with reasons) are extra keys for people."""
    return {
        "meetings": [{"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in schedule.meetings],
        "objective": _number(schedule.objective),
        "upper_bound": None if schedule.upper_bound is None else _number(schedule.upper_bound),
        "breaks": schedule.breaks,
        "seconds": round(schedule.seconds, 3),
        "idle": schedule.idle,
        "unscheduled": [
            {"a": u.request.a, "b": u.request.b, "weight": _number(u.request.weight), "reason": u.reason}
            for u in schedule.unscheduled
        ],
    }
