"""Answers to suggestions and a participant's agenda through the API."""

import pytest

from events.models import Meeting, MeetingRequest
from matchmaking.models import Suggestion, SuggestionAnswer
from tests.api.conftest import need_with_process, token_client
from tests.factories import (
    BuyerOrganisationFactory,
    BuyerRegistrationFactory,
    EventFactory,
    IkmRegistrationFactory,
)


@pytest.fixture
def suggested(buyer_staff, ikm):
    need = need_with_process(buyer_staff.buyer_organisation)
    Suggestion.objects.create(need=need, ikm=ikm, rank=1, score=0.7)
    return need, ikm


@pytest.mark.django_db
def test_answer_by_the_ikm_owner_is_recorded(ikm_api, suggested):
    need, ikm = suggested

    response = ikm_api.post("/api/v1/answers/", {"need": need.pk, "ikm": ikm.pk, "side": "ikm",
                                                 "answer": "interested"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["mutual"] is False
    assert SuggestionAnswer.objects.get(need=need, ikm=ikm).side == "ikm"


@pytest.mark.django_db
def test_answer_by_both_sides_is_mutual(ikm_api, buyer_api, suggested):
    need, ikm = suggested
    body = {"need": need.pk, "ikm": ikm.pk, "answer": "interested"}
    ikm_api.post("/api/v1/answers/", {**body, "side": "ikm"}, format="json")

    response = buyer_api.post("/api/v1/answers/", {**body, "side": "buyer"}, format="json")

    assert response.status_code == 200
    assert response.json()["mutual"] is True


@pytest.mark.django_db
def test_answer_as_buyer_by_an_ikm_token_is_403(ikm_api, suggested):
    need, ikm = suggested

    response = ikm_api.post("/api/v1/answers/", {"need": need.pk, "ikm": ikm.pk, "side": "buyer",
                                                 "answer": "not_relevant"}, format="json")

    assert response.status_code == 403
    assert not SuggestionAnswer.objects.exists()


@pytest.mark.django_db
def test_answer_to_a_pair_not_suggested_is_400(buyer_api, buyer_staff, ikm):
    need = need_with_process(buyer_staff.buyer_organisation)

    response = buyer_api.post("/api/v1/answers/", {"need": need.pk, "ikm": ikm.pk, "side": "buyer",
                                                   "answer": "interested"}, format="json")

    assert response.status_code == 400
    assert "ikm" in response.json()["errors"]


@pytest.mark.django_db
def test_answer_on_a_draft_of_another_organisation_is_400_no_such_need(ikm_api, ikm):
    need = need_with_process(BuyerOrganisationFactory(), status="draft")
    Suggestion.objects.create(need=need, ikm=ikm, rank=1, score=0.7)

    response = ikm_api.post("/api/v1/answers/", {"need": need.pk, "ikm": ikm.pk, "side": "ikm",
                                                 "answer": "interested"}, format="json")

    assert response.status_code == 400
    assert "need" in response.json()["errors"]


@pytest.fixture
def scheduled(ikm, buyer_staff):
    event = EventFactory(status="published")
    mine = IkmRegistrationFactory(event=event, ikm=ikm)
    theirs = BuyerRegistrationFactory(event=event, buyer=buyer_staff.buyer_organisation)
    request = MeetingRequest.objects.create(event=event, requester=theirs, recipient=mine, status="accepted")
    Meeting.objects.create(event=event, request=request, slot=2, table=0)
    return event


@pytest.mark.django_db
def test_agenda_lists_my_meetings_with_times_and_counterpart(ikm_api, scheduled, buyer_staff):
    response = ikm_api.get(f"/api/v1/events/{scheduled.pk}/agenda/")

    assert response.status_code == 200
    [registration] = response.json()
    [meeting] = registration["meetings"]
    assert meeting["slot"] == 2
    assert meeting["table"] == 1
    assert meeting["counterpart"] == buyer_staff.buyer_organisation.name
    assert meeting["start"].endswith("10:00:00+07:00")


@pytest.mark.django_db
def test_agenda_is_empty_for_someone_not_registered(scheduled):
    from tests.factories import BuyerStaffFactory

    response = token_client(BuyerStaffFactory()).get(f"/api/v1/events/{scheduled.pk}/agenda/")

    assert response.json() == []


@pytest.mark.django_db
def test_events_hide_drafts_from_participants(ikm_api):
    public = EventFactory()
    draft = EventFactory(status="draft")

    ids = {row["id"] for row in ikm_api.get("/api/v1/events/").json()["results"]}

    assert public.pk in ids and draft.pk not in ids
    assert ikm_api.get(f"/api/v1/events/{draft.pk}/").status_code == 404
