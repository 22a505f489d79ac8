"""For `make bench` only: the wellbeing data of the benchmark, in the project's settings.

Run by scripts/bench.py (DJANGO_SETTINGS_MODULE, DATABASE_URL and the path set by the
caller), as one of:

``bench_wellbeing.py volunteer``
    A volunteer (bench-wellbeing-volunteer@example.org) in a team of their own ("Bench
    wellbeing", made afresh on every run) with two years of weekly pulses (104 check-ins,
    their old ones deleted first), each made by ``wellbeing.services.checkin_create`` as a
    real check-in is. Prints the path of their wellbeing page and a signed-in session cookie
    (the password login recorded, as bench_visitor.py makes it).
``bench_wellbeing.py team [VOLUNTEERS]``
    A team of its own ("Bench wellbeing team", made afresh) with VOLUNTEERS volunteers
    (default 2,000; users made with bulk_create when missing, kept between runs) who each
    answered the weekly pulse every week of the last 52 (their old check-ins deleted first),
    written with bulk_create in batches, each pulse scored by ``wellbeing.instruments.score``
    as ``checkin_create`` scores it (once per distinct set of answers); nobody shares
    anything with the team (the page shows the anonymous totals only, and writes no access
    record). Plus a coordinator with an
    authenticator app whose session has completed the second factor (recorded by
    ``people.authentication.session_record_second_factor``, as a login's code step records
    it): coordinators need one to reach any page. Prints the path of the team's check-ins
    page (the coordinators' totals) and the coordinator's cookie.

Each prints one line of JSON, with what was seeded and the seconds it took. The answers are
drawn from a fixed seed: every run seeds the same answers at the same distance from now."""

import json
import random
import sys
import time
from datetime import timedelta
from importlib import import_module

import django

VOLUNTEER = "bench-wellbeing-volunteer@example.org"
VOLUNTEER_TEAM = "bench-wellbeing"
VOLUNTEER_WEEKS = 104  # two years of weekly pulses
TEAM = "bench-wellbeing-team"
COORDINATOR = "bench-wellbeing-coordinator@example.org"
MEMBER_EMAIL = "bench-wellbeing-{:04}@example.org"
TEAM_VOLUNTEERS = 2000
TEAM_WEEKS = 52  # the last 12 months
BATCH_PEOPLE = 100  # people whose check-ins are written per bulk_create
SEED = 20260101


def pulse_answers(rng: random.Random, level: float) -> dict[int, int]:
    """One week's pulse of someone who is usually at ``level`` (0 heavy to 4 steady):
    items 2 and 5 (stress, hard calls) run the other way."""
    week = level + rng.gauss(0, 0.6)
    answers = {}
    for item in range(1, 6):
        value = week + rng.gauss(0, 0.5)
        if item in (2, 5):
            value = 4 - value
        answers[item] = min(4, max(0, round(value)))
    return answers


def volunteer() -> dict:
    from bench_supervision import person, team_afresh
    from bench_visitor import session_cookie
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone, translation

    from people.models import Role
    from wellbeing.models import CheckIn
    from wellbeing.services import checkin_create

    started = time.monotonic()
    now = timezone.now()
    user = person(VOLUNTEER, "Bench wellbeing volunteer")
    CheckIn.objects.filter(user=user).delete()
    team_afresh(VOLUNTEER_TEAM, "Bench wellbeing", {user: Role.VOLUNTEER})
    rng = random.Random(SEED)
    with transaction.atomic():
        check_ins = [
            checkin_create(
                user=user,
                instrument_key="pulse",
                answers=pulse_answers(rng, 2.6),
                now=now - timedelta(weeks=week, hours=2),
            )
            for week in range(VOLUNTEER_WEEKS)
        ]
    with translation.override("en"):
        path = reverse("wellbeing:home")
    return {
        "path": path,
        "cookie": session_cookie(user, password_login=True),
        "seeded": {
            "people": 1,
            "check_ins": len(check_ins),
            "concern": sum(c.concern for c in check_ins),
            "first_days": round((check_ins[-1].created_at - now) / timedelta(days=1), 1),
            "seconds": round(time.monotonic() - started, 2),
        },
    }


