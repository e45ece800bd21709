"""Suggestion URLs; included from matchmaking/urls.py (names live in the "matchmaking" namespace)."""

from django.urls import path

from . import views_suggestions as views

urlpatterns = [
    path("needs/<int:pk>/suggestions/", views.need_suggestions, name="need_suggestions"),
    path("ikm/<int:pk>/opportunities/", views.ikm_opportunities, name="ikm_opportunities"),
    path("suggestions/<int:need_pk>/<int:ikm_pk>/answer/", views.suggestion_answer_view, name="suggestion_answer"),
    path("needs/<int:pk>/consortium/", views.consortium_group_create, name="consortium_group_create"),
    path("dinas/matching/", views.dinas_matching_summary, name="dinas_matching_summary"),
]
