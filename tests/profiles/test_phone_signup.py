"""IKM owners without an e-mail address sign up and sign in with a phone number verified by SMS."""

import re

import pytest
from django.urls import reverse

from ikmportal import sms
from profiles.models import User

PASSWORD = "Coran-Besi-2026!"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()


def _sign_up(client, phone="0812-3456-7899"):
    return client.post("/accounts/signup/phone/", {"phone": phone, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.django_db
def test_phone_sign_up_sends_a_code_and_the_code_signs_the_owner_in(client):
    response = _sign_up(client)

    user = User.objects.get(phone="+6281234567899")
    assert response.status_code == 302 and response.url == reverse("account_verify_phone")
    assert user.email is None and user.role == "ikm_owner" and not user.phone_verified
    to, text = sms.outbox[-1]
    code = re.search(r"([A-Z0-9][A-Z0-9-]{3,})\s*$", text).group(1)
    assert to == "+6281234567899"

    verified = client.post(reverse("account_verify_phone"), {"code": code})

    user.refresh_from_db()
    assert verified.status_code == 302
    assert user.phone_verified
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_wrong_code_does_not_verify(client):
    _sign_up(client)

    client.post(reverse("account_verify_phone"), {"code": "000000"})

    assert not User.objects.get(phone="+6281234567899").phone_verified
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_verified_phone_owner_signs_in_with_the_phone_number(client):
    User.objects.create_user(email=None, phone="+6281234567899", phone_verified=True, password=PASSWORD)

    response = client.post("/accounts/login/", {"login": "0812 3456 7899", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_phone_sign_in_with_wrong_password_fails(client):
    User.objects.create_user(email=None, phone="+6281234567899", phone_verified=True, password=PASSWORD)

    client.post("/accounts/login/", {"login": "081234567899", "password": "salah"})

    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_a_registered_phone_cannot_sign_up_again(client):
    User.objects.create_user(email=None, phone="+6281234567899", phone_verified=True, password=PASSWORD)

    response = _sign_up(client)

    assert response.status_code == 200
    assert User.objects.filter(phone="+6281234567899").count() == 1


@pytest.mark.django_db
def test_bad_phone_number_is_refused_with_a_message(client):
    response = _sign_up(client, phone="12345")

    assert response.status_code == 200
    assert "0812 3456 7890" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_email_accounts_still_need_a_verified_address(client):
    from tests.factories import UserFactory

    user = UserFactory()
    user.emailaddress_set.update(verified=False)

    client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery-9"})

    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_email_account_with_a_contact_phone_signs_in_without_phone_verification(client):
    from tests.factories import UserFactory

    user = UserFactory(phone="+6281234567000")

    client.post("/accounts/login/", {"login": user.email, "password": "correct-horse-battery-9"})

    assert client.get("/dashboard/").status_code == 200
    assert not sms.outbox
