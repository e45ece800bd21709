"""Answering suggestions: who may answer, mutual interest, and dismissals that stick."""

import pytest

from ikmportal.outbox.models import OutboxMessage
from matchmaking.answers import MUTUAL_MATCH_TASK, SuggestionAnswerError, suggestion_answer
from matchmaking.models import Suggestion, SuggestionAnswer
from matchmaking.recompute import suggestions_recompute_all
from tests.factories import BuyerStaffFactory
from tests.matchmaking.test_recompute import make_ikm, make_need, ranked


@pytest.fixture
def pair(buyer_staff):
    ikm = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need(buyer=buyer_staff.buyer_organisation)
    return need, ikm


@pytest.mark.django_db
def test_answer_buyer_of_another_organisation_is_refused(pair):
    need, ikm = pair

    with pytest.raises(SuggestionAnswerError):
        suggestion_answer(need=need, ikm=ikm, by=BuyerStaffFactory(), side="buyer", answer="interested")

    assert not SuggestionAnswer.objects.exists()


@pytest.mark.django_db
def test_answer_owner_of_another_ikm_is_refused(pair):
    need, ikm = pair
    other = make_ikm()

    with pytest.raises(SuggestionAnswerError):
        suggestion_answer(need=need, ikm=ikm, by=other.owner, side="ikm", answer="interested")


@pytest.mark.django_db
def test_answer_mutual_interest_enqueues_the_mails_once(pair, buyer_staff):
    need, ikm = pair

    suggestion_answer(need=need, ikm=ikm, by=ikm.owner, side="ikm", answer="interested")
    assert not OutboxMessage.objects.filter(task_name=MUTUAL_MATCH_TASK).exists()
    suggestion_answer(need=need, ikm=ikm, by=buyer_staff, side="buyer", answer="interested")
    suggestion_answer(need=need, ikm=ikm, by=buyer_staff, side="buyer", answer="interested")

    assert list(OutboxMessage.objects.filter(task_name=MUTUAL_MATCH_TASK).values_list("args", flat=True)) == [
        [need.pk, ikm.pk]]


@pytest.mark.django_db
def test_answer_not_relevant_drops_the_ikm_on_the_buyers_similar_need(buyer_staff):
    dismissed = make_ikm(processes=["cast-grey-iron", "turning"])
    other = make_ikm(processes=["cast-grey-iron", "turning"])
    first = make_need(buyer=buyer_staff.buyer_organisation)
    similar = make_need(buyer=buyer_staff.buyer_organisation)
    elsewhere = make_need()  # another buyer's need: unaffected
    suggestions_recompute_all()
    assert ranked(similar)[0] == dismissed.pk  # lower pk wins the tie

    suggestion_answer(need=first, ikm=dismissed, by=buyer_staff, side="buyer", answer="not_relevant")
    suggestions_recompute_all()

    assert ranked(similar) == [other.pk, dismissed.pk]
    assert Suggestion.objects.get(need=similar, ikm=dismissed).components["dismissal"] < 1
    assert ranked(elsewhere) == [dismissed.pk, other.pk]


@pytest.mark.django_db
def test_answer_mutual_interest_raises_the_pairs_trust_on_the_buyers_needs(buyer_staff):
    liked = make_ikm(processes=["cast-grey-iron", "turning"])
    first = make_ikm(processes=["cast-grey-iron", "turning"])
    need = make_need(buyer=buyer_staff.buyer_organisation)
    later = make_need(buyer=buyer_staff.buyer_organisation)
    assert liked.pk < first.pk
    suggestion_answer(need=need, ikm=first, by=first.owner, side="ikm", answer="interested")
    suggestion_answer(need=need, ikm=first, by=buyer_staff, side="buyer", answer="interested")

    suggestions_recompute_all()

    assert ranked(later) == [first.pk, liked.pk]
    assert Suggestion.objects.get(need=later, ikm=first).components["trust"] > 0


@pytest.mark.django_db
def test_mutual_match_mail_invites_both_to_the_next_open_event(pair, buyer_staff, mailoutbox):
    from matchmaking.answers import mutual_match_notify
    from tests.factories import EventFactory

    need, ikm = pair
    event = EventFactory(title="Temu Bisnis Logam Tegal 2027")
    suggestion_answer(need=need, ikm=ikm, by=ikm.owner, side="ikm", answer="interested")
    suggestion_answer(need=need, ikm=ikm, by=buyer_staff, side="buyer", answer="interested")

    sent = mutual_match_notify(need_id=need.pk, ikm_id=ikm.pk)

    assert sent == 2
    for message in mailoutbox:
        assert event.title in message.body
        assert f"/events/{event.pk}/" in message.body
