from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    IKM_OWNER = "ikm_owner", _("IKM owner")
    BUYER_STAFF = "buyer_staff", _("Buyer staff")
    DINAS_STAFF = "dinas_staff", _("Dinas staff")
    ADMIN = "admin", _("Administrator")


class KabupatenKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")


class LegalForm(models.TextChoices):
    PERORANGAN = "perorangan", _("Sole proprietor (perorangan)")
    UD = "ud", "UD"
    CV = "cv", "CV"
    PT = "pt", "PT"
    KOPERASI = "koperasi", _("Cooperative (koperasi)")


class BusinessSize(models.TextChoices):
    MIKRO = "mikro", _("Micro")
    KECIL = "kecil", _("Small")
    MENENGAH = "menengah", _("Medium")


class BuyerType(models.TextChoices):
    BUMN = "bumn", _("State-owned enterprise (BUMN)")
    SWASTA = "swasta", _("Private company")
    PMA = "pma", _("Foreign-invested company (PMA)")
    PEMERINTAH = "pemerintah", _("Government")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("verification", "Pending")
    VERIFIED = "verified", pgettext_lazy("verification", "Verified")
    NEEDS_REVISION = "needs_revision", _("Needs revision")


class GroupKind(models.TextChoices):
    """Whether an IKM profile is one business or a group that supplies as one (see GroupMembership)."""

    SINGLE = "", _("Single IKM")
    KOPERASI = "koperasi", _("Cooperative (koperasi)")
    KONSORSIUM = "konsorsium", _("Consortium (konsorsium)")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", pgettext_lazy("group membership", "Left")
