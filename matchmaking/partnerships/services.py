"""Writing partnerships: opening one, moving it along the road, recording orders, ending it.

Every change runs in one transaction, is kept as a PartnershipStageChange (who, when, note) and raises
PartnershipError (a translated message for the person) when it cannot be done. A partnership only moves
forward; ending it needs a reason. The first purchase order moves it to "first order", a later one to
"ongoing".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.enums import OutcomeResult
from profiles.models import BuyerOrganisation, IkmProfile, User
from profiles.rules import kabupaten_in_scope

from ..dashboard.freshness import dashboard_figures_changed
from ..enums import PARTNERSHIP_ROAD, CurationResult, PartnershipOrigin, PartnershipStage
from ..exceptions import PartnershipError
from ..models import Partnership, PartnershipReminder, PartnershipStageChange, PurchaseOrder
from ..recompute import request_ikm_recompute
from ..templatetags.rupiah import rupiah

#: What a meeting outcome says about where the pair stands; only the follow-up outcomes open a partnership.
OUTCOME_STAGE = {
    OutcomeResult.FOLLOW_UP: PartnershipStage.CONTACT,
    OutcomeResult.MOU: PartnershipStage.CONTACT,
    OutcomeResult.SAMPLE: PartnershipStage.SAMPLE,
    OutcomeResult.QUOTATION: PartnershipStage.QUOTATION,
}


def _position(stage: str) -> int:
    return PARTNERSHIP_ROAD.index(stage) if stage in PARTNERSHIP_ROAD else len(PARTNERSHIP_ROAD)


def _require_change(partnership: Partnership, by: User) -> None:
    if not by.has_perm("matchmaking.change_partnership", partnership):
        raise PartnershipError(_("You cannot change this partnership."))


def _locked(partnership: Partnership) -> Partnership:
    locked = Partnership.objects.select_for_update().select_related("ikm__kabupaten", "buyer").get(pk=partnership.pk)
    if locked.stage == PartnershipStage.ENDED:
        raise PartnershipError(_("This partnership has ended."))
    return locked


def _move(partnership: Partnership, *, to_stage: str, by: User | None, note: str = "") -> None:
    """Record the step and set the stage (the caller holds the row lock)."""
    now = timezone.now()
    if partnership.stage == PartnershipStage.CURATION and to_stage != PartnershipStage.ENDED:
        partnership.curation_result = partnership.curation_result or CurationResult.PASSED
    elif _position(partnership.stage) < _position(PartnershipStage.CURATION) < _position(to_stage) \
            and to_stage != PartnershipStage.ENDED:
        # Past curation without stopping there: the buyer evidently accepted the IKM.
        partnership.curation_result = partnership.curation_result or CurationResult.PASSED
    PartnershipStageChange.objects.create(partnership=partnership, from_stage=partnership.stage, to_stage=to_stage,
                                          note=note.strip(), by=by, at=now)
    partnership.stage, partnership.stage_changed_at = to_stage, now
    partnership.save(update_fields=["stage", "stage_changed_at", "curation_result", "curation_note",
                                    "ended_reason"])
    dashboard_figures_changed()
    PartnershipReminder.objects.filter(partnership=partnership, sent_at__isnull=False,
                                       answered_at__isnull=True).update(answered_at=now)


@transaction.atomic
def partnership_open(*, ikm: IkmProfile, buyer: BuyerOrganisation, by: User | None, origin: str,
                     stage: str = PartnershipStage.CONTACT, meeting=None, event=None, need=None,
                     product: str = "", note: str = "") -> tuple[Partnership, bool]:
    """Open a partnership of the pair, or move the open one forward to ``stage``; (partnership, created)."""
    if origin not in PartnershipOrigin.values or stage not in PARTNERSHIP_ROAD:
        raise PartnershipError(_("Unknown origin or stage."))
    existing = (Partnership.objects.select_for_update()
                .filter(ikm=ikm, buyer=buyer).exclude(stage=PartnershipStage.ENDED).first())
    if existing is not None:
        if _position(stage) > _position(existing.stage):
            _move(existing, to_stage=stage, by=by, note=note)
        return existing, False
    partnership = Partnership(ikm=ikm, buyer=buyer, origin=origin, stage=stage, meeting=meeting,
                              event=event or (meeting.event if meeting is not None else None), need=need,
                              product=product.strip()[:200], created_by=by)
    if _position(stage) > _position(PartnershipStage.CURATION):
        partnership.curation_result = CurationResult.PASSED
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError:  # opened by the other side at the same moment
        return Partnership.objects.get(ikm=ikm, buyer=buyer, stage__in=PARTNERSHIP_ROAD), False
    PartnershipStageChange.objects.create(partnership=partnership, from_stage="", to_stage=stage,
                                          note=note.strip(), by=by)
    dashboard_figures_changed()
    return partnership, True


def partnership_open_from_outcome(outcome) -> Partnership | None:
    """A meeting outcome of "follow up" or better opens (or moves forward) the pair's partnership."""
    stage = OUTCOME_STAGE.get(outcome.result)
    if stage is None:
        return None
    meeting = outcome.meeting
    request = meeting.request
    ikm_side, buyer_side = ((request.requester, request.recipient) if request.requester.ikm_id
                            else (request.recipient, request.requester))
    note = _("Meeting outcome at %(event)s: %(result)s") % {"event": meeting.event.title,
                                                            "result": outcome.get_result_display()}
    if outcome.notes:
        note = f"{note}\n{outcome.notes}"
    partnership, _created = partnership_open(ikm=ikm_side.ikm, buyer=buyer_side.buyer, by=outcome.recorded_by,
                                             origin=PartnershipOrigin.MEETING, stage=stage, meeting=meeting,
                                             note=note)
    return partnership


