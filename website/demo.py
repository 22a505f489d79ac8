"""Demo data for trying Atbalsts locally: one team with every role. Never for production."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from people.models import Membership, Role, Team, User
from supervision import services as supervision_services
from supervision.models import (
    AttendanceChange,
    Audience,
    Booking,
    BookingStatus,
    DebriefRequest,
    Format,
    Session,
    SessionKind,
    SupervisionGroup,
    Urgency,
)
from supervision.recurrence import occurrences

from .models import HomePage
from .services import dispatch_claim

DEMO_PASSWORD = "atbalsts-demo"  # noqa: S105 - printed for local demo logins only
DEMO_DOMAIN = "example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str | None  # team role; None for the site admin
    superuser: bool = False
    mfa: bool = True


DEMO_ACCOUNTS = [
    DemoAccount("admin@example.org", "Site admin", None, superuser=True),
    DemoAccount("ilze@example.org", "Ilze", Role.COORDINATOR),
    DemoAccount("marta@example.org", "Marta", Role.COORDINATOR),
    DemoAccount("dace@example.org", "Dace", Role.SUPERVISOR),
    DemoAccount("aija@example.org", "Aija", Role.VOLUNTEER, mfa=False),
    DemoAccount("janis@example.org", "Jānis", Role.VOLUNTEER, mfa=False),
    DemoAccount("olga@example.org", "Olga", Role.VOLUNTEER, mfa=False),
    DemoAccount("pavel@example.org", "Pavel", Role.VOLUNTEER, mfa=False),
    DemoAccount("liga@example.org", "Līga", Role.VOLUNTEER, mfa=False),
    DemoAccount("nadia@example.org", "Nadia", Role.VOLUNTEER, mfa=False),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    display_name: str
    role: str
    totp_secret: str | None


def demo_step(name: str) -> bool:
    """Each part of the demo is seeded once: a part someone later changed or removed (a
    required course, a page) is not put back by the next ``make run``. The claim lives in
    the once-only dispatch table."""
    return dispatch_claim(kind="demo_seed", target=name) is not None


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    """Seed each part of the demo once (see ``demo_step``); always return the logins of the
    demo accounts that still exist."""
    if demo_step("team-and-accounts"):
        team, _created = Team.objects.get_or_create(name="Helpline", defaults={"slug": "helpline"})
        for account in DEMO_ACCOUNTS:
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=account.email,
                    password=DEMO_PASSWORD,
                    display_name=account.display_name,
                    is_staff=account.superuser,
                    is_superuser=account.superuser,
                )
            EmailAddress.objects.update_or_create(
                user=user, email=account.email, defaults={"verified": True, "primary": True}
            )
            if account.role:
                Membership.objects.get_or_create(
                    user=user, team=team, defaults={"role": account.role}
                )
            if account.mfa:
                demo_totp_secret(user)
    if demo_step("pages"):
        homepage_translations_ensure()
        privacy_page_ensure()
    if demo_step("courses"):
        from courses.demo import demo_courses_seed

        demo_courses_seed()
    if demo_step("required-courses"):
        demo_required_courses_seed()
    if demo_step("supervision"):
        demo_supervision_seed()
    return demo_logins()


def demo_logins() -> list[DemoLogin]:
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    logins = []
    for account in DEMO_ACCOUNTS:
        user = users.get(account.email)
        if user is None:
            continue
        secret = demo_totp_secret(user) if account.mfa else None
        role_label = str(Role(account.role).label) if account.role else "Site admin"
        logins.append(DemoLogin(account.email, account.display_name, role_label, secret))
    return logins


def demo_required_courses_seed() -> None:
    from courses.models import CourseAssignment, CoursePage

    team = Team.objects.filter(slug="helpline").first()
    coordinator = User.objects.filter(email="ilze@example.org").first()
    if team is None:
        return
    for slug, days in (("psychological-first-aid", 30), ("active-listening", 60)):
        course = CoursePage.objects.filter(slug=slug, locale__language_code="en").first()
        if course is None:
            continue
        CourseAssignment.objects.get_or_create(
            team=team,
            course=course,
            defaults={
                "due_date": timezone.localdate() + timedelta(days=days),
                "assigned_by": coordinator,
            },
        )


# --- Supervision -------------------------------------------------------------------------

DEMO_ZONE = ZoneInfo("Europe/Riga")
# How far back the demo groups have met: the attendance page looks at the last 60 days.
DEMO_HISTORY = timedelta(days=92)
# Attendance in the past sessions, newest first ("" = no seat), chosen so the coordinators'
# attendance page shows every status. Pavel joined just now: due, with nothing to show yet.
VOLUNTEER_ATTENDANCE = {
    "aija@example.org": ["attended", "attended", "attended"],
    "janis@example.org": ["excused", "attended", "attended"],
    "olga@example.org": ["absent", "absent", "attended"],
    "liga@example.org": ["attended", "", "excused"],
    "nadia@example.org": ["", "excused", "absent"],
}
COORDINATOR_ATTENDANCE = {
    "ilze@example.org": ["attended", "attended"],
    "marta@example.org": ["excused", "attended"],
}
DEBRIEF_NOTE = (
    "A long call last night with someone who had just lost their brother. I keep going over "
    "what I said. Could we talk this week?"
)


def demo_supervision_seed() -> None:
    """Two groups on a schedule (volunteers online, coordinators in person) with three
    months of history, Aija's seat in the next session, Jānis's open debrief request and
    Dace's free one-to-one slots."""
    team = Team.objects.filter(slug="helpline").first()
    coordinator = User.objects.filter(email="ilze@example.org").first()
    supervisor = User.objects.filter(email="dace@example.org").first()
    if team is None or coordinator is None or supervisor is None:
        return
    roles = dict(Membership.objects.filter(team=team).values_list("user__email", "role"))
    if roles.get(coordinator.email) != Role.COORDINATOR:
        return
    if roles.get(supervisor.email) != Role.SUPERVISOR:
        return
    now = timezone.now()
    series_start = (timezone.localdate(now, DEMO_ZONE) - timedelta(days=120)).replace(day=1)
    # The team has been meeting for months: its members joined before the first session
    # (except Pavel, the newcomer), so a missed month reads as overdue rather than new.
    Membership.objects.filter(
        team=team, user__email__in=[*VOLUNTEER_ATTENDANCE, *COORDINATOR_ATTENDANCE]
    ).update(created_at=datetime.combine(series_start, time(12, 0), tzinfo=DEMO_ZONE))
    volunteers = demo_group_save(
        team=team,
        by=coordinator,
        supervisor=supervisor,
        name="Monthly group supervision",
        audience=Audience.VOLUNTEERS,
        rule="FREQ=MONTHLY;BYDAY=1TU",
        series_start=series_start,
        start_time=time(18, 0),
        format=Format.ONLINE,
        meeting_link="https://meet.example.org/helpline-group-supervision",
        place="",
    )
    coordinators = demo_group_save(
        team=team,
        by=coordinator,
        supervisor=supervisor,
        name="Coordinators' supervision",
        audience=Audience.COORDINATORS,
        rule="FREQ=MONTHLY;BYDAY=3TH",
        series_start=series_start,
        start_time=time(16, 0),
        format=Format.IN_PERSON,
        meeting_link="",
        place="Helpline office, meeting room on the 2nd floor",
    )
    demo_past_sessions(group=volunteers, marked_by=supervisor, attendance=VOLUNTEER_ATTENDANCE)
    demo_past_sessions(group=coordinators, marked_by=supervisor, attendance=COORDINATOR_ATTENDANCE)
    aija = User.objects.filter(email="aija@example.org").first()
    if aija is not None and roles.get(aija.email) == Role.VOLUNTEER:
        for session in volunteers.sessions.scheduled().filter(starts_at__gt=now):
            if now < supervision_services.booking_closes_at(session):
                supervision_services.booking_create(session=session, user=aija, now=now)
                break
    janis = User.objects.filter(email="janis@example.org").first()
    if janis is not None and roles.get(janis.email) == Role.VOLUNTEER:
        request = supervision_services.debrief_request_create(
            team=team, requester=janis, urgency=Urgency.THIS_WEEK, note=DEBRIEF_NOTE
        )
        DebriefRequest.objects.filter(pk=request.pk).update(created_at=now - timedelta(hours=3))
    demo_debrief_slots(team=team, supervisor=supervisor, now=now)


