from django.urls import path

from . import views

app_name = "wellbeing"

# Addresses say "check-ins", never what about: a link seen over someone's shoulder or in a
# browser history gives nothing away.

urlpatterns = [
    path("check-ins/", views.home, name="home"),
    path("check-ins/new/<slug:instrument>/", views.check_in_new, name="check_in_new"),
    path("check-ins/<id:pk>/", views.check_in_detail, name="check_in"),
    path("check-ins/<id:pk>/delete/", views.check_in_delete, name="check_in_delete"),
    path("check-ins/delete-all/", views.delete_all, name="delete_all"),
    path("check-ins/export.json", views.export_json, name="export_json"),
    path("check-ins/export.csv", views.export_csv, name="export_csv"),
    path("check-ins/reminders/<slug:instrument>/", views.reminder_update, name="reminder"),
    path("check-ins/talk/", views.talk, name="talk"),
    path("check-ins/sharing/<slug:slug>/", views.sharing_update, name="sharing"),
    path("teams/<slug:slug>/check-ins/", views.team_page, name="team"),
    path("teams/<slug:slug>/check-ins/people/<id:user_id>/", views.team_person, name="team_person"),
]
