"""The search index refresh: the directory's capability arrays follow the profile's relations."""

import pytest

from profiles.models import IkmProfile, Material, Process
from profiles.services import ikm_changed
from tests.factories import IkmProfileFactory


def _processes(*codes):
    return list(Process.objects.filter(code__in=codes))


@pytest.mark.django_db
def test_capability_arrays_follow_a_profile_change():
    ikm = IkmProfileFactory()
    ikm.processes.set(_processes("welding", "turning"))
    ikm.materials.set(Material.objects.filter(code="aluminium"))
    ikm_changed([ikm.pk])

    ikm.processes.set(_processes("cast-grey-iron"))
    ikm.materials.clear()
    ikm_changed([ikm.pk])

    ikm = IkmProfile.objects.get(pk=ikm.pk)
    cast = Process.objects.get(code="cast-grey-iron")
    assert (ikm.process_ids, ikm.process_group_ids, ikm.material_ids) == ([cast.pk], [cast.group_id], [])


@pytest.mark.django_db
def test_capability_arrays_hold_each_group_once_sorted():
    ikm = IkmProfileFactory()
    processes = _processes("cast-grey-iron", "cast-aluminium", "welding")
    ikm.processes.set(processes)
    ikm.materials.set(Material.objects.filter(code__in=["aluminium", "grey-iron"]))

    ikm_changed([ikm.pk])

    ikm = IkmProfile.objects.get(pk=ikm.pk)
    assert ikm.process_ids == sorted(p.pk for p in processes)
    assert ikm.process_group_ids == sorted({p.group_id for p in processes})
    assert ikm.material_ids == sorted(Material.objects.filter(
        code__in=["aluminium", "grey-iron"]).values_list("pk", flat=True))


@pytest.fixture
def workshops(db):
    made = [IkmProfileFactory(name="Bengkel Las Sinar Jaya", description="Jasa pengelasan pagar."),
            IkmProfileFactory(name="Cor Logam Ceper", description="Pengecoran besi kelabu.")]
    ikm_changed([ikm.pk for ikm in made])
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["pengelasan", "sinar jya", "", "zzqx"])
def test_search_page_shows_what_ikm_search_finds(workshops, text):
    from matchmaking.search import ikm_search, ikm_search_page
    from matchmaking.selectors import directory_queryset

    page = ikm_search_page(directory_queryset(), text, "1", per_page=20)

    assert [ikm.pk for ikm in page] == [ikm.pk for ikm in ikm_search(directory_queryset(), text)]


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1", "2", "3", "9", "x", None])
def test_search_page_numbers_are_those_of_djangos_paginator(number):
    """Past the last page the word search's queryset is built after all, to count first: the last page."""
    from django.core.paginator import Paginator

    from matchmaking.search import ikm_search, ikm_search_page
    from matchmaking.selectors import directory_queryset

    made = [IkmProfileFactory(name=f"Cor Logam {n}", description="Pengecoran besi kelabu.") for n in range(3)]
    ikm_changed([ikm.pk for ikm in made])

    ours = ikm_search_page(directory_queryset(), "pengecoran", number, per_page=2)
    django = Paginator(ikm_search(directory_queryset(), "pengecoran"), 2).get_page(number)

    assert (ours.number, [ikm.pk for ikm in ours]) == (django.number, [ikm.pk for ikm in django])
    assert ours.paginator.count == 3


@pytest.mark.django_db
def test_search_page_that_finds_words_asks_no_exists_first(workshops):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaking.search import ikm_search_page
    from matchmaking.selectors import directory_queryset

    with CaptureQueriesContext(connection) as captured:
        page = ikm_search_page(directory_queryset(), "pengelasan", "1", per_page=20)

    assert [ikm.name for ikm in page] == ["Bengkel Las Sinar Jaya"]
    assert not any("LIMIT 1" in q["sql"] and "COUNT" not in q["sql"] for q in captured.captured_queries)



@pytest.mark.django_db
def test_search_vector_and_capability_arrays_share_one_gin_index():
    """The directory's usual request, words and a capability filter, is intersected inside one GIN index,
    so only rows matching both are read (with separate indexes PostgreSQL tested one condition on every row
    the other found: thousands of wide rows on 20,000 IKMs; bench_search). Which plan the planner picks
    depends on the table's size, so this checks the index the plan relies on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'profiles_ikmprofile'")
        indexes = dict(cursor.fetchall())

    assert indexes["ikm_search_capabilities_gin"].endswith(
        "USING gin (search_vector, process_ids, process_group_ids, material_ids)")
    assert not [name for name, definition in indexes.items() if definition.endswith("USING gin (search_vector)")]


def _admin_client(client):
    from tests.factories import AdminFactory

    client.force_login(AdminFactory())
    return client


@pytest.mark.django_db
def test_renaming_a_sentra_in_the_admin_finds_its_ikms_by_the_new_name(client):
    from matchmaking.search import ikm_search
    from profiles.models import Sentra

    ikm = IkmProfileFactory(name="CV Logam Sejahtera")
    sentra = Sentra.objects.create(name="Sentra Logam Lama", kabupaten=ikm.kabupaten)
    ikm.sentra = sentra
    ikm.save()
    ikm_changed([ikm.pk])

    response = _admin_client(client).post(f"/admin/profiles/sentra/{sentra.pk}/change/", {
        "name": "Sentra Pengecoran Batur", "kabupaten": ikm.kabupaten.pk, "description": ""})

    assert response.status_code == 302
    assert list(ikm_search(IkmProfile.objects.all(), "batur")) == [ikm]


@pytest.mark.django_db
def test_process_keywords_are_not_editable_in_the_admin(client):
    welding = Process.objects.get(code="welding")

    page = _admin_client(client).get(f"/admin/profiles/process/{welding.pk}/change/").content.decode()

    assert 'name="name_id"' in page and 'name="keywords"' not in page
    assert "las" in page  # shown, read-only
