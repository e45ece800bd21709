"""The Dinas outcomes dashboard: hand-counted figures, region scoping, refusals, exports, query count."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from events.enums import FOLLOW_UP_RESULTS
from events.models import Meeting, MeetingRequest, Outcome
from matchmaking.dashboard.charts import bar_chart, column_chart
from matchmaking.dashboard.selectors import DashboardScope, dashboard_tables
from matchmaking.models import Partnership, PurchaseOrder, Suggestion, SuggestionAnswer
from profiles.models import IkmProfile, Province, Sentra
from tests.factories import (
    BuyerOrganisationFactory,
    BuyerRegistrationFactory,
    BuyerStaffFactory,
    DinasStaffFactory,
    EventFactory,
    IkmRegistrationFactory,
    NeedFactory,
    UserFactory,
    kabupaten,
)
from tests.matchmaking.test_recompute import make_ikm

PERIOD = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def at(year, month, day):
    return timezone.make_aware(datetime(year, month, day, 10, 0))


def ikm_in(kab, *, created, verified=None, processes=(), sentra=None, employees=None, capacity=None):
    ikm = make_ikm(processes=processes, kabupaten=kab, sentra=sentra, employees=employees, capacity=capacity,
                   verification_status="verified" if verified else "pending")
    IkmProfile.objects.filter(pk=ikm.pk).update(created_at=created, verified_at=verified)
    return ikm


def need_in(kab, *, buyer, opened, status="open", substitution=False, value=None):
    return NeedFactory(buyer=buyer, delivery_kabupaten=kab, opened_at=opened, status=status,
                       import_substitution=substitution, estimated_value_idr=value)


def meeting(event, ikm_reg, buyer_reg, *, status="held", outcomes=()):
    request = MeetingRequest.objects.create(event=event, requester=ikm_reg, recipient=buyer_reg, status="accepted")
    held = Meeting.objects.create(event=event, request=request, slot=0, table=0, status=status)
    for side, result in outcomes:
        Outcome.objects.create(meeting=held, side=side, result=result)
    # What events.services.outcome_record keeps on the meeting (tested there).
    Meeting.objects.filter(pk=held.pk).update(followed_up=any(r in FOLLOW_UP_RESULTS for _side, r in outcomes))
    return held


def partnership(ikm, buyer, *, created, stage="contact", meeting=None, orders=()):
    made = Partnership.objects.create(ikm=ikm, buyer=buyer, origin="meeting" if meeting else "direct",
                                      meeting=meeting, event=meeting.event if meeting else None, stage=stage,
                                      created_at=created)
    for value, day in orders:
        PurchaseOrder.objects.create(partnership=made, value_idr=Decimal(value), order_date=day)
    return made


def build_region(kab, *, sentra_name, scale=1):
    """One kabupaten's data; `scale` > 1 adds more of everything (for the query-count test)."""
    sentra = Sentra.objects.create(name=sentra_name, kabupaten=kab)
    bumn = BuyerOrganisationFactory(type="bumn", kabupaten=kab)
    swasta = BuyerOrganisationFactory(type="swasta", kabupaten=kab)
    a = ikm_in(kab, created=at(2025, 2, 1), verified=at(2025, 3, 1), sentra=sentra, employees=10, capacity=5,
               processes=["cast-grey-iron", "cast-steel", "turning"])
    b = ikm_in(kab, created=at(2025, 4, 1), employees=20, capacity=Decimal("7.5"), processes=["welding"])
    c = ikm_in(kab, created=at(2024, 6, 1), verified=at(2024, 7, 1), sentra=sentra, employees=5, capacity=2,
               processes=["turning"])
    ikm_in(kab, created=at(2026, 1, 5), employees=999, processes=["turning"])  # after the period
    n1 = need_in(kab, buyer=bumn, opened=at(2025, 5, 1), substitution=True, value=1_250_000_000)
    n2 = need_in(kab, buyer=swasta, opened=at(2024, 11, 1))
    need_in(kab, buyer=bumn, opened=at(2025, 6, 1), status="closed")
    for ikm, score in ((a, 0.9), (b, 0.7), (c, 0.6)):
        Suggestion.objects.create(need=n1, ikm=ikm, rank=1, score=score)
    for ikm, score in ((a, 0.8), (b, 0.65), (c, 0.59)):
        Suggestion.objects.create(need=n2, ikm=ikm, rank=1, score=score)
    SuggestionAnswer.objects.create(need=n1, ikm=a, side="buyer", answer="interested", at=at(2025, 5, 2))
    SuggestionAnswer.objects.create(need=n1, ikm=a, side="ikm", answer="interested", at=at(2025, 5, 3))
    SuggestionAnswer.objects.create(need=n1, ikm=b, side="ikm", answer="not_relevant", at=at(2025, 5, 4))
    SuggestionAnswer.objects.create(need=n2, ikm=c, side="buyer", answer="interested", at=at(2024, 12, 1))

    event = EventFactory(kabupaten=kab, start_date=date(2025, 6, 10), end_date=date(2025, 6, 10))
    reg_a, reg_b = IkmRegistrationFactory(event=event, ikm=a), IkmRegistrationFactory(event=event, ikm=b)
    IkmRegistrationFactory(event=event, ikm=c, status="pending")
    reg_x = BuyerRegistrationFactory(event=event, buyer=bumn)
    reg_y = BuyerRegistrationFactory(event=event, buyer=swasta)
    ax = meeting(event, reg_a, reg_x, outcomes=[("ikm", "follow_up"), ("buyer", "no_interest")])
    bx = meeting(event, reg_b, reg_x, outcomes=[("buyer", "no_interest")])
    meeting(event, reg_a, reg_y, status="no_show")
    old_event = EventFactory(kabupaten=kab, start_date=date(2024, 6, 10), end_date=date(2024, 6, 10))
    meeting(old_event, IkmRegistrationFactory(event=old_event, ikm=c),
            BuyerRegistrationFactory(event=old_event, buyer=swasta), outcomes=[("ikm", "mou")])

    partnership(a, bumn, created=at(2025, 6, 11), stage="first_order", meeting=ax,
                orders=[(100_000_000, date(2025, 3, 10)), (50_000_000, date(2025, 5, 20)),
                        (10_000_000, date(2024, 12, 31))])
    partnership(b, bumn, created=at(2025, 6, 12), meeting=bx)
    partnership(c, swasta, created=at(2024, 8, 1), stage="ongoing", orders=[(30_000_000, date(2025, 3, 15))])
    for i in range(scale - 1):  # more rows of every kind, same shape
        extra = ikm_in(kab, created=at(2025, 2, 2), verified=at(2025, 3, 2), sentra=sentra, employees=1,
                       processes=["turning", "welding"])
        extra_need = need_in(kab, buyer=BuyerOrganisationFactory(type="pma"), opened=at(2025, 5, 1))
        Suggestion.objects.create(need=extra_need, ikm=extra, rank=1, score=0.9)
        SuggestionAnswer.objects.create(need=extra_need, ikm=extra, side="ikm", answer="interested",
                                        at=at(2025, 5, 2))
        reg = IkmRegistrationFactory(event=event, ikm=extra)
        held = meeting(event, reg, reg_y, outcomes=[("ikm", "sample")])
        partnership(extra, swasta, created=at(2025, 7, 1), stage="quotation", meeting=held,
                    orders=[(1_000_000, date(2025, 7, 1 + i))])
    return {"a": a, "b": b, "c": c, "n1": n1, "event": event}


