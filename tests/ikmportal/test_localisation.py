"""Numbers in pages: ids stay plain so links, form values and data attributes work past id 999; figures
a person reads are grouped the way the reader's language writes them."""

from decimal import Decimal

import pytest

from tests.factories import IkmProfileFactory, UserFactory


@pytest.mark.django_db
def test_an_id_past_999_is_written_plainly_in_a_page(client):
    owner = UserFactory()
    ikm = IkmProfileFactory(pk=12345, owner=owner)
    client.force_login(owner)

    page = client.get("/dashboard/").content.decode()

    assert f'data-ikm="{ikm.pk}"' in page and "12.345" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "employees", "capacity"), [("id", "12.000", "1.250,50"), ("en", "12,000", "1,250.50")])
def test_figures_on_a_profile_are_grouped_in_the_readers_language(client, language, employees, capacity):
    owner = UserFactory()
    ikm = IkmProfileFactory(owner=owner, employees=12000, capacity_tons_month=Decimal("1250.5"))
    client.force_login(owner)
    client.cookies["django_language"] = language

    page = client.get(f"/ikm/{ikm.pk}/").content.decode()

    assert f">{employees}<" in page and capacity in page
