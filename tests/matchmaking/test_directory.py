"""The supplier directory: Indonesian search finds what a person means; filters; htmx; shortlists."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from matchmaking.models import ShortlistEntry
from profiles.models import Certification, IkmCertification, Material, Process
from profiles.services import ikm_changed
from tests.factories import IkmProfileFactory, kabupaten
from tests.matchmaking.test_needs import make_need


def _ikm(name, description, processes=(), **fields):
    ikm = IkmProfileFactory(name=name, description=description, **fields)
    ikm.processes.set(Process.objects.filter(code__in=processes))
    return ikm


@pytest.fixture
def suppliers(db):
    made = {
        "alu": _ikm("CV Alu Jaya", "Melayani coran aluminium untuk velg dan panci.", ["cast-aluminium"]),
        "las": _ikm("UD Maju Bersama", "Jasa pengelasan dan konstruksi baja ringan.", ["welding"]),
        "cnc": _ikm("Bengkel Presisi Waru", "Kami melayani bubut dan frais CNC untuk suku cadang.", [],
                    kabupaten=kabupaten("Kabupaten Sidoarjo")),
        "kuningan": _ikm("Kuningan Batur", "Coran kuningan: kran air dan impeller.", ["cast-brass-bronze"],
                         kabupaten=kabupaten("Kabupaten Klaten"), verification_status="verified"),
        "besi": _ikm("Ceper Cor Utama", "Pengecoran besi kelabu untuk tutup manhole.", ["cast-grey-iron"],
                     kabupaten=kabupaten("Kabupaten Klaten")),
        "laser": _ikm("Sinar Laser Mandiri", "Jasa potong laser plat stainless.", ["laser-cutting"]),
    }
    ikm_changed([ikm.pk for ikm in made.values()])
    return made


def _names(client, **params):
    response = client.get("/suppliers/", params)
    assert response.status_code == 200
    return {ikm.name for ikm in response.context["page"]}


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ("alumunium", {"CV Alu Jaya"}),                       # common misspelling
    ("pengelasan", {"UD Maju Bersama"}),                  # affixed form of las
    ("las", {"UD Maju Bersama"}),                         # a whole word: not the laser cutter
    ("laser", {"Sinar Laser Mandiri"}),
    ("bubu", {"Bengkel Presisi Waru"}),                   # a word still being typed finds its completions
    ("welding", {"UD Maju Bersama"}),                     # English term of a ticked process
    ("bubut cnc", {"Bengkel Presisi Waru"}),              # capability written only in prose
    ("frais", {"Bengkel Presisi Waru"}),
    ("coran kuningan", {"Kuningan Batur"}),
    ("pengecoran", {"CV Alu Jaya", "Kuningan Batur", "Ceper Cor Utama"}),  # pengecoran / coran / cor
    ("cor", {"CV Alu Jaya", "Kuningan Batur", "Ceper Cor Utama"}),
    ("besi cor", {"Ceper Cor Utama"}),
])
def test_search_finds_what_a_person_means(client, buyer_staff, suppliers, query, expected):
    client.force_login(buyer_staff)

    assert _names(client, q=query) == expected


@pytest.mark.django_db
def test_search_ranks_the_best_match_first(client, buyer_staff, suppliers):
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "Kuningan Batur"}).context["page"]

    assert page[0].name == "Kuningan Batur"


@pytest.mark.django_db
def test_filters_by_process_group_region_and_verified(client, buyer_staff, suppliers):
    from profiles.models import ProcessGroup

    client.force_login(buyer_staff)
    casting = ProcessGroup.objects.get(code="casting").pk
    klaten = kabupaten("Kabupaten Klaten")

    assert _names(client, process_group=casting) == {"CV Alu Jaya", "Kuningan Batur", "Ceper Cor Utama"}
    assert _names(client, kabupaten=klaten.pk) == {"Kuningan Batur", "Ceper Cor Utama"}
    assert _names(client, province=klaten.province_id, verified="on") == {"Kuningan Batur"}
    sidoarjo = kabupaten("Kabupaten Sidoarjo")  # Jawa Timur; the others are in Jawa Tengah
    assert _names(client, province=sidoarjo.province_id) == {"Bengkel Presisi Waru"}
    assert _names(client, q="bubut", province=sidoarjo.province_id) == {"Bengkel Presisi Waru"}
    assert _names(client, q="bubut", province=klaten.province_id) == set()
    assert _names(client, q="cor", kabupaten=klaten.pk) == {"Kuningan Batur", "Ceper Cor Utama"}


@pytest.mark.django_db
def test_process_filter_takes_any_of_several_and_material_filter(client, buyer_staff, suppliers):
    aluminium = Material.objects.get(code="aluminium")
    suppliers["alu"].materials.set([aluminium])
    ikm_changed([suppliers["alu"].pk])
    welding, brass = Process.objects.get(code="welding"), Process.objects.get(code="cast-brass-bronze")
    client.force_login(buyer_staff)

    assert _names(client, process=[welding.pk, brass.pk]) == {"UD Maju Bersama", "Kuningan Batur"}
    assert _names(client, q="coran", process=[brass.pk]) == {"Kuningan Batur"}
    assert _names(client, material=aluminium.pk) == {"CV Alu Jaya"}



@pytest.mark.django_db
def test_process_filter_left_empty_is_never_evaluated():
    """Nothing chosen cleans to an empty queryset; finding that out by evaluating it compiled its query."""
    from django.http import QueryDict

    from matchmaking.filters import SupplierFilter
    from matchmaking.selectors import directory_card_queryset

    filterset = SupplierFilter(QueryDict("verified=on"), queryset=directory_card_queryset())
    list(filterset.qs)

    assert filterset.form.cleaned_data["process"]._result_cache is None

@pytest.mark.django_db
def test_certification_filter_counts_only_valid_certificates(client, buyer_staff, suppliers):
    iso = Certification.objects.get(code="iso-9001")
    IkmCertification.objects.create(ikm=suppliers["alu"], certification=iso, valid_until=dt.date(2099, 1, 1))
    IkmCertification.objects.create(ikm=suppliers["besi"], certification=iso, valid_until=dt.date(2020, 1, 1))
    client.force_login(buyer_staff)

    assert _names(client, certification=iso.pk) == {"CV Alu Jaya"}


@pytest.mark.django_db
def test_capacity_and_employee_filters(client, buyer_staff, suppliers):
    suppliers["besi"].capacity_tons_month = 60
    suppliers["besi"].employees = 80
    suppliers["besi"].save()
    client.force_login(buyer_staff)

    assert _names(client, min_capacity=50) == {"Ceper Cor Utama"}
    assert _names(client, employees_min=50, employees_max=100) == {"Ceper Cor Utama"}


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results_fragment(client, buyer_staff, suppliers):
    client.force_login(buyer_staff)

    fragment = client.get("/suppliers/", {"q": "las"}, HTTP_HX_REQUEST="true").content.decode()
    full = client.get("/suppliers/", {"q": "las"}).content.decode()

    assert "<html" not in fragment and "UD Maju Bersama" in fragment
    assert "<html" in full and 'hx-push-url="true"' in full


@pytest.mark.django_db
def test_bad_filter_values_get_a_page_not_a_500(client, buyer_staff, suppliers):
    client.force_login(buyer_staff)

    response = client.get("/suppliers/", {"min_capacity": "banyak", "process": "x", "page": "999", "q": "&|!:*("})
    # An id no row can have (beyond 64 bits) is an unknown choice too, on PostgreSQL and on SQLite alike.
    huge = client.get("/suppliers/", {"process": "99999999999999999999", "kabupaten": "99999999999999999999"})

    assert response.status_code == 200
    assert huge.status_code == 200 and "data-result-count" in huge.content.decode()


IGNORED_ALERT = "Filter berikut tidak dipakai karena isinya tidak valid:"


@pytest.mark.django_db
def test_invalid_filter_is_left_out_and_named_while_the_valid_ones_apply(client, buyer_staff, suppliers):
    klaten = kabupaten("Kabupaten Klaten")
    client.force_login(buyer_staff)

    response = client.get("/suppliers/", {"kabupaten": klaten.pk, "min_capacity": "abc"})
    valid_only = client.get("/suppliers/", {"kabupaten": klaten.pk}).content.decode()

    assert {ikm.name for ikm in response.context["page"]} == {"Kuningan Batur", "Ceper Cor Utama"}
    assert f"{IGNORED_ALERT} Kapasitas minimal (t/bln)." in response.content.decode()
    assert "data-ignored-filters" not in valid_only


@pytest.mark.django_db
def test_every_invalid_filter_is_named_in_the_htmx_results_too(client, buyer_staff, suppliers):
    klaten = kabupaten("Kabupaten Klaten")
    client.force_login(buyer_staff)

    fragment = client.get("/suppliers/", {"q": "cor", "kabupaten": klaten.pk, "process": "99999999",
                                          "min_capacity": "banyak"}, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in fragment and "alert-warning" in fragment
    assert f"{IGNORED_ALERT} Proses, Kapasitas minimal (t/bln)." in fragment
    assert "Ceper Cor Utama" in fragment and "CV Alu Jaya" not in fragment  # both found by "cor"; one in Klaten


@pytest.mark.django_db
def test_directory_is_for_buyer_staff_and_dinas_only(client, ikm, dinas_tegal):
    client.force_login(ikm.owner)
    as_owner = client.get("/suppliers/")
    client.logout()
    anonymous = client.get("/suppliers/")
    client.force_login(dinas_tegal)
    as_dinas = client.get("/suppliers/")

    assert as_owner.status_code == 403
    assert anonymous.status_code == 302
    assert as_dinas.status_code == 200


def _data_queries(client, params) -> int:
    """Queries a directory request makes, not counting savepoints of the session bookkeeping."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get("/suppliers/", params)
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"q": "coran besi"}, {"process": "turning-group"},
                                    {"q": "coran", "min_capacity": "banyak", "process": "99999999"}])