@transaction.atomic
def partnership_record(*, by: User, ikm: IkmProfile, buyer: BuyerOrganisation, stage: str,
                       product: str = "", note: str = "", order_value: Decimal | None = None,
                       order_date: dt.date | None = None) -> Partnership:
    """Dinas records a partnership they learned of offline (its IKM must be in their region)."""
    if not by.has_perm("matchmaking.record_partnership") or not kabupaten_in_scope(by, ikm.kabupaten):
        raise PartnershipError(_("This IKM is outside your region."))
    ordered = stage in (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING)
    if ordered and (order_value is None or order_date is None):
        raise PartnershipError(_("Give the value and date of the first purchase order."))
    if Partnership.objects.filter(ikm=ikm, buyer=buyer).exclude(stage=PartnershipStage.ENDED).exists():
        raise PartnershipError(_("These two already have an open partnership; update that one."))
    partnership, _created = partnership_open(ikm=ikm, buyer=buyer, by=by, origin=PartnershipOrigin.DIRECT,
                                             stage=stage, product=product, note=note)
    if ordered:
        PurchaseOrder.objects.create(partnership=partnership, value_idr=order_value, order_date=order_date,
                                     recorded_by=by)
    return partnership


@transaction.atomic
def partnership_advance(*, partnership: Partnership, by: User, to_stage: str, note: str = "") -> Partnership:
    """Move a partnership forward (skipping stages is allowed; orders are recorded with purchase_order_add)."""
    _require_change(partnership, by)
    locked = _locked(partnership)
    if to_stage not in PARTNERSHIP_ROAD:
        raise PartnershipError(_("Choose a stage from the list."))
    if _position(to_stage) <= _position(locked.stage):
        raise PartnershipError(_("A partnership only moves forward; it is already at “%(stage)s”.")
                               % {"stage": locked.get_stage_display()})
    if to_stage in (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING) and not locked.orders.exists():
        raise PartnershipError(_("Record the first purchase order (its value and date) to reach this stage."))
    _move(locked, to_stage=to_stage, by=by, note=note)
    return locked


def _end(partnership: Partnership, *, by: User, reason: str, missing: str, curation_failed: bool) -> Partnership:
    _require_change(partnership, by)
    locked = _locked(partnership)
    reason = reason.strip()
    if not reason:
        raise PartnershipError(missing)
    if curation_failed:
        if _position(locked.stage) > _position(PartnershipStage.CURATION):
            raise PartnershipError(_("This partnership is already past curation."))
        locked.curation_result, locked.curation_note = CurationResult.FAILED, reason
        reason = _("Did not pass curation: %(reason)s") % {"reason": reason}
    locked.ended_reason = reason
    _move(locked, to_stage=PartnershipStage.ENDED, by=by, note=reason)
    return locked


@transaction.atomic
def partnership_curation_fail(*, partnership: Partnership, by: User, reason: str) -> Partnership:
    """The buyer's curation did not pass: the partnership ends, with the reason."""
    return _end(partnership, by=by, reason=reason, missing=_("Say why the curation did not pass."),
                curation_failed=True)


@transaction.atomic
def partnership_end(*, partnership: Partnership, by: User, reason: str) -> Partnership:
    return _end(partnership, by=by, reason=reason, missing=_("Say why the partnership ended."),
                curation_failed=False)


@transaction.atomic
def partnership_confirm_unchanged(*, partnership: Partnership, by: User) -> None:
    """Answer an update request with "nothing new yet" (recorded, so Dinas knows the figures are current)."""
    _require_change(partnership, by)
    locked = _locked(partnership)
    PartnershipStageChange.objects.create(partnership=locked, from_stage=locked.stage, to_stage=locked.stage,
                                          note=_("No change yet."), by=by)
    PartnershipReminder.objects.filter(partnership=locked, sent_at__isnull=False,
                                       answered_at__isnull=True).update(answered_at=timezone.now())


@transaction.atomic
def purchase_order_add(*, partnership: Partnership, by: User, value_idr: Decimal, order_date: dt.date,
                       number: str = "") -> PurchaseOrder:
    """Record a purchase order: the first moves the partnership to "first order", a repeat one to "ongoing"."""
    _require_change(partnership, by)
    locked = _locked(partnership)
    if value_idr is None or value_idr <= 0:
        raise PartnershipError(_("The order value must be more than Rp 0."))
    if order_date > timezone.localdate():
        raise PartnershipError(_("The order date cannot be in the future."))
    had_orders = locked.orders.exists()
    order = PurchaseOrder.objects.create(partnership=locked, value_idr=value_idr, order_date=order_date,
                                         number=number.strip(), recorded_by=by)
    dashboard_figures_changed()
    if number.strip():
        label = _("Purchase order %(number)s: %(value)s") % {"number": number.strip(), "value": rupiah(value_idr)}
    else:
        label = _("Purchase order: %(value)s") % {"value": rupiah(value_idr)}
    if not had_orders:
        # The buyer has now bought from this IKM: the pair's trust rises in the matching engine.
        request_ikm_recompute(locked.ikm_id)
    if not had_orders and _position(locked.stage) < _position(PartnershipStage.FIRST_ORDER):
        _move(locked, to_stage=PartnershipStage.FIRST_ORDER, by=by, note=label)
    elif had_orders and locked.stage == PartnershipStage.FIRST_ORDER:
        _move(locked, to_stage=PartnershipStage.ONGOING, by=by, note=label)
    return order
