from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .filter_options import SOURCES, filter_options_changed

        # Cache invalidation only (no domain logic): the directory's cached filter options follow the
        # reference data however it is edited.
        for model in SOURCES:
            post_save.connect(filter_options_changed, sender=model, dispatch_uid=f"filter-options-{model.__name__}")
            post_delete.connect(filter_options_changed, sender=model,
                                dispatch_uid=f"filter-options-del-{model.__name__}")
