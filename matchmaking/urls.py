from django.urls import include, path

from . import views

app_name = "matchmaking"
urlpatterns = [
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("needs/<int:pk>/attachments/", views.need_attachment_upload, name="need_attachment_upload"),
    path("needs/<int:pk>/attachments/<int:attachment_pk>/", views.need_attachment_download,
         name="need_attachment_download"),
    path("peluang/", views.opportunities, name="opportunities"),
    path("suppliers/", views.supplier_directory, name="supplier_directory"),
    path("needs/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("needs/<int:pk>/shortlist/<int:entry_pk>/remove/", views.shortlist_remove, name="shortlist_remove"),
    path("needs/<int:pk>/shortlist.xlsx", views.shortlist_export, name="shortlist_export"),
    path("", include("matchmaking.urls_suggestions")),
    path("", include("matchmaking.partnerships.urls")),
    path("", include("matchmaking.dashboard.urls")),
]
