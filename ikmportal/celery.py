"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikmportal.settings")

app = Celery("ikmportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ikmportal.ping")
def ping_task() -> str:
    """A task with no side effects, for health checks and the worker test."""
    return "pong"