def test_directory_query_count_is_constant_in_the_number_of_results(client, buyer_staff, params):
    from tests.factories import ProductFactory

    if params.get("process") == "turning-group":
        params = {"process_group": Process.objects.get(code="turning").group_id}
    client.force_login(buyer_staff)
    ProductFactory(ikm=_ikm("Satu", "Coran besi", ["cast-grey-iron", "turning"]))
    ikm_changed(list(IkmProfileFactory._meta.model.objects.values_list("pk", flat=True)))
    client.get("/suppliers/", params)
    with_one = _data_queries(client, params)
    for n in range(3):
        ProductFactory(ikm=_ikm(f"Tiga {n}", "Coran besi", ["cast-grey-iron", "turning"]))
    ikm_changed(list(IkmProfileFactory._meta.model.objects.values_list("pk", flat=True)))

    with_four = _data_queries(client, params)

    assert with_four == with_one


@pytest.mark.django_db
def test_buyer_shortlists_a_supplier_with_a_note_and_exports_it(client, buyer_staff, suppliers):
    need = make_need(buyer_staff)
    client.force_login(buyer_staff)

    client.post("/shortlist/add/", {"need": need.pk, "ikm": suppliers["besi"].pk, "note": "Kunjungi pabrik"})
    export = client.get(f"/needs/{need.pk}/shortlist.xlsx")

    entry = ShortlistEntry.objects.get()
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert (entry.need, entry.ikm, entry.note) == (need, suppliers["besi"], "Kunjungi pabrik")
    assert rows[1][0] == "Ceper Cor Utama" and rows[1][7] == "Kunjungi pabrik"


