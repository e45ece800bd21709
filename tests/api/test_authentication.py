"""API tokens: hashed at rest, authenticate as their user, stop working when revoked."""

import hashlib

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from tests.factories import BuyerStaffFactory


@pytest.mark.django_db
def test_token_is_stored_only_as_its_hash(buyer_staff):
    token, key = api_token_create(user=buyer_staff, name="SAP")

    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix)


@pytest.mark.django_db
def test_token_authenticates_as_its_user_and_notes_its_use(buyer_staff):
    token, key = api_token_create(user=buyer_staff, name="SAP")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = client.get("/api/v1/buyer/needs/")

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_token_revoked_is_refused_with_json_401(buyer_staff):
    token, key = api_token_create(user=buyer_staff, name="SAP")
    api_token_revoke(token=token, by=buyer_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = client.get("/api/v1/buyer/needs/")

    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.django_db
def test_token_unknown_is_refused(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer ikm_not-a-real-key")

    assert anonymous.get("/api/v1/needs/").status_code == 401


@pytest.mark.django_db
def test_token_of_another_user_cannot_be_revoked_by_me(buyer_staff):
    from api.services import ApiTokenError

    token, _key = api_token_create(user=buyer_staff, name="SAP")

    with pytest.raises(ApiTokenError):
        api_token_revoke(token=token, by=BuyerStaffFactory())
    token.refresh_from_db()
    assert token.is_active


@pytest.mark.django_db
def test_needs_without_credentials_answer_401_asking_for_a_bearer_token(anonymous):
    response = anonymous.get("/api/v1/buyer/needs/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_session_authenticates_the_browser(client, buyer_staff):
    client.force_login(buyer_staff)

    assert client.get("/api/v1/buyer/needs/").status_code == 200
