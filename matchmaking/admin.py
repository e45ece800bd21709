"""Django admin for needs and partnerships: for support staff to look things up; changes go through the pages."""

from django.contrib import admin

from .models import Need, Partnership, PartnershipStageChange, PurchaseOrder


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("title", "buyer", "status", "deadline", "import_substitution")
    list_filter = ("status", "import_substitution", "buyer__type")
    search_fields = ("title", "ref", "buyer__name")
    raw_id_fields = ("buyer", "delivery_kabupaten", "created_by")


class _ReadOnlyInline(admin.TabularInline):
    """Rows shown as recorded: nothing added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class StageChangeInline(_ReadOnlyInline):
    model = PartnershipStageChange
    fields = ("at", "from_stage", "to_stage", "by", "note")


class OrderInline(_ReadOnlyInline):
    model = PurchaseOrder
    fields = ("order_date", "number", "value_idr", "recorded_by", "recorded_at")


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Read-only: the history is only trustworthy if every step goes through the services."""

    list_display = ("ikm", "buyer", "stage", "origin", "created_at", "stage_changed_at")
    list_filter = ("stage", "origin", "curation_result")
    search_fields = ("ikm__name", "buyer__name", "product")
    inlines = [StageChangeInline, OrderInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
