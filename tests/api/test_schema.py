"""The OpenAPI schema, its offline docs page, and Schemathesis against the live schema (in-process WSGI).

Schemathesis generates requests for every operation, with a buyer's token, and checks that nothing answers
5xx and that every documented response matches the schema. Bounded: a few examples per operation.
"""

import re
from collections import Counter

import pytest
import schemathesis
from django.core import signals as core_signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import api_token_create
from tests.api.conftest import need_with_process
from tests.factories import IkmProfileFactory

EXAMPLES_PER_OPERATION = 15


@pytest.mark.django_db
def test_schema_is_openapi_3_and_lists_v1(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/buyer/needs/" in schema["paths"]
    assert "/api/v1/suppliers/" in schema["paths"]


@pytest.mark.django_db
def test_supplier_list_filters_by_a_province_code_given_as_text(client, buyer_api):
    from tests.factories import kabupaten

    IkmProfileFactory(verification_status="verified")  # Kabupaten Tegal, Jawa Tengah (33)
    waru = IkmProfileFactory(verification_status="verified", kabupaten=kabupaten("Kabupaten Sidoarjo"))
    schema = client.get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/suppliers/"]["get"]["parameters"]}

    found = buyer_api.get("/api/v1/suppliers/", {"province": waru.kabupaten.province_id}).json()["results"]

    assert [row["id"] for row in found] == [waru.pk]
    assert parameters["province"]["schema"]["type"] == "string"


@pytest.mark.django_db
def test_docs_page_loads_only_our_files_and_no_inline_script(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3
    assert all(src.startswith("/static/") or src.startswith("/api/docs/") for src in sources)
    assert "<script>" not in html and "<style" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    script = client.get(sources[-1])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


@pytest.fixture
def buyer_key(buyer_staff):
    # Something to find: a verified supplier and an open need of the buyer with a suggestion.
    ikm = IkmProfileFactory(verification_status="verified")
    need = need_with_process(buyer_staff.buyer_organisation)
    from matchmaking.models import Suggestion

    Suggestion.objects.create(need=need, ikm=ikm, rank=1, score=0.5)
    return api_token_create(user=buyer_staff, name="schemathesis")[1]


@pytest.fixture
def live_app(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "token": "100000/hour", "user": "100000/hour", "anon": "100000/hour"}}
    # The requests run in this test's transaction: the handler must not close the connection after each
    # one (Django's test client does the same).
    core_signals.request_started.disconnect(close_old_connections)
    core_signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    core_signals.request_started.connect(close_old_connections)
    core_signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_answers_generated_requests_without_5xx_and_within_its_schema(live_app, buyer_key):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", live_app)
    headers = {"Authorization": f"Bearer {buyer_key}"}
    failures, statuses = [], Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]

        @given(case=st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in modes)))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            statuses[response.status_code // 100] += 1
            case.validate_response(response, checks=[checks.not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as error:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")

    assert not failures, "\n\n".join(failures)
    # The token worked (successes) and bad input was generated and refused (client errors; most path ids
    # are random, so most are 404).
    assert statuses[2] >= 20 and statuses[4] >= 100, statuses
