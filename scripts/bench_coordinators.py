"""For `make bench` only: the coordinators' data of the benchmark, in the project's settings.

Run by scripts/bench.py (DJANGO_SETTINGS_MODULE, DATABASE_URL and the path set by the
caller) as ``bench_coordinators.py team SIZE``: a team of its own ("Bench coordinators SIZE",
slug ``bench-coordinators-SIZE``) with SIZE volunteers and 24 months of history, all written
with bulk_create in one transaction (no services, no signals), from a fixed seed:

- People: the volunteers (users made when missing and kept between runs, realistic names,
  so some share a display name), two coordinators with an authenticator app each (the
  dashboard's continuity panel: both ready, signed in a few days ago) and SIZE // 200
  supervisors (at least two). Seven in ten volunteers joined before the 24 months, the
  others month by month within them.
- Training: the two demo courses (psychological first aid, renewed every 12 months with a
  quiz-only refresher; active listening, every 24) required of the team (CourseAssignment),
  one due long ago, one due soon. Per volunteer and course, what ``learner_records_for_users``
  reads: a completion per cycle with its expiry (most renew, some let it lapse, some never
  finish or never start), the submitted quiz attempts of each cycle (a failed one now and
  then; a few people used every attempt at the quiz that allows three and some of them were
  given more), and a progress row per module (its last reading and pass).
- Supervision: SIZE // 50 weekly groups (at least two) of 12 seats, each with its share of
  the volunteers, sessions from 24 months back to five weeks ahead (a few cancelled); most
  volunteers book now and then (attended, absent, excused or unmarked), a quarter hardly
  ever; the coming sessions are partly booked, a few with a waiting list. Debrief requests
  (about 1.5 % of the volunteers a month): most done, some met at a booked debrief slot,
  some withdrawn, a few open now (some waiting longer than their urgency allows).
- Wellbeing: two in three volunteers answer the weekly pulse in most weeks since they
  joined (in the window), each scored by ``wellbeing.instruments.score`` (once per distinct
  set of answers, copied as ``checkin_create`` stores it; no notes); a few let the
  coordinators see their scores, a few are left out of the totals.

The data is kept between runs when the team exists, was finished by this version of the
script with SIZE volunteers and was made less than KEEP_DAYS days ago (its history is
relative to when it was made); otherwise, or with BENCH_COORDINATORS_FRESH=1, the team is
made again (the volunteers' old rows deleted first). Prints one line of JSON: the paths of
the team's dashboard and of its funder report over the last 24 months (XLSX and page), the
first coordinator's session cookie (password login and second factor recorded, as
bench_wellbeing.py makes it), what was seeded and the seconds it took."""

import json
import os
import random
import sys
import time
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal

import django

VERSION = 1  # raise when the data changes: kept teams of another version are made again
KEEP_DAYS = 7
MONTHS = 24
SEED = 20261010
EMAIL = "bench-coordinators-{size}-{kind}-{n:04}@example.org"
GROUP_SIZE = 50  # volunteers per supervision group
CAPACITY = 12
AHEAD = timedelta(days=35)  # sessions made this far ahead
BATCH = 2000
FIRST_NAMES = [
    "Aija",
    "Anna",
    "Baiba",
    "Dace",
    "Elīna",
    "Evija",
    "Ilze",
    "Inese",
    "Jana",
    "Kristīne",
    "Laura",
    "Līga",
    "Marta",
    "Olga",
    "Sanita",
    "Andris",
    "Artūrs",
    "Dmitrijs",
    "Edgars",
    "Gints",
    "Jānis",
    "Kārlis",
    "Mārtiņš",
    "Oskars",
    "Pēteris",
    "Roberts",
    "Sergejs",
    "Toms",
    "Uldis",
    "Valdis",
]
LAST_NAMES = [
    "Bērziņa",
    "Kalniņa",
    "Ozola",
    "Liepiņa",
    "Krūmiņa",
    "Balode",
    "Zariņa",
    "Pētersone",
    "Vītola",
    "Kļaviņa",
    "Ivanova",
    "Petrova",
    "Smirnova",
    "Kuzņecova",
    "Jansone",
    "Bērziņš",
    "Kalniņš",
    "Ozols",
    "Liepiņš",
    "Krūmiņš",
    "Balodis",
    "Zariņš",
    "Pētersons",
    "Vītols",
    "Kļaviņš",
    "Ivanovs",
    "Petrovs",
    "Smirnovs",
    "Kuzņecovs",
    "Jansons",
    "Eglīte",
    "Lāce",
    "Sproģe",
    "Celma",
    "Upīte",
    "Rozīte",
    "Priede",
    "Avotiņa",
    "Siliņa",
    "Dzene",
]
WEEKDAYS = ("MO", "TU", "WE", "TH")
HOURS = (17, 18, 19)


