"""Rate limits per token, and the page where people create and revoke their tokens."""

import pytest

from api.models import ApiToken
from tests.api.conftest import token_client
from tests.factories import PASSWORD, BuyerStaffFactory


@pytest.fixture
def two_per_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "token": "2/minute", "user": "2/minute", "anon": "2/minute"}}


@pytest.mark.django_db
def test_throttle_counts_each_token_on_its_own(two_per_minute, buyer_staff):
    first, second = token_client(buyer_staff), token_client(buyer_staff)

    codes = [first.get("/api/v1/processes/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert first.get("/api/v1/processes/").json()["detail"]
    assert second.get("/api/v1/processes/").status_code == 200


@pytest.fixture
def signed_in(client, buyer_staff):
    client.post("/accounts/login/", {"login": buyer_staff.email, "password": PASSWORD})
    # Creating a token is a sensitive change: allauth asks for the password again first.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    return client


@pytest.mark.django_db
def test_token_page_asks_for_the_password_again_before_creating(client, buyer_staff):
    client.post("/accounts/login/", {"login": buyer_staff.email, "password": PASSWORD})

    response = client.post("/settings/api-tokens/", {"name": "SAP"})

    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response.url
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_page_creates_a_token_and_shows_its_key_once(signed_in, buyer_staff):
    response = signed_in.post("/settings/api-tokens/", {"name": "SAP purchasing"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=buyer_staff)
    key = response.context["new_key"]
    assert key.startswith(token.prefix)
    assert key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert key not in signed_in.get("/settings/api-tokens/").content.decode()


@pytest.mark.django_db
def test_token_page_revokes_my_token(signed_in, buyer_staff):
    signed_in.post("/settings/api-tokens/", {"name": "SAP"})
    token = ApiToken.objects.get(user=buyer_staff)

    response = signed_in.post(f"/settings/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert not token.is_active


@pytest.mark.django_db
def test_token_page_cannot_revoke_someone_elses_token(signed_in):
    from api.services import api_token_create

    theirs, _key = api_token_create(user=BuyerStaffFactory(), name="theirs")

    assert signed_in.post(f"/settings/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


@pytest.mark.django_db
def test_token_page_asks_for_a_name(signed_in):
    response = signed_in.post("/settings/api-tokens/", {"name": ""})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_page_needs_a_signed_in_user(client):
    response = client.get("/settings/api-tokens/")

    assert response.status_code == 302
    assert "/accounts/login/" in response.url
