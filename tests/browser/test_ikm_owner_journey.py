import io
import re

import pytest
from PIL import Image

from profiles.models import IkmProfile


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 120, 130)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_new_owner_signs_up_completes_profile_on_a_phone_and_shows_a_product_photo(phone_page, mailoutbox):
    page = phone_page
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "pemilik@logamtegal.id")
    page.fill("input[name=password1]", "Coran-Besi-2026!")
    page.fill("input[name=password2]", "Coran-Besi-2026!")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-action=sign-out]", state="attached")

    page.goto("/ikm/new/")
    page.select_option("select[name=legal_form]", "cv")
    page.fill("input[name=name]", "Logam Sejahtera")
    page.fill("input[name=owner_name]", "Bu Sri")
    page.fill("input[name=phone]", "0812-2222-3333")
    page.select_option("select[name=loc-kabupaten]", label="Kabupaten Tegal")
    page.click("#ikm-create-form button[type=submit]")
    page.wait_for_selector("#ikm-step-form[data-step=capabilities]")
    page.check(f"input[name=processes][value='{_process_pk('cast-grey-iron')}']")
    page.check(f"input[name=processes][value='{_process_pk('turning')}']")
    page.fill("input[name=capacity_tons_month]", "25")
    page.click("#ikm-step-form button[name=next]")
    page.wait_for_selector("#ikm-step-form[data-step=certifications]")
    page.goto(page.url.replace("certifications", "products"))
    page.fill("input[name=products-0-name]", "Rumah pompa air")
    page.click("#ikm-step-form button[name=save]")
    page.wait_for_selector("form.photo-upload")
    page.set_input_files("form.photo-upload input[name=photo]",
                         files=[{"name": "pompa.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    page.click("form.photo-upload button[type=submit]")
    page.wait_for_selector("[data-product] img")

    ikm = IkmProfile.objects.get(name="Logam Sejahtera")
    page.goto(f"/ikm/{ikm.pk}/")
    assert page.locator("img[data-photo]").count() == 1
    assert page.locator("[data-process=turning]").count() == 1
    assert ikm.phone == "+6281222223333"
    assert page.viewport_size["width"] == 390


def _process_pk(code: str) -> int:
    from profiles.models import Process

    return Process.objects.get(code=code).pk