@pytest.mark.django_db
def test_another_buyer_cannot_shortlist_on_or_export_my_need(client, buyer_staff, suppliers):
    from tests.factories import BuyerStaffFactory

    need = make_need(buyer_staff)
    client.force_login(BuyerStaffFactory())

    added = client.post("/shortlist/add/", {"need": need.pk, "ikm": suppliers["besi"].pk})
    export = client.get(f"/needs/{need.pk}/shortlist.xlsx")

    assert added.status_code == 403
    assert export.status_code == 403
    assert not ShortlistEntry.objects.exists()


@pytest.mark.django_db
def test_directory_shows_supplier_groups_apart_when_asked(client, buyer_staff, suppliers, dinas_tegal):
    from profiles.groups import group_create

    klaten = kabupaten("Kabupaten Klaten")
    dinas = type(dinas_tegal).objects.create_user(email="dinas.klaten@example.id", role="dinas_staff",
                                                  scope_kabupaten=klaten)
    group_create(by=dinas, name="Koperasi Batur Jaya", kind="koperasi", kabupaten=klaten,
                 members=[suppliers["kuningan"], suppliers["besi"]])
    client.force_login(buyer_staff)

    assert _names(client, supplier_kind="group") == {"Koperasi Batur Jaya"}
    assert "Koperasi Batur Jaya" not in _names(client, supplier_kind="single")
    assert {"Koperasi Batur Jaya", "Kuningan Batur"} <= _names(client, q="kuningan")
    assert client.get("/suppliers/", {"supplier_kind": "semua"}).status_code == 200  # unknown choice: no 500


