"""Forms for supervision. Dates and times are entered in the group's own time zone (or the
supervisor's, for a debrief slot) and turned into aware datetimes here; rules the form cannot
see (who may be a supervisor, seats already taken) are checked by the services."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Role, Team, User, timezone_choices
from website.forms import ModelIdChoiceField, ModelIdMultipleChoiceField

from .models import (
    Attendance,
    Audience,
    DebriefRequest,
    Format,
    SupervisionGroup,
    TeamSupervisionSettings,
    Urgency,
)
from .recurrence import POSITIONS, WEEKDAY_NAMES, WEEKDAYS, Preset, preset_from_rule
from .services import GroupData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# A meeting link opens in a browser: web addresses only (not ftp:, not javascript:).
WEB_ADDRESS = URLValidator(schemes=["https", "http"])


class PeopleChoiceField(ModelIdMultipleChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class GroupForm(forms.Form):
    SCHEDULES = [
        ("none", _("No regular sessions")),
        ("monthly", _("Monthly, on a weekday (for example the first Tuesday)")),
        ("weekly", _("Every week or every few weeks")),
        ("custom", _("A recurrence rule (RFC 5545)")),
    ]

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Shown to members after signing in; never in calendars or e-mail subjects."),
    )
    supervisors = PeopleChoiceField(label=_("Supervisors"), queryset=None)
    audience = forms.ChoiceField(label=_("Who is in the group"), choices=Audience.choices)
    members = PeopleChoiceField(label=_("Chosen people"), queryset=None, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100, initial=8)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    meeting_link = forms.URLField(
        assume_scheme="https",
        validators=[WEB_ADDRESS],
        label=_("Meeting link"),
        required=False,
        max_length=200,
        help_text=_("For online groups. Shown only to people with a seat and the supervisors."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=SCHEDULES, initial="monthly")
    weekday = forms.ChoiceField(
        label=_("Weekday"), choices=[(code, WEEKDAY_NAMES[code]) for code in WEEKDAYS]
    )
    position = forms.TypedChoiceField(
        label=_("Which one in the month"),
        choices=[(str(number), label) for number, label in POSITIONS.items()],
        coerce=int,
        initial="1",
    )
    interval = forms.IntegerField(
        label=_("Every … weeks"), min_value=1, max_value=8, initial=1, required=False
    )
    rule = forms.CharField(
        label=_("Recurrence rule"),
        max_length=300,
        required=False,
        help_text=_("For example FREQ=MONTHLY;BYDAY=1TU or FREQ=WEEKLY;INTERVAL=2;BYDAY=WE."),
    )
    series_start = forms.DateField(
        label=pgettext_lazy("first day of a schedule", "From"), widget=DATE, required=False
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TIME, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=timezone_choices, initial="Europe/Riga"
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=480, initial=90
    )
    booking_closes_hours = forms.IntegerField(
        label=_("Booking closes (hours before)"), min_value=0, max_value=336, initial=2
    )

    def __init__(self, *args, team, group: SupervisionGroup | None = None, **kwargs):
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(group)
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = User.objects.filter(
            memberships__team=team, memberships__role=Role.SUPERVISOR
        ).order_by("display_name")
        self.fields["members"].queryset = User.objects.filter(memberships__team=team).order_by(
            "display_name"
        )

    @staticmethod
    def initial_from(group: SupervisionGroup) -> dict:
        initial = {
            name: getattr(group, name)
            for name in (
                "name",
                "audience",
                "capacity",
                "format",
                "meeting_link",
                "place",
                "series_start",
                "start_time",
                "time_zone",
                "duration_minutes",
                "booking_closes_hours",
            )
        }
        initial["supervisors"] = list(group.supervisors.all())
        initial["members"] = list(group.members.all())
        preset = preset_from_rule(group.rule)
        if not group.rule:
            initial["schedule"] = "none"
        elif preset is None:
            initial.update(schedule="custom", rule=group.rule)
        else:
            initial.update(
                schedule=preset.kind,
                weekday=preset.weekday,
                position=str(preset.position),
                interval=preset.interval,
            )
        return initial

    def clean(self):
        cleaned = super().clean()
        schedule = cleaned.get("schedule")
        if schedule == "monthly" and cleaned.get("weekday"):
            cleaned["rule"] = Preset(
                "monthly", cleaned["weekday"], cleaned.get("position") or 1
            ).rule()
        elif schedule == "weekly" and cleaned.get("weekday"):
            cleaned["rule"] = Preset(
                "weekly", cleaned["weekday"], interval=cleaned.get("interval") or 1
            ).rule()
        elif schedule == "none":
            cleaned["rule"] = ""
        elif schedule == "custom" and not cleaned.get("rule"):
            self.add_error("rule", _("Write the rule, or choose a simpler schedule."))
        if cleaned.get("audience") != Audience.CHOSEN:
            cleaned["members"] = []
        elif not cleaned.get("members"):
            self.add_error("members", _("Choose the people in the group."))
        return cleaned

    def data_for_service(self) -> GroupData:
        c = self.cleaned_data
        return GroupData(
            name=c["name"].strip(),
            supervisors=list(c["supervisors"]),
            audience=c["audience"],
            members=list(c["members"]),
            capacity=c["capacity"],
            format=c["format"],
            meeting_link=c.get("meeting_link") or "",
            place=(c.get("place") or "").strip(),
            rule=c.get("rule") or "",
            series_start=c.get("series_start"),
            start_time=c.get("start_time"),
            time_zone=c["time_zone"],
            duration_minutes=c["duration_minutes"],
            booking_closes_hours=c["booking_closes_hours"],
        )


def local_datetime(day, moment, zone_name: str) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZoneInfo(zone_name))


class SessionAddForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Start time"), widget=TIME)

    def starts_at(self, zone_name: str) -> datetime:
        return local_datetime(self.cleaned_data["day"], self.cleaned_data["start"], zone_name)


class SessionEditForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Start time"), widget=TIME)
    end = forms.TimeField(label=_("End time"), widget=TIME)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100)
    meeting_link = forms.URLField(
        assume_scheme="https",
        validators=[WEB_ADDRESS],
        label=_("Meeting link"),
        required=False,
        max_length=200,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return cleaned

    def times(self, zone_name: str) -> tuple[datetime, datetime]:
        c = self.cleaned_data
        return (
            local_datetime(c["day"], c["start"], zone_name),
            local_datetime(c["day"], c["end"], zone_name),
        )


class AddPersonForm(forms.Form):
    person = ModelIdChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(
            memberships__team=team, is_active=True
        ).order_by("display_name")
        self.fields["person"].label_from_instance = lambda user: user.display_name
        self.fields["person"].widget.attrs["class"] = "form-select"


class AttendanceForm(forms.Form):
    """One choice per seat, named ``booking-<id>``, and walk-ins from the team."""

    CHOICES = [("", _("Not marked")), *Attendance.choices]

    def __init__(self, *args, bookings, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            self.fields[f"booking-{booking.pk}"] = forms.ChoiceField(
                label=booking.user.display_name,
                choices=self.CHOICES,
                required=False,
                initial=booking.attendance,
                widget=forms.RadioSelect,
            )
        booked = [b.user_id for b in bookings]
        self.fields["walk_ins"] = PeopleChoiceField(
            label=_("Walk-ins (came without a seat)"),
            queryset=User.objects.filter(memberships__team=team, is_active=True)
            .exclude(pk__in=booked)
            .order_by("display_name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def marks(self) -> dict[int, str]:
        return {b.pk: self.cleaned_data.get(f"booking-{b.pk}", "") for b in self.bookings}

    def booking_fields(self):
        return [self[f"booking-{b.pk}"] for b in self.bookings]


class DebriefRequestForm(forms.Form):
    team = ModelIdChoiceField(label=_("Team"), queryset=None)
    urgency = forms.ChoiceField(
        label=_("How soon"), choices=Urgency.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("A note for the supervisor (optional)"),
        required=False,
        max_length=DebriefRequest.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only you and the supervisor who takes your request can read it: not the "
            "coordinators, not other supervisors, and it is never sent by e-mail."
        ),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()


class DebriefSlotForm(forms.Form):
    team = ModelIdChoiceField(label=_("Team"), queryset=None)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Start time"), widget=TIME)
    minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=240, initial=45
    )
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    meeting_link = forms.URLField(
        assume_scheme="https",
        validators=[WEB_ADDRESS],
        label=_("Meeting link"),
        required=False,
        max_length=200,
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()


class TeamSupervisionSettingsForm(forms.ModelForm):
    class Meta:
        model = TeamSupervisionSettings
        fields = ["sessions_per_month", "reminder_hours"]
