"""Filters for the opportunities list (IKM owners) and the supplier directory, built with django-filter."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikmportal.filtersets import FilterSet
from ikmportal.forms import BoundedIdsMixin
from profiles.enums import GroupKind, VerificationStatus
from profiles.models import (
    Certification,
    IkmCertification,
    IkmProfile,
    Kabupaten,
    Material,
    Process,
    ProcessGroup,
    Province,
    Sentra,
)

from .models import Need
from .reference_cache import filter_options_apply
from .widgets import FastCheckboxInput, FastNumberInput, FastSelect, FastSelectMultiple


def invalid_filter_labels(filterset: django_filters.FilterSet) -> list[str]:
    """The labels of the filters whose submitted values are invalid, in the form's order.

    `filterset.qs` filters by the form's `cleaned_data`, which holds only the valid fields: these filters
    were left out, and a page lists them so no one takes its results for filtered by them. Reads the
    validation the filter set does anyway (no query of its own)."""
    if not filterset.is_bound:
        return []
    form = filterset.form
    errors = form.errors
    return [str(field.label) for name, field in form.fields.items() if name in errors]


class OpportunityFilter(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(field_name="processes", queryset=Process.objects.all(),
                                               label=_("Process"))
    material = django_filters.ModelChoiceFilter(field_name="materials", queryset=Material.objects.all(),
                                                label=_("Material"))
    province = django_filters.ModelChoiceFilter(field_name="delivery_kabupaten__province",
                                                queryset=Province.objects.all(), label=_("Province"))
    kabupaten = django_filters.ModelChoiceFilter(field_name="delivery_kabupaten", queryset=Kabupaten.objects.all(),
                                                 label=_("Regency/city"))
    deadline_from = django_filters.DateFilter(field_name="deadline", lookup_expr="gte", label=_("Deadline from"),
                                              widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    import_substitution = django_filters.BooleanFilter(
        field_name="import_substitution", label=_("Currently imported only"),
        widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Need
        fields: list[str] = []


class _IdsField(BoundedIdsMixin, django_filters.fields.ModelMultipleChoiceField):
    pass


class _IdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _IdsField


class SupplierFilter(FilterSet):
    """The supplier directory's filters; the text search is applied separately (matchmaking.search)."""

    # Capability filters never join: no duplicate rows, so no DISTINCT over wide rows.
    process = _IdsFilter(
        queryset=Process.objects.select_related("group"), method="filter_processes", label=_("Process"),
        widget=FastSelectMultiple)
    process_group = django_filters.ModelChoiceFilter(
        queryset=ProcessGroup.objects.all(), method="filter_process_group", label=_("Process group"),
        widget=FastSelect)
    material = django_filters.ModelChoiceFilter(queryset=Material.objects.all(), method="filter_material",
                                                label=_("Material"), widget=FastSelect)
    certification = django_filters.ModelChoiceFilter(queryset=Certification.objects.all(),
                                                     method="filter_valid_certification",
                                                     label=_("Valid certification"), widget=FastSelect)
    province = django_filters.ModelChoiceFilter(queryset=Province.objects.all(), method="filter_province",
                                                label=_("Province"), widget=FastSelect)
    kabupaten = django_filters.ModelChoiceFilter(queryset=Kabupaten.objects.all(), label=_("Regency/city"),
                                                 widget=FastSelect)
    sentra = django_filters.ModelChoiceFilter(queryset=Sentra.objects.all(), label=_("Sentra"), widget=FastSelect)
    min_capacity = django_filters.NumberFilter(field_name="capacity_tons_month", lookup_expr="gte",
                                               label=_("Capacity at least (t/month)"), widget=FastNumberInput)
    employees_min = django_filters.NumberFilter(field_name="employees", lookup_expr="gte",
                                                label=_("Employees from"), widget=FastNumberInput)
    employees_max = django_filters.NumberFilter(field_name="employees", lookup_expr="lte",
                                                label=_("Employees up to"), widget=FastNumberInput)
    verified = django_filters.BooleanFilter(method="filter_verified", label=_("Verified only"),
                                            widget=FastCheckboxInput)
    supplier_kind = django_filters.ChoiceFilter(
        method="filter_supplier_kind", label=_("Supplier"), empty_label=_("IKMs and groups"),
        choices=[("single", _("Single IKMs")), ("group", _("Supplier groups (koperasi, konsorsium)"))],
        widget=FastSelect)

    class Meta:
        model = IkmProfile
        fields: list[str] = []

    @classmethod
    def prepare_form_class(cls, form_class) -> None:
        # Plain Bootstrap classes instead of crispy: the directory renders this form on every page.
        for field in form_class.base_fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else \
                "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)

    @property
    def form(self):
        built = hasattr(self, "_form")
        form = super().form
        if not built:
            filter_options_apply(form)
        return form

    # On PostgreSQL the capability filters read the arrays kept on the profile (matchmaking.search), so
    # they combine with the text search as one BitmapAnd of GIN indexes; SQLite (the demo) asks the joins.

    def filter_processes(self, queryset, name, value):
        # Nothing chosen cleans to `Process.objects.none()`: asking it `not value` would compile its query
        # (with the join) only to learn it is empty, some 0.2 ms on most directory pages.
        if isinstance(value, QuerySet) and value.query.is_empty() or not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(process_ids__overlap=[process.pk for process in value])
        return queryset.filter(Exists(IkmProfile.processes.through.objects.filter(
            ikmprofile_id=OuterRef("pk"), process__in=value)))

    def filter_process_group(self, queryset, name, value):
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(process_group_ids__contains=[value.pk])
        return queryset.filter(Exists(IkmProfile.processes.through.objects.filter(
            ikmprofile_id=OuterRef("pk"), process__group=value)))

    def filter_material(self, queryset, name, value):
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(material_ids__contains=[value.pk])
        return queryset.filter(Exists(IkmProfile.materials.through.objects.filter(
            ikmprofile_id=OuterRef("pk"), material=value)))

    def filter_province(self, queryset, name, value):
        # By the regency's code (Kemendagri's PP.KK, a constraint on Kabupaten), not a join to the regencies:
        # joined, PostgreSQL searched the text index once for each of the province's regencies (Jawa Tengah's 35
        # times, 2 ms each, for 'coran kuningan').
        return queryset.filter(kabupaten__code__startswith=f"{value.pk}.") if value else queryset

    def filter_valid_certification(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(Exists(IkmCertification.objects.filter(
            ikm=OuterRef("pk"), certification=value).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))))

    def filter_supplier_kind(self, queryset, name, value):
        if value == "single":
            return queryset.filter(group_kind=GroupKind.SINGLE)
        if value == "group":
            return queryset.exclude(group_kind=GroupKind.SINGLE)
        return queryset

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verification_status=VerificationStatus.VERIFIED) if value else queryset
