"""The pages around suggestions: who sees them, who answers, mutual interest, the Dinas summary."""

import pytest

from matchmaking.models import SuggestionAnswer
from matchmaking.recompute import suggestions_recompute_all
from tests.factories import BuyerStaffFactory, DinasStaffFactory, UserFactory, kabupaten
from tests.matchmaking.test_recompute import make_ikm, make_need


@pytest.fixture
def matched(db):
    need = make_need(processes=("cast-grey-iron", "turning"))
    good = make_ikm(processes=["cast-grey-iron", "turning"], name="Logam Jaya Takaru", owner=UserFactory())
    partial = make_ikm(processes=["cast-grey-iron"], name="Cor Setengah", owner=UserFactory())
    suggestions_recompute_all()
    return need, good, partial


def _staff_of(need):
    return BuyerStaffFactory(buyer_organisation=need.buyer)


@pytest.mark.django_db
def test_buyer_sees_ranked_suggestions_with_the_why(client, matched):
    need, good, partial = matched
    client.force_login(_staff_of(need))

    page = client.get(f"/needs/{need.pk}/suggestions/").content.decode()

    assert page.index("Logam Jaya Takaru") < page.index("Cor Setengah")
    assert 'data-why="met"' in page
    assert 'data-why="missing"' in page  # the partial one misses turning


@pytest.mark.django_db
def test_suggestions_opened_directly_come_inside_the_site_page_and_as_a_fragment_for_htmx(client, matched):
    need, good, _partial = matched
    client.force_login(_staff_of(need))

    direct = client.get(f"/needs/{need.pk}/suggestions/").content.decode()
    swapped = client.get(f"/needs/{need.pk}/suggestions/", headers={"HX-Request": "true"}).content.decode()

    # Without JavaScript the "Show" link opens a page with the site's frame (a phone lays it out to its
    # width) and a way back to the need; htmx gets only the part it swaps in.
    assert 'name="viewport"' in direct and 'id="main-menu"' in direct
    assert f'href="/needs/{need.pk}/"' in direct and "Logam Jaya Takaru" in direct
    assert "<html" not in swapped and "Logam Jaya Takaru" in swapped
    client.force_login(good.owner)
    opportunities = client.get(f"/ikm/{good.pk}/opportunities/").content.decode()
    assert 'name="viewport"' in opportunities and need.title in opportunities


@pytest.mark.django_db
def test_another_buyer_and_an_ikm_owner_cannot_see_a_needs_suggestions(client, matched):
    need, good, _partial = matched
    client.force_login(BuyerStaffFactory())
    other_buyer = client.get(f"/needs/{need.pk}/suggestions/")
    client.force_login(good.owner)
    owner = client.get(f"/needs/{need.pk}/suggestions/")

    assert other_buyer.status_code == 404
    assert owner.status_code == 404


@pytest.mark.django_db
def test_ikm_owner_sees_fitting_needs_on_own_dashboard_only(client, matched):
    need, good, partial = matched
    client.force_login(good.owner)

    own = client.get(f"/ikm/{good.pk}/opportunities/")
    other = client.get(f"/ikm/{partial.pk}/opportunities/")

    assert own.status_code == 200 and need.title in own.content.decode()
    assert other.status_code == 404


@pytest.mark.django_db
def test_both_sides_interested_makes_a_mutual_match(client, matched, mailoutbox, settings,
                                                    django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the e-mail task runs in-process here
    need, good, _partial = matched
    buyer = _staff_of(need)
    client.force_login(buyer)
    client.post(f"/suggestions/{need.pk}/{good.pk}/answer/", {"side": "buyer", "answer": "interested"})
    client.force_login(good.owner)

    with django_capture_on_commit_callbacks(execute=True):  # the e-mail task is sent once the answer commits
        client.post(f"/suggestions/{need.pk}/{good.pk}/answer/", {"side": "ikm", "answer": "interested"})
    client.force_login(buyer)
    page = client.get(f"/needs/{need.pk}/suggestions/").content.decode()

    assert SuggestionAnswer.objects.filter(need=need, ikm=good, answer="interested").count() == 2
    assert 'data-mutual="1"' in page
    assert {m.to[0] for m in mailoutbox} >= {buyer.email, good.owner.email}


@pytest.mark.django_db
def test_wrong_side_cannot_answer_for_the_other(client, matched):
    need, good, partial = matched
    client.force_login(partial.owner)

    client.post(f"/suggestions/{need.pk}/{good.pk}/answer/", {"side": "ikm", "answer": "not_relevant"})
    client.post(f"/suggestions/{need.pk}/{good.pk}/answer/", {"side": "buyer", "answer": "not_relevant"})

    assert not SuggestionAnswer.objects.exists()


@pytest.mark.django_db
def test_bad_answer_values_are_refused_cleanly(client, matched):
    need, good, _partial = matched
    client.force_login(good.owner)

    response = client.post(f"/suggestions/{need.pk}/{good.pk}/answer/", {"side": "ikm", "answer": "maybe"})

    assert response.status_code == 400
    assert not SuggestionAnswer.objects.exists()


@pytest.mark.django_db
def test_dinas_matching_summary_is_region_scoped_and_dinas_only(client, matched):
    need, good, _partial = matched
    client.force_login(good.owner)
    as_owner = client.get("/dinas/matching/")
    client.force_login(DinasStaffFactory(scope_kabupaten=kabupaten("Kabupaten Tegal")))
    as_dinas = client.get("/dinas/matching/")

    assert as_owner.status_code == 403
    assert as_dinas.status_code == 200
