"""Reading partnerships: which ones a person may see, and one partnership with everything its page shows."""

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from profiles.models import User
from profiles.rules import is_admin
from profiles.selectors import region_scope_q

from ..enums import PartnershipStage
from ..models import Partnership, PartnershipStageChange


def partnerships_visible_to(user: User) -> QuerySet[Partnership]:
    """IKM owners see their IKMs' (and groups they coordinate), buyer staff their organisation's, Dinas their
    region's (by the IKM's kabupaten), admins all."""
    base = Partnership.objects.all()
    if not user.is_authenticated:
        return base.none()
    if is_admin(user):
        return base
    if user.is_dinas_staff:
        return base.filter(region_scope_q(user, kabupaten_field="ikm__kabupaten"))
    if user.is_buyer_staff:
        return base.filter(buyer_id=user.buyer_organisation_id)
    if user.is_ikm_owner:
        return base.filter(ikm__owner=user)
    return base.none()


def partnership_list(user: User, *, stage: str = "", query: str = "") -> QuerySet[Partnership]:
    rows = (partnerships_visible_to(user)
            .select_related("ikm__kabupaten", "buyer", "event")
            .annotate(order_total=Sum("orders__value_idr"), order_count=Count("orders"),
                      last_order=Max("orders__order_date"))
            .order_by("-stage_changed_at", "-id"))
    if stage == "open":
        rows = rows.exclude(stage=PartnershipStage.ENDED)
    elif stage in PartnershipStage.values:
        rows = rows.filter(stage=stage)
    if query:
        rows = rows.filter(Q(ikm__name__icontains=query) | Q(buyer__name__icontains=query)
                           | Q(product__icontains=query))
    return rows


def partnership_detail_queryset() -> QuerySet[Partnership]:
    return Partnership.objects.select_related(
        "ikm__kabupaten", "ikm__owner", "buyer", "event", "need", "meeting", "created_by",
    ).prefetch_related(
        Prefetch("stage_changes", queryset=PartnershipStageChange.objects.select_related("by")),
        "orders",
    )
