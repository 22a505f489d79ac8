from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("learning/modules/<id:page_id>/read/", views.module_read, name="module_read"),
    path("learning/modules/<id:page_id>/quiz/", views.quiz_start, name="quiz_start_page"),
    path(
        "learning/modules/<id:page_id>/reflections/<code:block_id>/",
        views.reflection_save,
        name="reflection_save",
    ),
    path("learning/attempts/<uuid:attempt_id>/", views.attempt_view, name="attempt"),
    path("learning/results/", views.my_results, name="my_results"),
    path("learning/certificates/", views.my_certificates, name="my_certificates"),
    path("certificates/<code:code>/", views.certificate, name="certificate"),
    path("teams/<slug:slug>/training/", views.team_training, name="team_training"),
    path(
        "teams/<slug:slug>/training/export.csv",
        views.team_training_export,
        name="team_training_export",
    ),
    path(
        "teams/<slug:slug>/training/<id:pk>/remove/",
        views.team_training_remove,
        name="team_training_remove",
    ),
    path(
        "teams/<slug:slug>/training/<id:pk>/people/<id:user_id>/",
        views.team_volunteer_course,
        name="team_volunteer_course",
    ),
]
