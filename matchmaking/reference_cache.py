"""The directory filter form's option lists (taxonomy and regions), cached: they change only when an admin
edits the reference data or an import adds a sentra, but building them costs seven queries and some 700
model instances on every directory page.

One cache entry per language holds every list; a change to any of the models listed in SOURCES deletes
them (`filter_options_changed`, connected in MatchmakingConfig.ready: admin edits, imports and fixtures
all save through the ORM). Bulk writes that bypass signals are caught by the timeout.
"""

from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.forms import ModelChoiceField
from django.utils.translation import get_language

from profiles.models import Certification, Kabupaten, Material, Process, ProcessGroup, Province, Sentra

from .widgets import FastSelect, options_html

SOURCES = (ProcessGroup, Process, Material, Certification, Province, Kabupaten, Sentra)
TIMEOUT = 60 * 60
_KEY = "directory-filter-options:v1:{language}"


def _key() -> str:
    return _KEY.format(language=get_language() or "")


class _Lists:
    """The cached option lists of one form, fetched (or built) the first time a select is rendered: a
    form that only validates, as in the API, never touches the cache."""

    def __init__(self, fields: dict[str, ModelChoiceField]):
        self.fields = fields
        self.rendered: dict[str, str] | None = None

    def html(self, name: str) -> str:
        if self.rendered is None:
            rendered = cache.get(_key())
            if rendered is None or set(rendered) != set(self.fields):
                rendered = {field_name: options_html(field.choices) for field_name, field in self.fields.items()}
                cache.set(_key(), rendered, TIMEOUT)
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


def filter_options_changed(**kwargs) -> None:
    """Reference data changed: drop the cached lists now and again on commit (a page rendered in
    between may have cached the old rows)."""
    from django.conf import settings

    keys = [_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
