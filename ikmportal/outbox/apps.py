from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "ikmportal.outbox"
    label = "outbox"
    verbose_name = _("Task outbox")

    def ready(self):
        # Register every app's tasks in this process too, not only in workers: without a broker the
        # outbox runs them in-process by name.
        autodiscover_modules("tasks")
