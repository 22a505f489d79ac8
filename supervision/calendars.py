"""Calendar files (.ics) for sessions: one event to download or attach to an e-mail, and each
person's subscription feed. Built with icalendar 7.

Each session is one event with a stable UID, a SEQUENCE raised on every change and STATUS
CANCELLED once cancelled, its start and end in the group's own time zone (TZID with the
matching VTIMEZONE, for exactly the span of dates the file covers). In discreet mode (a team
setting, on by default) an event says only "Team meeting": no team, organisation, group,
supervision or place; details are on the site after signing in."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Format, Session, SessionKind, SessionStatus

# Neutral like the rest of a discreet file: a calendar app may show the product identifier.
PRODID = "-//Atbalsts//Meetings//EN"
FEED_REFRESH = timedelta(hours=1)


def site_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def session_url(session: Session, language: str) -> str:
    with translation.override(language):
        return site_url(reverse("supervision:session", kwargs={"pk": session.pk}))


def event_title(session: Session, *, discreet: bool) -> str:
    if discreet:
        return _("Team meeting")
    if session.kind == SessionKind.DEBRIEF:
        return _("Debrief")
    return _("Supervision: %(group)s") % {"group": session.group.name if session.group else ""}


def session_event(
    session: Session,
    *,
    discreet: bool,
    details_visible: bool,
    language: str,
    stamp: datetime,
    cancelled: bool = False,
) -> Event:
    """One VEVENT. ``cancelled``: cancelled for this reader (their seat was given up), though
    the session itself goes on."""
    zone = ZoneInfo(session.time_zone)
    url = session_url(session, language)
    with translation.override(language):
        title = event_title(session, discreet=discreet)
        if discreet or not details_visible:
            description = _("Details in Atbalsts after signing in: %(url)s") % {"url": url}
            location = None
        else:
            where = session.meeting_link if session.format == Format.ONLINE else session.place
            description = _("%(where)s\n\nIn Atbalsts: %(url)s") % {"where": where, "url": url}
            location = where or None
    return Event.new(
        uid=f"{session.uid}@atbalsts",
        stamp=stamp,
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        sequence=session.sequence,
        status="CANCELLED"
        if cancelled or session.status == SessionStatus.CANCELLED
        else "CONFIRMED",
        summary=title,
        description=description,
        location=location,
        url=url,
    )


def calendar_build(
    entries: list[tuple[Session, bool]],
    *,
    discreet: bool,
    language: str,
    method: str | None = None,
    name: str | None = None,
    refresh: bool = False,
) -> bytes:
    """An .ics file of ``entries`` (session, whether the reader may see its link and
    place). ``method`` REQUEST or CANCEL for e-mail attachments; a subscription feed gets a
    name and a refresh interval."""
    stamp = timezone.now().astimezone(UTC)
    calendar = Calendar.new(
        prodid=PRODID,
        method=method,
        name=name,
        refresh_interval=FEED_REFRESH if refresh else None,
        subcomponents=[
            session_event(
                session,
                discreet=discreet,
                details_visible=visible,
                language=language,
                stamp=stamp,
                cancelled=method == "CANCEL",
            )
            for session, visible in entries
        ],
    )
    if entries:
        first = min(s.starts_at for s, _v in entries).date() - timedelta(days=1)
        last = max(s.ends_at for s, _v in entries).date() + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_missing_timezones(first_date=date.today(), last_date=date.today())
    return calendar.to_ical()


def feed_name(*, discreet: bool, language: str) -> str:
    with translation.override(language):
        return _("Meetings") if discreet else _("Atbalsts supervision")
