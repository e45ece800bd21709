from django.urls import path

from . import views

urlpatterns = [
    path("kemitraan/", views.partnership_index, name="partnership_list"),
    path("kemitraan/catat/", views.partnership_record, name="partnership_record"),
    path("kemitraan/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("kemitraan/perbarui/<str:token>/", views.partnership_update_link, name="partnership_update_link"),
    path("needs/<int:need_pk>/suggestions/<int:ikm_pk>/partnership/", views.partnership_from_suggestion,
         name="partnership_from_suggestion"),
]
