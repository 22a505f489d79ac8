"""Supervision's part of a person's own data (``people.own_data``): seats and attendance,
debrief requests (with the person's own note), the groups they run or were chosen for, and
whether a calendar address exists (never its token or hash); and, when the account is
deleted, the erasure: coming seats are given up through the booking service (so the waiting
list moves), requests lose their notes, and what was counted stays."""

from django.db.models import Q
from django.utils import timezone

from .models import (
    ACTIVE_BOOKING,
    Booking,
    CalendarToken,
    DebriefRequest,
    DebriefStatus,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionGroup,
)
from .services import booking_cancel, calendar_token_revoke, session_change


def debriefs_not_yet_met(*, now) -> Q:
    """Requests still waiting: nobody took them, or no time is agreed, or the agreed time is
    still to come. (A request met at a time that has begun is a debrief given: it stays as it
    is, counted.)"""
    return Q(status__in=[DebriefStatus.OPEN, DebriefStatus.TAKEN]) | Q(
        status=DebriefStatus.BOOKED, booking__session__starts_at__gt=now
    )


def supervision_data_export(user) -> dict:
    """In five queries whatever the amount."""
    bookings = (
        Booking.objects.filter(user=user)
        .select_related("session__group", "session__team")
        .order_by("session__starts_at", "pk")
    )
    requests = (
        DebriefRequest.objects.filter(requester=user)
        .select_related("team", "taken_by")
        .order_by("created_at", "pk")
    )
    groups = (
        SupervisionGroup.objects.filter(Q(supervisors=user) | Q(members=user))
        .select_related("team")
        .distinct()
        .order_by("team__name", "name")
    )
    calendar = CalendarToken.objects.filter(user=user).values_list("created_at", flat=True).first()
    slots = Session.objects.filter(kind=SessionKind.DEBRIEF, supervisor=user).order_by("starts_at")
    return {
        "seats_and_attendance": [
            {
                "team": booking.session.team.name,
                "group": booking.session.group.name if booking.session.group else "",
                "kind": booking.session.kind,
                "starts": booking.session.starts_at,
                "ends": booking.session.ends_at,
                "session_status": booking.session.status,
                "seat": booking.status,
                "attendance": booking.attendance,
                "walk_in": booking.walk_in,
                "beyond_the_seats": booking.over_capacity,
                "booked": booking.created_at,
                "cancelled": booking.cancelled_at,
            }
            for booking in bookings
        ],
        "debrief_requests": [
            {
                "team": request.team.name,
                "urgency": request.urgency,
                "status": request.status,
                "note": request.note,
                "asked": request.created_at,
                "taken_by": request.taken_by.display_name if request.taken_by else "",
                "taken": request.taken_at,
                "escalated": request.escalated_at,
                "closed": request.closed_at,
            }
            for request in requests
        ],
        "groups": [
            {"team": group.team.name, "group": group.name, "active": group.active}
            for group in groups
        ],
        "debrief_slots_you_offered": [
            {"starts": slot.starts_at, "ends": slot.ends_at, "status": slot.status}
            for slot in slots
        ],
        "calendar_address": {"exists": calendar is not None, "made": calendar},
    }


def supervision_data_erase(user, now=None) -> None:
    now = now or timezone.now()
    calendar_token_revoke(user=user)
    # Coming seats and places on waiting lists are given up: the next person waiting gets
    # the seat and is told. Seats of sessions that have begun stay (attendance is counted).
    coming = Booking.objects.filter(ACTIVE_BOOKING, user=user, session__starts_at__gt=now)
    for booking in coming.order_by("session__starts_at", "pk"):
        booking_cancel(booking=booking, by=user, now=now)
    DebriefRequest.objects.filter(debriefs_not_yet_met(now=now), requester=user).update(
        status=DebriefStatus.WITHDRAWN, closed_at=now
    )
    DebriefRequest.objects.filter(requester=user).update(note="")
    # As a supervisor: coming one-to-one slots are cancelled (whoever booked one is told),
    # and the requests they had taken and not yet met wait for another supervisor again.
    slots = Session.objects.select_for_update().filter(
        kind=SessionKind.DEBRIEF,
        supervisor=user,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
    )
    for slot in slots:
        session_change(session=slot, changes={"status": SessionStatus.CANCELLED}, by_hand=True)
    DebriefRequest.objects.filter(debriefs_not_yet_met(now=now), taken_by=user).exclude(
        status=DebriefStatus.OPEN
    ).update(status=DebriefStatus.OPEN, taken_by=None, taken_at=None, booking=None)
    SupervisionGroup.supervisors.through.objects.filter(user=user).delete()
    SupervisionGroup.members.through.objects.filter(user=user).delete()
