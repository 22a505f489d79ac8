"""Supervision views: each checks access, calls one service or selector, and renders."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import Role, Team
from people.permissions import TeamAction, team_get_for_action, team_role, user_team_roles
from website.converters import IdConverter
from website.forms import form_add_service_error

from . import selectors, services
from .calendars import calendar_build, feed_name
from .forms import (
    AddPersonForm,
    AttendanceForm,
    DebriefRequestForm,
    DebriefSlotForm,
    GroupForm,
    SessionAddForm,
    SessionEditForm,
    TeamSupervisionSettingsForm,
    local_datetime,
)
from .models import Booking, DebriefRequest, Session, SessionKind, SupervisionGroup
from .permissions import (
    can_manage_supervision,
    can_mark_attendance,
    can_read_debrief_note,
    can_run_session,
    can_see_debrief,
    can_take_debrief,
    can_view_session,
)
from .recurrence import rule_describe


def id_from(value) -> int | None:
    try:
        return IdConverter().to_python(str(value or ""))
    except ValueError:
        return None


def session_or_404(*, user, pk) -> Session:
    """A session the person may see; any other is "not found", like one that does not exist."""
    session = get_object_or_404(
        Session.objects.select_related("group", "team", "supervisor", "offered_for"), pk=pk
    )
    booking = session.bookings.filter(user=user).exclude(status="cancelled").first()
    if not can_view_session(user=user, session=session, booking=booking):
        raise Http404
    return session


def teams_where(user, roles) -> list[Team]:
    ids = [team_id for team_id, role in user_team_roles(user=user).items() if role in roles]
    return list(Team.objects.filter(pk__in=ids).order_by("name"))


@login_required
@require_GET
def home(request):
    user = request.user
    roles = user_team_roles(user=user)
    member_teams = teams_where(user, {Role.VOLUNTEER, Role.COORDINATOR})
    supervising = Role.SUPERVISOR in roles.values()
    context = {
        "upcoming": selectors.upcoming_for(user=user),
        "my_debriefs": selectors.debriefs_of(user=user),
        "attendance": [
            (team, selectors.my_attendance(user=user, team=team)) for team in member_teams
        ],
        "can_request_debrief": bool(member_teams),
        "supervising": supervising,
        "running": selectors.running_for(user=user) if supervising else [],
        "waiting_debriefs": selectors.debriefs_for_supervisor(user=user) if supervising else [],
        "escalated_debriefs": selectors.debriefs_escalated_for(user=user),
        "managed_teams": teams_where(user, {Role.COORDINATOR, Role.SUPERVISOR}),
        "has_calendar": hasattr(user, "calendar_token"),
    }
    return render(request, "supervision/home.html", context)


@login_required
@require_GET
def session_detail(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    view = selectors.session_for(user=request.user, session=session)
    context = {
        "view": view,
        "session": session,
        "bookings": selectors.session_bookings(session=session) if view.can_run else [],
        "add_form": AddPersonForm(team=session.team) if view.can_run else None,
        "can_mark": can_mark_attendance(user=request.user, session=session),
        "started": session.starts_at <= timezone.now(),
    }
    return render(request, "supervision/session.html", context)


@login_required
@require_POST
def session_book(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    try:
        booking = services.booking_create(session=session, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if booking.status == "confirmed":
            messages.success(request, _("You have a seat. A confirmation is on its way."))
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are on the waiting list and will be told if a "
                    "seat frees."
                ),
            )
    return redirect("supervision:session", pk=session.pk)


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    if booking.user_id != request.user.pk and not can_run_session(
        user=request.user, session=booking.session
    ):
        raise Http404
    try:
        services.booking_cancel(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The seat was given up."))
    return redirect("supervision:session", pk=booking.session_id)


@login_required
@require_GET
def session_ics(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    view = selectors.session_for(user=request.user, session=session)
    body = calendar_build(
        [(session, view.details_visible)],
        discreet=session.team.discreet_mode,
        language=request.LANGUAGE_CODE,
        method="PUBLISH",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    if not can_run_session(user=request.user, session=session):
        raise PermissionDenied
    zone = session.time_zone
    local = timezone.localtime(session.starts_at, timezone=ZoneInfo(zone))
    local_end = timezone.localtime(session.ends_at, timezone=ZoneInfo(zone))
    form = SessionEditForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "start": local.time(),
            "end": local_end.time(),
            "capacity": session.capacity,
            "meeting_link": session.meeting_link,
            "place": session.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times(zone)
        try:
            services.session_update(
                session=session,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=form.cleaned_data["capacity"],
                meeting_link=form.cleaned_data["meeting_link"] or "",
                place=form.cleaned_data["place"].strip(),
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The session was changed. Everyone booked is told."))
            return redirect("supervision:session", pk=session.pk)
    return render(
        request,
        "supervision/session_edit.html",
        {"session": session, "form": form, "zone": zone},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    if not can_run_session(user=request.user, session=session):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.session_cancel(session=session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The session is cancelled. Everyone booked is told."))
        return redirect("supervision:session", pk=session.pk)
    booked = len(selectors.session_bookings(session=session))
    return render(
        request, "supervision/session_cancel.html", {"session": session, "booked": booked}
    )


@login_required
@require_POST
def session_add_person(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    if not can_run_session(user=request.user, session=session):
        raise PermissionDenied
    form = AddPersonForm(request.POST, team=session.team)
    if form.is_valid():
        try:
            services.booking_create(
                session=session,
                user=form.cleaned_data["person"],
                by=request.user,
                over_capacity=True,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s has a seat, beyond the usual seats if it was full. This is recorded.")
                % {"name": form.cleaned_data["person"].display_name},
            )
    else:
        messages.error(request, _("Choose a member of the team."))
    return redirect("supervision:session", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request, pk):
    session = session_or_404(user=request.user, pk=pk)
    if not can_mark_attendance(user=request.user, session=session):
        raise PermissionDenied
    bookings = [b for b in selectors.session_bookings(session=session) if b.status == "confirmed"]
    form = AttendanceForm(request.POST or None, bookings=bookings, team=session.team)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_mark(
                session=session,
                by=request.user,
                marks=form.marks(),
                walk_ins=list(form.cleaned_data["walk_ins"]),
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("supervision:session", pk=session.pk)
    return render(
        request,
        "supervision/attendance.html",
        {"session": session, "form": form, "started": session.starts_at <= timezone.now()},
        status=400 if form.errors else 200,
    )


# --- A team's groups ---------------------------------------------------------------------


def managed_team(request, slug) -> Team:
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_TEAM)
    if not can_manage_supervision(user=request.user, team=team):
        raise PermissionDenied
    return team


@login_required
@require_GET
def team_supervision(request, slug):
    team = managed_team(request, slug)
    groups = list(
        SupervisionGroup.objects.filter(team=team).prefetch_related("supervisors").order_by("name")
    )
    context = {
        "team": team,
        "groups": [(group, rule_describe(group.rule)) for group in groups],
        "attendance": selectors.team_attendance(team=team),
        "settings": services.team_settings(team),
        "is_coordinator": team_role(user=request.user, team=team) == Role.COORDINATOR,
    }
    return render(request, "supervision/team.html", context)


def group_form_view(request, team, group=None):
    form = GroupForm(request.POST or None, team=team, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_save(
                team=team, data=form.data_for_service(), by=request.user, group=group
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The group was saved; its coming sessions are in place."))
            return redirect("supervision:group", slug=team.slug, pk=group.pk)
    return render(
        request,
        "supervision/group_form.html",
        {"team": team, "group": group, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request, slug):
    return group_form_view(request, managed_team(request, slug))


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug, pk):
    team = managed_team(request, slug)
    group = get_object_or_404(SupervisionGroup, pk=pk, team=team)
    return group_form_view(request, team, group)


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request, slug, pk):
    team = managed_team(request, slug)
    group = get_object_or_404(SupervisionGroup.objects.select_related("team"), pk=pk, team=team)
    form = SessionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_add(
                group=group, starts_at=form.starts_at(group.time_zone), by=request.user
            )
        except ValidationError as error:
            form_add_service_error(form, error, default_field="day")
        else:
            messages.success(request, _("The extra session was added."))
            return redirect("supervision:session", pk=session.pk)
    sessions = group.sessions.order_by("starts_at").filter(
        starts_at__gte=timezone.now() - timedelta(days=62)
    )
    context = {
        "team": team,
        "group": group,
        "schedule": rule_describe(group.rule),
        "views": selectors.session_views(user=request.user, sessions=sessions),
        "form": form,
    }
    return render(request, "supervision/group.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_TEAM_SETTINGS)
    current = services.team_settings(team)
    form = TeamSupervisionSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.team_supervision_settings_save(
            team=team,
            by=request.user,
            sessions_per_month=form.cleaned_data["sessions_per_month"],
            reminder_hours=form.cleaned_data["reminder_hours"],
        )
        messages.success(request, _("Supervision settings saved."))
        return redirect("supervision:team", slug=team.slug)
    return render(
        request,
        "supervision/team_settings.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )


# --- Debriefs ----------------------------------------------------------------------------


def debrief_or_404(*, user, pk) -> DebriefRequest:
    request = get_object_or_404(
        DebriefRequest.objects.select_related("team", "requester", "taken_by", "booking__session"),
        pk=pk,
    )
    if not can_see_debrief(user=user, request=request):
        raise Http404
    return request


@login_required
@require_http_methods(["GET", "POST"])
def debrief_new(request):
    teams = teams_where(request.user, {Role.VOLUNTEER, Role.COORDINATOR})
    if not teams:
        raise PermissionDenied
    form = DebriefRequestForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.debrief_request_create(
                team=form.cleaned_data["team"],
                requester=request.user,
                urgency=form.cleaned_data["urgency"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_add_service_error(form, error, default_field="urgency")
        else:
            messages.success(
                request,
                _("Your request was sent to the team's supervisors. Someone will be in touch."),
            )
            return redirect("supervision:debrief", pk=created.pk)
    return render(
        request, "supervision/debrief_new.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def debrief_detail(request, pk):
    debrief = debrief_or_404(user=request.user, pk=pk)
    is_taker = debrief.taken_by_id == request.user.pk
    slot_form = None
    if is_taker and debrief.status == "taken":
        slot_form = DebriefSlotForm(request.POST or None, teams=[debrief.team])
        if request.method == "POST" and slot_form.is_valid():
            c = slot_form.cleaned_data
            try:
                services.debrief_slot_publish(
                    supervisor=request.user,
                    team=debrief.team,
                    starts_at=local_datetime(c["day"], c["start"], request.user.timezone),
                    minutes=c["minutes"],
                    format=c["format"],
                    meeting_link=c["meeting_link"] or "",
                    place=c["place"].strip(),
                    offered_for=debrief,
                )
            except ValidationError as error:
                form_add_service_error(slot_form, error, default_field="day")
            else:
                messages.success(request, _("The time was offered. They are told by e-mail."))
                return redirect("supervision:debrief", pk=debrief.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "debrief": debrief,
        "note": debrief.note if can_read_debrief_note(user=request.user, request=debrief) else None,
        "is_requester": debrief.requester_id == request.user.pk,
        "is_taker": is_taker,
        "can_take": can_take_debrief(user=request.user, request=debrief),
        "slots": selectors.debrief_slots_for(request=debrief)
        if debrief.requester_id == request.user.pk
        else [],
        "slot_form": slot_form,
    }
    return render(
        request,
        "supervision/debrief.html",
        context,
        status=400 if slot_form is not None and slot_form.errors else 200,
    )


@login_required
@require_POST
def debrief_take(request, pk):
    debrief = debrief_or_404(user=request.user, pk=pk)
    try:
        services.debrief_take(request=debrief, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You took the request. Offer times, or they can pick one of your free slots."),
        )
    return redirect("supervision:debrief", pk=debrief.pk)


@login_required
@require_POST
def debrief_book(request, pk):
    debrief = debrief_or_404(user=request.user, pk=pk)
    slot_id = id_from(request.POST.get("slot"))
    slot = Session.objects.filter(pk=slot_id, kind=SessionKind.DEBRIEF).first() if slot_id else None
    if slot is None:
        raise Http404
    try:
        services.debrief_book(request=debrief, slot=slot, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The time is agreed. It is in your calendar file and e-mail."))
    return redirect("supervision:debrief", pk=debrief.pk)


@login_required
@require_POST
def debrief_close(request, pk):
    debrief = debrief_or_404(user=request.user, pk=pk)
    services.debrief_close(request=debrief, by=request.user)
    messages.success(request, _("The request is closed."))
    return redirect("supervision:home")


@login_required
@require_http_methods(["GET", "POST"])
def slots(request):
    teams = teams_where(request.user, {Role.SUPERVISOR})
    if not teams:
        raise PermissionDenied
    form = DebriefSlotForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.debrief_slot_publish(
                supervisor=request.user,
                team=c["team"],
                starts_at=local_datetime(c["day"], c["start"], request.user.timezone),
                minutes=c["minutes"],
                format=c["format"],
                meeting_link=c["meeting_link"] or "",
                place=c["place"].strip(),
            )
        except ValidationError as error:
            form_add_service_error(form, error, default_field="day")
        else:
            messages.success(request, _("The slot is published."))
            return redirect("supervision:slots")
    return render(
        request,
        "supervision/slots.html",
        {"form": form, "slots": selectors.debrief_slots_of(supervisor=request.user)},
        status=400 if form.errors else 200,
    )


# --- Calendar ----------------------------------------------------------------------------


@never_cache
@login_required
@require_POST
def calendar_token(request):
    """Make (or remake) the person's calendar address and show it on this response only: the
    token is kept nowhere in clear, not even in the session."""
    if request.POST.get("action") == "stop":
        services.calendar_token_revoke(user=request.user)
        messages.success(request, _("Your calendar address no longer works."))
        return redirect("supervision:home")
    token = services.calendar_token_create(user=request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": token}))
    return render(request, "supervision/calendar_token.html", {"calendar_url": url})


@never_cache
@require_GET
def calendar_feed(request, token):
    """A person's subscription feed: the token in the address is the only key."""
    user = selectors.calendar_user(token=token)
    if user is None:
        raise Http404
    discreet = selectors.feed_is_discreet(user=user)
    with timezone.override(user.timezone):
        body = calendar_build(
            selectors.feed_sessions(user=user),
            discreet=discreet,
            language=user.preferred_language,
            name=feed_name(discreet=discreet, language=user.preferred_language),
            refresh=True,
        )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
