"""Widgets rendered in Python: Django renders each <option> through a template, which costs tens of
milliseconds for the 514 kabupaten on every directory page; these build the same HTML directly. The
directory's number and checkbox inputs too: Django's three nested widget templates cost some 0.2 ms each.

A form may also hand a select its options already rendered (`options_html`, see matchmaking.reference_cache):
then only the selected values are marked.

`field_block_html` writes one field of the directory's filter form (label, widget, errors) as the form's
template did."""

from collections.abc import Callable
from html import escape as html_escape

from django import forms
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


def options_html(choices, selected=frozenset()) -> str:
    """The <option> elements of these choices, marking those whose value (as text) is in `selected`.

    Escaped with the standard library's html.escape, which django.utils.html.escape wraps (the same text,
    without the wrapper's lazy-string check: a third of the time for the 514 kabupaten)."""
    return "".join(
        f'<option value="{html_escape(key)}"{" selected" if key in selected else ""}>{html_escape(str(label))}</option>'
        for key, label in ((option_value(value), label) for value, label in choices))


def option_value(value) -> str:
    """A choice's value as its <option> carries it."""
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


class _PythonInput:
    """Renders what django/forms/widgets/input.html and attrs.html would, from the widget's own context."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
        if widget["value"] is not None:
            html.append(f' value="{conditional_escape(str(widget["value"]))}"')
        for key, attr in widget["attrs"].items():
            if attr is True:
                html.append(f" {conditional_escape(key)}")
            elif attr is not False:
                html.append(f' {conditional_escape(key)}="{conditional_escape(str(attr))}"')
        html.append(">")
        return mark_safe("".join(html))


class FastNumberInput(_PythonInput, forms.NumberInput):
    pass


class FastCheckboxInput(_PythonInput, forms.CheckboxInput):
    pass


def field_block_html(field) -> str:
    """A bound field's block in the directory's filter form: its label, its widget and its errors."""
    errors = "".join(f'<div class="invalid-feedback d-block">{conditional_escape(error)}</div>' for error in field.errors)
    return (f'<div class="col-6 col-md-4 col-lg-3"><label class="form-label small mb-0" '
            f'for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}</label>'
            f"{field}{errors}</div>")
