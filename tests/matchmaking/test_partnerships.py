"""Partnerships: opened by meeting outcomes, moved forward by both sides, orders, history, rights, reminders."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Meeting, MeetingRequest
from events.services import outcome_record
from matchmaking.exceptions import PartnershipError
from matchmaking.models import Partnership, PartnershipReminder, PurchaseOrder
from matchmaking.partnerships import services
from matchmaking.partnerships.reminders import add_months, due_mark, reminder_send, reminders_create
from tests.factories import (
    AdminFactory,
    BuyerRegistrationFactory,
    BuyerStaffFactory,
    DinasStaffFactory,
    EventFactory,
    IkmProfileFactory,
    IkmRegistrationFactory,
    NeedFactory,
    UserFactory,
    kabupaten,
)

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def held_meeting(ikm, buyer, *, day=YESTERDAY) -> Meeting:
    """A meeting of the IKM and the buyer at a Tegal temu bisnis that took place on ``day``."""
    event = EventFactory(start_date=day, end_date=day, status="finished")
    ikm_side = IkmRegistrationFactory(event=event, ikm=ikm)
    buyer_side = BuyerRegistrationFactory(event=event, buyer=buyer)
    request = MeetingRequest.objects.create(event=event, requester=buyer_side, recipient=ikm_side, status="accepted")
    return Meeting.objects.select_related("event", "request__requester", "request__recipient").get(
        pk=Meeting.objects.create(event=event, request=request, slot=0, table=0).pk)


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    """Services raise translated messages; these tests read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def partnership(ikm, buyer_staff):
    return services.partnership_open(ikm=ikm, buyer=buyer_staff.buyer_organisation, by=buyer_staff,
                                     origin="suggestion")[0]


def stages(partnership) -> list[tuple[str, str]]:
    return list(partnership.stage_changes.order_by("at", "id").values_list("from_stage", "to_stage"))


# --- opened by meeting outcomes ------------------------------------------------------------------------

def test_follow_up_outcome_opens_a_partnership_and_a_later_outcome_moves_the_same_one(ikm, ikm_owner, buyer_staff):
    meeting = held_meeting(ikm, buyer_staff.buyer_organisation)

    outcome_record(meeting=meeting, by=ikm_owner, result="follow_up", notes="Kirim profil perusahaan")

    partnership = Partnership.objects.get()
    assert (partnership.ikm, partnership.buyer) == (ikm, buyer_staff.buyer_organisation)
    assert (partnership.origin, partnership.stage, partnership.event_id, partnership.meeting_id) == (
        "meeting", "contact", meeting.event_id, meeting.pk)
    first = partnership.stage_changes.get()
    assert first.by == ikm_owner and "Kirim profil perusahaan" in first.note

    outcome_record(meeting=meeting, by=buyer_staff, result="quotation")

    assert Partnership.objects.count() == 1
    partnership.refresh_from_db()
    assert partnership.stage == "quotation" and partnership.curation_result == "passed"
    assert stages(partnership) == [("", "contact"), ("contact", "quotation")]


def test_no_interest_opens_nothing(ikm, ikm_owner, buyer_staff):
    outcome_record(meeting=held_meeting(ikm, buyer_staff.buyer_organisation), by=ikm_owner, result="no_interest")
    assert not Partnership.objects.exists()


def test_an_outcome_never_moves_a_partnership_back(ikm, ikm_owner, buyer_staff, partnership):
    services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="sample")
    outcome_record(meeting=held_meeting(ikm, buyer_staff.buyer_organisation), by=ikm_owner, result="follow_up")
    partnership.refresh_from_db()
    assert partnership.stage == "sample" and Partnership.objects.count() == 1


# --- moving along the road ----------------------------------------------------------------------------

