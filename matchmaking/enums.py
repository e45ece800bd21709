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
