from django.urls import path, re_path

from . import views

urlpatterns = [
    path("dasbor/", views.outcomes_dashboard, name="outcomes_dashboard"),
    re_path(r"^dasbor/(?P<table>[a-z-]+)\.(?P<fmt>csv|xlsx)$", views.outcomes_dashboard_export,
            name="outcomes_dashboard_export"),
]
