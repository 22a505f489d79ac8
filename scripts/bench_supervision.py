"""For `make bench` only: the supervision data of the benchmark, in the project's settings.

Run by scripts/bench.py (DJANGO_SETTINGS_MODULE, DATABASE_URL and the path set by the
caller), as one of:

``bench_supervision.py feed``
    A supervisor who runs a weekly group whose sessions cover two years (one behind, one
    ahead), each with a few seats, plus debrief slots every four weeks, in a team of its own
    ("Bench supervision", made afresh on every run); a new calendar address for them. Prints
    the feed's path, what was seeded and what ``feed_sessions`` puts in the feed.
``bench_supervision.py booking-prepare VOLUNTEERS SESSIONS CAPACITY``
    A team of its own ("Bench booking", made afresh) with VOLUNTEERS volunteers, a group for
    all of them and SESSIONS sessions of CAPACITY seats in three days; a signed-in session
    cookie for every volunteer. Prints the cookies and the sessions' paths.
``bench_supervision.py booking-count PK [PK ...]``
    Per session: seats, waiting list, cancelled, and people holding more than one active seat.
``bench_supervision.py booking-replay PK USER``
    After a 5xx: the same booking once more, alone, through Django's test client; the
    exception it raises (the servers log nothing), or its status.

Each prints one line of JSON. Only the two bench teams are replaced; their people are kept
(looked up by e-mail) and given their roles again."""

import json
import sys
from datetime import time, timedelta

import django

FEED_TEAM = "bench-supervision"
BOOKING_TEAM = "bench-booking"
SUPERVISOR = "bench-supervisor@example.org"
RULE = "FREQ=WEEKLY;BYDAY=TU"
SPAN = timedelta(days=365)  # sessions this far behind and this far ahead
FEED_MEMBERS = 8
LINK = "https://meet.example.org/bench"


def person(email: str, name: str):
    from people.models import User

    user, _created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    return user


def team_afresh(slug: str, name: str, people: dict):
    """The team ``slug`` made anew (its groups, sessions and seats go with the old one),
    with ``people`` (user -> role) as its members."""
    from people.models import Membership, Team

    Team.objects.filter(slug=slug).delete()
    team = Team.objects.create(name=name, slug=slug)
    Membership.objects.bulk_create(
        [Membership(user=user, team=team, role=role) for user, role in people.items()]
    )
    return team


def feed() -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from people.models import Role
    from supervision.models import (
        Attendance,
        Audience,
        Booking,
        BookingStatus,
        Format,
        Session,
        SessionKind,
        SupervisionGroup,
    )
    from supervision.recurrence import occurrences
    from supervision.selectors import feed_sessions
    from supervision.services import calendar_token_create

    now = timezone.now()
    supervisor = person(SUPERVISOR, "Bench supervisor")
    members = [
        person(f"bench-member-{i:02}@example.org", f"Bench member {i}")
        for i in range(1, FEED_MEMBERS + 1)
    ]
    team = team_afresh(
        FEED_TEAM,
        "Bench supervision",
        {supervisor: Role.SUPERVISOR, **dict.fromkeys(members, Role.VOLUNTEER)},
    )
    group = SupervisionGroup.objects.create(
        team=team,
        name="Weekly group",
        audience=Audience.VOLUNTEERS,
        capacity=8,
        format=Format.ONLINE,
        meeting_link=LINK,
        rule=RULE,
        series_start=(now - SPAN).date(),
        start_time=time(18, 0),
        time_zone="Europe/Riga",
    )
    group.supervisors.set([supervisor])
    moments = occurrences(
        rule=RULE,
        series_start=group.series_start,
        start_time=group.start_time,
        zone=group.zone,
        after=now - SPAN,
        before=now + SPAN,
    )
    sessions = Session.objects.bulk_create(
        Session(
            team=team,
            kind=SessionKind.GROUP,
            group=group,
            occurrence=moment,
            starts_at=moment,
            ends_at=moment + group.duration,
            capacity=group.capacity,
            format=group.format,
            meeting_link=group.meeting_link,
        )
        for moment in moments
    )
    hour = now.replace(minute=0, second=0, microsecond=0)
    slots = Session.objects.bulk_create(
        Session(
            team=team,
            kind=SessionKind.DEBRIEF,
            supervisor=supervisor,
            starts_at=moment,
            ends_at=moment + timedelta(minutes=45),
            capacity=1,
            format=Format.ONLINE,
            meeting_link=LINK,
        )
        for moment in (hour - SPAN + timedelta(days=28 * n, hours=3) for n in range(26))
    )
    bookings = []
    for number, session in enumerate(sessions):
        past = session.ends_at <= now
        for member in members[number % 3 :][: 4 + number % 3]:  # 4 to 6 seats each
            bookings.append(
                Booking(
                    session=session,
                    user=member,
                    status=BookingStatus.CONFIRMED,
                    attendance=Attendance.ATTENDED if past else "",
                    created_at=session.starts_at - timedelta(days=5),
                )
            )
    for number, slot in enumerate(slots[::2]):  # every other slot taken
        bookings.append(
            Booking(
                session=slot,
                user=members[number % len(members)],
                status=BookingStatus.CONFIRMED,
                created_at=slot.starts_at - timedelta(days=2),
            )
        )
    Booking.objects.bulk_create(bookings)
    token = calendar_token_create(user=supervisor)
    entries = [session for session, _visible in feed_sessions(user=supervisor, now=now)]
    seeded = sessions + slots

    def days(moment) -> float:
        return round((moment - now) / timedelta(days=1), 1)

    return {
        "path": reverse("calendar_feed", kwargs={"token": token}),
        "seeded": {
            "group_sessions": len(sessions),
            "debrief_slots": len(slots),
            "bookings": len(bookings),
            "first_days": days(min(s.starts_at for s in seeded)),
            "last_days": days(max(s.starts_at for s in seeded)),
        },
        "feed": {
            "sessions": len(entries),
            "first_days": days(min(s.starts_at for s in entries)) if entries else None,
            "last_days": days(max(s.starts_at for s in entries)) if entries else None,
        },
    }


