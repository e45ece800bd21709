import os

import pytest

REDIS_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_ok_when_database_and_broker_answer(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_broker_unreachable_and_site_still_serves(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = CLOSED_PORT_URL

    health = client.get("/healthz")
    home = client.get("/")
    login = client.get("/accounts/login/")

    assert health.status_code == 503
    assert health.json()["database"] == "ok"
    assert health.json()["broker"].startswith("error")
    assert home.status_code == 200
    assert login.status_code == 200


@pytest.mark.django_db
def test_healthz_reports_eager_mode_as_healthy(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "eager"


def test_fail_soft_cache_misses_instead_of_raising_when_redis_is_down():
    from ikmportal.cache import FailSoftRedisCache

    cache = FailSoftRedisCache(CLOSED_PORT_URL, {"OPTIONS": {"socket_connect_timeout": 0.2}})

    cache.set("key", "value")

    assert cache.get("key", "default") == "default"


def test_fail_soft_cache_works_against_real_redis():
    from ikmportal.cache import FailSoftRedisCache

    cache = FailSoftRedisCache(REDIS_URL.rsplit("/", 1)[0] + "/15", {})
    cache.set("ikmportal-test-key", {"a": 1}, 30)

    assert cache.get("ikmportal-test-key") == {"a": 1}


def test_fail_soft_cache_reuses_one_client_per_server():
    from ikmportal.cache import FailSoftRedisCache

    cache = FailSoftRedisCache(REDIS_URL.rsplit("/", 1)[0] + "/15", {})
    cache.set("ikmportal-test-key", "one", 30)
    first = cache._cache.get_client("ikmportal-test-key")
    cache.set("ikmportal-test-key", "two", 30)

    assert cache._cache.get_client("ikmportal-test-key", write=True) is first
    assert cache.get("ikmportal-test-key") == "two"
