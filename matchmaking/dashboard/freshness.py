"""When the dashboard's cached figures go stale: a generation number in the cache, bumped on commit by the
services that change outcomes."""

from django.core.cache import cache
from django.db import transaction

_GENERATION_KEY = "dashboard:generation"


def figures_generation() -> int:
    """Part of every cache key of computed figures: bumped, it makes them all stale at once."""
    return cache.get(_GENERATION_KEY) or 0


def dashboard_figures_changed() -> None:
    """Outcomes moved (a partnership, an order, a meeting outcome): computed figures are stale for everyone.

    Called on commit by the services that change them; other figures (registrations, verifications) may
    lag by at most CACHE_SECONDS, which the page states."""
    def bump():
        try:
            cache.add(_GENERATION_KEY, 0, None)
            cache.incr(_GENERATION_KEY)
        except ValueError:  # evicted between add and incr, or the cache is down (fails soft)
            cache.set(_GENERATION_KEY, 1, None)

    transaction.on_commit(bump)
