"""Starting a real Celery worker process against the real Redis, for tests that need one."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from celery import Celery

REDIS_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parent.parent


def database_url(connection) -> str:
    """The URL of the test database `connection` uses, for a worker process to reach the same data."""
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def running_worker(*, database_url: str | None = None, pool: str = "solo"):
    """Yield (client_app, queue): a worker process consumes `queue`; the app sends to it. `pool="prefork"`
    runs tasks in a forked child, as the production worker does."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ikmportal.settings_test", "CELERY_BROKER_URL": REDIS_URL,
           "CELERY_RESULT_BACKEND": REDIS_URL}
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ikmportal", "worker", "-Q", queue, f"--pool={pool}",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    client = Celery("ikmportal-test-client", broker=REDIS_URL, backend=REDIS_URL)
    client.conf.task_default_queue = queue
    try:
        yield client, queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
