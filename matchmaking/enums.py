from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NeedStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("need status", "Draft")
    OPEN = "open", pgettext_lazy("need status", "Open")
    CLOSED = "closed", pgettext_lazy("need status", "Closed")
    AWARDED = "awarded", pgettext_lazy("need status", "Awarded")


class QuantityUnit(models.TextChoices):
    TON = "ton", _("tons per month")
    KG = "kg", _("kg per month")
    PCS = "pcs", _("pieces per month")


class Answer(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


class AnswerSide(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    IKM = "ikm", _("IKM")


class PartnershipStage(models.TextChoices):
    """A partnership's road from first contact to repeat orders, in order; `ended` can follow any stage."""

    CONTACT = "contact", _("Initial contact")
    CURATION = "curation", _("Buyer curation")
    SAMPLE = "sample", _("Sample")
    QUOTATION = "quotation", _("Quotation")
    FIRST_ORDER = "first_order", _("First purchase order")
    ONGOING = "ongoing", _("Ongoing partnership")
    ENDED = "ended", pgettext_lazy("partnership", "Ended")


#: The stages in their order along the road (ended is off it).
PARTNERSHIP_ROAD: tuple[str, ...] = (
    PartnershipStage.CONTACT, PartnershipStage.CURATION, PartnershipStage.SAMPLE, PartnershipStage.QUOTATION,
    PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING,
)
#: Stages from which the IKM has an order: what the dashboard and the matching engine count as success.
PARTNERSHIP_ORDERED: tuple[str, ...] = (PartnershipStage.FIRST_ORDER, PartnershipStage.ONGOING)


class PartnershipOrigin(models.TextChoices):
    MEETING = "meeting", _("Temu bisnis meeting")
    SUGGESTION = "suggestion", _("Matching suggestion")
    DIRECT = "direct", _("Direct (recorded by Dinas)")


class CurationResult(models.TextChoices):
    PASSED = "passed", _("Passed curation")
    FAILED = "failed", _("Did not pass curation")