def test_both_sides_move_it_forward_and_every_step_is_kept(partnership, ikm_owner, buyer_staff):
    services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="curation", note="Audit pabrik")
    services.partnership_advance(partnership=partnership, by=ikm_owner, to_stage="sample", note="5 contoh dikirim")
    partnership.refresh_from_db()
    assert partnership.stage == "sample" and partnership.curation_result == "passed"
    history = list(partnership.stage_changes.order_by("id").values_list("to_stage", "by", "note"))
    assert history == [("contact", buyer_staff.pk, ""), ("curation", buyer_staff.pk, "Audit pabrik"),
                       ("sample", ikm_owner.pk, "5 contoh dikirim")]


def test_it_never_moves_back_and_orders_come_before_the_order_stages(partnership, buyer_staff):
    services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="quotation")
    with pytest.raises(PartnershipError, match="forward"):
        services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="sample")
    with pytest.raises(PartnershipError, match="purchase order"):
        services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="first_order")
    assert Partnership.objects.get().stage == "quotation"


def test_first_order_then_a_repeat_order_makes_it_ongoing(partnership, buyer_staff, ikm_owner):
    services.purchase_order_add(partnership=partnership, by=buyer_staff, value_idr=Decimal(125_000_000),
                                order_date=YESTERDAY, number="PO-KAI-001")
    partnership.refresh_from_db()
    assert partnership.stage == "first_order" and partnership.curation_result == "passed"
    assert "Rp 125.000.000" in partnership.stage_changes.last().note

    services.purchase_order_add(partnership=partnership, by=ikm_owner, value_idr=Decimal(80_000_000),
                                order_date=timezone.localdate())
    partnership.refresh_from_db()
    assert partnership.stage == "ongoing"
    assert sum(PurchaseOrder.objects.values_list("value_idr", flat=True)) == 205_000_000


def test_bad_orders_are_refused_and_nothing_is_saved(partnership, buyer_staff):
    with pytest.raises(PartnershipError):
        services.purchase_order_add(partnership=partnership, by=buyer_staff, value_idr=Decimal(0),
                                    order_date=YESTERDAY)
    with pytest.raises(PartnershipError):
        services.purchase_order_add(partnership=partnership, by=buyer_staff, value_idr=Decimal(10),
                                    order_date=timezone.localdate() + datetime.timedelta(days=3))
    assert not PurchaseOrder.objects.exists() and Partnership.objects.get().stage == "contact"


def test_failed_curation_ends_it_with_the_reason_and_a_new_one_can_start_later(partnership, buyer_staff, ikm):
    services.partnership_advance(partnership=partnership, by=buyer_staff, to_stage="curation")
    with pytest.raises(PartnershipError):
        services.partnership_curation_fail(partnership=partnership, by=buyer_staff, reason="  ")
    services.partnership_curation_fail(partnership=partnership, by=buyer_staff, reason="Toleransi belum masuk")
    partnership.refresh_from_db()
    assert (partnership.stage, partnership.curation_result) == ("ended", "failed")
    assert "Toleransi belum masuk" in partnership.ended_reason
    with pytest.raises(PartnershipError, match="ended"):
        services.purchase_order_add(partnership=partnership, by=buyer_staff, value_idr=Decimal(1),
                                    order_date=YESTERDAY)
    again, created = services.partnership_open(ikm=ikm, buyer=buyer_staff.buyer_organisation, by=buyer_staff,
                                               origin="direct")
    assert created and again.pk != partnership.pk


def test_ending_needs_a_reason(partnership, ikm_owner):
    with pytest.raises(PartnershipError):
        services.partnership_end(partnership=partnership, by=ikm_owner, reason="")
    services.partnership_end(partnership=partnership, by=ikm_owner, reason="Kapasitas penuh")
    assert Partnership.objects.get().stage == "ended"


# --- who may do what ------------------------------------------------------------------------------------

