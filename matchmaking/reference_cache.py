"""The supplier directory's reference data (taxonomy and regions) as it shows it, cached per language:
the filter form's option lists and the process names on the result cards. They change only when an
admin edits the reference data or an import adds a sentra, but building them costs seven queries and
some 700 model instances on every directory page.

A change to any of the models in SOURCES deletes every entry (`reference_changed`, connected in
MatchmakingConfig.ready: admin edits, imports and fixtures all save through the ORM). Bulk writes that
bypass signals are caught by the timeout.
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.forms import ModelChoiceField
from django.utils.translation import get_language

from profiles.models import Certification, Kabupaten, Material, Process, ProcessGroup, Province, Sentra

from .widgets import FastSelect, options_html

SOURCES = (ProcessGroup, Process, Material, Certification, Province, Kabupaten, Sentra)
TIMEOUT = 60 * 60
_OPTIONS_KEY = "directory-filter-options:v1:{language}"
_PROCESSES_KEY = "directory-process-names:v1:{language}"


def _language() -> str:
    return get_language() or ""


class _Lists:
    """The cached option lists of one form, fetched (or built) the first time a select is rendered: a
    form that only validates, as in the API, never touches the cache."""

    def __init__(self, fields: dict[str, ModelChoiceField]):
        self.fields = fields
        self.rendered: dict[str, str] | None = None

    def html(self, name: str) -> str:
        if self.rendered is None:
            key = _OPTIONS_KEY.format(language=_language())
            rendered = cache.get(key)
            if rendered is None or set(rendered) != set(self.fields):
                rendered = {field_name: options_html(field.choices) for field_name, field in self.fields.items()}
                cache.set(key, rendered, TIMEOUT)
            self.rendered = rendered
        return self.rendered[name]


def filter_options_apply(form) -> None:
    """Give the form's model-choice selects their options, rendered once and cached.

    Only what is rendered changes: the fields keep their querysets, so a submitted value is still
    checked against the database."""
    fields = {name: field for name, field in form.fields.items()
              if isinstance(field, ModelChoiceField) and isinstance(field.widget, FastSelect)}
    lists = _Lists(fields)
    for name, field in fields.items():
        field.widget.options_html = partial(lists.html, name)


def process_names() -> dict[int, str]:
    """Process id → name in the active language, in the taxonomy's order (by group, then position)."""
    key = _PROCESSES_KEY.format(language=_language())
    names = cache.get(key)
    if names is None:
        names = [(process.pk, process.name) for process in Process.objects.all()]
        cache.set(key, names, TIMEOUT)
    return dict(names)


def reference_changed(**kwargs) -> None:
    """Reference data changed: drop the cached entries now and again on commit (a page rendered in
    between may have cached the old rows)."""
    keys = [key.format(language=code) for code, _name in settings.LANGUAGES
            for key in (_OPTIONS_KEY, _PROCESSES_KEY)]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
