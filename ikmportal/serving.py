"""What a web process does once, before its first request (wsgi.py, asgi.py)."""

import gc

from django.urls import get_resolver


def prepare_web_process() -> None:
    """Import the URLconf now (every view, and what they import) rather than in the first request, then
    freeze everything loaded so far out of the garbage collector's way (`gc.freeze`).

    Those objects, some 173,000, live as long as the process. Left to the collector, each of its full passes
    walked all of them, in the middle of whichever request set it off: before this (and before the solver's
    and scorer's imports were made lazy, 213,000 objects) 120-130 ms a pass on a 2-core VM, the slowest
    directory page in bench_search 113-124 ms where the others took 12-16. Frozen, a full pass walks only
    what requests left behind, and the slowest page took 19-36 ms."""
    get_resolver().url_patterns  # noqa: B018 (loading it is the point)
    gc.freeze()