def test_strangers_cannot_move_it(partnership):
    klaten_dinas = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Klaten"))
    for stranger in (UserFactory(), BuyerStaffFactory(), klaten_dinas):
        with pytest.raises(PartnershipError):
            services.partnership_advance(partnership=partnership, by=stranger, to_stage="sample")
        with pytest.raises(PartnershipError):
            services.purchase_order_add(partnership=partnership, by=stranger, value_idr=Decimal(5),
                                        order_date=YESTERDAY)
    assert Partnership.objects.get().stage == "contact" and not PurchaseOrder.objects.exists()


def test_dinas_of_the_ikms_region_may_update_it(partnership, dinas_tegal):
    services.partnership_advance(partnership=partnership, by=dinas_tegal, to_stage="sample", note="Kunjungan lapangan")
    assert Partnership.objects.get().stage == "sample"


def test_each_role_sees_only_its_partnerships(client, partnership, ikm_owner, buyer_staff, dinas_tegal):
    klaten_ikm = IkmProfileFactory(kabupaten=kabupaten("Kabupaten Klaten"))
    elsewhere = services.partnership_open(ikm=klaten_ikm, buyer=BuyerStaffFactory().buyer_organisation, by=None,
                                          origin="direct")[0]
    detail, other = (reverse("matchmaking:partnership_detail", args=[p.pk]) for p in (partnership, elsewhere))
    for user in (ikm_owner, buyer_staff, dinas_tegal):
        client.force_login(user)
        page = client.get(reverse("matchmaking:partnership_list")).content.decode()
        assert f'data-partnership="{partnership.pk}"' in page
        assert f'data-partnership="{elsewhere.pk}"' not in page
        assert client.get(detail).status_code == 200
        assert client.get(other).status_code == 404
        assert client.post(other, {"action": "end", "end-reason": "x"}).status_code == 404
    assert Partnership.objects.get(pk=elsewhere.pk).stage == "contact"


def test_dinas_records_an_offline_partnership_with_its_first_order(client, dinas_tegal, ikm):
    buyer = BuyerStaffFactory().buyer_organisation
    client.force_login(dinas_tegal)
    url = reverse("matchmaking:partnership_record")
    missing = client.post(url, {"ikm": ikm.pk, "buyer": buyer.pk, "stage": "first_order"})
    assert missing.status_code == 200 and not Partnership.objects.exists()

    response = client.post(url, {"ikm": ikm.pk, "buyer": buyer.pk, "stage": "first_order", "product": "Brake shoe",
                                 "order_value": "450000000", "order_date": YESTERDAY.isoformat(),
                                 "note": "Laporan kunjungan"})

    partnership = Partnership.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{partnership.pk}/")
    assert (partnership.origin, partnership.stage, partnership.created_by) == ("direct", "first_order", dinas_tegal)
    assert partnership.orders.get().value_idr == 450_000_000


def test_dinas_cannot_record_for_an_ikm_outside_their_region(client, dinas_tegal):
    klaten_ikm = IkmProfileFactory(kabupaten=kabupaten("Kabupaten Klaten"))
    buyer = BuyerStaffFactory().buyer_organisation
    client.force_login(dinas_tegal)
    response = client.post(reverse("matchmaking:partnership_record"),
                           {"ikm": klaten_ikm.pk, "buyer": buyer.pk, "stage": "contact"})
    assert response.status_code == 200 and not Partnership.objects.exists()
    with pytest.raises(PartnershipError):
        services.partnership_record(by=dinas_tegal, ikm=klaten_ikm, buyer=buyer, stage="contact")


def test_only_dinas_records_partnerships(client, ikm_owner, buyer_staff):
    for user in (ikm_owner, buyer_staff):
        client.force_login(user)
        assert client.get(reverse("matchmaking:partnership_record")).status_code == 403


# --- the pages -------------------------------------------------------------------------------------------

