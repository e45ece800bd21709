"""The directory filter form's cached option lists: rendered once, marked per request, dropped on change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.models import Process, Sentra
from tests.factories import kabupaten


def _form(page: str) -> str:
    start = page.index('<form method="get"')
    return page[start:page.index("</form>", start)]


def _directory(client, **params) -> str:
    response = client.get("/suppliers/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_second_page_view_reads_the_options_from_the_cache(client, buyer_staff):
    client.force_login(buyer_staff)
    first = _directory(client)

    with CaptureQueriesContext(connection) as captured:
        second = _directory(client)

    assert _form(second) == _form(first)
    assert not any('FROM "profiles_kabupaten"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_cached_options_mark_what_was_chosen(client, buyer_staff):
    welding, turning = Process.objects.get(code="welding"), Process.objects.get(code="turning")
    client.force_login(buyer_staff)
    _directory(client)

    page = _directory(client, process=[welding.pk, turning.pk])

    assert f'<option value="{welding.pk}" selected>' in page and f'<option value="{turning.pk}" selected>' in page
    assert page.count(" selected>") == 2


@pytest.mark.django_db
def test_a_new_or_renamed_sentra_shows_at_once(client, buyer_staff):
    client.force_login(buyer_staff)
    _directory(client)

    sentra = Sentra.objects.create(name="LIK Takaru", kabupaten=kabupaten("Kabupaten Tegal"))
    assert "LIK Takaru" in _directory(client)

    sentra.name = "Sentra Logam Takaru"
    sentra.save()
    page = _directory(client)
    assert "Sentra Logam Takaru" in page and "LIK Takaru" not in page


@pytest.mark.django_db
def test_options_follow_the_language(client, buyer_staff):
    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)

    indonesian = _directory(client)
    client.cookies["django_language"] = "en"
    english = _directory(client)

    assert f'<option value="{welding.pk}">{welding.name_id}</option>' in indonesian
    assert f'<option value="{welding.pk}">{welding.name_en}</option>' in english


@pytest.mark.django_db
def test_a_renamed_process_shows_on_the_cards_at_once(client, buyer_staff):
    from profiles.services import ikm_changed
    from tests.factories import IkmProfileFactory

    welding = Process.objects.get(code="welding")
    ikm = IkmProfileFactory(name="Bengkel Las Waru")
    ikm.processes.set([welding])
    ikm_changed([ikm.pk])
    client.force_login(buyer_staff)
    assert f">{welding.name_id}</span>" in _directory(client)

    welding.name_id = "Las listrik"
    welding.save()

    assert ">Las listrik</span>" in _directory(client)


def _blocks(page: str) -> list[str]:
    form = _form(page)
    return form[form.index('<div class="col-6'):].split('<div class="col-6')[1:]


@pytest.mark.django_db
def test_filled_fields_show_their_values_and_errors_the_others_as_when_empty(client, buyer_staff):
    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    empty = _blocks(_directory(client))

    filled = _blocks(_directory(client, process=[welding.pk], min_capacity="banyak", verified="on"))

    changed = [i for i, (before, after) in enumerate(zip(empty, filled, strict=True)) if before != after]
    assert len(changed) == 3
    process, capacity, verified = (filled[i] for i in changed)
    assert f'<option value="{welding.pk}" selected>' in process
    assert 'value="banyak"' in capacity and 'aria-invalid="true"' in capacity and "invalid-feedback" in capacity
    assert 'id="id_verified" checked>' in verified


@pytest.mark.django_db
def test_the_form_renders_from_one_cache_read_and_no_reference_queries(client, buyer_staff):
    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    _directory(client)

    with CaptureQueriesContext(connection) as captured:
        page = _directory(client, process=[welding.pk], min_capacity="5")

    assert 'name="min_capacity" value="5"' in page
    assert not any('FROM "profiles_kabupaten"' in q["sql"] or 'FROM "profiles_sentra"' in q["sql"]
                   for q in captured.captured_queries)


@pytest.mark.django_db
def test_a_change_made_in_another_process_shows_at_once(client, buyer_staff):
    from django.core.cache import cache

    from matchmaking import reference_cache

    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    assert f">{welding.name_id}</option>" in _directory(client)  # this process now holds the lists

    # Another process renames it: no signal reaches this one, only the new version in the shared cache.
    Process.objects.filter(pk=welding.pk).update(name_id="Las listrik")
    cache.set(reference_cache._VERSION_KEY, "set-by-another-process")

    assert ">Las listrik</option>" in _directory(client)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_cached_options_are_the_fields_choices_in_the_active_language(language):
    from django.http import QueryDict
    from django.utils import translation

    from matchmaking.filters import SupplierFilter
    from matchmaking.reference_cache import reference_changed
    from matchmaking.widgets import options_html

    Sentra.objects.create(name="LIK Takaru", kabupaten=kabupaten("Kabupaten Tegal"))
    reference_changed()
    with translation.override(language):
        form = SupplierFilter(QueryDict()).form
        lists = form.reference_lists

        for name in ("process", "process_group", "material", "certification", "province", "kabupaten", "sentra"):
            assert lists.html(name) == options_html(form.fields[name].choices), name


@pytest.mark.django_db
def test_a_chosen_region_is_looked_up_once_while_the_reference_data_stay_the_same(client, buyer_staff):
    tegal = kabupaten("Kabupaten Tegal")
    client.force_login(buyer_staff)
    first = _directory(client, kabupaten=tegal.pk)

    with CaptureQueriesContext(connection) as captured:
        again = _directory(client, kabupaten=tegal.pk)

    assert f'<option value="{tegal.pk}" selected>' in first and f'<option value="{tegal.pk}" selected>' in again
    assert "data-ignored-filters" not in again
    assert not any('FROM "profiles_kabupaten"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_a_chosen_sentra_deleted_since_is_refused_at_once(client, buyer_staff):
    sentra = Sentra.objects.create(name="LIK Takaru", kabupaten=kabupaten("Kabupaten Tegal"))
    client.force_login(buyer_staff)
    assert "data-ignored-filters" not in _directory(client, sentra=sentra.pk)

    pk = sentra.pk
    sentra.delete()

    assert "data-ignored-filters" in _directory(client, sentra=pk)


@pytest.mark.django_db
def test_chosen_processes_are_looked_up_once_while_the_reference_data_stay_the_same(client, buyer_staff):
    from profiles.services import ikm_changed
    from tests.factories import IkmProfileFactory

    welding, turning = Process.objects.get(code="welding"), Process.objects.get(code="turning")
    welder = IkmProfileFactory(name="Bengkel Las Waru")
    welder.processes.set([welding])
    turner = IkmProfileFactory(name="Bubut Presisi Tegal")
    turner.processes.set([turning])
    ikm_changed([welder.pk, turner.pk])
    client.force_login(buyer_staff)
    first = _directory(client, process=[welding.pk])

    with CaptureQueriesContext(connection) as captured:
        again = _directory(client, process=[welding.pk])

    assert not any('FROM "profiles_process"' in q["sql"] for q in captured.captured_queries)
    assert "Bengkel Las Waru" in again and "Bubut Presisi Tegal" not in again
    assert _form(again) == _form(first)
    both = _directory(client, process=[turning.pk, welding.pk])
    assert "Bengkel Las Waru" in both and "Bubut Presisi Tegal" in both


@pytest.mark.django_db
def test_a_chosen_process_deleted_since_is_refused_at_once(client, buyer_staff):
    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    assert "data-ignored-filters" not in _directory(client, process=[welding.pk])

    pk = welding.pk
    welding.delete()

    assert "data-ignored-filters" in _directory(client, process=[pk])


@pytest.mark.django_db
def test_forgotten_lists_are_rebuilt_from_one_query(client, buyer_staff):
    from matchmaking.reference_cache import reference_changed

    client.force_login(buyer_staff)
    before = _directory(client)
    reference_changed()

    with CaptureQueriesContext(connection) as captured:
        after = _directory(client)

    assert _form(after) == _form(before)
    lists = [q for q in captured.captured_queries if 'FROM "profiles_kabupaten"' in q["sql"]]
    assert len(lists) == 1  # each list read once
    if connection.vendor == "postgresql":  # and all in one round trip (SQLite takes one statement at a time)
        assert 'FROM "profiles_sentra"' in lists[0]["sql"]


@pytest.mark.django_db
def test_empty_fields_follow_the_language_after_the_lists_are_forgotten(client, buyer_staff):
    from django.utils import translation

    from matchmaking.reference_cache import reference_changed

    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    indonesian = _form(_directory(client))
    client.cookies["django_language"] = "en"
    reference_changed()
    english = _form(_directory(client))

    for language, form in (("id", indonesian), ("en", english)):
        with translation.override(language):
            assert f">{translation.gettext('Capacity at least (t/month)')}</label>" in form
            assert f">{welding.name_en if language == 'en' else welding.name_id}</option>" in form
    assert indonesian != english


def _forget_this_process_copies() -> None:
    """As in another process, or this one after the change: no copy of the lists in memory."""
    from matchmaking import reference_cache

    reference_cache._local.clear()
    reference_cache._rows.clear()


@pytest.mark.django_db
def test_a_committed_change_builds_the_lists_so_the_next_page_reads_them(client, buyer_staff,
                                                                        django_capture_on_commit_callbacks):
    tegal = kabupaten("Kabupaten Tegal")
    client.force_login(buyer_staff)
    before = _directory(client, kabupaten=tegal.pk)
    with django_capture_on_commit_callbacks(execute=True):
        Sentra.objects.create(name="LIK Takaru", kabupaten=tegal)
    _forget_this_process_copies()

    with CaptureQueriesContext(connection) as captured:
        after = _directory(client, kabupaten=tegal.pk)

    assert "LIK Takaru</option>" in after and "LIK Takaru</option>" not in before
    assert f'<option value="{tegal.pk}" selected>' in after and "data-ignored-filters" not in after
    assert not any(f'FROM "profiles_{table}"' in q["sql"] for q in captured.captured_queries
                   for table in ("kabupaten", "sentra", "process", "province"))


@pytest.mark.django_db
def test_the_lists_are_built_in_every_language_once_per_transaction(client, buyer_staff,
                                                                    django_capture_on_commit_callbacks):
    welding = Process.objects.get(code="welding")
    tegal = kabupaten("Kabupaten Tegal")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Sentra.objects.create(name="LIK Takaru", kabupaten=tegal)
        Sentra.objects.create(name="Sentra Logam Adiwerna", kabupaten=tegal)
    _forget_this_process_copies()
    client.force_login(buyer_staff)
    client.cookies["django_language"] = "en"

    with CaptureQueriesContext(connection) as captured:
        english = _directory(client)

    assert len(callbacks) == 1
    assert f">{welding.name_en}</option>" in english and "Sentra Logam Adiwerna</option>" in english
    assert not any('FROM "profiles_sentra"' in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
def test_a_committed_change_reads_the_lists_once_for_every_language(client, buyer_staff,
                                                                    django_capture_on_commit_callbacks):
    welding = Process.objects.get(code="welding")
    tegal = kabupaten("Kabupaten Tegal")
    with django_capture_on_commit_callbacks() as callbacks:
        Sentra.objects.create(name="LIK Takaru", kabupaten=tegal)
    with CaptureQueriesContext(connection) as captured:
        for callback in callbacks:  # as on commit
            callback()
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "profiles_process"' in q["sql"]]
    _forget_this_process_copies()
    client.force_login(buyer_staff)

    indonesian = _directory(client, process=[welding.pk])
    client.cookies["django_language"] = "en"
    english = _directory(client, process=[welding.pk])

    # Two languages, but the process list read once (with the other lists) and the process names once.
    assert len(reads) == 2
    for page, name in ((indonesian, welding.name_id), (english, welding.name_en)):
        assert f'<option value="{welding.pk}" selected>{name}</option>' in page  # labelled per language
        assert "LIK Takaru</option>" in page and f">{tegal.name}</option>" in page


@pytest.mark.django_db
def test_a_chosen_process_not_among_the_options_is_refused(client, buyer_staff):
    client.force_login(buyer_staff)
    missing = Process.objects.order_by("-pk").first().pk + 1

    page = _directory(client, process=[missing])

    assert "data-ignored-filters" in page


@pytest.mark.django_db
def test_forgotten_lists_are_rebuilt_while_a_search_is_ranked(client, buyer_staff):
    from matchmaking.reference_cache import reference_changed

    welding = Process.objects.get(code="welding")
    client.force_login(buyer_staff)
    reference_changed()
    _forget_this_process_copies()

    page = _directory(client, q="pengelasan")  # nothing chosen: the lists are first needed for the form

    assert f'<option value="{welding.pk}">{welding.name_id}</option>' in page
