"""The supplier directory's reference data (taxonomy and regions) as it shows it, cached per language:
the filter form's option lists and the process names on the result cards. They change only when an
admin edits the reference data or an import adds a sentra, but building them costs seven queries and
some 700 model instances on every directory page. With the option lists, the filter form's fields as they
show when empty (label and widget; `filter_fields_html`): a page renders only the fields a person filled in.

A change to any of the models in SOURCES deletes every entry (`reference_changed`, connected in
MatchmakingConfig.ready: admin edits, imports and fixtures all save through the ORM). Bulk writes that
bypass signals are caught by the timeout.
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.forms import ModelChoiceField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from profiles.models import Certification, Kabupaten, Material, Process, ProcessGroup, Province, Sentra

from .widgets import FastSelect, field_block_html, options_html

SOURCES = (ProcessGroup, Process, Material, Certification, Province, Kabupaten, Sentra)
TIMEOUT = 60 * 60
_OPTIONS_KEY = "directory-filter-options:v2:{language}"
_PROCESSES_KEY = "directory-process-names:v1:{language}"


def _language() -> str:
    return get_language() or ""


class _Lists:
    """The cached option lists and empty fields of one form, fetched (or built) the first time a field is
    rendered: a form that only validates, as in the API, never touches the cache."""

    def __init__(self, form, fields: dict[str, ModelChoiceField]):
        self.form = form
        self.fields = fields
        self.entry: dict[str, dict[str, str]] | None = None

    def _fetch(self) -> dict[str, dict[str, str]]:
        if self.entry is None:
            key = _OPTIONS_KEY.format(language=_language())
            entry = cache.get(key)
            if entry is None or set(entry["options"]) != set(self.fields) or set(entry["empty"]) != set(self.form.fields):
                options = {field_name: options_html(field.choices) for field_name, field in self.fields.items()}
                entry = {"options": options, "empty": _empty_fields(type(self.form), self.form.prefix, options)}
                cache.set(key, entry, TIMEOUT)
            self.entry = entry
        return self.entry

    def html(self, name: str) -> str:
        return self._fetch()["options"][name]

    def empty(self) -> dict[str, str]:
        return self._fetch()["empty"]


def _empty_fields(form_class, prefix, options: dict[str, str]) -> dict[str, str]:
    """Each field's block (widgets.field_block_html) in an unbound form of this class."""
    form = form_class(prefix=prefix)
    for name in options:
        form.fields[name].widget.options_html = partial(options.__getitem__, name)
    return {field.name: field_block_html(field) for field in form}


def filter_options_apply(form) -> None:
    """Give the form's model-choice selects their options, rendered once and cached.

    Only what is rendered changes: the fields keep their querysets, so a submitted value is still
    checked against the database."""
    fields = {name: field for name, field in form.fields.items()
              if isinstance(field, ModelChoiceField) and isinstance(field.widget, FastSelect)}
    lists = _Lists(form, fields)
    for name, field in fields.items():
        field.widget.options_html = partial(lists.html, name)
    form.reference_lists = lists


def _is_empty(field) -> bool:
    value = field.value()
    return not field.errors and (value is None or value is False or value == "" or value == [])


def filter_fields_html(form) -> SafeString:
    """The fields of a form given its options by filter_options_apply, as the directory shows them: an empty
    field (nothing chosen, no error) as cached, the others rendered with their values and errors."""
    empty = form.reference_lists.empty()
    return mark_safe("".join(empty[field.name] if _is_empty(field) else field_block_html(field) for field in form))


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
