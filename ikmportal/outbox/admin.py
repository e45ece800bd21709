from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("task_name", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "task_name")
    search_fields = ("task_name", "last_error")
    readonly_fields = ("created_at", "sent_at")
