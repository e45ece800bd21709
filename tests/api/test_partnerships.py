"""Partnerships over the API: each side and Dinas see theirs; a buyer's ERP records purchase orders."""

import datetime

import pytest
from django.utils import timezone

from matchmaking.models import Partnership, PurchaseOrder
from matchmaking.partnerships.services import partnership_open
from tests.api.conftest import token_client
from tests.factories import BuyerStaffFactory, DinasStaffFactory, IkmProfileFactory, UserFactory, kabupaten

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def partnership(ikm, buyer_staff):
    return partnership_open(ikm=ikm, buyer=buyer_staff.buyer_organisation, by=buyer_staff, origin="direct",
                            product="Brake block")[0]


@pytest.mark.django_db
def test_each_side_and_dinas_list_the_partnership_others_do_not(partnership, ikm, buyer_staff, dinas_tegal):
    for user in (ikm.owner, buyer_staff, dinas_tegal):
        body = token_client(user).get("/api/v1/partnerships/").json()
        assert [row["id"] for row in body["results"]] == [partnership.pk]
        assert body["results"][0]["history"][0]["to_stage"] == "contact"
    klaten_dinas = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Klaten"))
    for stranger in (UserFactory(), BuyerStaffFactory(), klaten_dinas):
        client = token_client(stranger)
        assert client.get("/api/v1/partnerships/").json()["results"] == []
        assert client.get(f"/api/v1/partnerships/{partnership.pk}/").status_code == 404


@pytest.mark.django_db
def test_buyer_erp_records_the_first_purchase_order(partnership, buyer_staff):
    response = token_client(buyer_staff).post(
        f"/api/v1/partnerships/{partnership.pk}/orders/",
        {"number": "PO-4500012345", "value_idr": "125000000", "order_date": YESTERDAY.isoformat()}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "first_order"
    assert body["orders"][0]["number"] == "PO-4500012345" and body["orders"][0]["value_idr"] == "125000000"
    assert [h["to_stage"] for h in body["history"]] == ["contact", "first_order"]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [
    {"value_idr": "0", "order_date": "2026-01-01"},
    {"value_idr": "banyak", "order_date": "2026-01-01"},
    {"value_idr": "1000", "order_date": "kemarin"},
    {"value_idr": "1000", "order_date": "2999-01-01"},
    {},
])
def test_bad_orders_are_refused_with_a_json_message(partnership, buyer_staff, payload):
    response = token_client(buyer_staff).post(f"/api/v1/partnerships/{partnership.pk}/orders/", payload,
                                              format="json")
    assert response.status_code == 400 and response.json()["detail"]
    assert not PurchaseOrder.objects.exists() and Partnership.objects.get().stage == "contact"


@pytest.mark.django_db
def test_another_buyer_cannot_record_an_order(partnership):
    other = token_client(BuyerStaffFactory())
    response = other.post(f"/api/v1/partnerships/{partnership.pk}/orders/",
                          {"value_idr": "1000", "order_date": YESTERDAY.isoformat()}, format="json")
    assert response.status_code == 404
    assert not PurchaseOrder.objects.exists()


@pytest.mark.django_db
def test_partnership_list_queries_do_not_grow(django_assert_max_num_queries, buyer_staff):
    for _ in range(6):
        partnership_open(ikm=IkmProfileFactory(), buyer=buyer_staff.buyer_organisation, by=buyer_staff,
                         origin="direct")
    client = token_client(buyer_staff)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/partnerships/").json()["results"]) == 6
