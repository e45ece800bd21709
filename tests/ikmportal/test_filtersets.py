"""The shared FilterSet: one form class per filter set class, filters copied per request, no state shared."""

import pytest
from django.http import QueryDict

from api.filters import SupplierApiFilter
from matchmaking.filters import SupplierFilter
from matchmaking.selectors import directory_card_queryset
from profiles.models import ProcessGroup


@pytest.mark.django_db
def test_form_class_is_built_once_per_filter_set_class():
    first = SupplierFilter(QueryDict("min_capacity=5"), queryset=directory_card_queryset())
    second = SupplierFilter(QueryDict("min_capacity=9"), queryset=directory_card_queryset())
    api = SupplierApiFilter(QueryDict(""), queryset=directory_card_queryset())

    assert type(first.form) is type(second.form)
    assert type(api.form) is not type(first.form)  # a subclass builds its own, from its own filters
    assert first.form.fields["min_capacity"] is not second.form.fields["min_capacity"]


@pytest.mark.django_db
def test_each_filter_set_filters_with_its_own_copies():
    casting = ProcessGroup.objects.get(code="casting")
    one = SupplierFilter(QueryDict(f"process_group={casting.pk}"), queryset=directory_card_queryset())
    other = SupplierFilter(QueryDict(""), queryset=directory_card_queryset())

    assert one.filters["process_group"] is not SupplierFilter.base_filters["process_group"]
    assert one.filters["process_group"].parent is one and other.filters["process_group"].parent is other
    assert not hasattr(SupplierFilter.base_filters["process_group"], "parent")
    assert one.qs.count() == directory_card_queryset().filter(process_group_ids__contains=[casting.pk]).count()


@pytest.mark.django_db
def test_form_shows_each_requests_own_values(client, buyer_staff):
    client.force_login(buyer_staff)

    first = client.get("/suppliers/", {"min_capacity": "5", "verified": "on"}).content.decode()
    second = client.get("/suppliers/", {"employees_max": "40"}).content.decode()

    assert 'name="min_capacity" value="5"' in first and 'id="id_verified" checked>' in first
    assert 'name="min_capacity" step="any"' in second and 'name="employees_max" value="40"' in second
    assert 'id="id_verified">' in second


@pytest.mark.django_db
def test_fields_left_out_of_the_query_clean_as_django_cleans_them():
    from decimal import Decimal

    import django_filters
    from django.forms import Form

    data = QueryDict("min_capacity=5&employees_max=x")
    filterset = SupplierFilter(data, queryset=directory_card_queryset())
    form = filterset.form
    plain = type("Plain", (Form,), dict(type(form).base_fields))(data)

    assert not form.is_valid() and not plain.is_valid()
    assert form.errors == plain.errors and set(form.errors) == {"employees_max"}
    assert form.cleaned_data.keys() == plain.cleaned_data.keys()
    for name, value in plain.cleaned_data.items():
        if name == "process":  # a queryset of no processes in both
            assert form.cleaned_data[name].query.is_empty() and value.query.is_empty()
        else:
            assert form.cleaned_data[name] == value, name
    assert form.cleaned_data["min_capacity"] == Decimal(5) and form.cleaned_data["verified"] is False

    class Required(SupplierFilter):
        since = django_filters.NumberFilter(field_name="employees", lookup_expr="gte", required=True)

    left_out = Required(QueryDict(""), queryset=directory_card_queryset())
    assert not left_out.form.is_valid() and "since" in left_out.form.errors  # a required field is still cleaned
