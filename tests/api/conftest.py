import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from matchmaking.models import NeedProcess
from profiles.models import Process
from tests.factories import NeedFactory


def token_client(user) -> APIClient:
    """An API client sending a fresh token of `user`, as another system would."""
    _token, key = api_token_create(user=user, name="ERP")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def buyer_api(buyer_staff):
    return token_client(buyer_staff)


@pytest.fixture
def ikm_api(ikm):
    return token_client(ikm.owner)


def need_with_process(buyer, *, process="welding", **fields):
    need = NeedFactory(buyer=buyer, **fields)
    NeedProcess.objects.create(need=need, process=Process.objects.get(code=process), required=True)
    return need
