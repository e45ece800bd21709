"""Whether the database and the broker answer, for /healthz and monitoring."""

from celery import current_app
from django.conf import settings
from django.db import connection


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    """`ok`, `eager` (no broker configured: tasks run in-process) or an error."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with current_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok"
