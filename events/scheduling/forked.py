"""A search run in a forked copy of this process, stopped at a deadline whatever it is doing.

The SAT searches run here: Glucose looks at its budgets and at an interrupt only when it restarts, and a
step once ran 3.8 s past its budget (the event's 10 s would not hold), but a process can always be
stopped. A forked child also has its own interpreter (python-sat keeps the GIL while it solves unless told
otherwise) and shares the parent's memory copy-on-write, so the indexed event needs no copying.

The child reports each better schedule through a pipe as soon as it has one; the parent takes the last one
reported by its deadline, then stops the child. A child that fails or is stopped early leaves what it
reported, or nothing: the caller's own result still stands. The child runs only the search (pure Python
and C), turns the garbage collector off first, so none of the parent's objects (its database connections
among them) is finalised in the copy, and ends with `os._exit`, so no exit handler of the parent runs
twice. Where there is no `os.fork`, or it fails, `start` returns None and the caller searches on its own.
"""

from __future__ import annotations

import gc
import os
import signal
import struct
import threading
import time
import traceback
from array import array
from collections.abc import Callable

Report = Callable[[list[int]], None]
_HEADER = struct.Struct("<I")  # a report: its length in bytes, then the schedule as 32-bit ints


def start(search: Callable[[Report], object]) -> Forked | None:
    """Run `search(report)` in a forked child; `report(schedule)` sends a better schedule to the parent."""
    if not hasattr(os, "fork"):
        return None
    try:
        reading, writing = os.pipe()
    except OSError:  # out of file descriptors: the caller searches on its own
        return None
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: the same
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:  # the child: never returns
        status = 1
        try:
            gc.disable()
            os.close(reading)
            search(lambda schedule: _send(writing, schedule))
            status = 0
        except BaseException:  # said in the worker's log; the parent goes on without this search
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(writing)
    return Forked(pid, reading)


class Forked:
    """The parent's side: a thread reads the child's reports as they come (so the pipe never fills)."""

    def __init__(self, pid: int, reading: int) -> None:
        self.pid = pid
        self._latest: list[int] | None = None
        self._reader = threading.Thread(target=self._read, args=(reading,), daemon=True)
        self._reader.start()

    def latest(self, *, wait_until: float) -> list[int] | None:
        """The last schedule the child reported; waits for it to finish until `wait_until`, then stops it."""
        self._reader.join(max(0.0, wait_until - time.perf_counter()))
        if self._reader.is_alive():
            os.kill(self.pid, signal.SIGKILL)  # not reaped yet, so the pid is still the child's
            self._reader.join()
        os.waitpid(self.pid, 0)
        return self._latest

    def _read(self, reading: int) -> None:
        with os.fdopen(reading, "rb") as pipe:
            while (header := pipe.read(_HEADER.size)) and len(header) == _HEADER.size:
                (length,) = _HEADER.unpack(header)
                body = pipe.read(length)
                if len(body) < length:  # the child stopped halfway through a report
                    return
                self._latest = array("i", body).tolist()


def _send(writing: int, schedule: list[int]) -> None:
    body = array("i", schedule).tobytes()
    data = memoryview(_HEADER.pack(len(body)) + body)
    while data:
        data = data[os.write(writing, data) :]
