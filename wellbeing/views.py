"""Wellbeing pages. A person's own pages read only their own check-ins; team pages show what
the team's volunteers chose to share, and write an access record for each person shown.
Every page is ``Cache-Control: no-store``."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import Role, Team, User
from people.permissions import TeamAction, team_get_for_action
from website.exports import csv_response
from website.forms import form_add_service_error

from . import instruments, selectors, services
from .charts import chart_for, table_for
from .forms import CheckInForm, ReminderForm, SharingForm, TalkForm
from .models import AccessRecord, CheckIn, Reminder, SharingChoice
from .permissions import can_see_flags, can_see_scores_of, can_see_team_page, can_see_team_totals


def instrument_or_404(key: str) -> instruments.Instrument:
    try:
        return instruments.get(key)
    except KeyError as error:
        raise Http404 from error


def own_check_in_or_404(*, user, pk) -> CheckIn:
    return get_object_or_404(CheckIn, pk=pk, user=user)


def charts_of(*, user, instrument) -> list:
    out = []
    for subscale_series in [selectors.trend_of(user=user, instrument=instrument)]:
        if not any(s.points for s in subscale_series):
            continue
        minimum = min(s.subscale.minimum for s in subscale_series)
        maximum = max(s.subscale.maximum for s in subscale_series)
        out.append(
            {
                "instrument": instrument,
                "chart": chart_for(subscale_series, minimum=minimum, maximum=maximum),
                "series": subscale_series,
                "rows": table_for(subscale_series),
            }
        )
    return out


def talk_teams(user):
    return Team.objects.filter(
        memberships__user=user, memberships__role__in=[Role.VOLUNTEER, Role.COORDINATOR]
    ).order_by("name")


@never_cache
@login_required
@require_GET
def home(request):
    user = request.user
    summaries = selectors.instruments_for(user=user)
    reminders = {r.instrument: r.every_days for r in Reminder.objects.filter(user=user)}
    charts = []
    for summary in summaries:
        if summary.last is not None:
            charts += charts_of(user=user, instrument=summary.instrument)
    teams = talk_teams(user)
    context = {
        "summaries": [
            (
                s,
                ReminderForm(
                    initial={"every": reminders.get(s.instrument.key)}, prefix=s.instrument.key
                ),
            )
            for s in summaries
        ],
        "charts": charts,
        "sharing": [
            (team, SharingForm(initial=_sharing_initial(choice), prefix=f"team-{team.pk}"))
            for team, choice in selectors.sharing_of(user=user)
        ],
        "accesses": selectors.access_records_of(user=user),
        "talk_form": TalkForm(teams=teams) if teams else None,
        "has_check_ins": CheckIn.objects.filter(user=user).exists(),
    }
    return render(request, "wellbeing/home.html", context)


def _sharing_initial(choice: SharingChoice | None) -> dict:
    if choice is None:
        return {}
    return {
        "flag_to_supervisors": choice.flag_to_supervisors,
        "scores_to_coordinators": choice.scores_to_coordinators,
        "left_out_of_totals": choice.left_out_of_totals,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check_in_new(request, instrument):
    definition = instrument_or_404(instrument)
    questionnaire = selectors.questionnaire_for(instrument=definition, language=get_language())
    if not questionnaire.ready:
        return render(request, "wellbeing/not_loaded.html", {"instrument": definition}, status=404)
    form = CheckInForm(
        request.POST if request.method == "POST" else None, questionnaire=questionnaire
    )
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.checkin_create(
                user=request.user,
                instrument_key=definition.key,
                answers=form.answers(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            return redirect("wellbeing:check_in", pk=check_in.pk)
    return render(
        request,
        "wellbeing/check_in_form.html",
        {
            "instrument": definition,
            "questionnaire": questionnaire,
            "form": form,
            "wording_elsewhere": questionnaire.language != get_language(),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_GET
def check_in_detail(request, pk):
    check_in = own_check_in_or_404(user=request.user, pk=pk)
    definition = check_in.definition
    results = []
    for subscale in definition.subscales:
        data = check_in.scores.get("subscales", {}).get(subscale.key) or {}
        band = next((b for b in subscale.bands if b.key == data.get("band")), None)
        results.append({"subscale": subscale, "data": data, "band": band})
    teams = talk_teams(request.user)
    team = teams.first()
    previous = (
        CheckIn.objects.filter(
            user=request.user, instrument=check_in.instrument, created_at__lt=check_in.created_at
        )
        .order_by("-created_at")
        .first()
    )
    change = None
    if definition.key == "who5" and previous is not None:
        before, after = previous.subscale_value("wellbeing"), check_in.subscale_value("wellbeing")
        if before is not None and after is not None and abs(after - before) >= 10:
            change = after - before
    context = {
        "check_in": check_in,
        "instrument": definition,
        "results": results,
        "resource": selectors.resource_for(team=team) if check_in.concern else None,
        "talk_form": TalkForm(teams=teams) if teams and check_in.concern else None,
        "change": change,
    }
    return render(request, "wellbeing/check_in.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def check_in_delete(request, pk):
    check_in = own_check_in_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        services.checkin_delete(check_in=check_in, by=request.user)
        messages.success(request, _("The check-in was deleted."))
        return redirect("wellbeing:home")
    return render(request, "wellbeing/check_in_delete.html", {"check_in": check_in})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_all(request):
    count = CheckIn.objects.filter(user=request.user).count()
    if request.method == "POST":
        services.checkins_delete_all(user=request.user)
        messages.success(request, _("All your check-ins were deleted."))
        return redirect("wellbeing:home")
    return render(request, "wellbeing/delete_all.html", {"count": count})


@never_cache
@login_required
@require_GET
def export_json(request):
    body = json.dumps(
        {
            "exported_at": timezone.now().isoformat(),
            "check_ins": selectors.export_rows(user=request.user),
        },
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-check-ins.json"'
    return response


@never_cache
@login_required
@require_GET
def export_csv(request):
    rows = []
    for row in selectors.export_rows(user=request.user):
        for item, answer in row["answers"].items():
            rows.append(
                [row["id"], row["questionnaire"], row["answered_at"], "answer", item, answer, ""]
            )
        for key, score in row["scores"].items():
            rows.append(
                [
                    row["id"],
                    row["questionnaire"],
                    row["answered_at"],
                    "score",
                    key,
                    "" if score.get("value") is None else score["value"],
                    score.get("band") or "",
                ]
            )
        if row["note"]:
            rows.append(
                [row["id"], row["questionnaire"], row["answered_at"], "note", "", row["note"], ""]
            )
    return csv_response(
        filename="my-check-ins.csv",
        header=[
            "check_in",
            "questionnaire",
            "answered_at",
            "kind",
            "item_or_scale",
            "value",
            "band",
        ],
        rows=rows,
    )


@login_required
@require_POST
def sharing_update(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_TEAM)
    form = SharingForm(request.POST, prefix=f"team-{team.pk}")
    if not form.is_valid():  # booleans: only a forged form gets here
        raise PermissionDenied
    services.sharing_update(user=request.user, team=team, **form.cleaned_data)
    messages.success(request, _("Your choices for %(team)s are saved.") % {"team": team.name})
    return redirect("wellbeing:home")


@login_required
@require_POST
def reminder_update(request, instrument):
    definition = instrument_or_404(instrument)
    form = ReminderForm(request.POST, prefix=definition.key)
    if not form.is_valid():
        messages.error(request, _("Choose how often."))
        return redirect("wellbeing:home")
    services.reminder_set(
        user=request.user, instrument_key=definition.key, every_days=form.cleaned_data["every"]
    )
    messages.success(request, _("Your reminder is saved."))
    return redirect("wellbeing:home")


@login_required
@require_POST
def talk(request):
    teams = talk_teams(request.user)
    if not teams:
        raise PermissionDenied
    form = TalkForm(request.POST, teams=teams)
    if not form.is_valid():
        messages.error(request, _("Choose a team."))
        return redirect("wellbeing:home")
    debrief = services.talk_request(user=request.user, team=form.cleaned_data["team"])
    messages.success(
        request,
        _("Your request was sent to the team's supervisors. Someone will be in touch."),
    )
    return redirect("supervision:debrief", pk=debrief.pk)


# --- Team pages ---------------------------------------------------------------------------


def totals_cells(instrument, months):
    """Each month's mean and band counts per subscale, in the subscales' order."""
    for month in months:
        month.cells = []
        for subscale in instrument.subscales:
            labels = {band.key: str(band.label) for band in subscale.bands}
            counts = month.bands.get(subscale.key, {})
            month.cells.append(
                {
                    "mean": month.means.get(subscale.key),
                    "bands": [
                        (labels[band.key], counts[band.key])
                        for band in subscale.bands
                        if counts.get(band.key)
                    ],
                }
            )
    return months


@never_cache
@login_required
@require_GET
def team_page(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_TEAM)
    if not can_see_team_page(user=request.user, team=team):
        raise PermissionDenied
    context = {"team": team, "min_respondents": selectors.min_respondents()}
    if can_see_team_totals(user=request.user, team=team):
        # The weekly pulse first (most people answer it), then the validated questionnaires;
        # months nobody answered are left out.
        context["totals"] = [
            (instrument, [m for m in months if m.respondents])
            for instrument in sorted(instruments.INSTRUMENTS.values(), key=lambda i: i.validated)
            for months in [
                totals_cells(instrument, selectors.team_totals(team=team, instrument=instrument))
            ]
        ]
        people = list(selectors.sharing_scores(team=team))
        latest = selectors.latest_results(users=people)
        for person in people:
            if person.pk in latest:
                services.access_record(
                    viewer=request.user, subject=person, team=team, what=AccessRecord.What.SCORES
                )
        context["shared"] = [(person, latest.get(person.pk, [])) for person in people]
    if can_see_flags(user=request.user, team=team):
        flags = selectors.shared_flags(team=team)
        for flag in flags:
            services.access_record(
                viewer=request.user, subject=flag.user, team=team, what=AccessRecord.What.FLAG
            )
        context["flags"] = flags
    return render(request, "wellbeing/team.html", context)


@never_cache
@login_required
@require_GET
def team_person(request, slug, user_id):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_TEAM)
    subject = User.objects.filter(pk=user_id, is_active=True).first()
    if subject is None or subject.pk == request.user.pk:
        raise Http404
    if not can_see_scores_of(user=request.user, team=team, subject=subject):
        raise Http404  # as if there were nothing: a choice not made is not revealed
    services.access_record(
        viewer=request.user, subject=subject, team=team, what=AccessRecord.What.SCORES
    )
    charts = []
    for instrument in instruments.INSTRUMENTS.values():
        charts += charts_of(user=subject, instrument=instrument)
    return render(
        request, "wellbeing/team_person.html", {"team": team, "person": subject, "charts": charts}
    )