def demo_group_save(*, team, by, supervisor, **fields) -> SupervisionGroup:
    """A group through the same service a coordinator uses; its schedule makes the coming
    sessions (``SCHEDULE_WINDOW`` ahead)."""
    data = supervision_services.GroupData(
        supervisors=[supervisor],
        members=[],
        capacity=8,
        time_zone="Europe/Riga",
        duration_minutes=90,
        booking_closes_hours=2,
        **fields,
    )
    return supervision_services.group_save(team=team, data=data, by=by)


def demo_past_sessions(*, group: SupervisionGroup, marked_by: User, attendance: dict) -> None:
    """The group's sessions of the last ``DEMO_HISTORY``, each on its schedule's occurrence
    (so the schedule does not add it again), with seats and attendance marked as the
    supervisor would have: every mark on the record (``AttendanceChange``)."""
    now = timezone.now()
    moments = occurrences(
        rule=group.rule,
        series_start=group.series_start,
        start_time=group.start_time,
        zone=group.zone,
        after=now - DEMO_HISTORY,
        before=now,
    )
    taken = set(group.sessions.filter(occurrence__in=moments).values_list("occurrence", flat=True))
    users = {u.email: u for u in User.objects.filter(email__in=attendance)}
    details = supervision_services.session_details_from(group)
    for age, moment in enumerate(sorted(moments, reverse=True)):
        if moment in taken:
            continue
        session = Session.objects.create(
            team=group.team,
            kind=SessionKind.GROUP,
            group=group,
            occurrence=moment,
            starts_at=moment,
            ends_at=moment + group.duration,
            **details,
        )
        marked_at = min(session.ends_at + timedelta(minutes=15), now)
        for email, marks in attendance.items():
            user = users.get(email)
            mark = marks[age] if age < len(marks) else ""
            if user is None or not mark:
                continue
            booking = Booking.objects.create(
                session=session,
                user=user,
                status=BookingStatus.CONFIRMED,
                attendance=mark,
                created_at=moment - timedelta(days=6),
            )
            AttendanceChange.objects.create(
                booking=booking, before="", after=mark, changed_by=marked_by, changed_at=marked_at
            )


