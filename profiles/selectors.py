"""Reading people, organisations and IKM profiles, already joined for the page that needs them."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import GroupKind, MembershipStatus, Role, VerificationStatus
from .models import GroupMembership, IkmCertification, IkmProfile, Kabupaten, Product, User


def region_scope_q(user: User, *, kabupaten_field: str = "kabupaten") -> Q:
    """The one region-scoping rule as a filter: what a Dinas user's scope covers (national: all)."""
    if user.scope_kabupaten_id:
        return Q(**{f"{kabupaten_field}_id": user.scope_kabupaten_id})
    if user.scope_province_id:
        return Q(**{f"{kabupaten_field}__province_id": user.scope_province_id})
    return Q()


def kabupaten_in_scope_list(user: User) -> QuerySet[Kabupaten]:
    """The kabupaten/kota a Dinas user may act on."""
    if user.scope_kabupaten_id:
        return Kabupaten.objects.filter(pk=user.scope_kabupaten_id)
    if user.scope_province_id:
        return Kabupaten.objects.filter(province_id=user.scope_province_id)
    return Kabupaten.objects.all()


def ikm_detail_queryset() -> QuerySet[IkmProfile]:
    """An IKM with everything its page shows, in a fixed number of queries."""
    return IkmProfile.objects.select_related("kabupaten__province", "sentra", "owner").prefetch_related(
        "processes__group",
        "materials",
        "kbli",
        Prefetch("certifications", queryset=IkmCertification.objects.select_related("certification")),
        "machines",
        Prefetch("products", queryset=Product.objects.prefetch_related("photos")),
    )


def ikms_owned_by(user: User) -> QuerySet[IkmProfile]:
    return IkmProfile.objects.filter(owner=user).select_related("kabupaten").order_by("name")


def ikm_verification_queue(user: User, *, status: str = VerificationStatus.PENDING) -> QuerySet[IkmProfile]:
    """IKMs in a Dinas user's region waiting for a verification decision, oldest first."""
    if user.role != Role.DINAS_STAFF:
        return IkmProfile.objects.none()
    return (
        IkmProfile.objects.filter(region_scope_q(user), verification_status=status)
        .select_related("kabupaten", "sentra")
        .prefetch_related("processes")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class CompletenessItem:
    label: str
    why: str
    done: bool
    weight: int


@dataclass(frozen=True)
class Completeness:
    percent: int
    items: list[CompletenessItem]

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.done]


def ikm_completeness(ikm: IkmProfile) -> Completeness:
    """How complete a profile is, weighted by how much each part matters for matching.

    Expects `ikm` loaded with `ikm_detail_queryset()` (uses the prefetched relations).
    """
    today = timezone.localdate()
    products = list(ikm.products.all())
    items = [
        CompletenessItem(str(_("Processes")), str(_("Buyers' needs are matched first by process.")),
                         bool(ikm.processes.all()), 25),
        CompletenessItem(str(_("Materials")), str(_("Needs name a material; without it we can only guess.")),
                         bool(ikm.materials.all()), 15),
        CompletenessItem(str(_("Monthly capacity")), str(_("Buyers need to know you can deliver their quantity.")),
                         ikm.capacity_tons_month is not None, 10),
        CompletenessItem(str(_("Description")),
                         str(_("We read your own words to find capabilities you did not tick.")),
                         len(ikm.description or "") >= 40, 10),
        CompletenessItem(str(_("Products with photos")),
                         str(_("Photos of real parts are what buyers look at first.")),
                         any(p.photos.all() for p in products), 10),
        CompletenessItem(str(_("Machines")), str(_("Machines show what sizes and tolerances you can reach.")),
                         bool(ikm.machines.all()), 10),
        CompletenessItem(str(_("Valid certifications")),
                         str(_("Many needs require ISO 9001, SNI or TKDN; expired ones do not count.")),
                         any(c.valid_until is None or c.valid_until >= today for c in ikm.certifications.all()), 10),
        CompletenessItem(str(_("Contact and NIB")),
                         str(_("Verified contact details and an NIB let Dinas verify you.")),
                         bool(ikm.phone and ikm.nib), 5),
        CompletenessItem(str(_("Main customers")), str(_("Experience with known buyers builds trust.")),
                         bool(ikm.main_customers), 5),
    ]
    total = sum(item.weight for item in items)
    done = sum(item.weight for item in items if item.done)
    return Completeness(percent=round(100 * done / total), items=items)


