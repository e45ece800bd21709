"""Who may see and change what: every rule proved by refusing the wrong user."""

import pytest

from profiles.enums import VerificationStatus
from tests.factories import DinasStaffFactory, IkmProfileFactory, UserFactory, kabupaten


@pytest.mark.django_db
def test_ikm_owner_cannot_open_another_ikms_edit_page(client, ikm):
    other_owner = UserFactory()
    client.force_login(other_owner)

    response = client.get(f"/ikm/{ikm.pk}/edit/basics/")

    assert response.status_code == 403


@pytest.mark.django_db
def test_ikm_owner_cannot_post_to_another_ikm(client, ikm):
    client.force_login(UserFactory())

    response = client.post(f"/ikm/{ikm.pk}/edit/story/", {"description": "Dibajak", "main_customers": ""})

    ikm.refresh_from_db()
    assert response.status_code == 403
    assert ikm.description != "Dibajak"


@pytest.mark.django_db
def test_owner_can_edit_own_ikm(client, ikm):
    client.force_login(ikm.owner)

    response = client.post(f"/ikm/{ikm.pk}/edit/story/", {
        "description": "Kami melayani bubut dan frais CNC.", "main_customers": "PT AHM (tier 2)"})

    ikm.refresh_from_db()
    assert response.status_code == 302
    assert ikm.description == "Kami melayani bubut dan frais CNC."


@pytest.mark.django_db
def test_buyer_staff_cannot_edit_an_ikm(client, ikm, buyer_staff):
    client.force_login(buyer_staff)

    assert client.get(f"/ikm/{ikm.pk}/edit/basics/").status_code == 403


@pytest.mark.django_db
def test_dinas_tegal_cannot_verify_an_ikm_in_klaten(client, dinas_tegal):
    klaten_ikm = IkmProfileFactory(kabupaten=kabupaten("Kabupaten Klaten"))
    client.force_login(dinas_tegal)

    response = client.post(f"/ikm/{klaten_ikm.pk}/verify/", {"status": "verified"})

    klaten_ikm.refresh_from_db()
    assert response.status_code == 403
    assert klaten_ikm.verification_status == VerificationStatus.PENDING


@pytest.mark.django_db
def test_dinas_tegal_verifies_an_ikm_in_tegal_and_the_change_is_recorded(client, dinas_tegal, ikm):
    client.force_login(dinas_tegal)

    client.post(f"/ikm/{ikm.pk}/verify/", {"status": "verified", "note": "Kunjungan lapangan 20 Nov"})

    ikm.refresh_from_db()
    record = ikm.verification_records.get()
    assert ikm.verification_status == VerificationStatus.VERIFIED
    assert (record.by, record.from_status, record.to_status) == (dinas_tegal, "pending", "verified")
    assert record.note == "Kunjungan lapangan 20 Nov"


@pytest.mark.django_db
def test_needs_revision_requires_a_note(client, dinas_tegal, ikm):
    client.force_login(dinas_tegal)

    client.post(f"/ikm/{ikm.pk}/verify/", {"status": "needs_revision", "note": ""})

    ikm.refresh_from_db()
    assert ikm.verification_status == VerificationStatus.PENDING


@pytest.mark.django_db
def test_ikm_owner_cannot_verify(client, ikm):
    client.force_login(ikm.owner)

    assert client.post(f"/ikm/{ikm.pk}/verify/", {"status": "verified"}).status_code == 403


@pytest.mark.django_db
def test_verification_queue_shows_only_the_dinas_region(client, dinas_tegal):
    tegal = IkmProfileFactory(name="Takaru Cor")
    klaten = IkmProfileFactory(name="Ceper Cor", kabupaten=kabupaten("Kabupaten Klaten"))
    client.force_login(dinas_tegal)

    page = client.get("/dinas/verification/").content.decode()

    assert tegal.name in page
    assert klaten.name not in page


@pytest.mark.django_db
def test_province_scoped_dinas_covers_every_kabupaten_of_the_province(client):
    jateng = DinasStaffFactory(scope_kabupaten=None, scope_province=kabupaten("Kabupaten Klaten").province)
    klaten_ikm = IkmProfileFactory(kabupaten=kabupaten("Kabupaten Klaten"))
    jatim_ikm = IkmProfileFactory(kabupaten=kabupaten("Kabupaten Sidoarjo"))
    client.force_login(jateng)

    allowed = client.post(f"/ikm/{klaten_ikm.pk}/verify/", {"status": "verified"})
    refused = client.post(f"/ikm/{jatim_ikm.pk}/verify/", {"status": "verified"})

    assert allowed.status_code == 302
    assert refused.status_code == 403


@pytest.mark.django_db
def test_anonymous_visitor_sees_no_phone_number(client, ikm):
    page = client.get(f"/ikm/{ikm.pk}/").content.decode()

    assert ikm.phone not in page
    assert ikm.email not in page


@pytest.mark.django_db
def test_other_ikm_owner_sees_no_phone_number(client, ikm):
    client.force_login(UserFactory())

    assert ikm.phone not in client.get(f"/ikm/{ikm.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["buyer_staff", "dinas_tegal"])
def test_buyer_staff_and_dinas_see_contact_details(client, ikm, viewer, request):
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(f"/ikm/{ikm.pk}/").content.decode()

    assert ikm.phone in page
    assert ikm.email in page


@pytest.mark.django_db
def test_import_page_is_only_for_dinas(client, ikm, buyer_staff):
    client.force_login(ikm.owner)
    as_owner = client.get("/dinas/import/")
    client.force_login(buyer_staff)
    as_buyer = client.get("/dinas/import/")

    assert as_owner.status_code == 403
    assert as_buyer.status_code == 403


@pytest.mark.django_db
def test_buyer_staff_cannot_register_an_ikm(client, buyer_staff):
    client.force_login(buyer_staff)

    assert client.get("/ikm/new/").status_code == 403


@pytest.mark.django_db
def test_change_buyerorganisation_rule_refuses_other_organisations_staff(buyer_staff):
    from tests.factories import BuyerStaffFactory

    other = BuyerStaffFactory()

    assert buyer_staff.has_perm("profiles.change_buyerorganisation", buyer_staff.buyer_organisation)
    assert not other.has_perm("profiles.change_buyerorganisation", buyer_staff.buyer_organisation)


@pytest.mark.django_db
def test_buyer_staff_edits_own_organisation_but_not_another(client, buyer_staff):
    from tests.factories import BuyerOrganisationFactory

    other = BuyerOrganisationFactory(name="PT Lain")
    client.force_login(buyer_staff)
    own = client.post(f"/organisations/{buyer_staff.buyer_organisation_id}/edit/", {
        "name": "PT Kereta Baru", "type": "bumn", "sector": "Kereta api"})
    foreign = client.post(f"/organisations/{other.pk}/edit/", {"name": "Dibajak", "type": "bumn"})

    other.refresh_from_db()
    buyer_staff.buyer_organisation.refresh_from_db()
    assert own.status_code == 302 and buyer_staff.buyer_organisation.name == "PT Kereta Baru"
    assert foreign.status_code == 403 and other.name == "PT Lain"


@pytest.mark.django_db
def test_organisation_logo_must_be_a_real_image(client, buyer_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(buyer_staff)
    response = client.post(f"/organisations/{buyer_staff.buyer_organisation_id}/edit/", {
        "name": "PT A", "type": "bumn", "logo_upload": SimpleUploadedFile("logo.png", b"not a png")})

    buyer_staff.buyer_organisation.refresh_from_db()
    assert response.status_code == 200
    assert not buyer_staff.buyer_organisation.logo
