"""Wellbeing reads. What another person may see is decided here and in ``permissions``:
a person's own data for themselves; for others only what the person chose to share, read
through functions whose callers write an access record; team totals only from groups of at
least ``WELLBEING_MIN_RESPONDENTS`` people."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Case, Count, FloatField, IntegerField, Max, Q, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from people.models import Membership, Role

from . import instruments
from .models import AccessRecord, CheckIn, InstrumentWording, SelfCareResource, SharingChoice
from .services import instrument_ready

# Whose check-ins count in a team's totals and in what supervisors and coordinators see.
MEMBERS_WHO_CHECK_IN = [Role.VOLUNTEER]


def min_respondents() -> int:
    return max(5, settings.WELLBEING_MIN_RESPONDENTS)


# --- A questionnaire's questions ----------------------------------------------------------


@dataclass
class Question:
    item: int
    text: str
    scale: instruments.Scale


@dataclass
class Questionnaire:
    instrument: instruments.Instrument
    questions: list[Question]
    language: str  # the language of the wording shown
    ready: bool


def questionnaire_for(*, instrument: instruments.Instrument, language: str) -> Questionnaire:
    """The questions in ``language``, else in English (the page then says so)."""
    if instrument.wording_shipped:
        questions = [
            Question(item, str(instrument.item_texts[item]), instrument.scale_for(item))
            for item in instrument.items
        ]
        return Questionnaire(instrument, questions, language, True)
    loaded = defaultdict(dict)
    for row in InstrumentWording.objects.filter(instrument=instrument.key):
        loaded[row.language][row.item] = row
    complete = [code for code, rows in loaded.items() if len(rows) == instrument.item_count]
    # The reader's language, else English, else any language loaded in full.
    shown = next((code for code in (language, "en", *sorted(complete)) if code in complete), None)
    if shown is None:
        return Questionnaire(instrument, [], language, False)
    rows = loaded[shown]
    questions = []
    for item in instrument.items:
        row = rows[item]
        scale = instrument.scales.get(row.scale) if row.scale else None
        questions.append(Question(item, row.text, scale or instrument.scale_for(item)))
    return Questionnaire(instrument, questions, shown, True)


@dataclass
class InstrumentSummary:
    instrument: instruments.Instrument
    ready: bool
    last: CheckIn | None
    due: bool


def instruments_for(*, user, now=None) -> list[InstrumentSummary]:
    now = now or timezone.now()
    latest = {}
    for check_in in CheckIn.objects.filter(user=user).order_by("instrument", "-created_at"):
        latest.setdefault(check_in.instrument, check_in)
    summaries = []
    for instrument in instruments.INSTRUMENTS.values():
        last = latest.get(instrument.key)
        due = last is None or last.created_at + timedelta(days=instrument.interval_days) <= now
        summaries.append(InstrumentSummary(instrument, instrument_ready(instrument), last, due))
    return summaries


# --- A person's own trend -----------------------------------------------------------------


@dataclass
class Point:
    at: datetime
    value: float
    band: str
    check_in_id: int


@dataclass
class Series:
    subscale: instruments.Subscale
    points: list[Point] = field(default_factory=list)


def trend_of(*, user, instrument: instruments.Instrument, since=None) -> list[Series]:
    """One series per subscale, oldest first."""
    check_ins = CheckIn.objects.filter(user=user, instrument=instrument.key).only(
        "pk", "created_at", "scores"
    )
    if since is not None:
        check_ins = check_ins.filter(created_at__gte=since)
    series = [Series(subscale) for subscale in instrument.subscales]
    for check_in in check_ins.order_by("created_at", "pk"):
        for line in series:
            value = check_in.subscale_value(line.subscale.key)
            if value is not None:
                line.points.append(
                    Point(
                        check_in.created_at,
                        value,
                        check_in.subscale_band(line.subscale.key) or "",
                        check_in.pk,
                    )
                )
    return series


def access_records_of(*, user, limit: int = 200) -> list[AccessRecord]:
    return list(AccessRecord.objects.filter(subject=user)[:limit])


def sharing_of(*, user) -> list[tuple]:
    """(team, choice or None) for each of the person's teams."""
    from people.models import Team

    teams = list(Team.objects.filter(memberships__user=user).order_by("name").distinct())
    choices = {c.team_id: c for c in SharingChoice.objects.filter(user=user)}
    return [(team, choices.get(team.pk)) for team in teams]


def resource_for(*, team, language: str | None = None) -> SelfCareResource | None:
    """The team's self-care page in the reader's language; else the one for every team; else
    the same in English."""
    from wagtail.models import Locale

    language = language or get_language()
    for code in dict.fromkeys([language, "en"]):
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            continue
        found = (
            SelfCareResource.objects.filter(locale=locale, team=team).first()
            if team is not None
            else None
        ) or SelfCareResource.objects.filter(locale=locale, team__isnull=True).first()
        if found is not None:
            return found
    return None


