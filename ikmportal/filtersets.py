"""django-filter's FilterSet without its per-request rebuilding.

A django-filter FilterSet deep-copies every declared filter (their querysets and widgets included) and builds
a new form class from them on each request; for the supplier directory's twelve filters that was some 5 ms
a page. Nothing in those copies depends on the request unless a filter's queryset is a callable taking it,
so here the form class is built once per FilterSet class, and each filter set gets shallow copies of the
filters (the parent and model are set on the copies, never on the class's filters) and its form shallow
copies of the fields (_field_copy).
"""

import copy

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django_filters.filters import QuerySetRequestMixin


def _field_copy(field: forms.Field) -> forms.Field:
    """What Field.__deepcopy__ copies (the field, its widget and the widget's attributes, validators and
    messages), shallowly: the choices and a model choice's queryset are shared with the class's field. Both
    are only read: a model choice field clones its queryset to query it, and iterates it without caching."""
    clone = copy.copy(field)
    clone.widget = copy.copy(field.widget)
    clone.widget.attrs = field.widget.attrs.copy()
    clone.validators = field.validators[:]
    clone.error_messages = field.error_messages.copy()
    if isinstance(field, forms.ModelChoiceField):
        clone.widget.choices = clone.choices  # iterates the copy's queryset (the same), labels the copy's way
    return clone


class _ShallowFieldsMixin:
    """A form whose fields are copies made with _field_copy instead of copy.deepcopy: the directory's filter
    form deep-copied its twelve fields, querysets and choices included, on every page (some 1 ms)."""

    def __init__(self, *args, **kwargs):
        self.base_fields = {}  # BaseForm.__init__ deep-copies these: none
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_fields  # the class's again
        self.fields = {name: _field_copy(field) for name, field in self.base_fields.items()}
        self.order_fields(kwargs.get("field_order", self.field_order))

    def _clean_fields(self):
        """Django's, but a field the query leaves out is given its cleaned empty value, found once per form
        class (_left_out_values), instead of being cleaned: a filter form's fields are optional, and a page
        leaves most of them out (cleaning the nine empty ones of the directory's twelve cost some 0.1 ms)."""
        left_out = _left_out_values(type(self))
        data = self.data
        for name, bound in self._bound_items():
            if name in left_out and bound.html_name not in data and not self.files:
                self.cleaned_data[name] = left_out[name]
                continue
            try:
                self.cleaned_data[name] = bound.field._clean_bound_field(bound)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)


def _left_out_values(form_class) -> dict:
    """Field name → what the field cleans a query without it to, for the fields where that is always the same
    and needs no query: optional, enabled, without a clean_<name> method, and cleaning it to None, '', False, or
    an empty queryset (a model multiple choice; never evaluated: a filter asks it whether its query is empty).
    Found once per form class, from the class's own fields."""
    found = form_class.__dict__.get("_left_out")
    if found is None:
        found = {}
        for name, field in form_class.base_fields.items():
            if field.required or field.disabled or hasattr(form_class, f"clean_{name}"):
                continue
            value = field.clean(field.widget.value_from_datadict(QueryDict(), MultiValueDict(), name))
            if value is None or value is False or value == "" or isinstance(value, QuerySet) and value.query.is_empty():
                found[name] = value
        form_class._left_out = found
    return found


def _filter_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    if filter_.method is not None:
        clone.method = filter_.method  # a FilterMethod bound to the copy, which finds its own parent
    return clone


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose filters are copied cheaply and whose form class is built once per class."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__, with shallow copies of the filters instead of copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _filter_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if any(isinstance(f, QuerySetRequestMixin) and callable(f.queryset) for f in self.filters.values()):
                return form_class  # its choices depend on the request: built for each filter set
            form_class = type(form_class.__name__, (_ShallowFieldsMixin, form_class), {})
            self.prepare_form_class(form_class)
            cls._form_class = form_class
        return form_class

    def release(self) -> None:
        """Empty this filter set, its filters and its form, fields and widgets once its page is rendered: they
        hold one another in reference cycles (a filter its parent and its method, the form its bound fields,
        a field the choices its widget iterates and what matchmaking.reference_cache gave it), so without
        this they wait for the garbage collector (see ikmportal.rendering). Use nothing of them afterwards;
        the class's filters and fields are not touched (each filter set has copies)."""
        form = self.__dict__.get("_form")
        if form is not None:
            for field in form.fields.values():
                vars(field.widget).clear()
                vars(field).clear()
            vars(form).clear()
        for filter_ in self.filters.values():
            vars(filter_).clear()
        vars(self).clear()

    @classmethod
    def prepare_form_class(cls, form_class) -> None:
        """Adjust the form class's fields (its `base_fields`) once, when it is built: a hook for subclasses."""
