import pytest

from tests.factories import (
    BuyerStaffFactory,
    DinasStaffFactory,
    IkmProfileFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limits live in the cache: one test's sign-ins must not throttle the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def ikm_owner(db):
    return UserFactory()


@pytest.fixture
def ikm(ikm_owner):
    return IkmProfileFactory(owner=ikm_owner)


@pytest.fixture
def buyer_staff(db):
    return BuyerStaffFactory()


@pytest.fixture
def dinas_tegal(db):
    return DinasStaffFactory()


@pytest.fixture
def reference_data(transactional_db):
    """Regions and taxonomy for a transactional test: the flush after an earlier one empties them."""
    from django.apps import apps

    from profiles.reference.loading import load_reference_data

    load_reference_data(apps)
