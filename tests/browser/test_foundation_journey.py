import pytest
from django.conf import settings

from profiles.demo import DEMO_TOTP_SECRET, seed_demo
from tests.browser.conftest import sign_in, sign_out

ROLE_MENUS = {
    "ikm@demo.ikmportal.id": ("ikm_owner", "my-ikms", None),
    "buyer@demo.ikmportal.id": ("buyer_staff", "suppliers", None),
    "dinas@demo.ikmportal.id": ("dinas_staff", "verification", DEMO_TOTP_SECRET),
    "admin@demo.ikmportal.id": ("admin", "admin", DEMO_TOTP_SECRET),
}


@pytest.mark.django_db(transaction=True)
def test_home_language_switch_and_each_demo_role_sees_its_menu(page):
    seed_demo()

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("button[data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("[data-action=sign-in]").inner_text().strip() == "Sign in"
    page.click("button[data-lang=id]")
    page.wait_for_selector("html[lang=id]")

    for email, (role, menu, secret) in ROLE_MENUS.items():
        sign_in(page, email, settings.DEMO_PASSWORD, totp_secret=secret)
        page.goto("/dashboard/")
        assert page.locator("[data-role-menu]").get_attribute("data-role-menu") == role
        assert page.locator(f"[data-menu={menu}]").count() == 1
        if role in ("ikm_owner", "buyer_staff"):
            assert page.locator("[data-menu=verification]").count() == 0
        sign_out(page)
