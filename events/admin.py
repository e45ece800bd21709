from django.contrib import admin

from .models import Event, EventStatusChange, Meeting, MeetingRequest, Outcome, Registration, ScheduleRun


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kabupaten", "start_date", "status"]
    list_filter = ["status"]
    search_fields = ["title", "organiser", "venue"]
    filter_horizontal = ["eligible_kabupaten", "eligible_process_groups"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "kind", "seats", "status", "checked_in_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["event", "ikm", "buyer", "registered_by", "decided_by", "checked_in_by"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "priority", "part_of_day", "status", "added_by_dinas"]
    list_filter = ["status", "priority"]
    raw_id_fields = ["event", "requester", "recipient", "created_by", "answered_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "slot", "table", "locked", "status", "sequence"]
    list_filter = ["status", "locked"]
    raw_id_fields = ["event", "request", "status_changed_by"]


admin.site.register(ScheduleRun)
admin.site.register(EventStatusChange)
admin.site.register(Outcome)