def team_name(size: int) -> str:
    return f"Bench coordinators {size} (v{VERSION})"


def slug_for(size: int) -> str:
    return f"bench-coordinators-{size}"


def people(size: int, kind: str, count: int, names) -> list:
    """``count`` users of one kind for the team of ``size``, made with bulk_create where
    missing (nobody signs in as them but the coordinators); in e-mail order."""
    from django.contrib.auth.hashers import make_password

    from people.models import User

    emails = [EMAIL.format(size=size, kind=kind, n=n) for n in range(1, count + 1)]
    known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=email, display_name=names(n), password=make_password(None))
            for n, email in enumerate(emails, 1)
            if email not in known
        ],
        batch_size=500,
    )
    return list(User.objects.filter(email__in=emails).order_by("email"))


def kept(size: int, now) -> object | None:
    """The team when its data can be used again."""
    from people.models import Team

    team = Team.objects.filter(slug=slug_for(size)).first()
    if (
        team is None
        or os.environ.get("BENCH_COORDINATORS_FRESH")
        or team.name != team_name(size)
        or team.created_at < now - timedelta(days=KEEP_DAYS)
        or team.memberships.volunteers().count() != size
    ):
        return None
    return team


def forget(team, users) -> None:
    """Delete the team and whatever its people did (their rows of every app)."""
    from courses.models import AttemptGrant, CourseCompletion, ModuleProgress, QuizAttempt
    from supervision.models import Booking, DebriefRequest
    from wellbeing.models import CheckIn, SharingChoice

    for model in (CheckIn, SharingChoice, AttemptGrant, QuizAttempt, CourseCompletion):
        model.objects.filter(user__in=users).delete()
    ModuleProgress.objects.filter(user__in=users).delete()
    if team is not None:
        DebriefRequest.objects.filter(team=team).delete()
        Booking.objects.filter(session__team=team).delete()
        team.delete()


def months_later(moment, months: int):
    from dateutil.relativedelta import relativedelta

    return moment + relativedelta(months=months)


