"""Consortium suggestions: when no single IKM covers a need, groups of 2–3 nearby IKMs that together do.

Pure: works on the suggestions already stored for a need (their met processes and capacities) and the
members' places; no queries. A group is proposed when

* together its members meet every process the need asks for, and their capacities add up to the
  quantity (when the need gives one; an unknown capacity counts as nothing);
* they are close: all in one sentra, or every two of them within ``CONSORTIUM_MAX_KM`` (which covers
  neighbouring kabupaten);
* it is minimal: no member could be dropped (no smaller group inside it already works).

Groups are ordered smallest first, then by their members' mean score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

#: Members farther apart than this are not proposed together (Tegal–Pemalang ≈ 35 km, Tegal–Klaten ≈ 150).
CONSORTIUM_MAX_KM = 100.0
CONSORTIUM_MAX_SIZE = 3
CONSORTIUM_LIMIT = 3


@dataclass(frozen=True)
class Member:
    ikm_id: int
    name: str
    score: float
    processes_met: frozenset[str]
    capacity: float | None = None
    sentra_id: int | None = None
    sentra_name: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Consortium:
    members: tuple[Member, ...]
    processes_met: int
    processes_total: int
    capacity: float | None
    same_sentra: str | None
    km: float | None
    score: float


def distance_km(a: Member, b: Member) -> float | None:
    """Great-circle distance, None when either place is unknown."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi, dlam = phi2 - phi1, math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _covers(members: Sequence[Member], required: frozenset[str], quantity: float | None) -> bool:
    met = frozenset().union(*(m.processes_met for m in members))
    if not required <= met:
        return False
    if quantity is not None:
        return sum(m.capacity or 0.0 for m in members) >= quantity
    return True


def _closeness(members: Sequence[Member]) -> tuple[bool, str | None, float | None]:
    sentra = {m.sentra_id for m in members}
    if len(sentra) == 1 and None not in sentra:
        return True, members[0].sentra_name, None
    farthest = 0.0
    for a, b in combinations(members, 2):
        km = distance_km(a, b)
        if km is None or km > CONSORTIUM_MAX_KM:
            return False, None, None
        farthest = max(farthest, km)
    return True, None, farthest


def consortium_suggestions(
    members: Sequence[Member],
    *,
    required: Sequence[str],
    quantity: float | None,
    max_size: int = CONSORTIUM_MAX_SIZE,
    limit: int = CONSORTIUM_LIMIT,
) -> list[Consortium]:
    """Groups of 2..max_size members that together cover the need; none when one member alone does."""
    wanted = frozenset(required)
    if not wanted and quantity is None:
        return []
    if any(_covers([m], wanted, quantity) for m in members):
        return []
    useful = [m for m in members if (m.processes_met & wanted) or (quantity is not None and m.capacity)]
    found: list[Consortium] = []
    working: list[frozenset[int]] = []
    for size in range(2, max_size + 1):
        for group in combinations(useful, size):
            ids = frozenset(m.ikm_id for m in group)
            if any(smaller < ids for smaller in working) or not _covers(group, wanted, quantity):
                continue
            close, sentra, km = _closeness(group)
            if not close:
                continue
            working.append(ids)
            capacities = [m.capacity for m in group if m.capacity is not None]
            found.append(Consortium(
                members=tuple(sorted(group, key=lambda m: -m.score)),
                processes_met=len(wanted & frozenset().union(*(m.processes_met for m in group))),
                processes_total=len(wanted),
                capacity=sum(capacities) if capacities else None,
                same_sentra=sentra,
                km=km,
                score=sum(m.score for m in group) / size,
            ))
    found.sort(key=lambda c: (len(c.members), -c.score))
    return found[:limit]
