from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from matchmaking.search import ikm_search_index_refresh

from .groups import groups_of_members
from .models import (
    BuyerOrganisation,
    Certification,
    GroupMembership,
    IkmCertification,
    IkmProfile,
    ImportBatch,
    Kabupaten,
    KbliCode,
    Machine,
    Material,
    Process,
    ProcessGroup,
    Product,
    ProductPhoto,
    Province,
    Sentra,
    User,
    VerificationRecord,
)
from .services import ikm_changed

# The admin signs in through allauth, so brute-force protection and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("ikmportal administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "role", "buyer_organisation", "scope_kabupaten", "scope_province", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "scope_province"]
    search_fields = ["email", "name"]
    autocomplete_fields = ["buyer_organisation", "scope_kabupaten", "scope_province"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "phone", "language"]}),
        (_("Role"), {"fields": ["role", "buyer_organisation", "scope_province", "scope_kabupaten"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class RefreshesSearchOnRename(admin.ModelAdmin):
    """A renamed place is in its IKMs' directory search text: the directory finds them by the new name."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            ikm_search_index_refresh(obj.ikms.values_list("pk", flat=True))


@admin.register(Kabupaten)
class KabupatenAdmin(RefreshesSearchOnRename):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code"]


@admin.register(Sentra)
class SentraAdmin(RefreshesSearchOnRename):
    list_display = ["name", "kabupaten"]
    search_fields = ["name", "kabupaten__name"]
    autocomplete_fields = ["kabupaten"]


@admin.register(KbliCode)
class KbliCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "version", "title"]
    list_filter = ["version"]
    search_fields = ["code", "title"]


@admin.register(ProcessGroup)
class ProcessGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "group"]
    list_filter = ["group"]
    search_fields = ["code", "name_id", "name_en", "keywords"]
    # The search and the matching engine read the vocabulary's keywords from profiles/reference/taxonomy.py
    # (a DESIGN.md contract, changed with a release); an edit here would change nothing they do.
    readonly_fields = ["keywords"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "group" in form.changed_data:
            # The directory's process-group filter reads each IKM's copy of its process groups.
            ikm_changed(list(obj.ikms.values_list("pk", flat=True)))


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en"]
    search_fields = ["code", "name_id", "name_en"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en"]
    search_fields = ["code", "name_id", "name_en"]


@admin.register(BuyerOrganisation)
class BuyerOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "sector", "kabupaten"]
    list_filter = ["type"]
    search_fields = ["name", "sector"]
    autocomplete_fields = ["kabupaten"]


class IkmCertificationInline(admin.TabularInline):
    model = IkmCertification
    extra = 0


class MachineInline(admin.TabularInline):
    model = Machine
    extra = 0


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
    show_change_link = True


class VerificationRecordInline(admin.TabularInline):
    model = VerificationRecord
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "by", "at"]


class GroupMembershipInline(admin.TabularInline):
    """A supplier group's members; changed through the site (profiles.groups records who and when)."""

    model = GroupMembership
    fk_name = "group"
    extra = 0
    can_delete = False
    fields = readonly_fields = ["member", "status", "invited_by", "invited_at", "joined_at", "ended_by", "left_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IkmProfile)
class IkmProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "ref", "kabupaten", "sentra", "verification_status", "employees", "capacity_tons_month"]
    list_filter = ["verification_status", "group_kind", "business_size", "legal_form", "processes__group", "sentra",
                   "kabupaten__province"]
    search_fields = ["name", "ref", "nib", "owner_name", "email", "description"]
    autocomplete_fields = ["owner", "kabupaten", "sentra"]
    filter_horizontal = ["processes", "materials", "kbli"]
    readonly_fields = ["verification_status", "verified_at", "created_at", "updated_at"]
    inlines = [IkmCertificationInline, MachineInline, ProductInline, VerificationRecordInline, GroupMembershipInline]
    list_select_related = ["kabupaten", "sentra"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # As after an edit on the site: search columns, capability arrays, groups and matching follow.
        ikm_changed([form.instance.pk])

    def delete_model(self, request, obj):
        self._delete_and_refresh_groups(request, IkmProfile.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        self._delete_and_refresh_groups(request, queryset)

    def _delete_and_refresh_groups(self, request, queryset):
        """A deleted member's processes, capacity and staff leave the supplier groups it belonged to."""
        groups = groups_of_members(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)
        remaining = list(IkmProfile.objects.filter(pk__in=groups).values_list("pk", flat=True))
        if remaining:
            ikm_changed(remaining)


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    readonly_fields = ["image", "thumbnail", "width", "height", "uploaded_at"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "ikm"]
    search_fields = ["name", "ikm__name"]
    inlines = [ProductPhotoInline]
    autocomplete_fields = ["ikm"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "uploaded_by", "status", "created_at"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
    readonly_fields = ["kind", "uploaded_by", "filename", "status", "summary", "created_at", "finished_at"]
