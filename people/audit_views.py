"""The team's audit trail, for its coordinators and the site admins."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .audit import AuditFilterForm, team_audit_page, team_audit_people
from .permissions import TeamAction, team_get_for_action


@login_required
@require_GET
def team_audit(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_AUDIT)
    form = AuditFilterForm(request.GET, members=team_audit_people(team=team))
    page = None
    if form.is_valid():
        page = team_audit_page(
            team=team, filters=form.filters(), page_number=request.GET.get("page")
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/audit.html",
        {"team": team, "form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )
