"""A team's audit trail read back: who did what to whom and when, newest first, one page at a
time, from the project's own append-only trail (``AuditEntry``) and from the wellbeing access
log (each view of a person's shared scores), each entry said in a few words.

Entries hold ids, codes and numbers, never free text or health data; the words are made
here, in the reader's language and time zone."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Q, Value
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.selectors import course_titles_in_language
from supervision.models import Attendance
from wellbeing.selectors import team_wellbeing_views, wellbeing_views_in_bulk

from .models import (
    AuditAction,
    AuditEntry,
    Invitation,
    Membership,
    Role,
    SuspensionReason,
    Team,
)

AUDIT_PAGE_SIZE = 50
# Where a row of the page comes from.
ENTRY, WELLBEING_VIEW = "entry", "wellbeing"
# Dates a filter may name: wide enough for any real question, narrow enough that a day's
# start and end exist in every time zone.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2999, 12, 31)


# --- Filters -------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Person"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Who did it, or to whom it was done."),
    )
    action = forms.ChoiceField(label=_("What happened"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Anyone")), *members]
        self.fields["action"].choices = [("", _("Anything")), *AuditAction.choices]

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {
                        "first": formats.date_format(EARLIEST_DAY, "DATE_FORMAT"),
                        "last": formats.date_format(LATEST_DAY, "DATE_FORMAT"),
                    },
                )
                cleaned.pop(name, None)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self) -> "AuditFilters":
        """The valid form's choices, with days turned into moments in the reader's zone."""
        data = self.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        return AuditFilters(
            person_id=data.get("person"),
            action=data.get("action") or "",
            since=day_start(first) if first else None,
            until=day_start(last + timedelta(days=1)) if last else None,
        )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class AuditFilters:
    person_id: int | None = None
    action: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def team_audit_people(*, team: Team) -> list[tuple[int, str]]:
    """The team's current members, for the person filter."""
    return list(
        Membership.objects.filter(team=team)
        .order_by("user__display_name", "user_id")
        .values_list("user_id", "user__display_name")
    )


# --- Reading -------------------------------------------------------------------------------


def team_audit_keys(*, team: Team, filters: AuditFilters):
    """(source, moment, id) of every row that matches, newest first, as one query: the two
    sources are one UNION, so counting and paging happen in the database."""
    entries = AuditEntry.objects.filter(team=team)
    if filters.person_id is not None:
        entries = entries.filter(Q(actor_id=filters.person_id) | Q(subject_id=filters.person_id))
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.since is not None:
        entries = entries.filter(at__gte=filters.since)
    if filters.until is not None:
        entries = entries.filter(at__lt=filters.until)
    parts = [entries]
    if filters.action in ("", AuditAction.WELLBEING_VIEWED):
        parts.append(
            team_wellbeing_views(
                team=team, person_id=filters.person_id, since=filters.since, until=filters.until
            )
        )
    keys = [
        part.order_by()
        .annotate(source=Value(source, output_field=CharField()), row_at=F("at"), row_id=F("pk"))
        .values("source", "row_at", "row_id")
        for part, source in zip(parts, (ENTRY, WELLBEING_VIEW), strict=False)
    ]
    combined = keys[0].union(*keys[1:], all=True) if len(keys) > 1 else keys[0]
    return combined.order_by("-row_at", "-row_id", "source")


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    subject: str
    details: str


def team_audit_page(*, team: Team, filters: AuditFilters, page_number) -> Page:
    """One page of the team's trail, each row said in words; the same number of queries
    whatever the size of the trail or the page."""
    page = Paginator(team_audit_keys(team=team, filters=filters), AUDIT_PAGE_SIZE).get_page(
        page_number
    )
    page.object_list = audit_rows_describe(team=team, keys=list(page.object_list))
    return page


def audit_rows_describe(*, team: Team, keys: list[dict]) -> list[AuditRow]:
    entry_ids = [key["row_id"] for key in keys if key["source"] == ENTRY]
    view_ids = [key["row_id"] for key in keys if key["source"] == WELLBEING_VIEW]
    entries = AuditEntry.objects.in_bulk(entry_ids) if entry_ids else {}
    views = wellbeing_views_in_bulk(team=team, ids=view_ids) if view_ids else {}
    names = AuditNames.for_entries(team=team, entries=list(entries.values()))
    rows = []
    for key in keys:
        if key["source"] == ENTRY and key["row_id"] in entries:
            rows.append(entry_row(entries[key["row_id"]], names))
        elif key["source"] == WELLBEING_VIEW and key["row_id"] in views:
            view = views[key["row_id"]]
            rows.append(
                AuditRow(
                    at=view.at,
                    actor=view.actor_name,
                    action=AuditAction.WELLBEING_VIEWED.label,
                    subject=view.subject_name or gettext("a deleted account"),
                    details=gettext("shared scores"),
                )
            )
    return rows


# --- Saying an entry in words --------------------------------------------------------------


@dataclass
class AuditNames:
    """What the entries of a page name by id, looked up once for the whole page."""

    courses: dict[int, str] = field(default_factory=dict)
    invitations: dict[int, str] = field(default_factory=dict)

    @classmethod
    def for_entries(cls, *, team: Team, entries: list[AuditEntry]) -> "AuditNames":
        course_ids = {
            entry.details.get("course")
            for entry in entries
            if entry.action in COURSE_ACTIONS and is_id(entry.details.get("course"))
        }
        invitation_ids = {
            entry.details.get("invitation")
            for entry in entries
            if entry.action in INVITATION_ACTIONS and is_id(entry.details.get("invitation"))
        }
        names = cls()
        if course_ids:
            names.courses = course_titles_in_language(CoursePage.objects.filter(pk__in=course_ids))
        if invitation_ids:
            names.invitations = dict(
                Invitation.objects.filter(team=team, pk__in=invitation_ids).values_list(
                    "pk", "email"
                )
            )
        return names


COURSE_ACTIONS = {
    AuditAction.REQUIRED_COURSE_ADDED,
    AuditAction.REQUIRED_COURSE_REMOVED,
    AuditAction.EXTRA_ATTEMPTS_GIVEN,
}
INVITATION_ACTIONS = {AuditAction.INVITATION_SENT, AuditAction.INVITATION_REVOKED}


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def entry_row(entry: AuditEntry, names: AuditNames) -> AuditRow:
    details = entry.details if isinstance(entry.details, dict) else {}
    subject = entry.subject_name
    if not subject and entry.action in INVITATION_ACTIONS:
        invitation = details.get("invitation")
        subject = names.invitations.get(invitation, "") if is_id(invitation) else ""
    describe = DESCRIBE.get(entry.action)
    return AuditRow(
        at=entry.at,
        actor=entry.actor_name or "—",
        action=entry.get_action_display(),
        subject=subject,
        details=describe(details, names) if describe else "",
    )


def role_label(code) -> str:
    return Role(code).label if code in Role.values else ""


def attendance_label(code) -> str:
    if code in Attendance.values:
        return str(Attendance(code).label)
    return gettext("not marked")


def meeting_label(details: dict) -> str:
    starts = parse_datetime(str(details.get("starts_at") or ""))
    if starts is None or timezone.is_naive(starts):
        return ""
    starts = timezone.localtime(starts)
    return gettext("meeting of %(when)s") % {
        "when": formats.date_format(starts, "SHORT_DATETIME_FORMAT")
    }


def course_label(details: dict, names: AuditNames) -> str:
    course = details.get("course")
    title = names.courses.get(course) if is_id(course) else None
    return title or gettext("a course no longer on the site")


def joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def describe_attempts(details: dict, names: AuditNames) -> str:
    count = details.get("attempts")
    attempts = (
        ngettext("%(count)d attempt", "%(count)d attempts", count) % {"count": count}
        if is_id(count)
        else ""
    )
    return joined(attempts, course_label(details, names))


def describe_member(details: dict, names: AuditNames) -> str:
    return role_label(details.get("role"))


def describe_suspension(details: dict, names: AuditNames) -> str:
    reason = details.get("reason")
    return str(SuspensionReason(reason).label) if reason in SuspensionReason.values else ""


def describe_role(details: dict, names: AuditNames) -> str:
    before, after = role_label(details.get("from")), role_label(details.get("to"))
    return f"{before} → {after}" if before and after else ""


def describe_invitation(details: dict, names: AuditNames) -> str:
    role = role_label(details.get("role"))
    return gettext("as %(role)s") % {"role": role} if role else ""


def describe_attendance(details: dict, names: AuditNames) -> str:
    change = f"{attendance_label(details.get('from'))} → {attendance_label(details.get('to'))}"
    return joined(change, meeting_label(details))


# How each action's details read; an action not here shows no details.
DESCRIBE: dict[str, Callable[[dict, AuditNames], str]] = {
    AuditAction.INVITATION_SENT: describe_invitation,
    AuditAction.INVITATION_REVOKED: describe_invitation,
    AuditAction.ROLE_CHANGED: describe_role,
    AuditAction.MEMBER_REMOVED: describe_member,
    AuditAction.MEMBER_SUSPENDED: describe_suspension,
    AuditAction.MEMBER_REINSTATED: describe_suspension,
    AuditAction.ACCOUNT_DELETED: describe_member,
    AuditAction.REQUIRED_COURSE_ADDED: course_label,
    AuditAction.REQUIRED_COURSE_REMOVED: course_label,
    AuditAction.EXTRA_ATTEMPTS_GIVEN: describe_attempts,
    AuditAction.ATTENDANCE_CHANGED: describe_attendance,
    AuditAction.SESSION_CANCELLED: lambda details, names: meeting_label(details),
}
