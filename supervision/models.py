"""Supervision: groups that meet on a schedule, their sessions, one seat per person per
session, attendance, one-to-one debriefs after a hard call, and personal calendar feeds.

Times are stored in UTC. A group's schedule is a recurrence rule (RFC 5545) expanded from a
local start time in the group's time zone (see ``recurrence.py``), so a session at 18:00 in
Riga stays at 18:00 across daylight-saving changes."""

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Team, timezone_choices
from website.encryption import EncryptedTextField


class TeamSupervisionSettings(models.Model):
    """How much supervision a team expects and when it reminds people."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="supervision_settings")
    sessions_per_month = models.PositiveSmallIntegerField(
        _("expected sessions a month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("How often each member is expected to attend group supervision."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder before a session (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self):
        return str(self.team)


class Audience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("All the team's volunteers")
    COORDINATORS = "coordinators", _("All the team's coordinators")
    CHOSEN = "chosen", _("Chosen people")


class Format(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class SupervisionGroup(models.Model):
    """A group that meets for supervision, on a schedule and in one-off extra sessions."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="supervision_groups")
    name = models.CharField(_("name"), max_length=120)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervised_groups", verbose_name=_("supervisors")
    )
    audience = models.CharField(
        _("members"), max_length=16, choices=Audience.choices, default=Audience.VOLUNTEERS
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="supervision_groups",
        blank=True,
        verbose_name=_("chosen people"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"), default=8, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.ONLINE
    )
    meeting_link = models.URLField(
        _("meeting link"),
        blank=True,
        help_text=_("Shown only to people with a seat and to the group's supervisors."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    rule = models.CharField(
        _("schedule (recurrence rule)"),
        max_length=300,
        blank=True,
        help_text=_("Empty: no regular sessions, only the ones you add."),
    )
    series_start = models.DateField(_("first date of the schedule"), null=True, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=timezone_choices, default="Europe/Riga"
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    booking_closes_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before)"),
        default=2,
        validators=[MaxValueValidator(336)],
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision group")
        verbose_name_plural = _("supervision groups")
        ordering = ["team__name", "name"]

    def __str__(self):
        return self.name

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class SessionKind(models.TextChoices):
    GROUP = "group", _("Group supervision")
    DEBRIEF = "debrief", _("Debrief")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=SessionStatus.SCHEDULED)

    def upcoming(self, now=None):
        return self.filter(ends_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lte=now or timezone.now())


class Session(models.Model):
    """One meeting: an occurrence of a group's schedule, an extra group session, or a
    supervisor's one-to-one debrief slot (one seat)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="supervision_sessions")
    kind = models.CharField(max_length=16, choices=SessionKind.choices, default=SessionKind.GROUP)
    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debrief_slots",
        help_text=_("For a debrief slot: the supervisor who offers it."),
    )
    # The schedule's own time for this occurrence (UTC); empty for sessions added by hand.
    # It stays the same when the occurrence is moved, so the schedule knows it is taken.
    occurrence = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    # Changed by hand (moved, its details edited): a change of the schedule leaves it alone.
    changed_by_hand = models.BooleanField(default=False)
    # Raised on every change a calendar should notice (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # A debrief slot offered to one request only (else open to the supervisor's team).
    offered_for = models.ForeignKey(
        "supervision.DebriefRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offered_slots",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "occurrence"],
                condition=Q(occurrence__isnull=False),
                name="one_session_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self):
        return f"{self.group or self.get_kind_display()} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def time_zone(self) -> str:
        return self.group.time_zone if self.group_id else settings.DEFAULT_USER_TIMEZONE


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Seat")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


ACTIVE_BOOKING = Q(status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED])


class Booking(models.Model):
    """One person's seat (or place on the waiting list) in one session. Each seat is its own
    row with its own permission check: cancelling it touches nothing else."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_bookings"
    )
    status = models.CharField(max_length=16, choices=BookingStatus.choices)
    over_capacity = models.BooleanField(
        default=False, help_text=_("Added by a supervisor beyond the seats.")
    )
    walk_in = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance = models.CharField(max_length=16, choices=Attendance.choices, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=ACTIVE_BOOKING, name="one_seat_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.session} · {self.get_status_display()}"


class AttendanceChange(models.Model):
    """Who set an attendance to what, and when: funder reports are built on these counts,
    so a correction never erases what was there."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes")
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.before or '-'} → {self.after or '-'}"


class Urgency(models.TextChoices):
    TODAY = "today", _("Today")
    THIS_WEEK = "this_week", _("This week")


class DebriefStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a supervisor")
    TAKEN = "taken", _("Taken by a supervisor")
    BOOKED = "booked", _("Time agreed")
    CLOSED = "closed", pgettext_lazy("debrief request status", "Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DebriefRequest(models.Model):
    """A volunteer asks for a one-to-one debrief after a hard call. The note is theirs and the
    taking supervisor's only: encrypted at rest, never shown to coordinators, never e-mailed."""

    NOTE_MAX_LENGTH = 2000

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="debrief_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debrief_requests"
    )
    urgency = models.CharField(_("when"), max_length=16, choices=Urgency.choices)
    note = EncryptedTextField(_("private note"), blank=True)
    status = models.CharField(max_length=16, choices=DebriefStatus.choices, default="open")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="taken_debriefs",
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("debrief request")
        verbose_name_plural = _("debrief requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="taken") | Q(taken_by__isnull=False),
                name="taken_debrief_has_a_supervisor",
            )
        ]

    def __str__(self):
        return f"{self.requester} · {self.get_urgency_display()} · {self.created_at:%Y-%m-%d}"


class CalendarToken(models.Model):
    """A person's secret calendar subscription address. Only a hash of the token is stored;
    making a new one replaces it, and the old address stops at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
