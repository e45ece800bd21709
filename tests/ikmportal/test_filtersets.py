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
