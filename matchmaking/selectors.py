"""Reading needs for the pages that show them, already joined and counted in the database."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from profiles.models import BuyerOrganisation, IkmProfile

from .enums import Answer, AnswerSide, NeedStatus
from .models import Need, NeedCertification, NeedMaterial, NeedProcess


def need_detail_queryset() -> QuerySet[Need]:
    return Need.objects.select_related("buyer", "delivery_kabupaten__province").prefetch_related(
        Prefetch("need_processes", queryset=NeedProcess.objects.select_related("process")),
        Prefetch("need_materials", queryset=NeedMaterial.objects.select_related("material")),
        Prefetch("need_certifications", queryset=NeedCertification.objects.select_related("certification")),
        "attachments",
    )


def needs_of_organisation(organisation: BuyerOrganisation) -> QuerySet[Need]:
    """An organisation's needs with the number of suggestions and of IKMs that said they are interested."""
    return (
        Need.objects.filter(buyer=organisation)
        .select_related("delivery_kabupaten")
        .annotate(
            suggestion_count=Count("suggestions", distinct=True),
            interested_count=Count("answers", filter=Q(answers__side=AnswerSide.IKM,
                                                       answers__answer=Answer.INTERESTED), distinct=True),
        )
        .order_by("-created_at")
    )


def open_needs() -> QuerySet[Need]:
    """Open needs whose deadline has not passed, soonest deadline first."""
    today = timezone.localdate()
    return (
        need_detail_queryset()
        .filter(status=NeedStatus.OPEN)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .order_by("deadline", "-created_at")
    )


@dataclass
class RequirementFit:
    """Which of a need's requirements an IKM meets, as ticked on its profile (valid certificates only)."""

    met: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    preferred_met: list[str] = field(default_factory=list)

    @property
    def required_total(self) -> int:
        return len(self.met) + len(self.missing)


def requirement_fit(need: Need, ikm: IkmProfile) -> RequirementFit:
    """Compare a need (loaded with need_detail_queryset) with an IKM (loaded with ikm_detail_queryset)."""
    today = timezone.localdate()
    processes = {p.pk for p in ikm.processes.all()}
    materials = {m.pk for m in ikm.materials.all()}
    certifications = {c.certification_id for c in ikm.certifications.all()
                      if c.valid_until is None or c.valid_until >= today}
    fit = RequirementFit()
    rows = [(r.process, r.process_id in processes, r.required) for r in need.need_processes.all()]
    rows += [(r.material, r.material_id in materials, r.required) for r in need.need_materials.all()]
    rows += [(r.certification, r.certification_id in certifications, r.required)
             for r in need.need_certifications.all()]
    for item, ok, required in rows:
        if required:
            (fit.met if ok else fit.missing).append(item.name)
        elif ok:
            fit.preferred_met.append(item.name)
    if need.quantity_tons_month is not None and ikm.capacity_tons_month is not None:
        from django.utils.translation import gettext as _

        label = _("capacity %(have)s t/month for %(need)s t/month") % {
            "have": f"{ikm.capacity_tons_month:g}", "need": f"{need.quantity_tons_month:g}"}
        (fit.met if ikm.capacity_tons_month >= need.quantity_tons_month else fit.missing).append(label)
    return fit


def directory_queryset() -> QuerySet[IkmProfile]:
    """Suppliers as the directory's result cards need them, in a fixed number of queries."""
    from profiles.models import Product

    return (
        IkmProfile.objects.exclude(verification_status="needs_revision")
        .select_related("kabupaten", "sentra")
        .defer("search_document", "search_vector", "description", "main_customers", "address")
        .prefetch_related("processes", Prefetch("products", queryset=Product.objects.prefetch_related("photos")))
        .order_by("-verification_status", "name")
    )
