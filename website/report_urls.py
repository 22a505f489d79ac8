from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("teams/<slug:slug>/report/", report_views.team_report_view, name="team_report"),
]