def test_order_form_shows_errors_for_bad_values(client, partnership, buyer_staff):
    client.force_login(buyer_staff)
    client.cookies["django_language"] = "en"
    url = reverse("matchmaking:partnership_detail", args=[partnership.pk])
    for bad in ({"order-value_idr": "-5", "order-order_date": YESTERDAY.isoformat()},
                {"order-value_idr": "banyak", "order-order_date": "kemarin"},
                {"order-value_idr": "1000", "order-order_date": "2999-01-01"}):
        response = client.post(url, {"action": "order", **bad})
        assert response.status_code == 200
        assert "Please correct the errors below." in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_the_page_moves_it_forward_and_shows_the_history(client, partnership, ikm_owner):
    client.force_login(ikm_owner)
    client.cookies["django_language"] = "en"
    url = reverse("matchmaking:partnership_detail", args=[partnership.pk])
    response = client.post(url, {"action": "advance", "advance-to_stage": "sample", "advance-note": "Contoh siap"},
                           follow=True)
    page = response.content.decode()
    assert 'data-current-stage="sample"' in page and "Contoh siap" in page
    response = client.post(url, {"action": "order", "order-value_idr": "1250000",
                                 "order-order_date": YESTERDAY.isoformat(), "order-number": "PO-7"}, follow=True)
    page = response.content.decode()
    assert 'data-current-stage="first_order"' in page and "Rp 1.250.000" in page


def test_buyer_starts_a_partnership_from_a_suggestion(client, buyer_staff, ikm):
    need = NeedFactory(buyer=buyer_staff.buyer_organisation, title="Cor rumah pompa FC25")
    client.force_login(buyer_staff)
    url = reverse("matchmaking:partnership_from_suggestion", args=[need.pk, ikm.pk])
    response = client.post(url)
    partnership = Partnership.objects.get()
    assert response.status_code == 302 and (partnership.origin, partnership.need) == ("suggestion", need)
    client.post(url)
    assert Partnership.objects.count() == 1
    client.force_login(BuyerStaffFactory())
    assert client.post(url).status_code == 404


# --- reminders one, three and six months on -------------------------------------------------------------

def test_due_marks():
    event_end = datetime.date(2026, 1, 31)
    assert add_months(event_end, 1) == datetime.date(2026, 2, 28)
    assert due_mark(event_end, datetime.date(2026, 2, 27), set()) is None
    assert due_mark(event_end, datetime.date(2026, 2, 28), set()) == 1
    assert due_mark(event_end, datetime.date(2026, 2, 28), {1}) is None
    assert due_mark(event_end, datetime.date(2026, 5, 2), {1}) == 3
    assert due_mark(event_end, datetime.date(2026, 8, 1), set()) == 6
    assert due_mark(event_end, datetime.date(2026, 12, 1), set()) is None  # long past: no late flood