def team_people(count: int) -> list:
    """The team's volunteers, made with bulk_create where missing; in e-mail order."""
    from django.contrib.auth.hashers import make_password

    from people.models import User

    emails = [MEMBER_EMAIL.format(n) for n in range(1, count + 1)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(
                email=email,
                display_name=f"Bench wellbeing {n}",
                password=make_password(None),  # unusable: nobody signs in as them
            )
            for n, email in enumerate(emails, 1)
            if email not in known
        ],
        batch_size=500,
    )
    return list(User.objects.filter(email__in=emails).order_by("email"))


def coordinator_cookie(user) -> dict:
    """A signed-in session cookie for ``user`` (bench_visitor.py's, with the password login)
    whose session has also completed the second factor of the user's authenticator app."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from bench_visitor import session_cookie
    from django.conf import settings
    from django.test import RequestFactory

    from people.authentication import session_record_second_factor

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    cookie = session_cookie(user, password_login=True)
    request = RequestFactory().get("/")
    request.user = user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])
    session_record_second_factor(request, authenticator=authenticator)
    request.session.save()
    return cookie


def team(volunteers: int = TEAM_VOLUNTEERS) -> dict:
    from bench_supervision import person, team_afresh
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone, translation

    from people.models import Role
    from wellbeing import instruments
    from wellbeing.models import CheckIn

    started = time.monotonic()
    now = timezone.now()
    coordinator = person(COORDINATOR, "Bench wellbeing coordinator")
    people = team_people(volunteers)
    made_people = time.monotonic() - started
    CheckIn.objects.filter(user__in=people).delete()
    deleted = time.monotonic() - started - made_people
    created = team_afresh(
        TEAM,
        "Bench wellbeing team",
        {coordinator: Role.COORDINATOR, **dict.fromkeys(people, Role.VOLUNTEER)},
    )
    rng = random.Random(SEED)
    count = concern = 0
    earliest = now
    scored = {}
    for first in range(0, len(people), BATCH_PEOPLE):
        rows = []
        for user in people[first : first + BATCH_PEOPLE]:
            level = rng.uniform(1.2, 3.6)
            # Each person has their own day and hour of the week, within the last 52 weeks.
            offset = timedelta(hours=rng.randrange(1, 7 * 24))
            for week in range(TEAM_WEEKS):
                answers = pulse_answers(rng, level)
                key = tuple(answers.values())
                if key not in scored:  # a pure function of the answers: 5**5 sets at most
                    scored[key] = instruments.score(instruments.PULSE, answers)
                result = scored[key]
                rows.append(
                    CheckIn(
                        user=user,
                        instrument=instruments.PULSE.key,
                        created_at=now - timedelta(weeks=week) - offset,
                        answers={str(item): value for item, value in sorted(answers.items())},
                        scores=result.as_dict(),
                        concern=result.concern,
                        professional_help=result.professional_help,
                    )
                )
                concern += result.concern
                earliest = min(earliest, rows[-1].created_at)
        with transaction.atomic():
            CheckIn.objects.bulk_create(rows, batch_size=1000)
        count += len(rows)
    made_check_ins = time.monotonic() - started - made_people - deleted
    cookie = coordinator_cookie(coordinator)
    with translation.override("en"):
        path = reverse("wellbeing:team", kwargs={"slug": created.slug})
    return {
        "path": path,
        "cookie": cookie,
        "seeded": {
            "people": len(people),
            "check_ins": count,
            "concern": concern,
            "first_days": round((earliest - now) / timedelta(days=1), 1),
            "seconds_people": round(made_people, 2),
            "seconds_delete": round(deleted, 2),
            "seconds_check_ins": round(made_check_ins, 2),
            "seconds": round(time.monotonic() - started, 2),
        },
    }


if __name__ == "__main__":
    django.setup()
    command, args = sys.argv[1], [int(arg) for arg in sys.argv[2:]]
    if command == "volunteer":
        answer = volunteer()
    elif command == "team":
        answer = team(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(answer))
