import pytest

from tests.factories import BuyerRegistrationFactory, BuyerStaffFactory, EventFactory, IkmRegistrationFactory


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def ikm_registration(event, ikm):
    return IkmRegistrationFactory(event=event, ikm=ikm)


@pytest.fixture
def buyer_registration(event, buyer_staff):
    return BuyerRegistrationFactory(event=event, buyer=buyer_staff.buyer_organisation)


@pytest.fixture
def other_buyer_staff(db):
    return BuyerStaffFactory()