def test_both_sides_are_asked_once_a_month_after_the_event_and_the_link_updates_it(client, ikm, ikm_owner,
                                                                                     buyer_staff):
    meeting = held_meeting(ikm, buyer_staff.buyer_organisation, day=add_months(timezone.localdate(), -1))
    outcome_record(meeting=meeting, by=buyer_staff, result="sample")
    partnership = Partnership.objects.get()

    for _run in range(2):  # the daily job may run twice: one e-mail each
        sent = sum(reminder_send(reminder_id=pk) for pk in reminders_create())
    assert sent == 0 and len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ikm_owner.email, buyer_staff.email])
    assert PartnershipReminder.objects.get().months == 1

    to_buyer = next(m for m in mail.outbox if m.to == [buyer_staff.email])
    link = re.search(r"https?://\S+/kemitraan/perbarui/\S+/", to_buyer.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # no sign-in needed
    client.post(path, {"action": "order", "order-value_idr": "30000000",
                       "order-order_date": timezone.localdate().isoformat()})
    partnership.refresh_from_db()
    assert partnership.stage == "first_order"
    change = partnership.stage_changes.last()
    assert change.by == buyer_staff
    assert PartnershipReminder.objects.get().answered_at is not None


def test_forged_or_foreign_links_do_nothing(client, partnership, buyer_staff):
    response = client.get(reverse("matchmaking:partnership_update_link", args=["bukan-token"]))
    assert response.status_code == 404
    from matchmaking.partnerships.reminders import update_token
    stranger = BuyerStaffFactory()
    foreign = reverse("matchmaking:partnership_update_link", args=[update_token(partnership.pk, stranger.pk)])
    assert client.post(foreign, {"action": "end", "end-reason": "x"}).status_code == 404
    assert Partnership.objects.get().stage == "contact"


def test_ended_partnerships_and_long_past_events_get_no_reminder(ikm, ikm_owner, buyer_staff):
    meeting = held_meeting(ikm, buyer_staff.buyer_organisation, day=add_months(timezone.localdate(), -3))
    outcome_record(meeting=meeting, by=ikm_owner, result="follow_up")
    old = held_meeting(IkmProfileFactory(), buyer_staff.buyer_organisation,
                       day=add_months(timezone.localdate(), -14))
    outcome_record(meeting=old, by=buyer_staff, result="follow_up")
    services.partnership_end(partnership=Partnership.objects.get(meeting=meeting), by=ikm_owner, reason="Tutup")

    for pk in reminders_create():
        reminder_send(reminder_id=pk)

    assert mail.outbox == []
    assert list(PartnershipReminder.objects.values_list("partnership__meeting", "months")) == []


def test_event_three_months_ago_sends_the_three_month_mark(ikm, ikm_owner, buyer_staff):
    meeting = held_meeting(ikm, buyer_staff.buyer_organisation, day=add_months(timezone.localdate(), -3))
    outcome_record(meeting=meeting, by=ikm_owner, result="follow_up")
    for pk in reminders_create():
        reminder_send(reminder_id=pk)
    assert PartnershipReminder.objects.get().months == 3
    assert len(mail.outbox) == 2
    assert Event.objects.get().title in mail.outbox[0].body


# --- trust in the matching engine -------------------------------------------------------------------------

def test_a_partnership_with_an_order_raises_the_pairs_trust_more_than_mutual_interest(buyer_staff):
    from matchmaking.answers import suggestion_answer
    from matchmaking.models import Suggestion
    from matchmaking.recompute import suggestions_recompute_all
    from tests.matchmaking.test_recompute import make_ikm, make_need, ranked

    plain = make_ikm(processes=["cast-grey-iron", "turning"])
    liked = make_ikm(processes=["cast-grey-iron", "turning"])
    supplier = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need(buyer=buyer_staff.buyer_organisation)
    suggestion_answer(need=need, ikm=liked, by=liked.owner, side="ikm", answer="interested")
    suggestion_answer(need=need, ikm=liked, by=buyer_staff, side="buyer", answer="interested")
    partnership = services.partnership_open(ikm=supplier, buyer=buyer_staff.buyer_organisation, by=buyer_staff,
                                            origin="direct")[0]
    services.purchase_order_add(partnership=partnership, by=buyer_staff, value_idr=Decimal(9_000_000),
                                order_date=YESTERDAY)
    later = make_need(buyer=buyer_staff.buyer_organisation)
    elsewhere = make_need()  # another buyer bought nothing from them: no boost there

    suggestions_recompute_all()

    assert ranked(later) == [supplier.pk, liked.pk, plain.pk]
    trust = {s.ikm_id: s.components["trust"] for s in Suggestion.objects.filter(need=later)}
    assert trust[supplier.pk] > trust[liked.pk] > trust[plain.pk] == 0
    assert ranked(elsewhere) == [plain.pk, liked.pk, supplier.pk]


def test_the_meeting_remembers_whether_either_side_followed_up(ikm, ikm_owner, buyer_staff):
    meeting = held_meeting(ikm, buyer_staff.buyer_organisation)
    outcome_record(meeting=meeting, by=ikm_owner, result="follow_up")
    assert Meeting.objects.get(pk=meeting.pk).followed_up
    outcome_record(meeting=meeting, by=buyer_staff, result="no_interest")
    assert Meeting.objects.get(pk=meeting.pk).followed_up  # one side is enough
    outcome_record(meeting=meeting, by=ikm_owner, result="no_interest")
    assert not Meeting.objects.get(pk=meeting.pk).followed_up


def test_admin_shows_a_partnership_with_its_history_but_does_not_change_it(client, partnership):
    client.force_login(AdminFactory())
    assert client.get("/admin/matchmaking/partnership/").status_code == 200
    page = client.get(f"/admin/matchmaking/partnership/{partnership.pk}/change/")
    assert page.status_code == 200 and "contact" in page.content.decode()
    client.post(f"/admin/matchmaking/partnership/{partnership.pk}/change/", {"stage": "ongoing"})
    assert Partnership.objects.get().stage == "contact"
    assert client.get("/admin/matchmaking/need/").status_code == 200


def test_ikm_owner_starts_a_partnership_from_an_open_need(client, ikm, ikm_owner):
    need = NeedFactory(title="Cor rumah pompa FC25")
    client.force_login(ikm_owner)
    response = client.post(reverse("matchmaking:partnership_from_suggestion", args=[need.pk, ikm.pk]))
    partnership = Partnership.objects.get()
    assert response.status_code == 302 and (partnership.ikm, partnership.buyer) == (ikm, need.buyer)
    other_ikm = IkmProfileFactory()
    response = client.post(reverse("matchmaking:partnership_from_suggestion", args=[need.pk, other_ikm.pk]))
    assert response.status_code == 404 and Partnership.objects.count() == 1


def test_every_follow_up_outcome_has_a_stage_and_no_other_does():
    from events.enums import FOLLOW_UP_RESULTS

    assert set(services.OUTCOME_STAGE) == set(FOLLOW_UP_RESULTS)


def test_both_sides_of_a_mutual_match_are_offered_to_start_a_partnership(client, buyer_staff):
    from matchmaking.answers import suggestion_answer
    from matchmaking.recompute import suggestions_recompute_all
    from tests.matchmaking.test_recompute import make_ikm, make_need

    matched = make_ikm(processes=["cast-grey-iron", "turning"])
    other = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need(buyer=buyer_staff.buyer_organisation)
    suggestions_recompute_all()
    suggestion_answer(need=need, ikm=matched, by=matched.owner, side="ikm", answer="interested")
    suggestion_answer(need=need, ikm=matched, by=buyer_staff, side="buyer", answer="interested")
    start = reverse("matchmaking:partnership_from_suggestion", args=[need.pk, matched.pk])

    client.force_login(buyer_staff)
    page = client.get(reverse("matchmaking:need_suggestions", args=[need.pk])).content.decode()
    assert page.count('data-action="start-partnership"') == 1 and start in page
    client.force_login(matched.owner)
    page = client.get(reverse("matchmaking:ikm_opportunities", args=[matched.pk])).content.decode()
    assert start in page
    client.force_login(other.owner)
    page = client.get(reverse("matchmaking:ikm_opportunities", args=[other.pk])).content.decode()
    assert 'data-action="start-partnership"' not in page


def test_record_form_lists_ikms_found_by_name_not_the_whole_region(client, dinas_tegal):
    wanted = IkmProfileFactory(name="Logam Takaru Presisi")
    others = [IkmProfileFactory(name=f"Bengkel Lain {i}") for i in range(3)]
    client.force_login(dinas_tegal)
    page = client.get(reverse("matchmaking:partnership_record"), {"q": "takaru"}).content.decode()
    assert f'value="{wanted.pk}"' in page
    assert all(f'value="{ikm.pk}"' not in page for ikm in others)
    # An IKM of the region not in the shown list can still be chosen (the list only narrows what is shown).
    response = client.post(reverse("matchmaking:partnership_record") + "?q=takaru",
                           {"ikm": others[0].pk, "buyer": BuyerStaffFactory().buyer_organisation.pk,
                            "stage": "contact"})
    assert response.status_code == 302 and Partnership.objects.get().ikm == others[0]
