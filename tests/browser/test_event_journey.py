"""The temu bisnis journey: two participants request and accept a meeting, Dinas schedules and publishes,
both see the same meeting on their agendas, and check-in marks one of them present."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from events.models import Meeting, MeetingRequest, Registration
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


@pytest.mark.django_db(transaction=True)
def test_request_accept_schedule_publish_agenda_and_check_in(page, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the scheduler task runs in the page's process, as in the demo
    event = EventFactory(title="Temu Bisnis Logam Tegal")
    owner = UserFactory(email="ikm.owner@example.id")
    ikm_registration = IkmRegistrationFactory(event=event, ikm=IkmProfileFactory(owner=owner, name="Logam Jaya"))
    buyer = BuyerStaffFactory(email="buyer.staff@example.id", buyer_organisation__name="PT Pindad Demo")
    buyer_registration = BuyerRegistrationFactory(event=event, buyer=buyer.buyer_organisation)
    dinas = DinasStaffFactory(email="dinas.tegal@example.id", totp=False)
    TOTP.activate(dinas, DEMO_TOTP_SECRET)

    # The buyer requests a meeting with the IKM.
    sign_in(page, buyer.email, PASSWORD)
    page.goto(f"/events/registrations/{buyer_registration.pk}/")
    page.click(f"[data-counterpart='{ikm_registration.pk}'] [data-action=request]")
    page.wait_for_selector("[data-list=made] [data-request-status=pending]")
    sign_out(page)

    # The IKM accepts it.
    sign_in(page, owner.email, PASSWORD)
    page.goto(f"/events/registrations/{ikm_registration.pk}/")
    page.click("[data-list=received] [data-action=accept]")
    page.wait_for_selector("[data-list=received] [data-request-status=accepted]")
    sign_out(page)

    # Dinas closes registration, runs the scheduler, publishes.
    sign_in(page, dinas.email, PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    page.goto(f"/events/{event.pk}/")
    page.click("[data-status-to=scheduling]")
    page.wait_for_selector("[data-event-status=scheduling]")
    page.goto(f"/events/{event.pk}/schedule/")
    page.fill("#id_seconds", "1")
    page.click("[data-action=run-scheduler]")
    page.wait_for_selector("[data-run-status=done]")
    assert page.locator("tr[data-meeting]").count() == 1
    page.goto(f"/events/{event.pk}/")
    page.click("[data-status-to=published]")
    page.wait_for_selector("[data-event-status=published]")

    # Check-in on the day: search by name, mark present.
    page.goto(f"/events/{event.pk}/checkin/")
    page.fill("#checkin-search", "Logam Jaya")
    page.press("#checkin-search", "Enter")
    page.click(f"[data-registration='{ikm_registration.pk}'] [data-action=check-in]")
    page.wait_for_selector(f"[data-registration='{ikm_registration.pk}'] [data-checked-in]")
    assert Registration.objects.get(pk=ikm_registration.pk).checked_in_by == dinas
    assert Registration.objects.get(pk=buyer_registration.pk).checked_in_at is None
    sign_out(page)

    meeting = Meeting.objects.get(event=event)
    seen = []
    for email, registration, other in ((owner.email, ikm_registration, "PT Pindad Demo"),
                                       (buyer.email, buyer_registration, "Logam Jaya")):
        sign_in(page, email, PASSWORD)
        page.goto(f"/events/registrations/{registration.pk}/agenda/")
        row = page.locator(f"[data-agenda] tr[data-meeting='{meeting.pk}']")
        assert other in row.locator("[data-counterpart]").inner_text()
        seen.append((row.locator("td").first.inner_text(), row.locator("[data-table]").inner_text()))
        sign_out(page)
    assert seen[0] == seen[1]


@pytest.mark.django_db(transaction=True)
def test_dinas_event_pages_fit_a_phone_without_sideways_scrolling(phone_page):
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    event = EventFactory(title="Temu Bisnis IKM Logam Kabupaten Tegal dan Sekitarnya")
    IkmRegistrationFactory(event=event, ikm=IkmProfileFactory(name="CV Pengecoran Logam Takaru Sejahtera Abadi"))
    BuyerRegistrationFactory(event=event, buyer=BuyerStaffFactory(
        buyer_organisation__name="PT Industri Kereta Api (Persero) Divisi Pengadaan").buyer_organisation)
    dinas = DinasStaffFactory(email="dinas.phone@example.id", totp=False)
    secret = generate_totp_secret()
    TOTP.activate(dinas, secret)
    sign_in(phone_page, dinas.email, PASSWORD, totp_secret=secret)

    for page in ("", "registrations/", "requests/", "schedule/", "checkin/", "board/", "report/"):
        phone_page.goto(f"/events/{event.pk}/{page}")
        overflow = sideways_overflow(phone_page)
        assert overflow <= 0, f"/events/{event.pk}/{page} scrolls sideways by {overflow}px on a phone"


@pytest.mark.django_db(transaction=True)
def test_agenda_reads_as_cards_on_a_phone_and_as_a_table_on_a_laptop(phone_page, page):
    event = EventFactory(title="Temu Bisnis Logam Tegal", status="published")
    owner = UserFactory(email="pemilik.agenda@example.id")
    ikm_registration = IkmRegistrationFactory(event=event, ikm=IkmProfileFactory(owner=owner, name="Logam Jaya"))
    buyer_registration = BuyerRegistrationFactory(event=event, buyer=BuyerStaffFactory(
        buyer_organisation__name="PT Industri Kereta Api (Persero) Divisi Pengadaan Komponen").buyer_organisation)
    request = MeetingRequest.objects.create(event=event, requester=buyer_registration, recipient=ikm_registration,
                                            status="accepted")
    meeting = Meeting.objects.create(event=event, request=request, slot=0, table=4)
    agenda = f"/events/registrations/{ikm_registration.pk}/agenda/"
    table_cell = f"[data-meeting='{meeting.pk}'] [data-table]"

    sign_in(phone_page, owner.email, PASSWORD)
    phone_page.goto(f"/events/registrations/{ikm_registration.pk}/")  # requests, answers, suggestions
    assert sideways_overflow(phone_page) <= 0
    assert boxes_scrolling_sideways(phone_page) == []
    phone_page.goto(agenda)
    assert sideways_overflow(phone_page) <= 0
    assert boxes_scrolling_sideways(phone_page) == []
    # Each cell says what it is: the table number reads "Meja 5", not a bare 5 under a header off screen.
    assert cell_label(phone_page, table_cell) == "Meja"
    assert phone_page.locator("[data-agenda] thead").is_hidden()
    assert "Industri Kereta Api" in phone_page.locator(f"[data-meeting='{meeting.pk}'] [data-counterpart]").inner_text()

    sign_in(page, owner.email, PASSWORD)
    page.goto(agenda)
    assert page.locator("[data-agenda] thead").is_visible()
    assert cell_label(page, table_cell) == ""
