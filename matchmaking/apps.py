from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from .filters import SupplierFilter
        from .reference_cache import (
            SOURCES,
            lists_prebuilt,
            reference_changed,
            request_finished_handler,
            request_started_handler,
        )

        # Cache invalidation only (no domain logic): the directory's cached reference data follows the
        # reference data however it is edited.
        for model in SOURCES:
            post_save.connect(reference_changed, sender=model, dispatch_uid=f"directory-reference-{model.__name__}")
            post_delete.connect(reference_changed, sender=model,
                                dispatch_uid=f"directory-reference-deleted-{model.__name__}")
        request_started.connect(request_started_handler, dispatch_uid="directory-reference-request-started")
        request_finished.connect(request_finished_handler, dispatch_uid="directory-reference-request-finished")
        # A committed change builds the directory's option lists at once, in whichever process made it (a
        # worker's or a command's too, which never import the directory's views).
        lists_prebuilt(SupplierFilter)
