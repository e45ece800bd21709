from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ikm/mine/", views.my_ikms, name="my_ikms"),
    path("ikm/new/", views.ikm_create, name="ikm_create"),
    path("ikm/<int:pk>/", views.ikm_detail, name="ikm_detail"),
    path("ikm/<int:pk>/edit/", views.ikm_edit, name="ikm_edit_start"),
    path("ikm/<int:pk>/edit/<slug:step>/", views.ikm_edit, name="ikm_edit"),
    path("ikm/<int:pk>/products/<int:product_pk>/photos/", views.product_photo_upload, name="product_photo_upload"),
    path("ikm/<int:pk>/photos/<int:photo_pk>/delete/", views.product_photo_remove, name="product_photo_remove"),
    path("ikm/<int:pk>/verify/", views.ikm_verify, name="ikm_verify"),
    path("organisations/<int:pk>/edit/", views.buyer_organisation_edit, name="buyer_organisation_edit"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create_view, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/add/", views.group_member_add, name="group_member_add"),
    path("groups/<int:pk>/coordinator/", views.group_coordinator, name="group_coordinator"),
    path("groups/memberships/<int:pk>/<slug:action>/", views.membership_action, name="membership_action"),
    path("dinas/verification/", views.verification_queue, name="verification_queue"),
    path("dinas/import/", views.ikm_import, name="ikm_import"),
    path("dinas/import/<int:pk>/", views.ikm_import_preview, name="ikm_import_preview"),
    path("dinas/import/<int:pk>/decide/", views.ikm_import_decide, name="ikm_import_decide"),
]
