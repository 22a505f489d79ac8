from django.urls import path

from . import audit_views, own_data_views, views

app_name = "people"

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create_view, name="team_create"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/settings/", views.team_settings, name="team_settings"),
    path("teams/<slug:slug>/members/<id:pk>/", views.member_detail, name="member"),
    path("teams/<slug:slug>/members/<id:pk>/remove/", views.member_remove, name="member_remove"),
    path("teams/<slug:slug>/members/<id:pk>/suspend/", views.member_suspend, name="member_suspend"),
    path(
        "teams/<slug:slug>/members/<id:pk>/reinstate/",
        views.member_reinstate,
        name="member_reinstate",
    ),
    path("teams/<slug:slug>/invitations/", views.invitation_list, name="invitation_list"),
    path(
        "teams/<slug:slug>/invitations/<id:pk>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("teams/<slug:slug>/audit/", audit_views.team_audit, name="team_audit"),
    path("invitations/<token:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("me/settings/", views.preferences, name="preferences"),
    path("me/data/", own_data_views.own_data, name="own_data"),
    path("me/delete/", own_data_views.account_delete, name="account_delete"),
    path("me/devices/", views.devices, name="devices"),
]
