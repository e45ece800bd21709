"""Filter backends: the pages' django-filter sets, and the directory's full-text search (`q`)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from matchmaking.filters import SupplierFilter
from matchmaking.search import ikm_search


def _refuse_nul(params) -> None:
    # PostgreSQL text cannot hold NUL; a filter naming a region code with one would fail in the database.
    bad = sorted({key for key, values in params.lists() for value in values if "\x00" in value or "\x00" in key})
    if bad:
        raise exceptions.ValidationError({key[:40]: [_("Null characters are not allowed.")] for key in bad})


class FilterSetBackend(DjangoFilterBackend):
    """django-filter's DRF backend with the view's filter set (the same as the page's)."""

    def get_filterset_kwargs(self, request, queryset, view):
        _refuse_nul(request.query_params)
        return super().get_filterset_kwargs(request, queryset, view)


class IkmSearchBackend(BaseFilterBackend):
    """`q`: the supplier directory's Indonesian full-text search (matchmaking.search.ikm_search)."""

    param = "q"

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(self.param, "").strip()
        if not text:
            return queryset
        _refuse_nul(request.query_params)
        return ikm_search(queryset, text[:200])

    def get_schema_operation_parameters(self, view):
        return [{
            "name": self.param, "in": "query", "required": False,
            "description": _("Search words (Indonesian or English): name, processes, materials, products."),
            "schema": {"type": "string", "maxLength": 200},
        }]


class SupplierApiFilter(SupplierFilter):
    """The supplier directory's filter set, unchanged; its method filters' hints tell the schema they take ids
    (a province's id is its Kemendagri code, text)."""

    def filter_processes(self, queryset, name, value: int):
        return super().filter_processes(queryset, name, value)

    def filter_process_group(self, queryset, name, value: int):
        return super().filter_process_group(queryset, name, value)

    def filter_material(self, queryset, name, value: int):
        return super().filter_material(queryset, name, value)

    def filter_valid_certification(self, queryset, name, value: int):
        return super().filter_valid_certification(queryset, name, value)

    def filter_province(self, queryset, name, value: str):
        return super().filter_province(queryset, name, value)