class Builder:
    """Collects the rows of one team, then writes them."""

    def __init__(self, size: int, now):
        self.size = size
        self.now = now
        self.start = months_later(now, -MONTHS)
        self.rng = random.Random(SEED + size)
        self.counts: dict[str, int] = {}

    def days(self, low: float, high: float) -> timedelta:
        return timedelta(days=self.rng.uniform(low, high))

    # --- people ---------------------------------------------------------------------------

    def make_people(self):
        from people.models import Membership, Role, Team
        from supervision.models import TeamSupervisionSettings

        rng = random.Random(SEED)  # the same names for the same people every time

        def volunteer_name(_n: int) -> str:
            return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

        self.volunteers = people(self.size, "volunteer", self.size, volunteer_name)
        self.coordinators = people(self.size, "coordinator", 2, lambda n: f"Bench coordinator {n}")
        self.supervisors = people(
            self.size, "supervisor", max(2, self.size // 200), lambda n: f"Bench supervisor {n}"
        )
        everyone = self.volunteers + self.coordinators + self.supervisors
        old = Team.objects.filter(slug=slug_for(self.size)).first()
        forget(old, everyone)
        self.team = Team.objects.create(
            name=f"{team_name(self.size)} (building)", slug=slug_for(self.size)
        )
        TeamSupervisionSettings.objects.create(team=self.team, sessions_per_month=1)
        self.joined = {}
        for user in self.coordinators + self.supervisors:
            self.joined[user.pk] = months_later(self.now, -36)
        for user in self.volunteers:
            if self.rng.random() < 0.7:
                self.joined[user.pk] = self.start - self.days(1, 365)
            else:
                self.joined[user.pk] = self.start + self.days(0, (self.now - self.start).days - 3)
        roles = [
            *((u, Role.VOLUNTEER) for u in self.volunteers),
            *((u, Role.COORDINATOR) for u in self.coordinators),
            *((u, Role.SUPERVISOR) for u in self.supervisors),
        ]
        memberships = Membership.objects.bulk_create(
            [Membership(user=user, team=self.team, role=role) for user, role in roles],
            batch_size=BATCH,
        )
        for membership in memberships:  # created_at is set on saving: give it back
            membership.created_at = self.joined[membership.user_id]
        Membership.objects.bulk_update(memberships, ["created_at"], batch_size=500)

    def make_coordinators(self):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        from people.models import User

        for number, user in enumerate(self.coordinators, 1):
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, generate_totp_secret())
            User.objects.filter(pk=user.pk).update(
                last_login=self.now - timedelta(days=2 * number, hours=3)
            )

    # --- training -------------------------------------------------------------------------

    def make_training(self):
        from django.db.models import F

        from courses.models import (
            AttemptGrant,
            CourseAssignment,
            CourseCompletion,
            CoursePage,
            ModulePage,
            ModuleProgress,
            QuizAttempt,
        )

        courses = list(
            CoursePage.objects.live()
            .filter(
                locale__language_code="en", slug__in=["psychological-first-aid", "active-listening"]
            )
            .order_by("slug")
        )
        if len(courses) != 2:
            raise SystemExit("the demo courses are missing from the benchmark database")
        due = {  # one due long ago (overdue where unfinished), one due soon
            "psychological-first-aid": self.start.date() + timedelta(days=60),
            "active-listening": self.now.date() + timedelta(days=45),
        }
        CourseAssignment.objects.bulk_create(
            [
                CourseAssignment(
                    team=self.team, course=c, due_date=due[c.slug], assigned_by=self.coordinators[0]
                )
                for c in courses
            ]
        )
        completions, attempts, progress, grants = [], [], [], []
        for course in courses:
            modules = list(ModulePage.objects.live().child_of(course).order_by("path"))
            for user in self.volunteers:
                rows = self.course_history(user, course, modules)
                completions += rows[0]
                attempts += rows[1]
                progress += rows[2]
                grants += rows[3]
        CourseCompletion.objects.bulk_create(completions, batch_size=BATCH)
        QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)
        # started_at is set on saving: the moment of the submission instead.
        QuizAttempt.objects.filter(user__in=self.volunteers).update(started_at=F("submitted_at"))
        ModuleProgress.objects.bulk_create(progress, batch_size=BATCH)
        AttemptGrant.objects.bulk_create(grants, batch_size=BATCH)
        self.counts.update(
            required_courses=len(courses),
            completions=len(completions),
            quiz_attempts=len(attempts),
            module_progress=len(progress),
            attempt_grants=len(grants),
        )

    def course_history(self, user, course, modules):
        """One volunteer's rows for one course: completions, attempts, progress, grants."""
        from courses.models import AttemptGrant, CourseCompletion, ModuleProgress, QuizAttempt

        rng = self.rng
        completions, attempts, grants = [], [], []
        last_read, last_pass = {}, {}
        validity = course.validity_months

        def attempt(module, at, passed: bool):
            score = Decimal(rng.randint(max(module.pass_mark, 1), 100) if passed else 40)
            attempts.append(
                QuizAttempt(
                    user=user,
                    module=module,
                    module_key=module.translation_key,
                    course_key=course.translation_key,
                    score=score,
                    pass_mark=module.pass_mark,
                    passed=passed,
                    submitted_at=at,
                )
            )
            last_read[module.translation_key] = at
            if passed:
                last_pass[module.translation_key] = at

        def cycle(finish, count: int):
            """The first ``count`` modules passed, the last one at ``finish``."""
            for index, module in enumerate(modules[:count]):
                at = finish - timedelta(days=count - 1 - index, hours=rng.uniform(0, 5))
                if rng.random() < 0.15:  # a failed try first
                    attempt(module, at - timedelta(minutes=30), passed=False)
                attempt(module, at, passed=True)

        chance = rng.random()
        if chance < 0.08:  # never started
            return [], [], [], []
        moment = self.joined[user.pk] + self.days(7, 90)
        if chance < 0.2 or moment >= self.now:  # started, not finished
            moment = min(moment, self.now - timedelta(days=1))
            cycle(moment, rng.randint(1, len(modules) - 1))
        else:
            while moment < self.now:
                cycle(moment, len(modules))
                completions.append(
                    CourseCompletion(
                        user=user,
                        course=course,
                        course_key=course.translation_key,
                        completed_at=moment,
                        expires_at=months_later(moment, validity) if validity else None,
                    )
                )
                if not validity or rng.random() < 0.15:  # lets it lapse
                    break
                moment = months_later(moment, validity) + self.days(-25, 20)
        # A few used every attempt at a quiz that allows only so many, in the current cycle.
        limited = [m for m in modules if m.attempts_allowed]
        if limited and rng.random() < 0.015:
            module = limited[0]
            since = completions[-1].completed_at if completions else self.joined[user.pk]
            at = max(since, self.now - timedelta(days=60)) + self.days(1, 10)
            if at < self.now:
                for number in range(module.attempts_allowed):
                    attempt(module, at + timedelta(hours=number), passed=False)
                last_pass.pop(module.translation_key, None)
                if rng.random() < 0.3:
                    grants.append(
                        AttemptGrant(
                            user=user,
                            module_key=module.translation_key,
                            course_key=course.translation_key,
                            extra=1,
                            reason="Bench: one more try after a talk",
                            granted_by=self.coordinators[0],
                            granted_at=at + timedelta(days=1),
                        )
                    )
        progress = [
            ModuleProgress(
                user=user,
                module_key=key,
                course_key=course.translation_key,
                read_at=read,
                passed_at=last_pass.get(key),
            )
            for key, read in last_read.items()
        ]
        return completions, attempts, progress, grants

    # --- supervision ----------------------------------------------------------------------

    def make_supervision(self):
        from supervision.models import (
            Attendance,
            Audience,
            Booking,
            BookingStatus,
            Format,
            Session,
            SessionKind,
            SessionStatus,
            SupervisionGroup,
        )
        from supervision.recurrence import occurrences

        rng = self.rng
        count = max(2, self.size // GROUP_SIZE)
        groups = SupervisionGroup.objects.bulk_create(
            [
                SupervisionGroup(
                    team=self.team,
                    name=f"Group {number + 1}",
                    audience=Audience.VOLUNTEERS,
                    capacity=CAPACITY,
                    format=Format.ONLINE,
                    meeting_link="https://meet.example.org/bench",
                    rule=f"FREQ=WEEKLY;BYDAY={WEEKDAYS[number % len(WEEKDAYS)]}",
                    series_start=(self.start - timedelta(days=7)).date(),
                    start_time=clock(HOURS[number % len(HOURS)]),
                    time_zone="Europe/Riga",
                )
                for number in range(count)
            ]
        )
        through = SupervisionGroup.supervisors.through
        through.objects.bulk_create(
            [
                through(
                    supervisiongroup_id=g.pk, user_id=self.supervisors[n % len(self.supervisors)].pk
                )
                for n, g in enumerate(groups)
            ]
        )
        sessions = []
        for group in groups:
            for moment in occurrences(
                rule=group.rule,
                series_start=group.series_start,
                start_time=group.start_time,
                zone=group.zone,
                after=self.start,
                before=self.now + AHEAD,
            ):
                cancelled = moment < self.now and rng.random() < 0.02
                sessions.append(
                    Session(
                        team=self.team,
                        kind=SessionKind.GROUP,
                        group=group,
                        occurrence=moment,
                        starts_at=moment,
                        ends_at=moment + group.duration,
                        capacity=CAPACITY,
                        format=group.format,
                        meeting_link=group.meeting_link,
                        status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
                    )
                )
        sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
        # Each volunteer has a home group and a habit: sessions a month they tend to book.
        members = {group.pk: [] for group in groups}
        for number, user in enumerate(self.volunteers):
            habit = rng.uniform(0.5, 1.3) if rng.random() < 0.75 else rng.uniform(0, 0.15)
            members[groups[number % count].pk].append((user, habit / 4.33))
        marks = [
            (Attendance.ATTENDED, 0.85),
            (Attendance.ABSENT, 0.07),
            (Attendance.EXCUSED, 0.04),
            ("", 0.04),
        ]
        bookings = []
        for session in sessions:
            if session.status == SessionStatus.CANCELLED:
                continue
            past = session.ends_at <= self.now
            wanted = [
                user
                for user, chance in members[session.group_id]
                if self.joined[user.pk] < session.starts_at and rng.random() < chance
            ]
            for place, user in enumerate(wanted):
                seat = place < CAPACITY
                if past and not seat:
                    continue  # the waiting list of a past session: long gone
                if rng.random() < 0.03:
                    status = BookingStatus.CANCELLED
                else:
                    status = BookingStatus.CONFIRMED if seat else BookingStatus.WAITLISTED
                mark = ""
                if past and status == BookingStatus.CONFIRMED:
                    mark = rng.choices([m for m, _w in marks], [w for _m, w in marks])[0]
                booked = session.starts_at - self.days(1, 12)
                bookings.append(
                    Booking(
                        session=session,
                        user=user,
                        status=status,
                        attendance=mark,
                        created_at=min(booked, self.now - timedelta(hours=1)),
                        cancelled_at=booked + timedelta(days=1)
                        if status == BookingStatus.CANCELLED
                        else None,
                    )
                )
        Booking.objects.bulk_create(bookings, batch_size=BATCH)
        self.counts.update(
            groups=len(groups),
            sessions=len(sessions),
            bookings=len(bookings),
            attended=sum(b.attendance == Attendance.ATTENDED for b in bookings),
        )

    def make_debriefs(self):
        from supervision.models import (
            Attendance,
            Booking,
            BookingStatus,
            DebriefRequest,
            DebriefStatus,
            Format,
            Session,
            SessionKind,
            Urgency,
        )

        rng = self.rng
        requests, slots, seats = [], [], []
        per_month = max(1, round(self.size * 0.015))
        for month in range(MONTHS):
            for _ in range(per_month):
                created = self.start + timedelta(days=30.4 * month) + self.days(0, 30)
                if created > self.now - timedelta(days=8):
                    continue
                user = rng.choice(self.volunteers)
                supervisor = rng.choice(self.supervisors)
                urgency = Urgency.TODAY if rng.random() < 0.4 else Urgency.THIS_WEEK
                request = DebriefRequest(
                    team=self.team,
                    requester=user,
                    urgency=urgency,
                    created_at=created,
                    status=DebriefStatus.CLOSED,
                    taken_by=supervisor,
                    taken_at=created + timedelta(hours=rng.uniform(0.5, 30)),
                )
                chance = rng.random()
                if chance < 0.3:  # met at a debrief slot
                    starts = request.taken_at + timedelta(hours=rng.uniform(2, 48))
                    slot = Session(
                        team=self.team,
                        kind=SessionKind.DEBRIEF,
                        supervisor=supervisor,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=45),
                        capacity=1,
                        format=Format.ONLINE,
                        meeting_link="https://meet.example.org/bench-debrief",
                    )
                    seat = Booking(
                        session=slot,
                        user=user,
                        status=BookingStatus.CONFIRMED,
                        attendance=Attendance.ATTENDED,
                        created_at=request.taken_at,
                    )
                    request.closed_at = starts + timedelta(hours=1)
                    slots.append(slot)
                    seats.append(seat)
                    request.booking = seat
                elif chance < 0.9:
                    request.closed_at = request.taken_at + self.days(0.2, 3)
                else:
                    request.status = DebriefStatus.WITHDRAWN
                    request.taken_by = request.taken_at = None
                    request.closed_at = created + timedelta(hours=rng.uniform(1, 20))
                requests.append(request)
        Session.objects.bulk_create(slots, batch_size=BATCH)
        for seat in seats:
            seat.session_id = seat.session.pk
        Booking.objects.bulk_create(seats, batch_size=BATCH)
        for request in requests:
            if request.booking is not None:
                request.booking_id = request.booking.pk
        # Waiting now: some within their urgency, some past it (the dashboard counts those).
        waiting = [
            (Urgency.TODAY, timedelta(hours=1)),
            (Urgency.TODAY, timedelta(hours=6)),
            (Urgency.THIS_WEEK, timedelta(hours=20)),
            (Urgency.THIS_WEEK, timedelta(days=3)),
        ] * max(1, self.size // 1000)
        for urgency, age in waiting:
            requests.append(
                DebriefRequest(
                    team=self.team,
                    requester=rng.choice(self.volunteers),
                    urgency=urgency,
                    created_at=self.now - age,
                )
            )
        DebriefRequest.objects.bulk_create(requests, batch_size=BATCH)
        self.counts.update(debrief_requests=len(requests), debriefs_waiting=len(waiting))

    # --- wellbeing ------------------------------------------------------------------------

    def make_wellbeing(self):
        from bench_wellbeing import pulse_answers

        from wellbeing import instruments
        from wellbeing.models import CheckIn, SharingChoice

        rng = self.rng
        scored = {}
        rows, concern = [], 0
        for user in self.volunteers:
            if rng.random() >= 2 / 3:
                continue
            level = rng.uniform(1.2, 3.6)
            first = max(self.joined[user.pk], self.start)
            moment = first + self.days(0, 7)
            while moment < self.now:
                if rng.random() < 0.8:
                    answers = pulse_answers(rng, level)
                    key = tuple(answers.values())
                    if key not in scored:  # a pure function of the answers
                        scored[key] = instruments.score(instruments.PULSE, answers)
                    result = scored[key]
                    rows.append(
                        CheckIn(
                            user=user,
                            instrument=instruments.PULSE.key,
                            created_at=moment,
                            answers={str(item): value for item, value in sorted(answers.items())},
                            scores=result.as_dict(),
                            concern=result.concern,
                            professional_help=result.professional_help,
                        )
                    )
                    concern += result.concern
                moment += timedelta(days=7, hours=rng.uniform(-6, 6))
        CheckIn.objects.bulk_create(rows, batch_size=BATCH)
        choices = []
        for user in rng.sample(self.volunteers, max(2, self.size // 20)):
            shares = rng.random() < 0.6
            choices.append(
                SharingChoice(
                    user=user,
                    team=self.team,
                    scores_to_coordinators=shares,
                    flag_to_supervisors=shares,
                    left_out_of_totals=not shares,
                )
            )
        SharingChoice.objects.bulk_create(choices)
        self.counts.update(
            check_ins=len(rows),
            check_ins_concern=concern,
            sharing_scores=sum(c.scores_to_coordinators for c in choices),
            left_out=sum(c.left_out_of_totals for c in choices),
        )

    def build(self) -> dict:
        from django.db import transaction

        seconds = {}
        with transaction.atomic():
            for part in ("people", "coordinators", "training", "supervision", "debriefs"):
                started = time.monotonic()
                getattr(self, f"make_{part}")()
                seconds[part] = round(time.monotonic() - started, 2)
            started = time.monotonic()
            self.make_wellbeing()
            seconds["wellbeing"] = round(time.monotonic() - started, 2)
            self.team.name = team_name(self.size)
            self.team.save(update_fields=["name"])
        return seconds


def seeded(team) -> dict:
    """What the kept team holds (counted again, so a kept team says the same as a new one)."""
    from courses.models import CourseCompletion, QuizAttempt
    from supervision.models import Booking, DebriefRequest, Session
    from wellbeing.models import CheckIn

    users = team.memberships.volunteers().values("user_id")
    return {
        "volunteers": team.memberships.volunteers().count(),
        "completions": CourseCompletion.objects.filter(user__in=users).count(),
        "quiz_attempts": QuizAttempt.objects.filter(user__in=users).count(),
        "sessions": Session.objects.filter(team=team).count(),
        "bookings": Booking.objects.filter(session__team=team).count(),
        "debrief_requests": DebriefRequest.objects.filter(team=team).count(),
        "check_ins": CheckIn.objects.filter(user__in=users).count(),
    }


def team(size: int) -> dict:
    from bench_wellbeing import coordinator_cookie
    from django.urls import reverse
    from django.utils import timezone, translation

    from people.models import User
    from website.reports import month_add, report_zone

    started = time.monotonic()
    now = timezone.now()
    found = kept(size, now)
    parts = {}
    if found is None:
        builder = Builder(size, now)
        parts = builder.build()
        found = builder.team
    coordinator = User.objects.get(email=EMAIL.format(size=size, kind="coordinator", n=1))
    cookie = coordinator_cookie(coordinator)
    today = timezone.localtime(now, report_zone()).date()
    end = today.replace(day=1)
    start = month_add(end, -(MONTHS - 1))
    query = f"start={start:%Y-%m}&end={end:%Y-%m}"
    with translation.override("en"):
        dashboard = reverse("team_dashboard", kwargs={"slug": found.slug})
        report = reverse("reports:team_report", kwargs={"slug": found.slug})
    return {
        "size": size,
        "team": found.name,
        "kept": not parts,
        "made_days_ago": max(0.0, round((now - found.created_at) / timedelta(days=1), 1)),
        "dashboard": dashboard,
        "xlsx": f"{report}?{query}&format=xlsx",
        "report": f"{report}?{query}",
        "period": [f"{start:%Y-%m}", f"{end:%Y-%m}"],
        "cookie": cookie,
        "seeded": seeded(found),
        "seconds_parts": parts,
        "seconds": round(time.monotonic() - started, 2),
    }


if __name__ == "__main__":
    django.setup()
    command, args = sys.argv[1], [int(arg) for arg in sys.argv[2:]]
    if command == "team":
        answer = team(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(answer))
