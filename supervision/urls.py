from django.urls import path

from . import views

app_name = "supervision"

# Addresses say "meetings" and "requests": a link in an e-mail or a calendar entry must not
# tell someone reading over a volunteer's shoulder what it is about (discreet mode). Team
# addresses carry the team's slug and are never put in e-mails or calendars.

urlpatterns = [
    path("meetings/", views.home, name="home"),
    path("meetings/sessions/<id:pk>/", views.session_detail, name="session"),
    path("meetings/sessions/<id:pk>/book/", views.session_book, name="session_book"),
    path("meetings/sessions/<id:pk>/event.ics", views.session_ics, name="session_ics"),
    path("meetings/sessions/<id:pk>/change/", views.session_edit, name="session_edit"),
    path("meetings/sessions/<id:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("meetings/sessions/<id:pk>/add/", views.session_add_person, name="session_add"),
    path(
        "meetings/sessions/<id:pk>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("meetings/bookings/<id:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("meetings/requests/new/", views.debrief_new, name="debrief_new"),
    path("meetings/requests/<id:pk>/", views.debrief_detail, name="debrief"),
    path("meetings/requests/<id:pk>/take/", views.debrief_take, name="debrief_take"),
    path("meetings/requests/<id:pk>/book/", views.debrief_book, name="debrief_book"),
    path("meetings/requests/<id:pk>/close/", views.debrief_close, name="debrief_close"),
    path("meetings/slots/", views.slots, name="slots"),
    path("meetings/calendar/", views.calendar_token, name="calendar_token"),
    path("teams/<slug:slug>/meetings/", views.team_supervision, name="team"),
    path("teams/<slug:slug>/meetings/settings/", views.team_settings, name="team_settings"),
    path("teams/<slug:slug>/meetings/groups/new/", views.group_create, name="group_create"),
    path("teams/<slug:slug>/meetings/groups/<id:pk>/", views.group_detail, name="group"),
    path(
        "teams/<slug:slug>/meetings/groups/<id:pk>/change/",
        views.group_edit,
        name="group_edit",
    ),
]