@pytest.fixture
def two_regions(db):
    tegal = build_region(kabupaten("Kabupaten Tegal"), sentra_name="Sentra Logam Takaru")
    surabaya_kab = kabupaten("Kota Surabaya")
    # Surabaya: numbers that would stand out if they leaked into Tegal's dashboard.
    pma = BuyerOrganisationFactory(type="pma", kabupaten=surabaya_kab)
    e = ikm_in(surabaya_kab, created=at(2025, 2, 1), verified=at(2025, 2, 2), employees=444, capacity=333,
               sentra=Sentra.objects.create(name="Sentra Cor Surabaya", kabupaten=surabaya_kab),
               processes=["galvanizing"])
    n4 = need_in(surabaya_kab, buyer=pma, opened=at(2025, 5, 1), substitution=True, value=999_000_000)
    Suggestion.objects.create(need=n4, ikm=e, rank=1, score=0.95)
    for side in ("buyer", "ikm"):
        SuggestionAnswer.objects.create(need=n4, ikm=e, side=side, answer="interested", at=at(2025, 5, 5))
    event = EventFactory(kabupaten=surabaya_kab, start_date=date(2025, 8, 1), end_date=date(2025, 8, 1))
    held = meeting(event, IkmRegistrationFactory(event=event, ikm=e), BuyerRegistrationFactory(event=event, buyer=pma),
                   outcomes=[("buyer", "mou")])
    partnership(e, pma, created=at(2025, 8, 2), stage="first_order", meeting=held,
                orders=[(777_000_000, date(2025, 9, 1))])
    return tegal


