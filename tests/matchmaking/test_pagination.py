"""The directory's capped paginator: a ranked search counts its matches in the page query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchmaking.pagination import CappedPaginator
from matchmaking.search import ikm_search
from matchmaking.selectors import directory_queryset
from profiles.services import ikm_changed
from tests.factories import IkmProfileFactory


class TwoAtMost(CappedPaginator):
    COUNT_CAP = 2


@pytest.fixture
def foundries(db):
    made = [IkmProfileFactory(name=f"Cor Logam {n}", description="Pengecoran besi kelabu.") for n in range(5)]
    IkmProfileFactory(name="Bengkel Bubut", description="Bubut CNC.")
    ikm_changed([ikm.pk for ikm in made])
    return made


def _ranked():
    return ikm_search(directory_queryset(), "pengecoran")


@pytest.mark.django_db
def test_ranked_search_counts_in_the_page_query(foundries):
    with CaptureQueriesContext(connection) as captured:
        page = CappedPaginator(_ranked(), 2).get_page("2")
        names = [ikm.name for ikm in page]

    assert page.paginator.count == 5 and page.number == 2 and len(names) == 2
    assert not any("COUNT(*) FROM" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1", "2", "3", "9", "x", "-1", None])
def test_ranked_pages_are_those_of_djangos_paginator(foundries, number):
    from django.core.paginator import Paginator

    ours = CappedPaginator(_ranked(), 2).get_page(number)
    django = Paginator(_ranked(), 2).get_page(number)

    assert (ours.number, [i.pk for i in ours]) == (django.number, [i.pk for i in django])
    assert ours.paginator.num_pages == django.paginator.num_pages


@pytest.mark.django_db
def test_ranked_count_is_capped_like_the_plain_count(foundries):
    page = TwoAtMost(_ranked(), 1).get_page("9")

    assert page.paginator.count == 3 and page.paginator.capped
    assert page.number == 3  # past the capped count: the last page, as when counting first


@pytest.mark.django_db
def test_no_match_gives_an_empty_first_page(foundries):
    page = CappedPaginator(ikm_search(directory_queryset(), "zzzz qqqq"), 2).get_page("1")

    assert page.paginator.count == 0 and list(page) == []


@pytest.mark.django_db
def test_a_page_number_far_beyond_the_results_shows_the_last_page(foundries):
    page = CappedPaginator(_ranked(), 2).get_page("99999999999999999999")

    assert page.number == 3 and len(page) == 1


@pytest.mark.django_db
def test_ranked_page_loads_its_rows_by_id_from_the_given_rows(foundries):
    with CaptureQueriesContext(connection) as captured:
        page = CappedPaginator(_ranked(), 2, rows=directory_queryset()).get_page("2")
        pks = [ikm.pk for ikm in page]

    assert pks == [ikm.pk for ikm in CappedPaginator(_ranked(), 2).get_page("2")]
    [ranking] = [q["sql"] for q in captured.captured_queries if "OVER ()" in q["sql"]]
    [rows] = [q["sql"] for q in captured.captured_queries if '"profiles_ikmprofile"."id" IN' in q["sql"]]
    assert "@@" in ranking and "@@" not in rows  # the row query does not search again


@pytest.mark.django_db
def test_ranked_page_can_load_its_rows_with_a_function_of_the_ids(foundries):
    asked = []

    def load(ids):
        asked.append(ids)
        return list(reversed(directory_queryset().filter(pk__in=ids)))

    page = CappedPaginator(_ranked(), 2, rows=load).get_page("2")

    assert asked == [[ikm.pk for ikm in CappedPaginator(_ranked(), 2).get_page("2")]]
    assert [ikm.pk for ikm in page] == [ikm.pk for ikm in reversed(directory_queryset().filter(pk__in=asked[0]))]
