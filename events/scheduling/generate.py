"""Synthetic temu-bisnis days for the benchmark and tests, shaped like the events we expect.

A few popular buyers (BUMN, big PMA) draw far more requests than they have seats for; most IKMs ask for a
handful of meetings; some people arrive late, leave early or step out; some meetings are morning- or
afternoon-only (a factory visit after lunch, a buyer's flight). Same seed, same event.
"""

from __future__ import annotations

import random

from .instance import Instance, Participant, Request

WEIGHT_MUST, WEIGHT_WANT, WEIGHT_NICE = 3, 2, 1


def generate_event(
    *,
    ikms: int = 600,
    buyers: int = 80,
    slots: int = 20,
    requests: int = 4000,
    tables: int | None = None,
    seed: int = 0,
) -> Instance:
    """A random event; `tables` None means ample (one table per buyer seat)."""
    rng = random.Random(seed)
    participants = []
    for index in range(ikms):
        participants.append(
            Participant(id=f"I{index + 1:04d}", seats=1, available=_availability(rng, slots), side="ikm")
        )
    buyer_seats = [rng.choice((1, 1, 2, 2, 3)) for _ in range(buyers)]
    for index in range(buyers):
        participants.append(
            Participant(
                id=f"B{index + 1:03d}",
                seats=buyer_seats[index],
                available=_availability(rng, slots),
                side="buyer",
            )
        )
    # Popularity falls with rank, so the first buyers are heavily oversubscribed and the last ones are not.
    buyer_popularity = [1.0 / (rank + 1) ** 0.6 for rank in range(buyers)]
    ikm_activity = [rng.uniform(0.3, 1.7) for _ in range(ikms)]
    morning = frozenset(range(slots // 2))
    afternoon = frozenset(range(slots // 2, slots))
    seen: set[tuple[int, int]] = set()
    made: list[Request] = []
    while len(made) < requests:
        ikm = rng.choices(range(ikms), weights=ikm_activity)[0]
        buyer = rng.choices(range(buyers), weights=buyer_popularity)[0]
        if (ikm, buyer) in seen:
            continue
        seen.add((ikm, buyer))
        weight = rng.choices((WEIGHT_MUST, WEIGHT_WANT, WEIGHT_NICE), weights=(0.25, 0.35, 0.40))[0]
        roll = rng.random()
        window = morning if roll < 0.12 else afternoon if roll < 0.20 else None
        made.append(Request(a=f"I{ikm + 1:04d}", b=f"B{buyer + 1:03d}", weight=weight, slots=window))
    return Instance(
        slots=slots,
        tables=sum(buyer_seats) if tables is None else tables,
        participants=tuple(participants),
        requests=tuple(made),
    )


def _availability(rng: random.Random, slots: int) -> frozenset[int]:
    """Mostly all day; some arrive late, leave early, or step out for a while."""
    every = set(range(slots))
    roll = rng.random()
    if roll < 0.08:
        every -= set(range(rng.randint(1, slots // 4)))  # arrives late
    elif roll < 0.16:
        every -= set(range(slots - rng.randint(1, slots // 4), slots))  # leaves early
    elif roll < 0.26:
        start = rng.randrange(slots)
        every -= set(range(start, start + rng.randint(1, 3)))  # steps out (Friday prayer, another meeting)
    return frozenset(every)
