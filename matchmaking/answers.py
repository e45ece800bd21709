"""Answering suggestions: buyer staff and IKM owners say "interested" or "not relevant" to a pairing.

Both sides interested = a mutual match: both are told by e-mail (sent by the worker, in each recipient's
language) and invited to request a meeting at the next temu-bisnis event. Answers feed the scorer: a
buyer's "not relevant" lowers that IKM on the buyer's similar needs; mutual interest raises the pair's
trust (see :func:`matchmaking.recompute.load_feedback`).
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ikmportal.outbox.services import outbox_enqueue
from profiles.models import IkmProfile, User

from .enums import Answer, AnswerSide, NeedStatus
from .models import Need, SuggestionAnswer
from .recompute import request_need_recompute

logger = logging.getLogger(__name__)

MUTUAL_MATCH_TASK = "matchmaking.mutual_match_notify"
_NOTIFIED_TTL = 90 * 24 * 3600


class SuggestionAnswerError(Exception):
    """An answer that cannot be given; the message is translated and shown to the person."""


def mutual_interest(need_id: int, ikm_id: int) -> bool:
    return SuggestionAnswer.objects.filter(need_id=need_id, ikm_id=ikm_id, answer=Answer.INTERESTED).count() == 2


def suggestion_answer(*, need: Need, ikm: IkmProfile, by: User, side: str, answer: str) -> SuggestionAnswer:
    """Record (or change) one side's answer to the pairing of ``need`` and ``ikm``.

    Permission: buyer side — staff of the need's organisation, need open; IKM side — the IKM's owner.
    Side effects, in one transaction (the need row is locked so two sides answering at once cannot both
    miss the match): the answer row; when this answer completes mutual interest, one outbox message for
    the e-mails; the buyer's open needs are recomputed after commit (the answer changes their scores).
    """
    if side not in AnswerSide.values or answer not in Answer.values:
        raise SuggestionAnswerError(_("Unknown answer."))
    if side == AnswerSide.BUYER and not by.has_perm("matchmaking.answer_suggestion_as_buyer", need):
        raise SuggestionAnswerError(_("Only staff of the buyer that posted this open need can answer for it."))
    if side == AnswerSide.IKM and not by.has_perm("matchmaking.answer_suggestion_as_ikm", ikm):
        raise SuggestionAnswerError(_("Only the owner of this IKM can answer for it."))
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if locked.status != NeedStatus.OPEN:
            raise SuggestionAnswerError(_("This need is no longer open."))
        was_mutual = mutual_interest(need.pk, ikm.pk)
        row, _created = SuggestionAnswer.objects.update_or_create(
            need=locked, ikm=ikm, side=side, defaults={"answer": answer, "by": by, "at": timezone.now()})
        now_mutual = mutual_interest(need.pk, ikm.pk)
        if now_mutual and not was_mutual:
            outbox_enqueue(MUTUAL_MATCH_TASK, args=[need.pk, ikm.pk])
        # A buyer's dismissal (or its undoing) and a change of mutual interest change that buyer's scores.
        if side == AnswerSide.BUYER or now_mutual != was_mutual:
            for need_id in Need.objects.filter(buyer_id=locked.buyer_id, status=NeedStatus.OPEN).values_list(
                    "pk", flat=True):
                request_need_recompute(need_id)
    return row


def _site_link(name: str, *args) -> str:
    try:
        return settings.SITE_URL.rstrip("/") + reverse(name, args=args)
    except NoReverseMatch:
        return settings.SITE_URL


def _match_mail(recipient_language: str, *, need: Need, ikm: IkmProfile, for_buyer: bool) -> tuple[str, str]:
    """Subject and body of the mutual-match e-mail, in the recipient's language."""
    with translation.override(recipient_language or settings.LANGUAGE_CODE):
        subject = _("Mutual interest: %(ikm)s and %(buyer)s") % {"ikm": ikm.display_name, "buyer": need.buyer.name}
        if for_buyer:
            intro = _("%(ikm)s is interested in your need \"%(need)s\", and so are you.") % {
                "ikm": ikm.display_name, "need": need.title}
            link = _site_link("matchmaking:need_detail", need.pk)
        else:
            intro = _("%(buyer)s is interested in %(ikm)s for its need \"%(need)s\", and so are you.") % {
                "buyer": need.buyer.name, "ikm": ikm.display_name, "need": need.title}
            link = _site_link("matchmaking:need_detail", need.pk)
        parts = [intro, link]
        event = _next_open_event()
        if event is not None:
            parts.append(_("Meet at the next temu bisnis: %(event)s, %(date)s. Register and request a meeting "
                           "before %(deadline)s:") % {
                "event": event.title, "date": date_format(event.start_date, "j F Y"),
                "deadline": date_format(timezone.localtime(event.registration_closes), "j F Y")})
            parts.append(_site_link("events:event_detail", event.pk))
        else:
            parts.append(_("Request a meeting with each other at the next temu bisnis (business matching) event, "
                           "or contact each other through the portal."))
        body = "\n\n".join(parts)
    return subject, body


def _next_open_event():
    """The soonest temu-bisnis event still taking registrations (events build on matchmaking, so the model
    is looked up by name rather than imported)."""
    Event = apps.get_model("events", "Event")
    return (Event.objects.filter(status="registration_open", registration_closes__gt=timezone.now())
            .order_by("start_date").first())


def mutual_match_notify(*, need_id: int, ikm_id: int) -> int:
    """E-mail both sides of a mutual match; returns how many e-mails were sent now.

    Safe to run twice: each recipient is marked in the cache once sent (a cache outage may, at worst,
    send one e-mail twice; never none). Does nothing when the interest is no longer mutual.
    """
    need = Need.objects.select_related("buyer", "created_by").filter(pk=need_id).first()
    ikm = IkmProfile.objects.select_related("owner").filter(pk=ikm_id).first()
    if need is None or ikm is None or not mutual_interest(need_id, ikm_id):
        logger.info("mutual match %s/%s: nothing to notify", need_id, ikm_id)
        return 0
    buyer_answer = SuggestionAnswer.objects.select_related("by").get(need_id=need_id, ikm_id=ikm_id,
                                                                     side=AnswerSide.BUYER)
    buyer_person = buyer_answer.by or need.created_by
    recipients = []
    if buyer_person is not None and buyer_person.email:
        recipients.append((buyer_person.email, buyer_person.language, True))
    if ikm.owner is not None and ikm.owner.email:
        recipients.append((ikm.owner.email, ikm.owner.language, False))
    elif ikm.email:
        recipients.append((ikm.email, settings.LANGUAGE_CODE, False))
    sent = 0
    for address, language, for_buyer in recipients:
        key = f"matchmaking:mutual-notified:{need_id}:{ikm_id}:{address}"
        if cache.get(key):
            continue
        subject, body = _match_mail(language, need=need, ikm=ikm, for_buyer=for_buyer)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        cache.set(key, 1, _NOTIFIED_TTL)
        sent += 1
    return sent
