"""Keep BLAS single-threaded while scoring.

The scorer multiplies many small matrices (a block of ~50 needs × a few thousand IKMs × 44 columns).
OpenBLAS splits each product over all cores; at these sizes the hand-off costs more than the arithmetic,
and on a busy machine (a web worker, a Celery worker, the two shared cores of CI) waiting for a second core
made the block products ten to twenty times slower in measurement. One thread per product is faster and
leaves the other core to the rest of the system.

threadpoolctl does this in general; it is not a dependency, so this is the few lines we need: find the
OpenBLAS that numpy loaded and use its *thread-local* setter (OpenBLAS ≥ 0.3.27), so other threads of the
process are unaffected. When the library or symbol is not found this does nothing.
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np


@cache
def _setter() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    libs_dir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs_dir, "*openblas*.so*"))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        setter = getattr(lib, "openblas_set_num_threads_local", None)
        if setter is not None:
            setter.restype = ctypes.c_int
            setter.argtypes = [ctypes.c_int]
            return setter
    return None


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Within the block, BLAS calls made by this thread use one thread."""
    setter = _setter()
    if setter is None:
        yield
        return
    previous = setter(1)
    try:
        yield
    finally:
        setter(previous)
