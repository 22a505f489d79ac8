from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("learning/modules/<int:page_id>/read/", views.module_read, name="module_read"),
    path("learning/modules/<int:page_id>/quiz/", views.quiz_start, name="quiz_start_page"),
    path(
        "learning/modules/<int:page_id>/reflections/<str:block_id>/",
        views.reflection_save,
        name="reflection_save",
    ),
    path("learning/attempts/<uuid:attempt_id>/", views.attempt_view, name="attempt"),
    path("learning/certificates/", views.my_certificates, name="my_certificates"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("teams/<slug:slug>/training/", views.team_training, name="team_training"),
    path(
        "teams/<slug:slug>/training/<int:pk>/remove/",
        views.team_training_remove,
        name="team_training_remove",
    ),
]
