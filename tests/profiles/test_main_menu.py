"""The navigation's links ({% main_menu %}): rendered once per combination of permissions, staff and
language, so each of those must still change what a person sees."""

import pytest
from django.conf import settings

from profiles.enums import Role
from tests.factories import BuyerOrganisationFactory, BuyerStaffFactory, DinasStaffFactory, UserFactory


def _menu(client, user, language="id") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/dashboard/").content.decode()
    return page[page.index("data-role-menu"):page.index('id="language-switch"')]


@pytest.mark.django_db
def test_menu_links_follow_the_role(client):
    owner, buyer = UserFactory(), BuyerStaffFactory()

    owner_menu, buyer_menu = _menu(client, owner), _menu(client, buyer)

    assert 'data-menu="my-ikms"' in owner_menu and 'data-menu="opportunities"' in owner_menu
    assert 'data-menu="suppliers"' not in owner_menu and 'data-menu="needs"' not in owner_menu
    assert 'data-menu="suppliers"' in buyer_menu and 'data-menu="needs"' in buyer_menu
    assert 'data-menu="my-ikms"' not in buyer_menu and 'data-menu="admin"' not in buyer_menu


@pytest.mark.django_db
def test_menu_changes_when_the_same_users_role_changes(client):
    user = UserFactory()
    assert 'data-menu="opportunities"' in _menu(client, user)

    user.role, user.buyer_organisation = Role.BUYER_STAFF, BuyerOrganisationFactory()
    user.save()
    menu = _menu(client, user)

    assert 'data-menu="opportunities"' not in menu
    assert 'data-menu="suppliers"' in menu


@pytest.mark.django_db
def test_menu_follows_the_language(client):
    buyer = BuyerStaffFactory()

    indonesian, english = _menu(client, buyer, "id"), _menu(client, buyer, "en")

    assert ">Pemasok</a>" in indonesian and ">Kebutuhan kami</a>" in indonesian
    assert ">Suppliers</a>" in english and ">Our needs</a>" in english


@pytest.mark.django_db
def test_menu_follows_permissions_beyond_the_role(client):
    """A superuser holds every permission whatever their role (profiles.backends): the answers key the menu,
    not the role."""
    staff = DinasStaffFactory(is_staff=True)
    before = _menu(client, staff)

    staff.is_superuser = True
    staff.save()
    after = _menu(client, staff)

    assert 'data-menu="admin"' in before and 'data-menu="verification"' in before
    assert 'data-menu="needs"' not in before
    assert 'data-menu="needs"' in after and 'data-menu="verification"' in after


def _bar(page: str) -> str:
    return page[page.index("<nav "):page.index("</nav>")]


@pytest.mark.django_db
def test_navbar_shows_each_users_own_name_escaped(client):
    first, second = BuyerStaffFactory(name="Sari <Pembeli>"), BuyerStaffFactory(name="Budi Santoso")

    client.force_login(first)
    first_bar = _bar(client.get("/dashboard/").content.decode())
    client.force_login(second)
    second_bar = _bar(client.get("/dashboard/").content.decode())

    assert str(first).replace("<", "&lt;").replace(">", "&gt;") in first_bar and "Budi Santoso" not in first_bar
    assert "Budi Santoso" in second_bar and "Sari" not in second_bar


@pytest.mark.django_db
def test_navbar_forms_carry_the_pages_csrf_token_and_path(client):
    import re

    client.force_login(BuyerStaffFactory())
    page = client.get("/suppliers/", {"q": 'coran "kuningan"'}).content.decode()
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page)[1]

    bar = _bar(page)
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar) == [header_token, header_token]
    assert 'name="next" type="hidden" value="/suppliers/?q=coran+%22kuningan%22"' in bar


@pytest.mark.django_db
def test_sign_out_from_the_navbar_works(client):
    import re

    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(BuyerStaffFactory())
    csrf_client.get("/dashboard/")
    bar = _bar(csrf_client.get("/dashboard/").content.decode())
    token = re.search(r'action="/accounts/logout/" *>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', bar)

    response = csrf_client.post("/accounts/logout/", {"csrfmiddlewaretoken": token[1]})

    assert response.status_code == 302
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.django_db
def test_shared_navbar_cannot_carry_a_users_private_details():
    from django.template import Context, Template

    from profiles.templatetags.main_menu import _MarkedUser

    user = BuyerStaffFactory(email="rahasia.pengadaan@kai.example.id")
    # The bar is rendered once and shared by every user with the same role, language and menu: a detail
    # the cache key does not cover renders as nothing, never as the first user's.
    rendered = Template("{{ user.email }}|{{ user.phone }}|{{ user.role }}").render(Context({"user": _MarkedUser(user)}))

    assert rendered == f"||{user.role}"
