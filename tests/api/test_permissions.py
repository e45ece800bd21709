"""The permission matrix through the API: the pages' `rules`, nothing written twice."""

import pytest

from matchmaking.models import Suggestion
from tests.api.conftest import need_with_process, token_client
from tests.factories import BuyerOrganisationFactory, DinasStaffFactory, IkmProfileFactory


@pytest.fixture
def others_need(db):
    return need_with_process(BuyerOrganisationFactory(), estimated_value_idr=5_000_000, status="draft")


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "suffix", "body"), [
    ("get", "", None),
    ("patch", "", {"title": "Diambil alih"}),
    ("put", "", {"title": "Diambil alih", "processes": [{"code": "welding"}]}),
    ("post", "status/", {"status": "closed"}),
    ("get", "suggestions/", None),
])
def test_buyer_need_of_another_organisation_is_404(buyer_api, others_need, method, suffix, body):
    response = getattr(buyer_api, method)(f"/api/v1/buyer/needs/{others_need.pk}/{suffix}", body, format="json")

    assert response.status_code == 404
    others_need.refresh_from_db()
    assert others_need.title != "Diambil alih"
    assert others_need.status == "draft"


@pytest.mark.django_db
def test_open_need_of_another_organisation_is_readable_without_confidential_fields(buyer_api, others_need):
    others_need.status = "open"
    others_need.save()

    response = buyer_api.get(f"/api/v1/needs/{others_need.pk}/")

    assert response.status_code == 200
    assert "estimated_value_idr" not in response.json()
    assert "attachments" not in response.json()


@pytest.mark.django_db
def test_draft_need_of_another_organisation_is_404_among_open_needs(buyer_api, others_need):
    assert buyer_api.get(f"/api/v1/needs/{others_need.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ikm", "dinas"])
def test_need_create_by_non_buyer_token_is_403(ikm, who):
    user = ikm.owner if who == "ikm" else DinasStaffFactory()
    api = token_client(user)

    response = api.post("/api/v1/buyer/needs/", {"title": "Pipa", "processes": [{"code": "welding"}]},
                        format="json")

    assert response.status_code == 403
    assert response.json()["detail"]


@pytest.mark.django_db
def test_buyer_own_need_shows_confidential_fields(buyer_api, buyer_staff):
    need = need_with_process(buyer_staff.buyer_organisation, estimated_value_idr=7_000_000)

    response = buyer_api.get(f"/api/v1/buyer/needs/{need.pk}/")

    assert response.json()["estimated_value_idr"] == 7_000_000


@pytest.fixture
def verified_ikm(db):
    return IkmProfileFactory(verification_status="verified", phone="+6281234567899", email="cor@example.id")


def _supplier(response, ikm_id):
    return next(row for row in response.json()["results"] if row["id"] == ikm_id)


@pytest.mark.django_db
def test_supplier_contact_hidden_from_ikm_token_and_anonymous(ikm_api, anonymous, verified_ikm):
    for api in (ikm_api, anonymous):
        response = api.get("/api/v1/suppliers/")

        assert response.status_code == 200
        assert _supplier(response, verified_ikm.pk)["contact"] is None
        assert api.get(f"/api/v1/suppliers/{verified_ikm.pk}/").json()["contact"] is None


@pytest.mark.django_db
def test_supplier_contact_shown_to_buyer_and_dinas_tokens(buyer_api, verified_ikm):
    for api in (buyer_api, token_client(DinasStaffFactory())):
        contact = _supplier(api.get("/api/v1/suppliers/"), verified_ikm.pk)["contact"]

        assert contact["phone"] == "+6281234567899"
        assert contact["email"] == "cor@example.id"


@pytest.mark.django_db
def test_supplier_list_for_anonymous_has_only_verified_suppliers(anonymous, buyer_api, verified_ikm):
    pending = IkmProfileFactory(verification_status="pending")

    anonymous_ids = {row["id"] for row in anonymous.get("/api/v1/suppliers/").json()["results"]}
    buyer_ids = {row["id"] for row in buyer_api.get("/api/v1/suppliers/").json()["results"]}

    assert anonymous_ids == {verified_ikm.pk}
    assert buyer_ids == {verified_ikm.pk, pending.pk}
    assert anonymous.get(f"/api/v1/suppliers/{pending.pk}/").status_code == 404


@pytest.mark.django_db
def test_suggestions_of_own_need_list_the_ikms_with_contact(buyer_api, buyer_staff, verified_ikm):
    need = need_with_process(buyer_staff.buyer_organisation)
    Suggestion.objects.create(need=need, ikm=verified_ikm, rank=1, score=0.8)

    response = buyer_api.get(f"/api/v1/buyer/needs/{need.pk}/suggestions/")

    assert response.status_code == 200
    [row] = response.json()
    assert row["ikm"]["id"] == verified_ikm.pk
    assert row["ikm"]["contact"]["phone"] == "+6281234567899"
    assert row["buyer_answer"] is None


@pytest.mark.django_db
def test_suggestions_are_not_for_ikm_tokens(ikm_api, buyer_staff):
    need = need_with_process(buyer_staff.buyer_organisation)

    assert ikm_api.get(f"/api/v1/buyer/needs/{need.pk}/suggestions/").status_code == 403