def booking_prepare(volunteers: int, count: int, capacity: int) -> dict:
    from bench_visitor import session_cookie
    from django.urls import reverse
    from django.utils import timezone, translation

    from people.models import Role
    from supervision.models import Audience, Format, Session, SessionKind, SupervisionGroup

    supervisor = person(SUPERVISOR, "Bench supervisor")
    people = [
        person(f"bench-booker-{i:03}@example.org", f"Bench booker {i}")
        for i in range(1, volunteers + 1)
    ]
    team = team_afresh(
        BOOKING_TEAM,
        "Bench booking",
        {supervisor: Role.SUPERVISOR, **dict.fromkeys(people, Role.VOLUNTEER)},
    )
    group = SupervisionGroup.objects.create(
        team=team,
        name="Booking group",
        audience=Audience.VOLUNTEERS,
        capacity=capacity,
        format=Format.ONLINE,
        meeting_link=LINK,
    )
    group.supervisors.set([supervisor])
    starts = timezone.now() + timedelta(days=3)
    sessions = [
        Session.objects.create(
            team=team,
            kind=SessionKind.GROUP,
            group=group,
            starts_at=starts + timedelta(hours=n),
            ends_at=starts + timedelta(hours=n) + group.duration,
            capacity=capacity,
            format=group.format,
            meeting_link=group.meeting_link,
        )
        for n in range(count)
    ]
    with translation.override("en"):
        paths = [
            {
                "pk": s.pk,
                "page": reverse("supervision:session", kwargs={"pk": s.pk}),
                "book": reverse("supervision:session_book", kwargs={"pk": s.pk}),
            }
            for s in sessions
        ]
    return {
        "capacity": capacity,
        "sessions": paths,
        "visitors": [session_cookie(user, password_login=True) for user in people],
    }


def booking_count(pks: list[int]) -> dict:
    from django.db.models import Count, Q

    from supervision.models import ACTIVE_BOOKING, Booking, BookingStatus

    counts = {}
    for pk in pks:
        bookings = Booking.objects.filter(session_id=pk)
        row = bookings.aggregate(
            confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
            over_capacity=Count("pk", filter=Q(over_capacity=True)),
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
            people=Count("user", filter=ACTIVE_BOOKING, distinct=True),
        )
        row["duplicates"] = (
            bookings.filter(ACTIVE_BOOKING)
            .values("user")
            .annotate(seats=Count("pk"))
            .filter(seats__gt=1)
            .count()
        )
        counts[pk] = row
    return counts


def booking_replay(pk: int, user_pk: int) -> dict:
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from people.models import User

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
    client.force_login(User.objects.get(pk=user_pk))
    with translation.override("en"):
        path = reverse("supervision:session_book", kwargs={"pk": pk})
    try:
        response = client.post(path)
    except Exception as error:  # noqa: BLE001 - any error is the answer
        return {"error": f"{type(error).__name__}: {error}".strip()}
    return {"status": response.status_code}


if __name__ == "__main__":
    django.setup()
    command, args = sys.argv[1], [int(arg) for arg in sys.argv[2:]]
    if command == "feed":
        answer = feed()
    elif command == "booking-prepare":
        answer = booking_prepare(*args)
    elif command == "booking-count":
        answer = booking_count(args)
    elif command == "booking-replay":
        answer = booking_replay(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(answer))
