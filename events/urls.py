from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/status/", views.event_status, name="event_status"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/registrations/", views.registration_list, name="registration_list"),
    path("events/<int:pk>/registrations/import/", views.participant_import, name="participant_import"),
    path("events/<int:pk>/requests/", views.request_list, name="request_list"),
    path("events/<int:pk>/schedule/", views.schedule, name="schedule"),
    path("events/<int:pk>/schedule/run/", views.schedule_run, name="schedule_run"),
    path("events/<int:pk>/tables/", views.table_sheets, name="table_sheets"),
    path("events/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("events/<int:pk>/board/", views.board, name="board"),
    path("events/<int:pk>/report/", views.report, name="report"),
    path("events/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("events/registrations/<int:pk>/", views.participant, name="participant"),
    path("events/registrations/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
    path("events/registrations/<int:pk>/availability/", views.availability, name="availability"),
    path("events/registrations/<int:pk>/requests/", views.request_create, name="request_create"),
    path("events/registrations/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("events/registrations/<int:pk>/agenda.ics", views.agenda_calendar, name="agenda_ics"),
    path("events/registrations/<int:pk>/agenda.pdf", views.agenda_document, name="agenda_pdf"),
    path("events/registrations/<int:pk>/checkin/", views.checkin_mark, name="checkin_mark"),
    path("events/checkin/<uuid:token>/", views.checkin_scan, name="checkin_scan"),
    path("events/requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("events/requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("events/meetings/<int:pk>/place/", views.meeting_place, name="meeting_place"),
    path("events/meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("events/meetings/<int:pk>/outcome/", views.outcome, name="outcome"),
]
