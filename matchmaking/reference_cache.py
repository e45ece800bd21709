"""The supplier directory's reference data (taxonomy and regions) as it shows it, cached per language:
the filter form's option lists and the process names on the result cards. They change only when an
admin edits the reference data or an import adds a sentra, but building them costs seven queries and
some 700 model instances on every directory page. With the option lists, the filter form's fields as they
show when empty (label and widget; `filter_fields_html`): a page renders only the fields a person filled in.

Each process keeps the entries it has used in memory, under a version read from the shared cache once per
use (one small read: fetching and unpickling the option lists from Redis on every page cost some 0.5 ms). A
change to any of the models in SOURCES starts a new version (`reference_changed`, connected in
MatchmakingConfig.ready: admin edits, imports and fixtures all save through the ORM), so every process
rebuilds or refetches its entries on its next page. Once the change is committed, the new version's
entries are built at once, in every language, into the shared cache only (`lists_prebuilt` names the
forms): a process's first page after a change then reads them, one Redis read each, instead of rebuilding
them (some 3 ms and a query for each chosen value). Bulk writes that bypass signals are caught by the
timeout: the version and the shared entries expire after it, a process's own copies as well; a missing
shared entry is built by the page that needs it.
"""

import functools
import time
import uuid
import weakref
from functools import partial

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from profiles.models import (
    BilingualName,
    Certification,
    Kabupaten,
    Material,
    Process,
    ProcessGroup,
    Province,
    Sentra,
)

from .widgets import FastSelect, field_block_html, option_value, options_html

SOURCES = (ProcessGroup, Process, Material, Certification, Province, Kabupaten, Sentra)
TIMEOUT = 60 * 60
_VERSION_KEY = "directory-reference-version"
_OPTIONS_KEY = "directory-filter-options:v4:{version}:{language}"
_PROCESSES_KEY = "directory-process-names:v2:{version}:{language}"

#: This process's copies of the shared entries: shared key -> (time fetched, entry). Only the current
#: version's keys are kept.
_local: dict[str, tuple[float, object]] = {}


def _language() -> str:
    return get_language() or ""


#: The version read during the current request (a Redis read costs some 0.3 ms; a page needs it twice):
#: set by request_started, read once, forgotten when the request ends or the reference data changes.
_request = Local()


def request_started_handler(**kwargs) -> None:
    _request.version = ""


def request_finished_handler(**kwargs) -> None:
    _request.version = None


