"""Groups, sessions, seats and debriefs for tests, made directly or through the services."""

from datetime import date, time, timedelta

from django.utils import timezone

from supervision import services
from supervision.models import (
    Audience,
    DebriefRequest,
    Format,
    Session,
    SessionKind,
    SupervisionGroup,
)


def make_group(
    team,
    *,
    supervisors=(),
    name="Monthly group",
    audience=Audience.VOLUNTEERS,
    members=(),
    capacity=8,
    rule="",
    series_start: date | None = None,
    start_time: time | None = time(18, 0),
    time_zone="Europe/Riga",
    duration_minutes=90,
    booking_closes_hours=2,
    format=Format.ONLINE,
    meeting_link="https://meet.example.org/room-1",
    place="",
    now=None,
) -> SupervisionGroup:
    """A group (its schedule applied when it has one)."""
    group = SupervisionGroup.objects.create(
        team=team,
        name=name,
        audience=audience,
        capacity=capacity,
        format=format,
        meeting_link=meeting_link,
        place=place,
        rule=rule,
        series_start=series_start,
        start_time=start_time if rule else start_time,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        booking_closes_hours=booking_closes_hours,
    )
    group.supervisors.set(supervisors)
    group.members.set(members)
    if rule:
        services.group_schedule_apply(group=group, now=now)
    return group


def make_session(group, *, starts_at=None, minutes=90, capacity=None, **fields) -> Session:
    """A one-off session of ``group`` (default: in three days)."""
    starts_at = starts_at or timezone.now() + timedelta(days=3)
    return Session.objects.create(
        team=group.team,
        kind=SessionKind.GROUP,
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=capacity if capacity is not None else group.capacity,
        format=fields.pop("format", group.format),
        meeting_link=fields.pop("meeting_link", group.meeting_link),
        place=fields.pop("place", group.place),
        **fields,
    )


def make_slot(team, supervisor, *, starts_at=None, offered_for=None) -> Session:
    starts_at = starts_at or timezone.now() + timedelta(days=1)
    return Session.objects.create(
        team=team,
        kind=SessionKind.DEBRIEF,
        supervisor=supervisor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        capacity=1,
        format=Format.ONLINE,
        meeting_link="https://meet.example.org/one-to-one",
        offered_for=offered_for,
    )


def make_debrief(team, requester, *, urgency="today", note="", **fields) -> DebriefRequest:
    return DebriefRequest.objects.create(
        team=team, requester=requester, urgency=urgency, note=note, **fields
    )
