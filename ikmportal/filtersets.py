"""django-filter's FilterSet without its per-request rebuilding.

A django-filter FilterSet deep-copies every declared filter (their querysets and widgets included) and builds
a new form class from them on each request; for the supplier directory's twelve filters that was some 5 ms
a page. Nothing in those copies depends on the request unless a filter's queryset is a callable taking it,
so here the form class is built once per FilterSet class, and each filter set gets shallow copies of the
filters (the parent and model are set on the copies, never on the class's filters).
"""

import copy

import django_filters
from django.http import QueryDict
from django_filters.filters import QuerySetRequestMixin


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
            self.prepare_form_class(form_class)
            cls._form_class = form_class
        return form_class

    @classmethod
    def prepare_form_class(cls, form_class) -> None:
        """Adjust the form class's fields (its `base_fields`) once, when it is built: a hook for subclasses."""
