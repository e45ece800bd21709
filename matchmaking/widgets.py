"""Select widgets rendered in Python: Django renders each <option> through a template, which costs tens
of milliseconds for the 514 kabupaten on every directory page; these build the same HTML directly.

A form may also hand a widget its options already rendered (`options_html`, see matchmaking.reference_cache):
then only the selected values are marked."""

from collections.abc import Callable

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


def options_html(choices, selected=frozenset()) -> str:
    """The <option> elements of these choices, marking those whose value (as text) is in `selected`."""
    return "".join(
        f'<option value="{escape(key)}"{" selected" if key in selected else ""}>{escape(label)}</option>'
        for key, label in ((_key(value), label) for value, label in choices))


def _key(value) -> str:
    return str(value.value if hasattr(value, "value") else value)


class FastSelect(forms.Select):
    #: Set by the form: returns this select's options_html() (cached), so no choice is iterated here.
    options_html: Callable[[], str] | None = None

    def render(self, name, value, attrs=None, renderer=None):
        context_attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        if self.options_html is not None:
            options = self.options_html()
            for key in selected:
                plain = f'<option value="{escape(key)}">'
                options = options.replace(plain, f'{plain[:-1]} selected>', 1)
        else:
            options = options_html(self.choices, selected)
        attributes = "".join(format_html(' {}="{}"', k, v) for k, v in context_attrs.items() if v is not False
                             and v is not None and v is not True)
        flags = "".join(f" {k}" for k, v in context_attrs.items() if v is True)
        multiple = " multiple" if self.allow_multiple_selected else ""
        return mark_safe(f'<select name="{escape(name)}"{attributes}{flags}{multiple}>{options}</select>')


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False