def tables_of(response) -> dict:
    return {section["table"].key: section["table"] for section in response.context["sections"]}


def figures(table) -> list:
    return [row[1:] for row in table.rows]


def get_dashboard(client, user, **params):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get("/dasbor/", {**PERIOD, **params})


# --- the figures --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_dashboard_figures_equal_hand_counts_for_a_kabupaten(client, two_regions):
    response = get_dashboard(client, DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Tegal")))

    assert response.status_code == 200
    t = tables_of(response)
    # IKMs: registered in period A, B; total A, B, C (D comes after the period); verified A (period), A+C total.
    assert figures(t["ikm-summary"]) == [[2], [3], [1], [2], [35], [Decimal("14.5")]]
    assert t["ikms-by-kabupaten"].rows == [["Kabupaten Tegal", 3, 2, 2, 1]]
    assert t["ikms-by-sentra"].rows == [["Sentra Logam Takaru", 2, 1, 2, 1], ["(not in a sentra)", 1, 1, 0, 0]]
    by_group = {row[0]: row[1:] for row in t["ikms-by-process-group"].rows}
    assert by_group == {"Casting": [1, 1, 1, 1], "Machining": [2, 1, 2, 1], "Fabrication": [1, 1, 0, 0]}
    needs = {row[0]: row[1:] for row in t["needs-by-buyer-type"].rows}
    assert needs["State-owned enterprise (BUMN)"] == [2, 1, 1, 1_250_000_000]
    assert needs["Private company"] == [0, 1, 0, 0]
    assert needs["Foreign-invested company (PMA)"] == [0, 0, 0, 0]
    assert t["needs-by-buyer-type"].footer[1:] == [2, 2, 1, 1_250_000_000]
    # Matching: 2 open needs, N1 has 3 good (0.9, 0.7, 0.6); answered pairs (N1,A), (N1,B); mutual (N1,A).
    assert figures(t["matching"]) == [[2], [1], [2], [1]]
    # Funnel: 4 approved registrations, 2 held, 1 with follow-up, 2 partnerships, 1 with an order.
    assert figures(t["event-funnel"]) == [[4], [2], [1], [2], [1]]
    stages = {row[0]: row[1] for row in t["partnerships-by-stage"].rows}
    assert stages["First purchase order"] == 1 and stages["Initial contact"] == 1 and stages["Ongoing partnership"] == 0
    assert t["partnerships-by-stage"].footer[1] == 2
    months = {row[0]: row[1:] for row in t["orders-by-month"].rows}
    assert len(months) == 12
    assert months["2025-03"] == [130_000_000, 2, 2] and months["2025-05"] == [50_000_000, 1, 1]
    assert months["2025-09"] == [0, 0, 0]
    assert t["orders-by-month"].footer[1:3] == [180_000_000, 3]
    page = response.content.decode()
    for shown in ("Rp 1.250.000.000", "Rp 180.000.000", "Rp 130.000.000", "14.5", "Sentra Logam Takaru",
                  '<td class="text-end" data-value>35</td>', "<svg", "<title"):
        assert shown in page


@pytest.mark.django_db
def test_kabupaten_dinas_never_sees_another_regions_numbers(client, two_regions):
    tegal_dinas = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Tegal"))
    surabaya = kabupaten("Kota Surabaya")

    own = get_dashboard(client, tegal_dinas)
    other = get_dashboard(client, tegal_dinas, kabupaten=surabaya.pk)
    other_export = client.get("/dasbor/orders-by-month.csv", {**PERIOD, "kabupaten": surabaya.pk})
    province_trick = client.get("/dasbor/ikm-summary.csv", {**PERIOD, "province": surabaya.province_id})

    # What a person reads, not the markup: ids in attributes grow through the suite and may contain "444".
    page = re.sub(r"<[^>]+>", " ", own.content.decode())
    for leaked in ("444", "333", "Rp 999.000.000", "777.000.000", "Sentra Cor Surabaya", "Kota Surabaya"):
        assert not re.search(rf"(?<![\d.]){re.escape(leaked)}(?![\d.])", page)
    assert other.status_code == 200 and other.context["sections"] == []
    assert "kabupaten" in other.context["form"].errors
    assert "Kota Surabaya" not in other.content.decode()
    assert other_export.status_code == 400
    # The cache is per region: a Surabaya user right after sees Surabaya's figures, not Tegal's cached ones.
    surabaya_page = get_dashboard(client, DinasStaffFactory(scope_kabupaten=surabaya))
    assert figures(tables_of(surabaya_page)["ikm-summary"])[4] == [444]
    # A Tegal user has no province choice; a province in the query string is ignored, not obeyed.
    assert province_trick.status_code == 200
    assert "444" not in province_trick.content.decode() and ",3\r\n" in province_trick.content.decode()


@pytest.mark.django_db
def test_national_dinas_sees_both_regions_and_can_narrow(client, two_regions):
    national = DinasStaffFactory(scope_kabupaten=None)

    everything = tables_of(get_dashboard(client, national))
    surabaya = tables_of(get_dashboard(client, national, kabupaten=kabupaten("Kota Surabaya").pk))
    jatim = tables_of(get_dashboard(client, national, province=Province.objects.get(name="Jawa Timur").pk))

    assert figures(everything["ikm-summary"])[1] == [4]
    assert figures(everything["event-funnel"]) == [[6], [3], [2], [3], [2]]
    assert figures(surabaya["ikm-summary"]) == [[1], [1], [1], [1], [444], [Decimal("333")]]
    assert figures(surabaya["matching"]) == [[1], [0], [1], [1]]
    assert surabaya["orders-by-month"].footer[1] == 777_000_000
    assert figures(jatim["ikm-summary"]) == figures(surabaya["ikm-summary"])


@pytest.mark.django_db
def test_province_dinas_cannot_choose_a_kabupaten_of_another_province(client, two_regions):
    jateng = DinasStaffFactory(scope_kabupaten=None, scope_province=Province.objects.get(name="Jawa Tengah"))

    response = get_dashboard(client, jateng, kabupaten=kabupaten("Kota Surabaya").pk)
    own = get_dashboard(client, jateng)

    assert response.context["sections"] == [] and "kabupaten" in response.context["form"].errors
    assert figures(tables_of(own)["ikm-summary"])[1] == [3]


# --- who may ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dasbor/", "/dasbor/matching.csv", "/dasbor/matching.xlsx"])
def test_ikm_owner_and_buyer_staff_are_refused(client, url):
    client.force_login(UserFactory())
    as_owner = client.get(url)
    client.force_login(BuyerStaffFactory())
    as_buyer = client.get(url)
    client.logout()
    anonymous = client.get(url)

    assert as_owner.status_code == 403
    assert as_buyer.status_code == 403
    assert anonymous.status_code == 302


@pytest.mark.django_db
def test_navbar_links_the_dashboard_for_dinas_only(client, dinas_tegal):
    client.force_login(dinas_tegal)
    dinas_page = client.get("/dasbor/").content.decode()
    client.force_login(BuyerStaffFactory())
    buyer_page = client.get("/needs/").content.decode()

    assert 'data-menu="outcomes-dashboard"' in dinas_page
    assert 'data-menu="outcomes-dashboard"' not in buyer_page


# --- exports -------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_csv_and_xlsx_hold_the_rows_of_the_table(client, two_regions):
    user = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Tegal"))
    table = tables_of(get_dashboard(client, user))["needs-by-buyer-type"]

    csv_response = client.get("/dasbor/needs-by-buyer-type.csv", PERIOD)
    xlsx_response = client.get("/dasbor/needs-by-buyer-type.xlsx", PERIOD)

    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    body = csv_response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = [[str(c.label) for c in table.columns]] + [[str(v) for v in row] for row in table.rows] + [
        [str(v) for v in table.footer]]
    assert csv_rows == expected
    assert [[str(v) for v in row] for row in xlsx_rows] == expected
    assert xlsx_rows[1][4] == 1_250_000_000  # a number, not text


@pytest.mark.django_db
def test_unknown_export_table_is_not_found(client, dinas_tegal):
    client.force_login(dinas_tegal)

    assert client.get("/dasbor/nothing.csv").status_code == 404


# --- bad input ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [
    ({"date_from": "kemarin"}, "date_from"),
    ({"date_from": "2025-13-45"}, "date_from"),
    ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, "date_to"),
    ({"date_from": "1900-01-01", "date_to": "2025-01-01"}, "date_from"),
    ({"kabupaten": "99.99"}, "kabupaten"),
    ({"kabupaten": "x' OR 1=1"}, "kabupaten"),
])
def test_bad_filter_input_gives_a_form_error_not_a_500(client, dinas_tegal, params, field):
    client.force_login(dinas_tegal)
    client.cookies["django_language"] = "en"

    page = client.get("/dasbor/", params)
    export = client.get("/dasbor/matching.xlsx", params)

    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert f'data-error="{field}"' in page.content.decode()
    assert export.status_code == 400


