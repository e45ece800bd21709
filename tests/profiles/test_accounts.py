import pytest
from django.core import mail

from profiles.enums import Role
from profiles.models import User
from tests.factories import PASSWORD, AdminFactory, DinasStaffFactory, UserFactory


@pytest.mark.django_db
def test_signup_creates_ikm_owner_and_requires_email_verification(client):
    response = client.post("/accounts/signup/", {
        "email": "baru@example.id", "password1": "Sangat-rahasia-2026", "password2": "Sangat-rahasia-2026"})

    user = User.objects.get(email="baru@example.id")
    assert response.status_code == 302
    assert user.role == Role.IKM_OWNER
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "_auth_user_id" not in client.session  # not signed in until the address is confirmed


@pytest.mark.django_db
def test_password_reset_sends_a_link(client):
    user = UserFactory()

    client.post("/accounts/password/reset/", {"email": user.email})

    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_sign_in_and_sign_out(client):
    user = UserFactory()

    signed_in = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    dashboard = client.get("/dashboard/")
    client.post("/accounts/logout/")
    after = client.get("/dashboard/")

    assert signed_in.status_code == 302
    assert dashboard.status_code == 200
    assert after.status_code == 302 and "/accounts/login/" in after.url


@pytest.mark.django_db
def test_dinas_staff_without_totp_is_sent_to_set_it_up(client):
    dinas = DinasStaffFactory(totp=False)
    client.force_login(dinas)

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate")


@pytest.mark.django_db
def test_ikm_owner_is_not_forced_to_totp(client):
    client.force_login(UserFactory())

    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_brute_force_locks_the_account_after_five_failures(client):
    user = UserFactory()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})

    locked = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session  # the right password no longer gets in
    assert locked.status_code in (200, 429)
    assert "Terlalu banyak percobaan" in locked.content.decode()


@pytest.mark.django_db
def test_brute_force_protection_covers_admin_login(client):
    admin = AdminFactory(totp=False)
    admin_login = client.get("/admin/login/?next=/admin/")
    for _ in range(5):
        client.post(admin_login.url, {"login": admin.email, "password": "wrong"})

    locked = client.post(admin_login.url, {"login": admin.email, "password": PASSWORD})

    assert admin_login.status_code == 302 and admin_login.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan" in locked.content.decode()


@pytest.mark.django_db
def test_idle_session_expires(client, settings):
    client.force_login(UserFactory())

    response = client.get("/dashboard/")

    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry: an idle timeout


@pytest.mark.django_db
def test_admin_without_totp_is_sent_to_set_it_up(client):
    admin = AdminFactory(totp=False)
    client.force_login(admin)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/totp/activate")


@pytest.mark.django_db
def test_changing_email_asks_for_the_password_again(client):
    user = UserFactory()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    # Re-authentication is asked for once the sign-in is older than allauth's grace period.
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - 3600} for record in session[AUTHENTICATION_METHODS_SESSION_KEY]]
    session.save()

    response = client.post("/accounts/email/", {"action_add": "", "email": "baru@example.id"})

    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response.url
    assert not user.emailaddress_set.filter(email="baru@example.id").exists()


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    from django.core.management import call_command

    from events.models import Event, Registration
    from profiles.models import BuyerOrganisation, IkmProfile, Sentra

    def counts():
        from matchmaking.models import Need, Partnership

        return (User.objects.count(), IkmProfile.objects.count(), BuyerOrganisation.objects.count(),
                Sentra.objects.count(), Event.objects.count(), Registration.objects.count(),
                Partnership.objects.count(), Need.objects.count())

    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")

    assert counts() == first
    assert IkmProfile.objects.filter(group_kind="").count() == 60  # and the demo koperasi:
    assert IkmProfile.objects.exclude(group_kind="").count() == 1
    assert sorted(Event.objects.values_list("status", flat=True)) == ["finished", "registration_open"]
    # The past event's outcomes opened partnerships, some already with purchase orders.
    from matchmaking.models import Partnership, PurchaseOrder

    assert Partnership.objects.filter(event__status="finished").count() >= 5
    assert PurchaseOrder.objects.exists()
    # Its report agrees with itself: everyone who held meetings was checked in.
    from events.selectors import event_report

    report = event_report(Event.objects.get(status="finished"))
    assert report["registrations"]["checked_in"] == report["registrations"]["approved"] > 0
    # Buyers' needs are open, so IKM owners have opportunities and the demo buyer has a draft to finish.
    from matchmaking.models import Need

    assert Need.objects.filter(status="open").count() >= 5
    assert Need.objects.filter(status="draft", buyer__name="PT Kereta Api Indonesia (Persero)").exists()


@pytest.mark.django_db
def test_pages_ask_rules_not_the_permission_tables_for_everyone_but_staff(client, buyer_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(buyer_staff)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/suppliers/").status_code == 200
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    # Staff keep Django's table permissions for the admin; for everyone else they do not count.
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    for user in (staff, buyer_staff):
        user.user_permissions.add(Permission.objects.get(codename="change_kblicode"))
    staff, buyer_staff = User.objects.get(pk=staff.pk), User.objects.get(pk=buyer_staff.pk)
    assert staff.has_perm("profiles.change_kblicode") and not buyer_staff.has_perm("profiles.change_kblicode")



def _dinas_with_totp():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    dinas = DinasStaffFactory(totp=False)
    secret = generate_totp_secret()
    TOTP.activate(dinas, secret)
    return dinas, secret


def _sign_in_with_code_of_step(client, user, secret: str, steps_ago: int) -> None:
    """Sign in with the password, then the authenticator code shown `steps_ago` 30-second steps back."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_ago))
    client.post("/accounts/2fa/authenticate/", {"code": code})


@pytest.mark.django_db
def test_two_factor_code_that_just_changed_is_still_accepted(client):
    dinas, secret = _dinas_with_totp()

    _sign_in_with_code_of_step(client, dinas, secret, steps_ago=1)

    assert client.session.get("_auth_user_id") == str(dinas.pk)


@pytest.mark.django_db
def test_two_factor_code_from_a_minute_ago_is_refused(client):
    dinas, secret = _dinas_with_totp()

    _sign_in_with_code_of_step(client, dinas, secret, steps_ago=3)

    assert "_auth_user_id" not in client.session