def _version() -> str:
    """The reference data's current version in the shared cache, started if there is none; read once per
    request. Without a shared cache (Redis down) every call gets a version of its own, so nothing is
    reused: rebuilt, as before."""
    known = getattr(_request, "version", None)
    if known:
        return known
    version = cache.get(_VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        # Another process may have started one since the read: then its version is the one to share.
        version = fresh if cache.add(_VERSION_KEY, fresh, TIMEOUT) else (cache.get(_VERSION_KEY) or fresh)
    if known is not None:  # in a request
        _request.version = version
    return version


def _entry(key_format: str, build, *, valid=lambda entry: True):
    """The entry under `key_format` for the current version and language: this process's copy, else the
    shared cache's, else `build()` (stored in both). A process without its copy reads the other kind of
    entry of the version in the same round trip: a directory page needs both."""
    version, language = _version(), _language()
    key = key_format.format(version=version, language=language)
    now = time.monotonic()
    held = _local.get(key)
    if held is not None and now - held[0] < TIMEOUT and valid(held[1]):
        return held[1]
    keys = {kind: kind.format(version=version, language=language) for kind in (_OPTIONS_KEY, _PROCESSES_KEY)}
    found = cache.get_many([key, *(other for other in keys.values() if other != key and other not in _local)])
    for kind, other in keys.items():
        if other != key and other in found:
            _keep(kind, other, found[other], now)  # checked by its own kind's `valid` when used
    entry = found.get(key)
    if entry is None or not valid(entry):
        entry = build()
        cache.set(key, entry, TIMEOUT)
    _keep(key_format, key, entry, now)
    return entry


def _keep(key_format: str, key: str, entry, now: float) -> None:
    """Hold `entry` as this process's copy under `key`, dropping an older version's copy of its kind."""
    kind = key_format.split("{version}")[0]  # the key's beginning, the same in every version
    for stale in [k for k in _local if k.startswith(kind) and k != key]:
        _local.pop(stale, None)  # an older version's copy of this kind of entry (another thread may have)
    _local[key] = (now, entry)


class _Lists:
    """The cached option lists and empty fields of one form, fetched (or built) the first time a field is
    rendered or a chosen value is first checked under a version: a form that only validates values it has
    checked before, as in the API, never touches the cache."""

    def __init__(self, form, fields: dict[str, ModelChoiceField]):
        self.form = form
        self.fields = fields
        self.entry: dict[str, dict] | None = None

    def _fetch(self) -> dict[str, dict]:
        if self.entry is None:
            self.entry = _entry(_OPTIONS_KEY, self._build, valid=self._fits)
        return self.entry

    def _fits(self, entry) -> bool:
        return set(entry["options"]) == set(entry["values"]) == set(self.fields) \
            and set(entry["empty"]) == set(self.form.fields)

    def _build(self, fetched: dict | None = None, rendered: dict | None = None) -> dict[str, dict]:
        """The entry; with `fetched` and `rendered` (see _entries_prebuild), the lists' rows and options
        already read or rendered for another language are taken from them, and what is new is kept there."""
        choices = _choices_of(type(self.form), self.fields, fetched)
        options = {field_name: _options_rendered(field_name, choices[field_name], rendered)
                   for field_name in self.fields}
        # The values offered, to check a chosen one without a query (_listed_row).
        values = {field_name: frozenset(option_value(value) for value, _label in choices[field_name]) - {""}
                  for field_name in self.fields}
        return {"options": options, "empty": _empty_fields(type(self.form), self.form.prefix, options),
                "values": values}

    def listed(self, name: str, value) -> bool:
        """Whether `value` (as text) is one of the field's options under this version."""
        return str(value) in self._fetch()["values"][name]

    def html(self, name: str) -> str:
        return self._fetch()["options"][name]

    def empty(self) -> dict[str, str]:
        return self._fetch()["empty"]


class _Row:
    """Stands for a reference row when its label is made: holds only the columns the label reads."""

    def __init__(self, **columns):
        self.__dict__.update(columns)


def _label_columns(model) -> tuple[tuple[str, ...], object] | None:
    """(columns, label of a _Row with them) for a reference model whose option label is str(row), made from
    the model's own `name` / `__str__` code; None for another model."""
    if issubclass(model, BilingualName):
        return ("name_id", "name_en"), BilingualName.name.fget
    if model in (Province, Kabupaten, Sentra):
        return ("name",), model.__str__
    return None


def _choices_of(form_class, fields: dict[str, ModelChoiceField], fetched: dict | None = None) -> dict[str, list]:
    """Each field's `choices` as its select shows them, from one query of the columns the labels need per
    list: iterating the choices made a model instance of each of some 700 rows (the 514 kabupaten) through a
    server-side cursor. On PostgreSQL the lists' queries go in one round trip, their SQL composed once per
    form class and process (building seven querysets' SQL and waiting for seven answers cost some 6 ms,
    most of a page's time with the lists forgotten). The rows are labelled in the active language; with
    `fetched`, rows read for another language are labelled again instead of read again."""
    labelled = {name: labels for name, field in fields.items() if (labels := _labels(field)) is not None}
    # Listed once: a model choice iterator queries each time it is iterated (options, values, the prebuild's key).
    choices = {name: list(field.choices) for name, field in fields.items() if name not in labelled}
    if not labelled:
        return choices
    rows = None if fetched is None else fetched.get("lists")
    if rows is None:
        rows = _lists_rows(form_class, fields, labelled)
        if fetched is not None:
            fetched["lists"] = rows
    for name, (columns, label) in labelled.items():
        choices[name] = _labelled(fields[name], columns, label, rows[name])
    return choices


def _lists_rows(form_class, fields: dict[str, ModelChoiceField], labelled: dict) -> dict[str, list]:
    """Each labelled list's rows of (value, *label columns)."""
    if _one_statement_per_query():
        return {name: list(_values_query(fields[name], columns)) for name, (columns, _label) in labelled.items()}
    rows = {}
    sql = _lists_sql(form_class, tuple(labelled), fields, labelled)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for position, name in enumerate(labelled):
            if position:
                cursor.nextset()
            rows[name] = cursor.fetchall()
    return rows


def _options_rendered(name: str, choices: list, rendered: dict | None) -> str:
    """options_html(choices); with `rendered`, a list whose choices read the same as when it was last
    rendered there (the regions, in every language) is not rendered again."""
    if rendered is None:
        return options_html(choices)
    key = (name, tuple(choices))
    html = rendered.get(key)
    if html is None:
        html = rendered[key] = options_html(choices)
    return html


def _one_statement_per_query() -> bool:
    """Whether the connection takes one statement per query: SQLite, psycopg's server-side binding, and a
    connection in pipeline mode (the directory's page while PostgreSQL ranks its results, matchmaking.pagination)."""
    if connection.vendor != "postgresql" or connection.settings_dict["OPTIONS"].get("server_side_binding"):
        return True
    return connection.connection is not None and connection.connection.pgconn.pipeline_status != 0


def _labels(field: ModelChoiceField):
    labels = _label_columns(field.queryset.model)
    if labels is None or type(field).label_from_instance is not ModelChoiceField.label_from_instance:
        return None
    return labels


def _values_query(field: ModelChoiceField, columns: tuple[str, ...]):
    return field.queryset.values_list(field.to_field_name or "pk", *columns)


def _labelled(field: ModelChoiceField, columns: tuple[str, ...], label, rows) -> list:
    """The choices from rows of (value, *columns), each labelled by the model's code on one _Row holding
    that row's columns in turn (a _Row made for each of the 514 kabupaten cost some 0.5 ms)."""
    choices = [] if field.empty_label is None else [("", field.empty_label)]
    return choices + list(_label_rows(rows, columns, label))


def _label_rows(rows, columns: tuple[str, ...], label):
    """(value, label) for rows of (value, *columns), each labelled by the model's code on one _Row holding
    that row's columns in turn."""
    row = _Row()
    held = row.__dict__
    for value, *rest in rows:
        held.update(zip(columns, rest, strict=True))
        yield value, label(row)


#: form class -> {field names: the lists' queries composed into one text}; a form class built per request
#: (a queryset depending on it) takes its entry with it.
_lists_sql_held: "weakref.WeakKeyDictionary[type, dict[tuple, str]]" = weakref.WeakKeyDictionary()


def _lists_sql(form_class, names: tuple[str, ...], fields, labelled) -> str:
    held = _lists_sql_held.setdefault(form_class, {})
    sql = held.get(names)
    if sql is None:
        sql = "; ".join(connection.ops.compose_sql(*_values_query(fields[name], labelled[name][0]).query.sql_with_params())
                        for name in names)
        held[names] = sql
    return sql


def _empty_fields(form_class, prefix, options: dict[str, str]) -> dict[str, str]:
    """Each field's block (widgets.field_block_html) in an unbound form of this class, with these options."""
    return {name: head if tail is None else f"{head}{options[name]}{tail}"
            for name, (head, tail) in _empty_frames(form_class, prefix, tuple(options)).items()}


_OPTIONS_MARK = f"<!--options {uuid.uuid4().hex}-->"

#: form class -> {(prefix, select names, language): each empty field's block around its options (None: no
#: options)}; a form class built per request takes its entry with it.
_frames_held: "weakref.WeakKeyDictionary[type, dict[tuple, dict]]" = weakref.WeakKeyDictionary()


def _empty_frames(form_class, prefix, names: tuple[str, ...]) -> dict[str, tuple[str, str | None]]:
    """The empty fields' blocks split where their options go, rendered once per form class, prefix and
    language and process: nothing in them but the options comes from the reference data, so a new version
    (every page, with the lists forgotten) only joins them with its options, where rendering twelve fields
    of an unbound form cost some 0.8 ms."""
    key = (prefix, names, _language())
    held = _frames_held.setdefault(form_class, {})
    frames = held.get(key)
    if frames is None:
        form = form_class(prefix=prefix)
        for name in names:
            form.fields[name].widget.options_html = lambda: _OPTIONS_MARK
        frames = {}
        for field in form:
            html = field_block_html(field)
            if field.name in names:
                head, _mark, tail = html.partition(_OPTIONS_MARK)
                frames[field.name] = (head, tail)
            else:
                frames[field.name] = (html, None)
        held[key] = frames
    return frames


def filter_options_apply(form) -> None:
    """Give the form's model-choice selects their options, rendered once and cached, and let its single
    choices remember the rows they found.

    The fields keep their querysets: a submitted value is checked against the option lists of the
    reference data's version, which were read from the database, and against the database itself when
    it is not among them (see _remembered_row)."""
    fields = {name: field for name, field in form.fields.items()
              if isinstance(field, ModelChoiceField) and isinstance(field.widget, FastSelect)}
    lists = _Lists(form, fields)
    for name, field in fields.items():
        field.widget.options_html = partial(lists.html, name)
        if isinstance(field, ModelMultipleChoiceField):
            field._check_values = partial(_remembered_rows, (type(form), name), lists, field, field._check_values)
        else:
            field.to_python = partial(_remembered_row, (type(form), name), lists, field, field.to_python)
    form.reference_lists = lists


#: (version, form class, field name, submitted value) -> the row the field found for it, this process's;
#: only the current version's are kept.
_rows: dict[tuple, object] = {}


def _remembered_row(where: tuple, lists: _Lists, field: ModelChoiceField, to_python, value):
    """ModelChoiceField.to_python for a reference row, its answer remembered while the reference data keep
    their version, as the option lists that offered the value are: a change to the rows starts a new
    version, so an id no longer there is refused again. A value first chosen under a version is looked up
    in the version's option lists (_listed_row), else with one ORM query (some 0.45 ms)."""
    if value in field.empty_values or not isinstance(value, str | int):
        return to_python(value)
    key = (_version(), *where, str(value))
    row = _rows.get(key)
    if row is None:
        row = _listed_row(lists, where[1], field, value)
        if row is None:
            row = to_python(value)  # raises for a value naming no row: not remembered
        _remember(key, row)
    return row


def _remembered_rows(where: tuple, lists: _Lists, field: ModelMultipleChoiceField, check_values, values):
    """ModelMultipleChoiceField._check_values for reference rows (an ORM query and a filter per value, some
    0.5 ms for a chosen process), its answer (the rows, as a list) remembered and first looked up in the
    option lists like _remembered_row's."""
    try:
        chosen = frozenset(str(value) for value in values)
    except TypeError:
        return check_values(values)  # not a list of values: refused there
    key = (_version(), *where, chosen)
    rows = _rows.get(key)
    if rows is None:
        listed = [_listed_row(lists, where[1], field, value) for value in dict.fromkeys(map(str, values))]
        rows = listed if all(row is not None for row in listed) else list(check_values(values))  # raises for
        _remember(key, rows)  # a value naming no row: not remembered
    return list(rows)


def _listed_row(lists: _Lists, name: str, field: ModelChoiceField, value: str | int):
    """The row a value names if it is among the field's options under this version (they were read from the
    field's queryset), made without a query: only its primary key is loaded, the rest deferred (read from
    the database if something asks). None if the value is not listed as it is written, or the field
    chooses by another column than the primary key: then the database decides."""
    if field.to_field_name not in (None, field.queryset.model._meta.pk.name) or not lists.listed(name, value):
        return None
    model = field.queryset.model
    pk = model._meta.pk.to_python(value)
    return model.from_db(field.queryset.db, [model._meta.pk.attname], [pk])


def _remember(key: tuple, found) -> None:
    held = next(iter(_rows), None)
    if held is not None and held[0] != key[0]:
        _rows.clear()  # an older version's
    _rows[key] = found


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
    return dict(_entry(_PROCESSES_KEY, _process_names_build))


def _process_names_build(fetched: dict | None = None) -> list[tuple[int, str]]:
    """The process names in the active language; with `fetched`, from the rows read for another language."""
    rows = None if fetched is None else fetched.get("processes")
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(*_process_names_sql())
            rows = cursor.fetchall()
        if fetched is not None:
            fetched["processes"] = rows
    return list(_label_rows(rows, ("name_id", "name_en"), BilingualName.name.fget))


@functools.cache
def _process_names_sql() -> tuple[str, tuple]:
    """The process names' query, built once per process (building it cost about as much as running it)."""
    return Process.objects.values_list("pk", "name_id", "name_en").query.sql_with_params()


#: The filter set whose form's option lists are built for every new version when it starts (lists_prebuilt).
_prebuilt_filterset = None


def lists_prebuilt(filterset_class) -> None:
    """Build the option lists of the form of `filterset_class` (an ikmportal.filtersets.FilterSet whose form
    calls filter_options_apply) as soon as a change to the reference data is committed, in every language.
    One filter set: the entry is kept under the version and language only, as _Lists fetches it."""
    global _prebuilt_filterset
    _prebuilt_filterset = filterset_class


def reference_changed(**kwargs) -> None:
    """Reference data changed: start a new version now and again on commit (a page rendered in between
    may have cached the old rows under the first one), then build the committed version's shared entries
    (_entries_prebuild). The old version's shared entries expire."""
    _version_start()
    # Once per transaction: an import that adds a hundred sentras sends a hundred signals.
    if not any(func is _version_start_prebuilt for _ids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_version_start_prebuilt, robust=True)


def _version_start() -> str:
    version = uuid.uuid4().hex
    cache.set(_VERSION_KEY, version, TIMEOUT)
    if getattr(_request, "version", None):
        _request.version = ""  # read it again
    return version


def _version_start_prebuilt() -> None:
    _entries_prebuild(_version_start())


def _entries_prebuild(version: str) -> None:
    """Build a version's option lists and process names in every language into the shared cache only (each
    process reads them on its next page, once). The rows are read once, for the first language, and labelled
    again for the others; a list that reads the same in every language (the regions: 560 of some 700
    options) is rendered once (a change, with its two languages: 6.1 → 4.8 ms)."""
    fetched: dict = {}
    rendered: dict = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if _prebuilt_filterset is not None:
                filterset = _prebuilt_filterset()
                try:
                    entry = filterset.form.reference_lists._build(fetched, rendered)
                finally:
                    filterset.release()  # its cycles freed now, not by the garbage collector
                cache.set(_OPTIONS_KEY.format(version=version, language=language), entry, TIMEOUT)
            cache.set(_PROCESSES_KEY.format(version=version, language=language), _process_names_build(fetched),
                      TIMEOUT)
