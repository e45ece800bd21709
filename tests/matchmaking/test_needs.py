"""Buyer needs: who may post, edit and see what; drawings; status changes; opportunities for IKMs."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from matchmaking.enums import NeedStatus
from matchmaking.models import Need, NeedAttachment, NeedProcess
from profiles.models import Certification, IkmCertification, Material, Process
from tests.factories import BuyerStaffFactory, DinasStaffFactory, IkmProfileFactory, UserFactory, kabupaten


def make_need(buyer_staff, *, status=NeedStatus.OPEN, processes=("cast-grey-iron", "turning"), **fields):
    need = Need.objects.create(buyer=buyer_staff.buyer_organisation, title=fields.pop("title", "Rangka blok rem"),
                               status=status, estimated_value_idr=1_800_000_000, created_by=buyer_staff, **fields)
    for code in processes:
        NeedProcess.objects.create(need=need, process=Process.objects.get(code=code))
    return need


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def need(buyer_staff):
    return make_need(buyer_staff)


@pytest.mark.django_db
def test_ikm_owner_sees_open_need_but_not_its_value_or_drawings(client, need, ikm):
    NeedAttachment.objects.create(need=need, original_name="gambar.pdf", content_type="application/pdf", size=10,
                                  file=SimpleUploadedFile("gambar.pdf", _pdf()))
    attachment = need.attachments.get()
    client.force_login(ikm.owner)

    page = client.get(f"/needs/{need.pk}/").content.decode()
    download = client.get(f"/needs/{need.pk}/attachments/{attachment.pk}/")

    assert need.title in page
    assert "1.800.000.000" not in page
    assert "gambar.pdf" not in page
    assert download.status_code == 403


@pytest.mark.django_db
def test_another_buyer_cannot_see_value_or_download_drawings(client, need):
    NeedAttachment.objects.create(need=need, original_name="gambar.pdf", content_type="application/pdf", size=10,
                                  file=SimpleUploadedFile("gambar.pdf", _pdf()))
    client.force_login(BuyerStaffFactory())

    page = client.get(f"/needs/{need.pk}/").content.decode()
    download = client.get(f"/needs/{need.pk}/attachments/{need.attachments.get().pk}/")

    assert "1.800.000.000" not in page
    assert download.status_code == 403


@pytest.mark.django_db
def test_own_buyer_and_dinas_see_value_and_download_drawings(client, need, buyer_staff, dinas_tegal):
    NeedAttachment.objects.create(need=need, original_name="gambar.pdf", content_type="application/pdf", size=10,
                                  file=SimpleUploadedFile("gambar.pdf", _pdf()))
    attachment = need.attachments.get()
    for viewer in (buyer_staff, dinas_tegal):
        client.force_login(viewer)

        page = client.get(f"/needs/{need.pk}/").content.decode()
        download = client.get(f"/needs/{need.pk}/attachments/{attachment.pk}/")

        assert "Rp 1.800.000.000" in page
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_attachment_is_not_reachable_by_a_public_url(need, settings):
    NeedAttachment.objects.create(need=need, original_name="gambar.pdf", content_type="application/pdf", size=10,
                                  file=SimpleUploadedFile("gambar.pdf", _pdf()))
    attachment = need.attachments.get()

    assert not attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - private storage has no URL


@pytest.mark.django_db
def test_draft_need_is_invisible_to_ikm_owners_and_other_buyers(client, buyer_staff, ikm):
    draft = make_need(buyer_staff, status=NeedStatus.DRAFT)
    client.force_login(ikm.owner)
    as_owner = client.get(f"/needs/{draft.pk}/")
    client.force_login(BuyerStaffFactory())
    as_other_buyer = client.get(f"/needs/{draft.pk}/")

    assert as_owner.status_code == 404
    assert as_other_buyer.status_code == 404


@pytest.mark.django_db
def test_another_buyer_cannot_edit_or_close_a_need(client, need):
    client.force_login(BuyerStaffFactory())

    edit = client.get(f"/needs/{need.pk}/edit/")
    close = client.post(f"/needs/{need.pk}/status/", {"status": "closed"})

    need.refresh_from_db()
    assert edit.status_code == 403
    assert close.status_code == 403
    assert need.status == NeedStatus.OPEN


@pytest.mark.django_db
def test_a_need_naming_a_process_no_row_can_have_gets_a_message_and_saves_nothing(client, buyer_staff):
    client.force_login(buyer_staff)

    response = client.post("/needs/new/", {"title": "Blok rem", "quantity_unit": "ton",
                                           "processes_required": ["99999999999999999999"]})

    assert response.status_code == 200 and response.context["form"].errors["processes_required"]
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_ikm_owner_cannot_post_needs(client, ikm):
    client.force_login(ikm.owner)

    assert client.get("/needs/new/").status_code == 403
    assert client.get("/needs/").status_code == 403


@pytest.mark.django_db
def test_status_change_is_recorded_and_bad_transition_refused(client, buyer_staff):
    need = make_need(buyer_staff, status=NeedStatus.DRAFT)
    client.force_login(buyer_staff)

    client.post(f"/needs/{need.pk}/status/", {"status": "open"})
    client.post(f"/needs/{need.pk}/status/", {"status": "draft"})

    need.refresh_from_db()
    change = need.status_changes.get()
    assert need.status == NeedStatus.OPEN
    assert (change.from_status, change.to_status, change.by) == ("draft", "open", buyer_staff)
    assert need.opened_at is not None


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "accepted"), [
    ("gambar.pdf", _pdf(), True),
    ("gambar.png", _png(), True),
    ("gambar.dxf", b"  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n", True),
    ("gambar.pdf", b"MZ\x90\x00 this is an executable", False),
    ("gambar.jpg", _png(), False),  # a PNG named .jpg
    ("gambar.dxf", b"%PDF-1.4 not a dxf", False),
    ("gambar.exe", b"MZ", False),
])
def test_drawing_upload_content_must_match_its_extension(client, need, buyer_staff, name, data, accepted):
    client.force_login(buyer_staff)

    response = client.post(f"/needs/{need.pk}/attachments/", {"file": SimpleUploadedFile(name, data)}, follow=True)

    assert response.status_code == 200
    assert need.attachments.count() == (1 if accepted else 0)


@pytest.mark.django_db
def test_buyer_need_list_counts_suggestions_and_interested_ikms(client, need, buyer_staff):
    from matchmaking.models import Suggestion, SuggestionAnswer

    ikm_a, ikm_b = IkmProfileFactory(), IkmProfileFactory()
    Suggestion.objects.create(need=need, ikm=ikm_a, rank=1, score=0.9)
    Suggestion.objects.create(need=need, ikm=ikm_b, rank=2, score=0.8)
    SuggestionAnswer.objects.create(need=need, ikm=ikm_a, side="ikm", answer="interested")
    SuggestionAnswer.objects.create(need=need, ikm=ikm_b, side="ikm", answer="not_relevant")
    client.force_login(buyer_staff)

    page = client.get("/needs/").content.decode()

    assert 'data-count="suggestions">2<' in page
    assert 'data-count="interested">1<' in page


@pytest.mark.django_db
def test_opportunities_show_what_the_ikm_meets_and_misses(client, need, ikm):
    ikm.processes.set([Process.objects.get(code="cast-grey-iron")])
    client.force_login(ikm.owner)

    page = client.get("/peluang/").content.decode()

    assert need.title in page
    assert 'data-fit="met"' in page and 'data-fit="missing"' in page


@pytest.mark.django_db
def test_opportunities_filter_by_process_region_and_import_substitution(client, buyer_staff, ikm):
    foundry = make_need(buyer_staff, title="Tutup manhole", processes=("cast-ductile-iron",),
                        delivery_kabupaten=kabupaten("Kota Semarang"), import_substitution=True)
    stamping = make_need(buyer_staff, title="Bracket pres", processes=("stamping",),
                         delivery_kabupaten=kabupaten("Kota Surabaya"))
    expired = make_need(buyer_staff, title="Sudah lewat", deadline=dt.date(2020, 1, 1))
    client.force_login(ikm.owner)

    by_process = client.get("/peluang/", {"process": Process.objects.get(code="stamping").pk}).content.decode()
    by_province = client.get("/peluang/", {"province": kabupaten("Kota Semarang").province_id}).content.decode()
    imported = client.get("/peluang/", {"import_substitution": "true"}).content.decode()

    assert stamping.title in by_process and foundry.title not in by_process
    assert foundry.title in by_province and stamping.title not in by_province
    assert foundry.title in imported and stamping.title not in imported
    assert expired.title not in client.get("/peluang/").content.decode()


@pytest.mark.django_db
def test_expired_certificate_counts_as_missing_in_fit(buyer_staff, ikm):
    from matchmaking.models import NeedCertification
    from matchmaking.selectors import need_detail_queryset, requirement_fit
    from profiles.selectors import ikm_detail_queryset

    need = make_need(buyer_staff, processes=("turning",))
    iso = Certification.objects.get(code="iso-9001")
    NeedCertification.objects.create(need=need, certification=iso)
    IkmCertification.objects.create(ikm=ikm, certification=iso, valid_until=dt.date(2020, 1, 1))

    fit = requirement_fit(need_detail_queryset().get(pk=need.pk), ikm_detail_queryset().get(pk=ikm.pk))

    assert iso.name in fit.missing


@pytest.mark.django_db
def test_bad_filter_values_do_not_500(client, ikm):
    client.force_login(ikm.owner)

    response = client.get("/peluang/", {"process": "abc", "deadline_from": "kemarin", "page": "x"})

    assert response.status_code == 200


@pytest.mark.django_db
def test_opportunities_leave_out_an_invalid_filter_and_name_it(client, buyer_staff, ikm):
    semarang = make_need(buyer_staff, title="Tutup manhole", delivery_kabupaten=kabupaten("Kota Semarang"))
    surabaya = make_need(buyer_staff, title="Bracket pres", delivery_kabupaten=kabupaten("Kota Surabaya"))
    client.force_login(ikm.owner)

    page = client.get("/peluang/", {"province": kabupaten("Kota Semarang").province_id,
                                    "deadline_from": "kemarin"}).content.decode()
    valid_only = client.get("/peluang/", {"province": kabupaten("Kota Semarang").province_id}).content.decode()

    assert semarang.title in page and surabaya.title not in page
    assert "alert-warning" in page
    assert "Filter berikut tidak dipakai karena isinya tidak valid: Batas waktu sejak." in page
    assert "data-ignored-filters" not in valid_only


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in_for_opportunities(client):
    response = client.get("/peluang/")

    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
def test_unknown_user_roles_see_no_draft_needs(client, buyer_staff):
    draft = make_need(buyer_staff, status=NeedStatus.DRAFT)
    client.force_login(UserFactory())

    assert client.get(f"/needs/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_dinas_may_see_a_draft_need(client, buyer_staff):
    draft = make_need(buyer_staff, status=NeedStatus.DRAFT)
    client.force_login(DinasStaffFactory())

    assert client.get(f"/needs/{draft.pk}/").status_code == 200


def _queries(client, path, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"import_substitution": "true"}])
def test_opportunities_query_count_is_constant_in_needs_and_the_owners_ikms(client, buyer_staff, ikm, params):
    from matchmaking.models import NeedCertification, NeedMaterial

    def need_with_everything(title):
        need = make_need(buyer_staff, title=title, import_substitution=True)
        NeedMaterial.objects.create(need=need, material=Material.objects.get(code="grey-iron"))
        NeedCertification.objects.create(need=need, certification=Certification.objects.get(code="iso-9001"))

    need_with_everything("Satu")
    client.force_login(ikm.owner)
    client.get("/peluang/", params)
    one = _queries(client, "/peluang/", params)
    for n in range(4):
        need_with_everything(f"Lagi {n}")
    IkmProfileFactory(owner=ikm.owner, name="Usaha kedua")

    assert _queries(client, "/peluang/", params) == one


@pytest.mark.django_db
def test_need_list_query_count_is_constant_in_the_number_of_needs(client, buyer_staff):
    make_need(buyer_staff, title="Satu")
    client.force_login(buyer_staff)
    client.get("/needs/")
    one = _queries(client, "/needs/")
    for n in range(4):
        make_need(buyer_staff, title=f"Lagi {n}")

    assert _queries(client, "/needs/") == one