@pytest.mark.django_db
def test_shortlist_forms_offer_my_needs_not_yet_awarded(client, buyer_staff, suppliers):
    from matchmaking.enums import NeedStatus
    from tests.factories import BuyerStaffFactory

    mine = make_need(buyer_staff, title="Rangka blok rem")
    make_need(buyer_staff, title="Sudah diberikan", status=NeedStatus.AWARDED)
    make_need(BuyerStaffFactory(), title="Kebutuhan pembeli lain")
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "las"}).content.decode()

    assert f'<option value="{mine.pk}">Rangka blok rem</option>' in page
    assert "Sudah diberikan" not in page and "Kebutuhan pembeli lain" not in page


@pytest.mark.django_db
def test_shortlist_form_sends_ids_without_thousands_separators(client, buyer_staff):
    need = make_need(buyer_staff, pk=23456)
    ikm = IkmProfileFactory(pk=12345, name="Bengkel Las Ribuan", description="Jasa pengelasan.")
    ikm_changed([ikm.pk])
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "las"}).content.decode()

    assert 'data-ikm="12345"' in page and '<input type="hidden" name="ikm" value="12345">' in page
    assert f'<option value="{need.pk}">' in page and need.pk == 23456


@pytest.mark.django_db
def test_every_card_has_a_shortlist_form_for_its_own_supplier(client, buyer_staff, suppliers):
    need = make_need(buyer_staff, title="Rangka blok rem")
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "cor"}).content.decode()

    forms = page.split('class="d-flex gap-1 mt-2 shortlist-form">')[1:]
    ikms = {suppliers[key].pk for key in ("alu", "kuningan", "besi")}
    assert len(forms) == 3
    assert {int(form.split('name="ikm" value="')[1].split('"')[0]) for form in forms} == ikms
    assert all('name="csrfmiddlewaretoken"' in form and f'<option value="{need.pk}">Rangka blok rem</option>' in form
               and "</form>" in form for form in forms)


@pytest.mark.django_db
def test_shortlist_forms_list_every_open_need_by_its_title_shortened_and_escaped(client, buyer_staff, suppliers):
    long = make_need(buyer_staff, title="Rangka blok rem kereta untuk PT KAI & PT INKA, gambar revisi 3")
    odd = make_need(buyer_staff, title="Flens <DN100>")
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "cor"}).content.decode()

    forms = page.split('class="d-flex gap-1 mt-2 shortlist-form">')[1:]
    assert len(forms) == 3
    assert all(f'<option value="{long.pk}">Rangka blok rem kereta untuk PT KAI &amp; P…</option>' in form
               and f'<option value="{odd.pk}">Flens &lt;DN100&gt;</option>' in form for form in forms)
    assert all('<input type="hidden" name="next" value="/suppliers/?q=cor">' in form for form in forms)


@pytest.mark.django_db
def test_no_shortlist_form_without_a_need_to_shortlist_onto(client, buyer_staff, suppliers):
    client.force_login(buyer_staff)

    page = client.get("/suppliers/", {"q": "cor"}).content.decode()

    assert 'data-ikm="' in page and "shortlist-form" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_directory_page_leaves_no_objects_for_the_garbage_collector(rf, buyer_staff, suppliers, htmx):
    import gc

    from matchmaking.views import supplier_directory

    headers = {"HX-Request": "true"} if htmx else {}
    request = rf.get("/suppliers/", {"q": "coran", "process": Process.objects.get(code="welding").pk,
                                     "min_capacity": "5", "verified": "on"}, headers=headers)
    request.user = buyer_staff
    supplier_directory(request)  # the process's one-off caches (form class, option lists) built first
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        response = supplier_directory(request)
        assert response.status_code == 200
        del response
        gc.collect()
        left = {type(found).__name__ for found in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    assert not left & {"SupplierFilter", "SupplierFilterForm", "BoundField", "RequestContext", "Page", "SupplierCard"}