def export_rows(*, user) -> list[dict]:
    """Every check-in of the person with its answers and scores (for their download)."""
    rows = []
    for check_in in CheckIn.objects.filter(user=user).order_by("created_at", "pk"):
        rows.append(
            {
                "id": check_in.pk,
                "questionnaire": check_in.instrument,
                "answered_at": check_in.created_at.isoformat(),
                "answers": check_in.answers,
                "scores": check_in.scores.get("subscales", {}),
                "note": check_in.note,
            }
        )
    return rows


# --- Team totals --------------------------------------------------------------------------


@dataclass
class MonthTotal:
    month: date
    respondents: int
    shown: bool
    means: dict[str, float]  # subscale → mean of each respondent's last value that month
    bands: dict[str, dict[str, int]]  # subscale → band → people


def team_totals(
    *, team, instrument: instruments.Instrument, months: int = 12, now=None
) -> list[MonthTotal]:
    """Per calendar month (newest first): how many of the team's volunteers answered and,
    only when at least ``min_respondents()`` did, the mean and the band counts. Each person
    counts once a month, with the mean of their check-ins that month (so someone who checks in
    daily weighs no more than someone who checks in once). Nothing smaller is ever shown.

    The database groups the check-ins by person and month (one row per person-month, read as
    plain values); Python only adds those rows up: a team of 2,000 is about 24,000 rows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    starts = [today.replace(day=1)]  # the first day of each month, newest first
    for _ in range(months - 1):
        starts.append((starts[-1] - timedelta(days=1)).replace(day=1))
    moments = [timezone.make_aware(datetime.combine(day, datetime.min.time())) for day in starts]
    members = Membership.objects.filter(team=team, role__in=MEMBERS_WHO_CHECK_IN).values("user_id")
    left_out = SharingChoice.objects.filter(team=team, left_out_of_totals=True).values("user_id")
    averages = {
        f"v{index}": Avg(Cast(KT(f"scores__subscales__{subscale.key}__value"), FloatField()))
        for index, subscale in enumerate(instrument.subscales)
    }
    # The month of each check-in as a plain CASE over local month starts (newest first): no
    # per-row date functions, which SQLite would run in Python.
    month_of = Case(
        *[When(created_at__gte=moment, then=Value(index)) for index, moment in enumerate(moments)],
        output_field=IntegerField(),
    )
    rows = (
        CheckIn.objects.filter(
            instrument=instrument.key, user_id__in=members, created_at__gte=moments[-1]
        )
        .exclude(user_id__in=left_out)
        .annotate(month_index=month_of)
        .order_by()
        .values("month_index", "user_id")
        .annotate(**averages)
        .values_list("month_index", *averages)
    )
    per_month = defaultdict(list)
    for index, *values in rows:
        per_month[starts[index]].append(values)
    totals = []
    month = today.replace(day=1)
    for _ in range(months):
        people = per_month.get(month, [])
        shown = len(people) >= min_respondents()
        means, bands = {}, {}
        if shown:
            for index, subscale in enumerate(instrument.subscales):
                values = [person[index] for person in people if person[index] is not None]
                if len(values) < min_respondents():
                    continue
                means[subscale.key] = round(sum(values) / len(values), 1)
                counts = defaultdict(int)
                for value in values:
                    reported = value / subscale.factor if subscale.band_on == "raw" else value
                    if (band := instruments.band_for(subscale, reported)) is not None:
                        counts[band.key] += 1
                bands[subscale.key] = dict(counts)
        totals.append(MonthTotal(month, len(people), shown, means, bands))
        month = (month - timedelta(days=1)).replace(day=1)
    return totals


def team_totals_version(*, team, instrument: instruments.Instrument, since) -> tuple:
    """Changes whenever ``team_totals`` from ``since`` on could change: a check-in added or
    deleted, the team's members or anyone's choice to be left out (two small queries; the
    members are part of the caller's own version)."""
    members = Membership.objects.filter(team=team, role__in=MEMBERS_WHO_CHECK_IN).values("user_id")
    check_ins = CheckIn.objects.filter(
        instrument=instrument.key, user_id__in=members, created_at__gte=since
    ).aggregate(n=Count("pk"), m=Max("pk"))
    choices = SharingChoice.objects.filter(team=team).aggregate(n=Count("pk"), m=Max("updated_at"))
    return (check_ins["n"], check_ins["m"], choices["n"], str(choices["m"]), min_respondents())


# --- What others may see, by the person's choice -------------------------------------------


@dataclass
class Flag:
    user: object
    at: datetime
    instrument: instruments.Instrument


def shared_flags(*, team, now=None, days: int = 60) -> list[Flag]:
    """Volunteers who let the team's supervisors know when they are in a concerning range,
    and whose latest check-in of some questionnaire (in the last ``days``) is: the person and
    the date, never the answers or scores. The caller records each look."""
    now = now or timezone.now()
    sharing = SharingChoice.objects.filter(
        team=team,
        flag_to_supervisors=True,
        user__memberships__team=team,
        user__memberships__role__in=MEMBERS_WHO_CHECK_IN,
    ).values("user_id")
    latest = (
        CheckIn.objects.filter(user_id__in=sharing, created_at__gte=now - timedelta(days=days))
        .values("user_id", "instrument")
        .annotate(last=Max("created_at"))
    )
    flags = {}
    concerning = {
        (c.user_id, c.instrument, c.created_at): c
        for c in CheckIn.objects.filter(
            user_id__in=sharing, concern=True, created_at__gte=now - timedelta(days=days)
        ).select_related("user")
    }
    for row in latest:
        check_in = concerning.get((row["user_id"], row["instrument"], row["last"]))
        if check_in is None:
            continue
        known = flags.get(check_in.user_id)
        if known is None or known.at < check_in.created_at:
            flags[check_in.user_id] = Flag(check_in.user, check_in.created_at, check_in.definition)
    return sorted(flags.values(), key=lambda flag: flag.at, reverse=True)


def sharing_scores(*, team):
    """The team's volunteers who let its coordinators see their scores."""
    from people.models import User

    return User.objects.filter(
        wellbeing_sharing__team=team,
        wellbeing_sharing__scores_to_coordinators=True,
        memberships__team=team,
        memberships__role__in=MEMBERS_WHO_CHECK_IN,
        is_active=True,
    ).order_by("display_name")


def latest_results(*, users) -> dict[int, list[CheckIn]]:
    """Each person's latest check-in per questionnaire."""
    out = defaultdict(dict)
    for check_in in CheckIn.objects.filter(user__in=users).order_by("-created_at", "-pk"):
        out[check_in.user_id].setdefault(check_in.instrument, check_in)
    return {user_id: list(per.values()) for user_id, per in out.items()}


@dataclass
class WellbeingHome:
    """The home page's check-in card: the pulse's last time and whether it is due."""

    last: CheckIn | None = None
    due: bool = True
    concern: bool = False


def home_summary(*, user, now=None) -> WellbeingHome:
    now = now or timezone.now()
    last = (
        CheckIn.objects.filter(user=user).only("pk", "created_at", "instrument", "concern").first()
    )
    if last is None:
        return WellbeingHome()
    pulse = instruments.get("pulse")
    last_pulse = (
        last
        if last.instrument == "pulse"
        else CheckIn.objects.filter(user=user, instrument="pulse").only("created_at").first()
    )
    due = last_pulse is None or last_pulse.created_at + timedelta(days=pulse.interval_days) <= now
    return WellbeingHome(last=last, due=due, concern=last.concern)


# --- Views of a person's shared data, for the team's audit trail ---------------------------


@dataclass(frozen=True)
class WellbeingView:
    """Someone saw a person's shared scores: an access record in the shape of an audit row."""

    pk: int
    at: datetime
    actor_id: int
    actor_name: str
    subject_id: int
    subject_name: str  # empty when the account is gone


def team_wellbeing_views(*, team, person_id=None, since=None, until=None):
    """The access records of views of shared scores in ``team`` (newest first), for its audit
    trail. Views of a concerning-range flag are left out: that a flag was seen says that
    someone was in that range, which the team's coordinators are not told; those views stay
    in the person's own access log."""
    records = AccessRecord.objects.filter(team_name=team.name, what=AccessRecord.What.SCORES)
    if person_id is not None:
        records = records.filter(Q(viewer_id=person_id) | Q(subject_id=person_id))
    if since is not None:
        records = records.filter(at__gte=since)
    if until is not None:
        records = records.filter(at__lt=until)
    return records


def wellbeing_views_in_bulk(*, team, ids) -> dict[int, WellbeingView]:
    """The rows for some of ``team_wellbeing_views``, by id, in two queries."""
    from people.models import User

    records = list(team_wellbeing_views(team=team).filter(pk__in=ids))
    names = dict(
        User.objects.filter(pk__in={r.subject_id for r in records}).values_list(
            "pk", "display_name"
        )
    )
    return {
        r.pk: WellbeingView(
            pk=r.pk,
            at=r.at,
            actor_id=r.viewer_id,
            actor_name=r.viewer_name,
            subject_id=r.subject_id,
            subject_name=names.get(r.subject_id, ""),
        )
        for r in records
    }