# --- supplier groups ---------------------------------------------------------------------------------------

GROUP_CANDIDATES_SHOWN = 30


def _with_member_count(queryset: QuerySet[IkmProfile]) -> QuerySet[IkmProfile]:
    return queryset.select_related("kabupaten").annotate(
        active_members=Count("memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)))


def groups_coordinated_by(user: User) -> QuerySet[IkmProfile]:
    """The supplier groups this IKM owner coordinates, with their number of active members."""
    return _with_member_count(IkmProfile.objects.filter(owner=user).exclude(group_kind=GroupKind.SINGLE)
                              ).order_by("name")


def groups_in_region(user: User) -> QuerySet[IkmProfile]:
    """The supplier groups registered in a Dinas user's region."""
    if not user.is_dinas_staff:
        return IkmProfile.objects.none()
    return _with_member_count(IkmProfile.objects.filter(region_scope_q(user)).exclude(
        group_kind=GroupKind.SINGLE)).order_by("name")


def memberships_of_owner(user: User) -> QuerySet[GroupMembership]:
    """Invitations and memberships of the IKMs this person owns (current ones; invitations first)."""
    return (GroupMembership.objects.filter(member__owner=user, status__in=[MembershipStatus.INVITED,
                                                                            MembershipStatus.ACTIVE])
            .select_related("group__kabupaten", "member", "invited_by")
            .order_by("-status", "group__name", "member__name"))


def group_memberships(group: IkmProfile, *, current_only: bool = True) -> QuerySet[GroupMembership]:
    """A group's members (active first, then invited; with ended ones unless `current_only`)."""
    statuses = [MembershipStatus.ACTIVE, MembershipStatus.INVITED]
    if not current_only:
        statuses += [MembershipStatus.LEFT, MembershipStatus.DECLINED]
    order = {s: i for i, s in enumerate(statuses)}
    return (GroupMembership.objects.filter(group=group, status__in=statuses)
            .select_related("member__kabupaten", "member__sentra", "invited_by", "ended_by")
            .order_by(Case(*(When(status=s, then=Value(i)) for s, i in order.items()), output_field=IntegerField()),
                      "member__name", "-invited_at"))


def groups_of_member(ikm: IkmProfile) -> QuerySet[GroupMembership]:
    """The groups an IKM is an active member of."""
    return (GroupMembership.objects.filter(member=ikm, status=MembershipStatus.ACTIVE)
            .select_related("group__kabupaten").order_by("group__name"))


def group_member_candidates(user: User, text: str = "", *, exclude_group: IkmProfile | None = None,
                            limit: int = GROUP_CANDIDATES_SHOWN) -> list[IkmProfile]:
    """IKMs (not groups) a person may pick as members: their own, then those whose name, sentra or
    kabupaten contains `text` (without text, Dinas staff see their region's)."""
    singles = IkmProfile.objects.filter(group_kind=GroupKind.SINGLE).select_related("kabupaten", "sentra")
    if exclude_group is not None:
        singles = singles.exclude(pk__in=GroupMembership.objects.filter(
            group=exclude_group, status__in=[MembershipStatus.INVITED, MembershipStatus.ACTIVE]).values("member_id"))
    own = list(singles.filter(owner=user).order_by("name")) if user.is_ikm_owner else []
    text = text.strip()[:100]
    if text:
        found = singles.filter(Q(name__icontains=text) | Q(sentra__name__icontains=text)
                               | Q(kabupaten__name__icontains=text))
    elif user.is_dinas_staff:
        found = singles.filter(region_scope_q(user))
    else:
        found = singles.none()
    seen = {ikm.pk for ikm in own}
    return own + list(found.exclude(pk__in=seen).order_by("name")[:limit])
