"""Required courses are managed by coordinators in the site; site admins can correct them
here. Attempts, progress and reflection notes are personal and are not listed."""

from django.contrib import admin

from .models import CourseAssignment


@admin.register(CourseAssignment)
class CourseAssignmentAdmin(admin.ModelAdmin):
    list_display = ["course", "team", "due_date", "validity_months"]
    list_filter = ["team"]
    raw_id_fields = ["course", "assigned_by"]
