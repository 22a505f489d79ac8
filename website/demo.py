"""Demo data for trying Atbalsts locally: one team with every role. Never for production."""

import random
import uuid
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
    if demo_step("wellbeing"):
        demo_wellbeing_seed()
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


# --- Wellbeing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPulse:
    """How a volunteer's weeks have gone: ``level`` is how good a usual week is on the
    answers' 0–4 scale (energy, sleep and support as answered; stress and hard calls the other
    way round), ``biases`` shift single items, ``noise`` is how much weeks differ, ``dip``
    (from, to weeks ago, by how much) is a harder stretch and ``settling_in`` how much lower
    a newcomer's weeks were six months ago, rising to now."""

    level: float
    noise: float
    biases: dict[int, float]
    dip: tuple[int, int, float] | None = None
    settling_in: float = 0.0


# Items 1 energy, 2 stress, 3 sleep, 4 support from the team, 5 how hard the calls were.
DEMO_PULSES = {
    "aija@example.org": DemoPulse(2.8, 0.4, {4: 0.6, 5: -0.3}),
    "janis@example.org": DemoPulse(2.7, 0.4, {3: -0.3}),
    "olga@example.org": DemoPulse(2.4, 0.5, {3: -0.7, 4: 0.3}),  # night shifts: short sleep
    "pavel@example.org": DemoPulse(2.7, 0.45, {5: -0.4}, settling_in=0.6),
    "liga@example.org": DemoPulse(2.9, 0.35, {}),
    "nadia@example.org": DemoPulse(2.6, 0.45, {2: -0.3}, dip=(8, 12, -1.0)),
}
DEMO_PULSE_WEEKS = 26  # one a week for six months, all within the last 182 days
# Jānis's last three weeks, oldest first: some strain (55, 45), then a heavy week (25).
JANIS_LAST_WEEKS = [
    {1: 2, 2: 2, 3: 2, 4: 3, 5: 2},
    {1: 2, 2: 3, 3: 2, 4: 3, 5: 3},
    {1: 1, 2: 3, 3: 1, 4: 2, 5: 4},
]
# One self-care resource for the helpline team, in each language under the same key.
SELF_CARE_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "https://atbalsts.example.org/demo/self-care")
SELF_CARE = {
    "en": {
        "title": "Looking after yourself",
        "body": (
            "<p>This work asks a lot of you. A heavy week is common on a helpline, and it is "
            "not a failure.</p><ul><li>Rest: leave real time between shifts and sleep when "
            "you can.</li><li>After a hard call, talk to a colleague before you go home. You "
            "do not have to carry it alone.</li><li>Do something small that brings you back "
            "to yourself: a walk, a warm meal, a message to a friend.</li></ul>"
        ),
        "contacts": (
            "<ul><li>Dace, the team's supervisor, is there for you: press <b>I'd like to talk "
            "to someone</b> and she will get in touch. She does not see your answers.</li>"
            "<li>Your coordinator can help with fewer or different shifts for a while.</li>"
            "</ul>"
        ),
        "professional_help": (
            "<ul><li>Your family doctor can listen and refer you to a psychologist or a "
            "psychotherapist.</li><li>If you feel you cannot cope, call a crisis helpline in "
            "Latvia. You do not have to be in danger to call.</li><li>If your life is in "
            "danger, call the emergency services.</li></ul>"
        ),
    },
    "lv": {
        "title": "Parūpējieties par sevi",
        "body": (
            "<p>Šis darbs no jums prasa daudz. Smaga nedēļa palīdzības tālrunī ir bieža, un "
            "tā nav neveiksme.</p><ul><li>Atpūtieties: atstājiet laiku starp maiņām un "
            "izgulieties, kad varat.</li><li>Pēc smagas sarunas parunājiet ar kolēģi, pirms "
            "dodaties mājās. Jums tas nav jānes vienam.</li><li>Dariet kaut ko nelielu, kas "
            "palīdz atgriezties pie sevis: pastaiga, silta maltīte, ziņa draugam.</li></ul>"
        ),
        "contacts": (
            "<ul><li>Dace, komandas supervizore, ir gatava jūs uzklausīt: nospiediet "
            "<b>„Vēlos ar kādu parunāt”</b>, un viņa ar jums sazināsies. Jūsu atbildes viņa "
            "neredz.</li><li>Jūsu koordinators var palīdzēt uz laiku samazināt vai mainīt "
            "maiņas.</li></ul>"
        ),
        "professional_help": (
            "<ul><li>Jūsu ģimenes ārsts var uzklausīt un nosūtīt pie psihologa vai "
            "psihoterapeita.</li><li>Ja jūtat, ka netiekat galā, zvaniet uz kādu no Latvijas "
            "krīzes tālruņiem. Lai zvanītu, jums nav jābūt briesmās.</li>"
            "<li>Ja jūsu dzīvība ir apdraudēta, zvaniet neatliekamās palīdzības dienestiem."
            "</li></ul>"
        ),
    },
    "ru": {
        "title": "Позаботьтесь о себе",
        "body": (
            "<p>Эта работа требует от вас многого. Тяжёлая неделя на линии помощи — это "
            "обычно, и это не неудача.</p><ul><li>Отдыхайте: оставляйте время между сменами "
            "и высыпайтесь, когда можете.</li><li>После тяжёлого звонка поговорите с коллегой, "
            "прежде чем идти домой. Вам не нужно нести это в одиночку.</li><li>Сделайте "
            "что-то небольшое, что возвращает вас к себе: прогулка, тёплая еда, сообщение "
            "другу.</li></ul>"
        ),
        "contacts": (
            "<ul><li>Даце, супервизор команды, готова вас выслушать: нажмите <b>«Я хочу с "
            "кем-нибудь поговорить»</b>, и она с вами свяжется. Ваших ответов она не видит."
            "</li><li>Ваш координатор может помочь на время сократить или поменять смены."
            "</li></ul>"
        ),
        "professional_help": (
            "<ul><li>Ваш семейный врач может выслушать вас и направить к психологу или "
            "психотерапевту.</li><li>Если вы чувствуете, что не справляетесь, позвоните на "
            "одну из кризисных линий Латвии. Чтобы позвонить, не нужно быть в опасности.</li>"
            "<li>Если ваша жизнь в опасности, звоните в экстренные службы.</li></ul>"
        ),
    },
}


