"""Reading people, organisations and IKM profiles, already joined for the page that needs them."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Role, VerificationStatus
from .models import IkmCertification, IkmProfile, Kabupaten, Product, User


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
