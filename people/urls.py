from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create_view, name="team_create"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/settings/", views.team_settings, name="team_settings"),
    path("teams/<slug:slug>/members/<id:pk>/", views.member_detail, name="member"),
    path("teams/<slug:slug>/members/<id:pk>/remove/", views.member_remove, name="member_remove"),
    path("teams/<slug:slug>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "teams/<slug:slug>/invitations/<id:pk>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<token:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("me/settings/", views.preferences, name="preferences"),
]