def demo_debrief_slots(*, team: Team, supervisor: User, now: datetime) -> None:
    """Three one-to-one slots on the next working days, at the hours people can make."""
    day = timezone.localdate(now, DEMO_ZONE)
    hours = [time(17, 30), time(10, 0), time(17, 30)]
    while hours:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        supervision_services.debrief_slot_publish(
            supervisor=supervisor,
            team=team,
            starts_at=datetime.combine(day, hours.pop(0), tzinfo=DEMO_ZONE),
            minutes=45,
            format=Format.ONLINE,
            meeting_link="https://meet.example.org/dace-one-to-one",
        )


def demo_totp_secret(user: User) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


PRIVACY_TEXT = (
    "<h2>What we keep</h2><p>Your e-mail address, the display name you chose (a pseudonym is "
    "fine), your language and time zone, your course progress and certificates. Your "
    "reflection notes and self-check-ins are yours alone.</p><h2>What we never do</h2><p>No "
    "trackers, no advertising, nothing loaded from other websites.</p>"
)


def privacy_page_ensure():
    from .models import InformationPage

    homepage = HomePage.objects.filter(depth=2, locale__language_code="en").first()
    if homepage is None or InformationPage.objects.filter(slug="privacy").exists():
        return
    page = homepage.add_child(
        instance=InformationPage(title="Privacy", slug="privacy", body=PRIVACY_TEXT)
    )
    page.save_revision().publish()


WELCOME = {
    "en": "<p>Welcome to the volunteers' space: short courses before your first shifts, "
    "supervision with your group, and a quiet place to check in with yourself.</p>",
    "lv": "<p>Laipni lūdzam brīvprātīgo telpā: īsi kursi pirms pirmajām maiņām, supervīzijas "
    "kopā ar grupu un mierīga vieta, kur ieklausīties sevī.</p>",
    "ru": "<p>Добро пожаловать в пространство волонтёров: короткие курсы перед первыми "
    "сменами, супервизии с вашей группой и спокойное место, чтобы прислушаться к себе.</p>",
}


def homepage_translations_ensure() -> None:
    """Give the home page a Latvian and a Russian version, so each language has its own URL."""
    homepage = HomePage.objects.filter(depth=2).first()
    if homepage is None:
        return
    if not homepage.intro:
        homepage.intro = WELCOME["en"]
        homepage.save_revision().publish()
    for code in ("lv", "ru"):
        locale = Locale.objects.get(language_code=code)
        if not homepage.has_translation(locale):
            translated = homepage.copy_for_translation(locale)
            translated.intro = WELCOME[code]
            translated.save_revision().publish()
