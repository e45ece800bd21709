import pytest

from matchmaking.models import Need
from profiles.models import Process
from tests.browser.conftest import boxes_scrolling_sideways, cell_label, sideways_overflow, sign_in, sign_out
from tests.factories import PASSWORD, BuyerStaffFactory, IkmProfileFactory, NeedFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_buyer_posts_need_with_drawing_and_ikm_owner_sees_what_it_meets(page):
    buyer = BuyerStaffFactory(email="pengadaan@kai.example.id")
    owner = UserFactory(email="pemilik@takaru.example.id")
    ikm = IkmProfileFactory(owner=owner, name="Logam Jaya Takaru")
    ikm.processes.set(Process.objects.filter(code="cast-grey-iron"))
    grey_iron, turning = (Process.objects.get(code=c).pk for c in ("cast-grey-iron", "turning"))

    sign_in(page, buyer.email, PASSWORD)
    page.goto("/needs/new/")
    page.fill("input[name=title]", "Rangka blok rem besi cor")
    page.fill("textarea[name=description]", "Rangka blok rem dari besi cor kelabu, dibubut pada sisi dudukan.")
    page.check(f"input[name=processes_required][value='{grey_iron}']")
    page.check(f"input[name=processes_required][value='{turning}']")
    page.fill("input[name=quantity]", "12")
    page.fill("input[name=estimated_value_idr]", "1800000000")
    page.click("#need-form button[type=submit]")
    page.wait_for_selector("[data-status=draft]")
    page.click("[data-transition=open]")
    page.wait_for_selector("[data-status=open]")
    page.set_input_files("#attachment-form input[name=file]", files=[
        {"name": "blok-rem.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}])
    page.click("#attachment-form button[type=submit]")
    page.wait_for_selector("[data-attachment]")
    assert "Rp 1.800.000.000" in page.inner_text("[data-field=value]")
    sign_out(page)

    sign_in(page, owner.email, PASSWORD)
    page.goto("/peluang/")
    need = Need.objects.get(title="Rangka blok rem besi cor")
    card = page.locator(f"[data-need='{need.pk}']")
    assert card.count() == 1
    assert "Rangka blok rem besi cor" in card.inner_text()
    assert card.locator("[data-fit=met]").count() == 1
    assert card.locator("[data-fit=missing]").count() == 1
    page.click(f"[data-need='{need.pk}'] h2 a")
    page.wait_for_selector("[data-fit=met]")
    assert page.locator("[data-attachment]").count() == 0
    assert page.locator("[data-field=value]").count() == 0


@pytest.mark.django_db(transaction=True)
def test_needs_directory_and_opportunities_fit_a_phone_without_sideways_scrolling(phone_page):
    buyer = BuyerStaffFactory(email="pengadaan.hp@kai.example.id",
                              buyer_organisation__name="PT Kereta Api Indonesia (Persero) Divisi Pengadaan")
    need = NeedFactory(buyer=buyer.buyer_organisation, status="open", import_substitution=True,
                       title="Blok rem besi cor kelabu FC200 untuk gerbong barang dan kereta penumpang")
    owner = UserFactory(email="pemilik.hp@takaru.example.id")
    IkmProfileFactory(owner=owner, name="CV Pengecoran Logam Takaru Sejahtera Abadi")

    sign_in(phone_page, buyer.email, PASSWORD)
    for path in ("/needs/", f"/needs/{need.pk}/", "/needs/new/", f"/needs/{need.pk}/edit/",
                 f"/needs/{need.pk}/shortlist/", f"/needs/{need.pk}/suggestions/", "/suppliers/?q=cor",
                 "/kemitraan/"):
        phone_page.goto(path)
        assert sideways_overflow(phone_page) <= 0, f"{path} scrolls sideways on a phone"
        assert boxes_scrolling_sideways(phone_page) == [], f"{path} has a table scrolling sideways on a phone"
    phone_page.goto("/needs/")
    # The need list is a card per need on a phone, each figure led by its name.
    assert cell_label(phone_page, f"[data-need='{need.pk}'] [data-count=interested]") == "IKM berminat"
    sign_out(phone_page)
    sign_in(phone_page, owner.email, PASSWORD)
    for path in ("/peluang/", f"/needs/{need.pk}/", "/kemitraan/"):
        phone_page.goto(path)
        assert sideways_overflow(phone_page) <= 0, f"{path} scrolls sideways on a phone"
