"""List endpoints read in a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import need_with_process
from tests.factories import BuyerOrganisationFactory, IkmProfileFactory, ProductFactory


def _queries(api, url) -> int:
    api.get(url)  # the token's first use is written once; count a steady request
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_supplier_list_queries_do_not_grow_with_rows(buyer_api):
    ProductFactory(ikm=IkmProfileFactory(verification_status="verified"))
    one = _queries(buyer_api, "/api/v1/suppliers/")
    for _ in range(2):
        ProductFactory(ikm=IkmProfileFactory(verification_status="verified"))

    assert _queries(buyer_api, "/api/v1/suppliers/") == one


@pytest.mark.django_db
def test_open_need_list_queries_do_not_grow_with_rows(buyer_api):
    need_with_process(BuyerOrganisationFactory())
    one = _queries(buyer_api, "/api/v1/needs/")
    for _ in range(2):
        need_with_process(BuyerOrganisationFactory())

    assert _queries(buyer_api, "/api/v1/needs/") == one