@pytest.mark.django_db
def test_default_period_is_the_last_twelve_months(client, dinas_tegal):
    client.force_login(dinas_tegal)

    response = client.get("/dasbor/")

    scope = response.context["form"].scope()
    assert scope.date_to == timezone.localdate()
    assert scope.date_from.day == 1 and len(tables_of(response)["orders-by-month"].rows) == 12


# --- queries --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(client):
    small = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Tegal"))
    build_region(kabupaten("Kabupaten Tegal"), sentra_name="Sentra A")
    big = DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Brebes"))
    build_region(kabupaten("Kabupaten Brebes"), sentra_name="Sentra B", scale=6)

    def count(user):
        scope = DashboardScope(user=user, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
        with CaptureQueriesContext(connection) as queries:
            tables = dashboard_tables(scope)
        return len(queries), tables

    small_queries, _ = count(small)
    big_queries, big_tables = count(big)
    pages = []
    for user in (small, big):
        get_dashboard(client, user)  # signs in (session, last login) before counting
        cache.clear()  # count the queries of computing the figures, not of reading them from the cache
        with CaptureQueriesContext(connection) as page:
            client.get("/dasbor/", PERIOD)
        pages.append(len(page))

    assert big_tables[0].rows[1][1] == 3 + 5  # the bigger data set really is bigger
    assert small_queries == big_queries <= 15
    assert pages[0] == pages[1]


# --- charts ------------------------------------------------------------------------------------------------

def test_bar_chart_names_itself_and_escapes_labels():
    svg = bar_chart("IKMs <by> regency", ["Kota <Tegal>", "Brebes"], [3, 1], ident="t")

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<title id="t-t">IKMs &lt;by&gt; regency</title>' in svg
    assert "Kota &lt;Tegal&gt;" in svg and "<Tegal>" not in svg
    assert ">3</text>" in svg and ">1</text>" in svg


def test_column_chart_draws_one_column_per_month_and_handles_zeroes():
    svg = column_chart("Orders", ["2025-01", "2025-02", "2025-03"], [0, 0, 0], ident="c")

    assert svg.count("<rect") == 3
    assert "2025-02" in svg and "<desc" in svg


# --- parallel computation ------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_figures_computed_on_parallel_connections_equal_the_sequential_ones(reference_data, settings):
    """Outside a transaction (as in a request) the queries run on several connections at once."""
    build_region(kabupaten("Kabupaten Tegal"), sentra_name="Sentra Logam Takaru")
    scope = DashboardScope(user=DinasStaffFactory(scope_province=kabupaten("Kabupaten Tegal").province,
                                                  scope_kabupaten=None),
                           date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    settings.DASHBOARD_QUERY_WORKERS = 1
    sequential = dashboard_tables(scope)
    settings.DASHBOARD_QUERY_WORKERS = 3
    from matchmaking.dashboard.selectors import _parallel_workers

    assert _parallel_workers(scope) == 3  # a province: wider than one kabupaten
    parallel = dashboard_tables(scope)

    assert [(t.key, t.rows, t.footer) for t in parallel] == [(t.key, t.rows, t.footer) for t in sequential]
    assert any(row[1] for row in parallel[0].rows)  # real figures, not empty tables
