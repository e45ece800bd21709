"""A web process as gunicorn starts it: ikmportal.wsgi, in a process of its own."""

import json
import os
import subprocess
import sys

import pytest

from tests.worker import ROOT

_REPORT = """
import gc, json, sys
import ikmportal.wsgi
loaded = set(sys.modules)
print(json.dumps({"frozen": gc.get_freeze_count(), "views": "matchmaking.views" in loaded,
                  "scheduler": sorted({"numba", "pysat", "events.scheduling.solver"} & loaded)}))
"""


@pytest.fixture(scope="module")
def started() -> dict:
    """What one web process, started once for these tests, had loaded and frozen."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ikmportal.settings_test"}
    result = subprocess.run([sys.executable, "-c", _REPORT], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_web_process_loads_views_before_first_request_and_freezes_them_out_of_gc(started):
    # The views are imported at start-up, not in the first visitor's request, and what start-up loaded is
    # frozen, so the collector's full passes during requests skip it.
    assert started["views"] is True
    assert started["frozen"] > 50_000


def test_web_process_does_not_load_the_meeting_schedulers_solver(started):
    # The solver (numba with LLVM, python-sat) is the worker's: a web process never solves, and loading it
    # (with scipy's sparse matrices) doubled every gunicorn worker's memory, 137 -> 274 MB.
    assert started["scheduler"] == []
