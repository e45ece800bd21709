"""From meeting to purchase order: the buyer records an MoU, the partnership appears, the buyer moves it to
a first order, and the Dinas dashboard counts one more first order and its value."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from events.models import Event, Meeting, MeetingRequest
from matchmaking.models import Partnership
from profiles.demo import DEMO_TOTP_SECRET
from tests.browser.conftest import boxes_scrolling_sideways, cell_label, sideways_overflow, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    BuyerRegistrationFactory,
    BuyerStaffFactory,
    DinasStaffFactory,
    EventFactory,
    IkmProfileFactory,
    IkmRegistrationFactory,
    UserFactory,
)


def first_orders_on_dashboard(page) -> int:
    """The funnel's last step: partnerships from temu-bisnis meetings that reached a first purchase order."""
    page.goto("/dasbor/")
    return int(page.locator("#table-event-funnel tbody tr").nth(4).locator("td").first.inner_text().strip())


@pytest.mark.django_db(transaction=True)
def test_mou_outcome_opens_a_partnership_that_reaches_a_first_order_on_the_dashboard(page, browser, live_server):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    event = EventFactory(title="Temu Bisnis Logam Tegal", start_date=yesterday, end_date=yesterday,
                         status="finished")
    owner = UserFactory(email="ikm.owner@example.id")
    ikm_registration = IkmRegistrationFactory(event=event, ikm=IkmProfileFactory(owner=owner, name="Logam Jaya"))
    buyer = BuyerStaffFactory(email="buyer.staff@example.id", buyer_organisation__name="PT Kereta Api Demo")
    buyer_registration = BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    request = MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration,
                                            status="accepted")
    meeting = Meeting.objects.create(event=event, request=request, slot=0, table=0)
    dinas = DinasStaffFactory(email="dinas.tegal@example.id", totp=False)
    TOTP.activate(dinas, DEMO_TOTP_SECRET)

    # Dinas keeps the dashboard open in a browser of their own (a TOTP code signs in once per 30 s).
    dinas_context = browser.new_context(base_url=live_server.url, locale="id-ID")
    dinas_page = dinas_context.new_page()
    dinas_page.set_default_timeout(15_000)
    sign_in(dinas_page, dinas.email, PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    before = first_orders_on_dashboard(dinas_page)

    # The buyer records the meeting's outcome: an MoU.
    sign_in(page, buyer.email, PASSWORD)
    page.goto(f"/events/meetings/{meeting.pk}/outcome/")
    page.check("input[name=result][value=mou]")
    page.fill("textarea[name=notes]", "MoU pengadaan brake block")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")

    # The partnership appears in the buyer's list, at its first stage.
    page.goto("/kemitraan/")
    row = page.locator("[data-partnership]")
    assert row.count() == 1
    assert row.locator("[data-stage]").get_attribute("data-stage") == "contact"
    row.locator("a").first.click()
    page.wait_for_selector("[data-current-stage=contact]")

    # Curation passed, samples approved: the first purchase order comes in.
    page.select_option("select[name=advance-to_stage]", "sample")
    page.fill("textarea[name=advance-note]", "Lolos kurasi, contoh dikirim")
    page.click("[data-form=advance] button[type=submit]")
    page.wait_for_selector("[data-current-stage=sample]")
    page.fill("input[name=order-value_idr]", "250000000")
    page.fill("input[name=order-order_date]", yesterday.isoformat())
    page.fill("input[name=order-number]", "PO-KAI-2026-001")
    page.click("[data-form=order] button[type=submit]")
    page.wait_for_selector("[data-current-stage=first_order]")
    assert page.locator("[data-total=orders]").inner_text().strip() == "Rp 250.000.000"
    assert page.locator("[data-list=history] [data-to-stage]").count() == 3
    sign_out(page)

    partnership = Partnership.objects.get()
    assert (partnership.origin, partnership.event_id, partnership.stage) == ("meeting", event.pk, "first_order")

    # The Dinas dashboard counts it at once.
    assert first_orders_on_dashboard(dinas_page) == before + 1
    dinas_context.close()
    assert Event.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_partnership_list_reads_as_cards_on_a_phone(phone_page):
    from matchmaking.partnerships.services import partnership_open

    owner = UserFactory(email="pemilik.kemitraan@example.id")
    ikm = IkmProfileFactory(owner=owner, name="CV Pengecoran Logam Takaru Sejahtera Abadi")
    buyer = BuyerStaffFactory(buyer_organisation__name="PT Industri Kereta Api (Persero) Divisi Pengadaan Komponen")
    partnership, _ = partnership_open(ikm=ikm, buyer=buyer.buyer_organisation, by=owner, origin="direct",
                                      stage="sample")

    sign_in(phone_page, owner.email, PASSWORD)
    phone_page.goto("/kemitraan/")
    assert sideways_overflow(phone_page) <= 0
    assert boxes_scrolling_sideways(phone_page) == []
    row = f"tr:has(a[href='/kemitraan/{partnership.pk}/'])"
    assert cell_label(phone_page, f"{row} td:has([data-stage])") == "Tahap"
    assert "Industri Kereta Api" in phone_page.locator(row).inner_text()
