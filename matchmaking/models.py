"""Buyer needs (kebutuhan), suggestions from the matching engine and the answers to them.

- kebutuhan: a buyer organisation's need for a component or process, matched against IKM profiles.
- TKDN minimum: the local-content percentage a need asks of a supplier.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikmportal.storage import private_storage
from profiles.models import BuyerOrganisation, Certification, IkmProfile, Kabupaten, Material, Process, User

from .enums import (
    Answer,
    AnswerSide,
    CurationResult,
    NeedStatus,
    PartnershipOrigin,
    PartnershipStage,
    QuantityUnit,
)


class Need(models.Model):
    buyer = models.ForeignKey(BuyerOrganisation, on_delete=models.CASCADE, related_name="needs",
                              verbose_name=_("buyer"))
    ref = models.CharField(_("import reference"), max_length=60, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    component_category = models.CharField(_("component category"), max_length=120, blank=True)
    processes = models.ManyToManyField(Process, through="NeedProcess", related_name="needs",
                                       verbose_name=_("processes"))
    materials = models.ManyToManyField(Material, through="NeedMaterial", related_name="needs",
                                       verbose_name=_("materials"))
    certifications = models.ManyToManyField(Certification, through="NeedCertification", related_name="needs",
                                            verbose_name=_("certifications"))
    quantity = models.DecimalField(_("quantity per month"), max_digits=12, decimal_places=2, null=True,
                                   blank=True, validators=[MinValueValidator(0)])
    quantity_unit = models.CharField(_("unit"), max_length=4, choices=QuantityUnit.choices, default=QuantityUnit.TON)
    tolerance = models.CharField(_("tolerance or quality standard"), max_length=200, blank=True)
    delivery_kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="needs", verbose_name=_("delivery regency/city"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    import_substitution = models.BooleanField(_("currently imported"), default=False,
                                              help_text=_("The part is imported today; a local supplier would replace the import."))
    min_tkdn_percent = models.DecimalField(_("minimum TKDN (%)"), max_digits=5, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])
    estimated_value_idr = models.BigIntegerField(_("estimated annual value (Rp)"), null=True, blank=True,
                                                 validators=[MinValueValidator(0)])
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def quantity_tons_month(self) -> Decimal | None:
        """The quantity in tons per month, when the unit allows (pieces do not)."""
        if self.quantity is None:
            return None
        if self.quantity_unit == QuantityUnit.TON:
            return self.quantity
        if self.quantity_unit == QuantityUnit.KG:
            return self.quantity / 1000
        return None

    @property
    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN


class NeedProcess(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="need_processes")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "process"], name="need_process_unique")]

    def __str__(self) -> str:
        return f"{self.process} ({'required' if self.required else 'preferred'})"


class NeedMaterial(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="need_materials")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "material"], name="need_material_unique")]

    def __str__(self) -> str:
        return f"{self.material} ({'required' if self.required else 'preferred'})"


class NeedCertification(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="need_certifications")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "certification"], name="need_certification_unique")]

    def __str__(self) -> str:
        return f"{self.certification} ({'required' if self.required else 'preferred'})"


def _attachment_path(instance, filename: str) -> str:
    return f"needs/{instance.need_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class NeedAttachment(models.Model):
    """A drawing or specification; confidential, stored outside MEDIA_ROOT, served by a checked view."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class NeedStatusChange(models.Model):
    """One change of a need's status: who, when, from, to."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    to_status = models.CharField(max_length=10, choices=NeedStatus.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.need_id}: {self.from_status} → {self.to_status}"


class Suggestion(models.Model):
    """The matching engine's ranked suggestion of an IKM for a need, with the score's components."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="suggestions")
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="suggestions")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    components = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["need", "rank"]
        constraints = [models.UniqueConstraint(fields=["need", "ikm"], name="suggestion_need_ikm_unique")]
        indexes = [models.Index(fields=["ikm", "-score"])]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return f"{self.need_id} #{self.rank}: {self.ikm_id} ({self.score:.2f})"


class SuggestionAnswer(models.Model):
    """A side's answer to a need–IKM pairing; kept when suggestions are recomputed (they may vanish)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="answers")
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="answers")
    side = models.CharField(max_length=5, choices=AnswerSide.choices)
    answer = models.CharField(max_length=15, choices=Answer.choices)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "ikm", "side"], name="answer_need_ikm_side_unique")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.side} {self.answer}: {self.need_id}/{self.ikm_id}"


class ShortlistEntry(models.Model):
    """A supplier a buyer saved for one of its needs, with a note (the need's shortlist)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="shortlist")
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="shortlisted")
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["need", "ikm"], name="shortlist_need_ikm_unique")]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")

    def __str__(self) -> str:
        return f"{self.need_id}: {self.ikm_id}"


class Partnership(models.Model):
    """A kemitraan: one IKM (or supplier group) and one buyer organisation on the road to purchase orders.

    - kurasi (curation): the buyer's check of the IKM (factory visit, documents, quality) — passed or not.
    At most one partnership of a pair is open (not ended) at a time; every stage change is kept.
    """

    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="partnerships",
                            verbose_name=_("IKM"))
    buyer = models.ForeignKey(BuyerOrganisation, on_delete=models.CASCADE, related_name="partnerships",
                              verbose_name=_("buyer"))
    origin = models.CharField(_("origin"), max_length=12, choices=PartnershipOrigin.choices)
    meeting = models.ForeignKey("events.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="partnerships")
    event = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="partnerships", verbose_name=_("event"))
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships",
                             verbose_name=_("need"))
    product = models.CharField(_("product or scope"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=PartnershipStage.choices,
                             default=PartnershipStage.CONTACT)
    curation_result = models.CharField(_("curation"), max_length=8, choices=CurationResult.choices, blank=True)
    curation_note = models.TextField(_("curation note"), blank=True)
    ended_reason = models.TextField(_("reason for ending"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-stage_changed_at"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["ikm", "buyer"], condition=~models.Q(stage=PartnershipStage.ENDED),
                                    name="partnership_one_open_per_pair"),
        ]
        indexes = [models.Index(fields=["stage", "created_at"]), models.Index(fields=["event", "stage"])]

    def __str__(self) -> str:
        return f"{self.ikm} – {self.buyer}"

    @property
    def is_open(self) -> bool:
        return self.stage != PartnershipStage.ENDED


class PartnershipStageChange(models.Model):
    """One step of a partnership: from which stage to which, who, when, and what they said."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=PartnershipStage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=PartnershipStage.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("partnership stage change")
        verbose_name_plural = _("partnership stage changes")

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.from_stage or '-'} → {self.to_stage}"


class PurchaseOrder(models.Model):
    """A purchase order (PO) the buyer placed with the IKM under a partnership; the first one is the milestone."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(_("PO number"), max_length=60, blank=True)
    value_idr = models.DecimalField(_("value (Rp)"), max_digits=16, decimal_places=0,
                                    validators=[MinValueValidator(1)])
    order_date = models.DateField(_("order date"))
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order_date", "id"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        indexes = [models.Index(fields=["order_date"])]

    def __str__(self) -> str:
        return f"{self.partnership_id}: Rp {self.value_idr} ({self.order_date})"


class PartnershipReminder(models.Model):
    """The n-months-after request to both sides to update an open partnership: sent once, answered or not."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminders")
    months = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "months"], name="reminder_once_per_month_mark")]

    def __str__(self) -> str:
        return f"{self.partnership_id} +{self.months}m"
