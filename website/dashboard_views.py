"""The coordinators' dashboard page (``website.dashboard`` gathers what it shows)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from people.permissions import (
    TeamAction,
    role_can,
    team_get_for_action,
    team_permissions,
    team_role,
)
from supervision.selectors import AttendanceStatus

from .dashboard import TrainingFilter, TrainingSort, team_dashboard


class DashboardFilterForm(forms.Form):
    name = forms.CharField(label=_("Name contains"), max_length=80, required=False)
    training = forms.ChoiceField(
        label=_("Training"), choices=TrainingFilter.CHOICES, required=False
    )
    sort = forms.ChoiceField(label=_("Sort"), choices=TrainingSort.CHOICES, required=False)
    attendance = forms.ChoiceField(
        label=_("Supervision"),
        choices=[("", _("Everyone"))] + list(AttendanceStatus.LABELS.items()),
        required=False,
    )
    tpage = forms.IntegerField(min_value=1, max_value=100_000, required=False)
    apage = forms.IntegerField(min_value=1, max_value=100_000, required=False)


@login_required
@require_GET
def dashboard(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_DASHBOARD)
    form = DashboardFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    data = team_dashboard(
        team=team,
        name=chosen.get("name", ""),
        training_filter=chosen.get("training", ""),
        training_sort=chosen.get("sort") or TrainingSort.NAME,
        attendance_filter=chosen.get("attendance", ""),
        training_page=chosen.get("tpage") or 1,
        attendance_page=chosen.get("apage") or 1,
        with_wellbeing=role_can(
            team_role(user=request.user, team=team), TeamAction.VIEW_WELLBEING_AGGREGATE
        ),
        request=request,
    )
    query = request.GET.copy()
    for key in ("tpage", "apage"):
        query.pop(key, None)
    return render(
        request,
        "website/dashboard.html",
        {
            "team": team,
            "d": data,
            "form": form,
            "query": query.urlencode(),
            "can": team_permissions(user=request.user, team=team),
        },
        status=400 if form.errors else 200,
    )
