"""People and organisations: users and roles, regions and sentra, the capability taxonomy, IKM
profiles and buyer organisations.

Indonesian words kept as the real terms:
- IKM (industri kecil dan menengah): a small or medium manufacturer; here a metal-working shop.
- Dinas: the regional office of industry that verifies IKMs and runs events, scoped to a region.
- kabupaten/kota: regency/city, the second administrative level below the province.
- sentra: an industrial cluster (e.g. LIK Takaru in Kabupaten Tegal), located in one kabupaten.
- NIB (Nomor Induk Berusaha): the 13-digit business identification number from OSS.
- KBLI (Klasifikasi Baku Lapangan Usaha Indonesia): the business classification, versioned.
- TKDN (Tingkat Komponen Dalam Negeri): the certified local-content percentage.
- koperasi: a cooperative; in metal clusters it often sells for its member foundries (Koperasi Batur Jaya
  speaks for some 160 foundries in Ceper).
- konsorsium: a consortium of IKMs formed to supply one need together.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import (
    BusinessSize,
    BuyerType,
    GroupKind,
    KabupatenKind,
    LegalForm,
    MembershipStatus,
    Role,
    VerificationStatus,
)
from .fields import IdArrayField


class BilingualName(models.Model):
    """Reference rows named in Indonesian and English; `name` follows the active language."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Province(models.Model):
    code = models.CharField(_("Kemendagri code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Kabupaten(models.Model):
    """A kabupaten (regency) or kota (city), the unit of region scoping and delivery location."""

    code = models.CharField(_("Kemendagri code"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="kabupaten",
                                 verbose_name=_("province"))
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, unique=True, editable=False,
                                help_text="Normalised name for case-insensitive matching on import.")
    kind = models.CharField(_("kind"), max_length=10, choices=KabupatenKind.choices)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")
        constraints = [
            # Kemendagri's scheme (PP.KK: province, then regency), which the directory's province filter
            # relies on to find a province's IKMs by their regency code alone, without a join.
            models.CheckConstraint(
                condition=models.Q(code__startswith=Concat("province", models.Value("."))),
                name="kabupaten_code_within_its_province",
                violation_error_message=_("A regency's code begins with its province's code and a dot, as "
                                          "Kemendagri numbers them (33.28 is in province 33)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Sentra(models.Model):
    """An industrial cluster of IKMs in one kabupaten (e.g. Sentra Logam Ceper, LIK Takaru)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="sentra",
                                  verbose_name=_("regency/city"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sentra (cluster)")
        verbose_name_plural = _("sentra (clusters)")

    def __str__(self) -> str:
        return self.name


class KbliCode(models.Model):
    """A KBLI business classification code; stored with its version (2020 now, 2025 exists)."""

    code = models.CharField(_("code"), max_length=5)
    version = models.CharField(_("version"), max_length=4, default="2020")
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["version", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="kbli_code_version_unique")]
        verbose_name = _("KBLI code")
        verbose_name_plural = _("KBLI codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title} (KBLI {self.version})"


class ProcessGroup(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kbli = models.ManyToManyField(KbliCode, blank=True, related_name="process_groups", verbose_name=_("KBLI"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("process group")
        verbose_name_plural = _("process groups")


class Process(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    group = models.ForeignKey(ProcessGroup, on_delete=models.PROTECT, related_name="processes",
                              verbose_name=_("group"))
    keywords = models.CharField(_("Indonesian keywords"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__position", "position"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")


class Material(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class Certification(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")


class BuyerOrganisation(models.Model):
    """A large buyer (BUMN, private manufacturer, PMA or government body) whose staff post needs."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=12, choices=BuyerType.choices)
    sector = models.CharField(_("sector"), max_length=150, blank=True)
    address = models.TextField(_("address"), blank=True)
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="buyers", verbose_name=_("regency/city"))
    logo = models.ImageField(_("logo"), upload_to="buyers/logos/", blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("buyer organisation")
        verbose_name_plural = _("buyer organisations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email and not extra_fields.get("phone"):
            raise ValueError("An e-mail address or a phone number is required.")
        user = self.model(email=self.normalize_email(email) if email else None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person signing in with an e-mail address, in one role.

    Buyer staff act for exactly one buyer organisation. Dinas staff are scoped to a kabupaten/kota,
    a province, or (neither set) the whole country.
    """

    username = None
    # An IKM owner may sign up with a phone number only (verified by SMS); then there is no e-mail address.
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.IKM_OWNER)
    buyer_organisation = models.ForeignKey(BuyerOrganisation, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="staff", verbose_name=_("buyer organisation"))
    scope_province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("scope: province"))
    scope_kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("scope: regency/city"))
    language = models.CharField(_("language"), max_length=5, default="id",
                                help_text=_("Language of e-mails sent to this person."))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.BUYER_STAFF) | models.Q(buyer_organisation__isnull=False),
                name="buyer_staff_has_organisation",
            ),
            models.UniqueConstraint(fields=["phone"], condition=~models.Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone

    @property
    def is_ikm_owner(self) -> bool:
        return self.role == Role.IKM_OWNER

    @property
    def is_buyer_staff(self) -> bool:
        return self.role == Role.BUYER_STAFF and self.buyer_organisation_id is not None

    @property
    def is_dinas_staff(self) -> bool:
        return self.role == Role.DINAS_STAFF

    @property
    def requires_two_factor(self) -> bool:
        return self.role in (Role.DINAS_STAFF, Role.ADMIN) or self.is_staff or self.is_superuser

    @property
    def scope_label(self) -> str:
        if self.scope_kabupaten_id:
            return str(self.scope_kabupaten)
        if self.scope_province_id:
            return str(self.scope_province)
        return str(_("National"))


phone_validator = RegexValidator(r"^\+62[1-9][0-9]{7,12}$", _("Enter an Indonesian phone number, e.g. 0812 3456 7890."))
nib_validator = RegexValidator(r"^[0-9]{13}$", _("The NIB has exactly 13 digits."))


class IkmProfile(models.Model):
    """An IKM: a small or medium metal-working business, with what it can make and how much.

    A supplier group (a koperasi or a konsorsium, `group_kind` set) is an IkmProfile too, so matching,
    event registration and partnerships treat it as one supplier. Its processes, materials, capacity and
    employees are those of its active members combined (kept by `profiles.groups`); its certifications
    are its own.
    """

    ref = models.CharField(_("import reference"), max_length=60, unique=True, null=True, blank=True,
                           help_text=_("The importer's own key; importing the same file again updates by it."))
    owner = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="ikms",
                              verbose_name=_("owner account"))
    legal_form = models.CharField(_("legal form"), max_length=12, choices=LegalForm.choices,
                                  default=LegalForm.PERORANGAN)
    name = models.CharField(_("business name"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, unique=True, null=True, blank=True,
                           validators=[nib_validator])
    kbli = models.ManyToManyField(KbliCode, blank=True, related_name="ikms", verbose_name=_("KBLI codes"))
    owner_name = models.CharField(_("owner's name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="ikms",
                                  verbose_name=_("regency/city"))
    sentra = models.ForeignKey(Sentra, on_delete=models.SET_NULL, null=True, blank=True, related_name="ikms",
                               verbose_name=_("sentra (cluster)"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True,
                                 validators=[MinValueValidator(-11.5), MaxValueValidator(6.5)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True,
                                  validators=[MinValueValidator(94.5), MaxValueValidator(141.5)])
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True,
                                                    validators=[MinValueValidator(1900)])
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    business_size = models.CharField(_("business size"), max_length=10, choices=BusinessSize.choices,
                                     blank=True)
    capacity_tons_month = models.DecimalField(_("capacity (tons/month)"), max_digits=9, decimal_places=2,
                                              null=True, blank=True, validators=[MinValueValidator(0)])
    processes = models.ManyToManyField(Process, blank=True, related_name="ikms", verbose_name=_("processes"))
    materials = models.ManyToManyField(Material, blank=True, related_name="ikms", verbose_name=_("materials"))
    tkdn_percent = models.DecimalField(_("TKDN (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(100)])
    main_customers = models.TextField(_("main customers and experience"), blank=True)
    description = models.TextField(_("description"), blank=True)
    verification_status = models.CharField(_("verification"), max_length=16,
                                           choices=VerificationStatus.choices,
                                           default=VerificationStatus.PENDING)
    group_kind = models.CharField(_("supplier group"), max_length=12, choices=GroupKind.choices, blank=True,
                                  default=GroupKind.SINGLE)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The supplier directory's search columns, kept by matchmaking.search: the normalised words of the
    # profile with the taxonomy's Indonesian terms (on SQLite only; empty on PostgreSQL), and its tsvector
    # (on PostgreSQL, GIN-indexed).
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Copies of the capabilities for the directory's filters, kept with the search columns (GIN-indexed on
    # PostgreSQL): one index scan each instead of a semi-join per row. Certifications are not copied:
    # whether one counts depends on today's date.
    process_ids = IdArrayField(blank=True, editable=False)
    process_group_ids = IdArrayField(blank=True, editable=False)
    material_ids = IdArrayField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("IKM profile")
        verbose_name_plural = _("IKM profiles")
        indexes = [models.Index(fields=["verification_status", "kabupaten"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_group(self) -> bool:
        return bool(self.group_kind)

    @property
    def display_name(self) -> str:
        prefix = {LegalForm.UD: "UD", LegalForm.CV: "CV", LegalForm.PT: "PT"}.get(self.legal_form)
        if prefix and not self.name.upper().startswith(prefix + " "):
            return f"{prefix} {self.name}"
        return self.name


class GroupMembership(models.Model):
    """An IKM's place in a supplier group: invited, then active, until it declines or leaves.

    Each row records who invited and when, when the member joined, and who ended it and when; leaving and
    re-joining makes a new row. A member may belong to several groups; a group is never a member.
    """

    group = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="memberships",
                              verbose_name=_("group"))
    member = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="group_memberships",
                               verbose_name=_("member"))
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices,
                              default=MembershipStatus.INVITED)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("added by"))
    invited_at = models.DateTimeField(_("added at"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    ended_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("ended by"))
    left_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["group_id", "member__name"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=models.Q(status__in=[MembershipStatus.INVITED, MembershipStatus.ACTIVE]),
                name="group_membership_current_unique",
            ),
            models.CheckConstraint(condition=~models.Q(group=models.F("member")), name="group_not_own_member"),
        ]
        indexes = [models.Index(fields=["member", "status"]), models.Index(fields=["group", "status"])]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.group_id} ({self.status})"

    @property
    def is_current(self) -> bool:
        return self.status in (MembershipStatus.INVITED, MembershipStatus.ACTIVE)


class IkmCertification(models.Model):
    """A certification an IKM holds; past `valid_until` it no longer counts."""

    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="certifications")
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="holders",
                                      verbose_name=_("certification"))
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("IKM certification")
        verbose_name_plural = _("IKM certifications")
        constraints = [models.UniqueConstraint(fields=["ikm", "certification"], name="ikm_certification_unique")]

    def __str__(self) -> str:
        return f"{self.certification} ({self.number})" if self.number else str(self.certification)

    @property
    def is_valid(self) -> bool:
        return self.valid_until is None or self.valid_until >= timezone.localdate()


class Machine(models.Model):
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="machines")
    machine_type = models.CharField(_("machine type"), max_length=150)
    count = models.PositiveSmallIntegerField(_("count"), default=1, validators=[MinValueValidator(1)])
    capacity = models.CharField(_("capacity"), max_length=100, blank=True,
                                help_text=_("For example: 500 kg per heat, max. diameter 300 mm."))

    class Meta:
        ordering = ["id"]
        verbose_name = _("machine")
        verbose_name_plural = _("machines")

    def __str__(self) -> str:
        return f"{self.count}× {self.machine_type}"


class Product(models.Model):
    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("product name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class ProductPhoto(models.Model):
    """A product photo, stored re-encoded without EXIF, resized, with a thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="products/")
    thumbnail = models.ImageField(upload_to="products/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return self.image.name


class VerificationRecord(models.Model):
    """One change of an IKM's verification state: who, when, to what, and why."""

    ikm = models.ForeignKey(IkmProfile, on_delete=models.CASCADE, related_name="verification_records")
    from_status = models.CharField(max_length=16, choices=VerificationStatus.choices)
    to_status = models.CharField(max_length=16, choices=VerificationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("verification record")
        verbose_name_plural = _("verification records")

    def __str__(self) -> str:
        return f"{self.ikm_id}: {self.from_status} → {self.to_status}"


class ImportBatch(models.Model):
    """An uploaded import file kept between its preview and the person's decision to commit or cancel."""

    class Kind(models.TextChoices):
        IKM = "ikm", _("IKMs")
        NEEDS = "needs", _("Buyer needs")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        COMMITTED = "committed", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="import_batches")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
