import re

import pytest

from profiles.models import IkmProfile
from tests.factories import IkmProfileFactory, UserFactory, kabupaten


@pytest.mark.django_db
def test_owner_registers_a_business_with_phone_in_local_form(client):
    owner = UserFactory()
    client.force_login(owner)

    response = client.post("/ikm/new/", {
        "legal_form": "cv", "name": "Logam Baru", "owner_name": "Sri", "phone": "0812 3456 7899",
        "email": "", "nib": "", "loc-kabupaten": kabupaten("Kabupaten Tegal").pk})

    ikm = IkmProfile.objects.get(owner=owner)
    assert response.status_code == 302
    assert ikm.phone == "+6281234567899"


@pytest.mark.django_db
def test_register_refuses_bad_nib_and_phone_with_messages(client):
    client.force_login(UserFactory())

    response = client.post("/ikm/new/", {
        "legal_form": "cv", "name": "Logam Baru", "owner_name": "Sri", "phone": "12345", "nib": "123",
        "loc-kabupaten": kabupaten("Kabupaten Tegal").pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert IkmProfile.objects.count() == 0
    assert "0812 3456 7890" in page
    assert "13" in page


@pytest.mark.django_db
def test_sentra_must_be_in_the_chosen_kabupaten(client, ikm):
    from profiles.models import Sentra

    ceper = Sentra.objects.create(name="Sentra Logam Ceper", kabupaten=kabupaten("Kabupaten Klaten"))
    client.force_login(ikm.owner)

    response = client.post(f"/ikm/{ikm.pk}/edit/location/", {
        "kabupaten": kabupaten("Kabupaten Tegal").pk, "sentra": ceper.pk})

    ikm.refresh_from_db()
    assert response.status_code == 200
    assert ikm.sentra is None


@pytest.mark.django_db
def test_completeness_meter_names_what_is_missing(client, ikm):
    client.force_login(ikm.owner)

    before = client.get("/dashboard/").content.decode()
    client.post(f"/ikm/{ikm.pk}/edit/story/", {"description": "x" * 50, "main_customers": "PT INKA"})
    after = client.get("/dashboard/").content.decode()

    def percent(page):
        return int(re.search(r'data-percent="(\d+)"', page).group(1))

    assert percent(before) < percent(after)
    assert "Description" in before or "Deskripsi" in before
    assert before.count("<li><strong>") == after.count("<li><strong>") + 2


@pytest.mark.django_db
def test_public_supplier_page_shows_verified_badge_only_when_verified(client):
    pending = IkmProfileFactory()
    verified = IkmProfileFactory(verification_status="verified")

    assert 'data-badge="verified"' not in client.get(f"/ikm/{pending.pk}/").content.decode()
    assert 'data-badge="verified"' in client.get(f"/ikm/{verified.pk}/").content.decode()


@pytest.mark.django_db
def test_expired_certification_is_not_shown_as_valid(client, ikm):
    import datetime as dt

    from profiles.models import Certification, IkmCertification

    IkmCertification.objects.create(ikm=ikm, certification=Certification.objects.get(code="iso-9001"),
                                    valid_until=dt.date(2020, 1, 1))
    IkmCertification.objects.create(ikm=ikm, certification=Certification.objects.get(code="sni"),
                                    valid_until=dt.date(2099, 1, 1))

    page = client.get(f"/ikm/{ikm.pk}/").content.decode()

    assert 'data-cert="sni"' in page
    assert 'data-cert="iso-9001"' not in page


@pytest.mark.django_db
def test_supplier_page_query_count_does_not_grow_with_products(client, django_assert_max_num_queries):
    from tests.factories import ProductFactory

    small = IkmProfileFactory()
    ProductFactory(ikm=small)
    large = IkmProfileFactory()
    for _ in range(3):
        ProductFactory(ikm=large)

    with django_assert_max_num_queries(14) as small_queries:
        client.get(f"/ikm/{small.pk}/")
    with django_assert_max_num_queries(14) as large_queries:
        client.get(f"/ikm/{large.pk}/")

    assert len(small_queries.captured_queries) == len(large_queries.captured_queries)


@pytest.mark.django_db
def test_unknown_edit_step_is_404(client, ikm):
    client.force_login(ikm.owner)

    assert client.get(f"/ikm/{ikm.pk}/edit/hacking/").status_code == 404
