"""/api/: the OpenAPI schema, its documentation page, and version 1 of the API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("needs", views.OpenNeedViewSet, basename="need")
router.register("buyer/needs", views.BuyerNeedViewSet, basename="buyer-need")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("events", views.EventViewSet, basename="event")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("kabupaten", views.KabupatenViewSet, basename="kabupaten")
router.register("process-groups", views.ProcessGroupViewSet, basename="process-group")
router.register("processes", views.ProcessViewSet, basename="process")
router.register("materials", views.MaterialViewSet, basename="material")
router.register("certifications", views.CertificationViewSet, basename="certification")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("v1/", include(router.urls)),
]
