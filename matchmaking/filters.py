"""Filters for the opportunities list (IKM owners) built with django-filter."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.enums import VerificationStatus
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


class SupplierFilter(django_filters.FilterSet):
    """The supplier directory's filters; the text search is applied separately (matchmaking.search)."""

    process = django_filters.ModelMultipleChoiceFilter(
        field_name="processes", queryset=Process.objects.select_related("group"), label=_("Process"))
    process_group = django_filters.ModelChoiceFilter(
        field_name="processes__group", queryset=ProcessGroup.objects.all(), label=_("Process group"))
    material = django_filters.ModelChoiceFilter(field_name="materials", queryset=Material.objects.all(),
                                                label=_("Material"))
    certification = django_filters.ModelChoiceFilter(queryset=Certification.objects.all(),
                                                     method="filter_valid_certification",
                                                     label=_("Valid certification"))
    province = django_filters.ModelChoiceFilter(field_name="kabupaten__province", queryset=Province.objects.all(),
                                                label=_("Province"))
    kabupaten = django_filters.ModelChoiceFilter(queryset=Kabupaten.objects.all(), label=_("Regency/city"))
    sentra = django_filters.ModelChoiceFilter(queryset=Sentra.objects.all(), label=_("Sentra"))
    min_capacity = django_filters.NumberFilter(field_name="capacity_tons_month", lookup_expr="gte",
                                               label=_("Capacity at least (t/month)"))
    employees_min = django_filters.NumberFilter(field_name="employees", lookup_expr="gte",
                                                label=_("Employees from"))
    employees_max = django_filters.NumberFilter(field_name="employees", lookup_expr="lte",
                                                label=_("Employees up to"))
    verified = django_filters.BooleanFilter(method="filter_verified", label=_("Verified only"),
                                            widget=forms.CheckboxInput)

    class Meta:
        model = IkmProfile
        fields: list[str] = []

    def filter_valid_certification(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(Exists(IkmCertification.objects.filter(
            ikm=OuterRef("pk"), certification=value).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))))

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verification_status=VerificationStatus.VERIFIED) if value else queryset