def demo_wellbeing_seed() -> None:
    """Six months of weekly pulses for each helpline volunteer (so the coordinators see the
    team's totals), Jānis's last weeks turning heavy and shared with the supervisors, Olga's
    scores shared with the coordinators, Aija's weekly reminder and the team's self-care page
    in each language. A volunteer who has pulses already is left as they are."""
    from wellbeing import services as wellbeing_services
    from wellbeing.models import CheckIn, Reminder, SharingChoice

    team = Team.objects.filter(slug="helpline").first()
    if team is None:
        return
    volunteers = {
        m.user.email: m.user
        for m in Membership.objects.filter(
            team=team, role=Role.VOLUNTEER, user__email__in=DEMO_PULSES
        ).select_related("user")
    }
    now = timezone.now()
    for email, profile in DEMO_PULSES.items():
        user = volunteers.get(email)
        if user is None or CheckIn.objects.filter(user=user, instrument="pulse").exists():
            continue
        rng = random.Random(f"atbalsts-demo-wellbeing:{email}")
        moments = demo_pulse_moments(now=now, rng=rng)
        answers = demo_pulse_weeks(profile, rng=rng)
        if email == "janis@example.org":
            answers[: len(JANIS_LAST_WEEKS)] = reversed(JANIS_LAST_WEEKS)
        for moment, week in sorted(zip(moments, answers, strict=True), key=lambda pair: pair[0]):
            wellbeing_services.checkin_create(
                user=user, instrument_key="pulse", answers=week, now=moment
            )
    choices = {
        "janis@example.org": {"flag_to_supervisors": True, "scores_to_coordinators": False},
        "olga@example.org": {"flag_to_supervisors": False, "scores_to_coordinators": True},
    }
    for email, choice in choices.items():
        user = volunteers.get(email)
        if user is not None and not SharingChoice.objects.filter(user=user, team=team).exists():
            wellbeing_services.sharing_update(user=user, team=team, **choice)
    aija = volunteers.get("aija@example.org")
    if aija is not None and not Reminder.objects.filter(user=aija, instrument="pulse").exists():
        wellbeing_services.reminder_set(user=aija, instrument_key="pulse", every_days=7, now=now)
    demo_self_care_ensure(team=team)


def demo_pulse_moments(*, now: datetime, rng: random.Random) -> list[datetime]:
    """``DEMO_PULSE_WEEKS`` evenings in Riga a week apart (give or take a day), newest first.
    The newest is in the last two days and in this calendar month wherever the totals are
    counted (Riga, where the coordinators are, and the server's zone): early on the first of
    a month, before any evening, it is a late-night check-in after a shift."""
    month_start = max(
        datetime.combine(timezone.localdate(now, zone).replace(day=1), time(0), tzinfo=zone)
        for zone in (DEMO_ZONE, timezone.get_default_timezone(), timezone.get_current_timezone())
    )
    evening = [rng.randint(19, 22) * 60 + rng.randrange(0, 60, 5) for _ in range(DEMO_PULSE_WEEKS)]
    jitter = [0] + [rng.choice((-1, 0, 0, 1)) for _ in range(DEMO_PULSE_WEEKS - 1)]
    days_back = rng.choice(((0, 1), (1, 0)))
    late_night = rng.uniform(0.3, 0.9)
    today = timezone.localdate(now, DEMO_ZONE)

    def at(day, minutes: int) -> datetime:
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=DEMO_ZONE)

    newest = next(
        (
            moment
            for back in days_back
            if month_start <= (moment := at(today - timedelta(days=back), evening[0])) <= now
        ),
        month_start + (now - month_start) * late_night,
    )
    newest_day = timezone.localdate(newest, DEMO_ZONE)
    older = [
        at(newest_day - timedelta(days=7 * age + jitter[age]), evening[age])
        for age in range(1, DEMO_PULSE_WEEKS)
    ]
    return [newest, *older]


def demo_pulse_weeks(profile: DemoPulse, *, rng: random.Random) -> list[dict]:
    """``DEMO_PULSE_WEEKS`` weeks of answers, newest first: 0–4 per item, stress (2) and hard
    calls (5) counted the other way round. A good or bad week lingers into the next."""
    weeks = []
    mood = 0.0
    for weeks_ago in reversed(range(DEMO_PULSE_WEEKS)):
        mood = 0.5 * mood + rng.gauss(0, profile.noise)
        level = profile.level + mood
        level -= profile.settling_in * weeks_ago / (DEMO_PULSE_WEEKS - 1)
        if profile.dip and profile.dip[0] <= weeks_ago <= profile.dip[1]:
            level += profile.dip[2]
        answers = {}
        for item in range(1, 6):
            good = round(level + profile.biases.get(item, 0) + rng.gauss(0, 0.4))
            good = min(4, max(0, good))
            answers[item] = 4 - good if item in (2, 5) else good
        weeks.append(answers)
    return weeks[::-1]


def demo_self_care_ensure(*, team: Team) -> None:
    """The helpline's self-care page in English, Latvian and Russian: one translation key,
    one row per locale; a language someone has written already is left alone."""
    from wellbeing.models import SelfCareResource

    english = SelfCareResource.objects.filter(team=team, locale__language_code="en").first()
    key = english.translation_key if english is not None else SELF_CARE_KEY
    for locale in Locale.objects.filter(language_code__in=SELF_CARE):
        if SelfCareResource.objects.filter(team=team, locale=locale).exists():
            continue
        SelfCareResource.objects.get_or_create(
            translation_key=key,
            locale=locale,
            defaults={"team": team, **SELF_CARE[locale.language_code]},
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
