"""A person's own data: the download holds everything about them and nothing of anyone else
or any secret, in a fixed number of queries; deleting the account needs the password and a
second-factor code, is refused while the person is a team's only coordinator, erases what is
personal, keeps the counts, gives the coming seats to the people waiting and is recorded."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    AttemptGrant,
    CourseCompletion,
    ModuleProgress,
    QuizAttempt,
    ReflectionNote,
)
from courses.services import (
    module_mark_read,
    quiz_attempt_start,
    quiz_attempt_submit,
    reflection_note_save,
)
from people.continuity import audit_record
from people.models import AuditAction, AuditEntry, Invitation, Membership, Role, User
from people.own_data import (
    TOMBSTONE_NAME,
    AccountDeleteRefused,
    user_account_delete,
    user_data_export,
)
from people.services import invitation_create
from supervision import services as supervision_services
from supervision.models import (
    Attendance,
    Booking,
    BookingStatus,
    CalendarToken,
    DebriefRequest,
    DebriefStatus,
    SessionStatus,
)
from supervision.selectors import session_bookings, session_for
from tests.courses.factories import correct_answers, make_course, modules_of, wrong_answers
from tests.people.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    TeamFactory,
    UserFactory,
    enrol_totp,
    member,
    sign_in,
)
from tests.supervision.factories import make_debrief, make_group, make_session, make_slot
from tests.wellbeing.factories import pulse
from wellbeing import services as wellbeing_services
from wellbeing.models import AccessRecord, CheckIn, Reminder, SharingChoice

pytestmark = pytest.mark.django_db

MY_NOTE = "Tonight's call stayed with me"
MY_REFLECTION = "I listened more than I spoke"
MY_DEBRIEF_NOTE = "The caller on Tuesday"
OTHERS_NOTE = "Somebody else's private words"
OTHERS_REFLECTION = "Somebody else's reflection"

DATA_URL = reverse("people:own_data")
DELETE_URL = reverse("people:account_delete")


@dataclass
class Lived:
    """A volunteer with data in every app, and a colleague with data of their own."""

    team: object
    coordinator: object
    supervisor: object
    volunteer: object
    secret: str  # the volunteer's authenticator app
    colleague: object
    course: object
    past_session: object
    coming_session: object
    calendar_token: str


def current_totp(secret: str) -> str:
    return f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"


def attempt(user, module, *, correctly):
    started = quiz_attempt_start(user=user, module=module)
    answers = correct_answers(module) if correctly else wrong_answers(module)
    return quiz_attempt_submit(attempt=started, user=user, answers=answers)


def finish_course(user, course):
    for module in modules_of(course):
        module_mark_read(user=user, module=module)
        attempt(user, module, correctly=True)


def reflection_block_id(module) -> str:
    return next(str(b.id) for b in module.body if b.block_type == "reflection")


def give_data(*, user, course, team, coordinator, note, reflection, past_session):
    """Data in every app for ``user``."""
    finish_course(user, course)
    first = modules_of(course)[0]
    attempt(user, first, correctly=False)
    reflection_note_save(
        user=user, module=first, block_id=reflection_block_id(first), text=reflection
    )
    AttemptGrant.objects.create(
        user=user,
        module_key=first.translation_key,
        course_key=course.translation_key,
        extra=1,
        reason="Lost connection",
        granted_by=coordinator,
    )
    pulse(user, note=note)
    Booking.objects.create(
        session=past_session,
        user=user,
        status=BookingStatus.CONFIRMED,
        attendance=Attendance.ATTENDED,
    )


@pytest.fixture
def lived(db):
    team = TeamFactory(name="Helpline", slug="helpline")
    coordinator = member(team, Role.COORDINATOR, display_name="Ilze")
    member(team, Role.COORDINATOR, display_name="Marta")
    supervisor = member(team, Role.SUPERVISOR, display_name="Dace")
    volunteer = member(team, Role.VOLUNTEER, display_name="River", email="river@example.org")
    secret = enrol_totp(volunteer)
    colleague = member(team, Role.VOLUNTEER, display_name="Lake", email="lake@example.org")
    course = make_course(title="First aid", modules=2, questions_per_module=2)
    group = make_group(team, supervisors=[supervisor])
    past_session = make_session(group, starts_at=timezone.now() - timedelta(days=10))
    for user, note, reflection in (
        (volunteer, MY_NOTE, MY_REFLECTION),
        (colleague, OTHERS_NOTE, OTHERS_REFLECTION),
    ):
        give_data(
            user=user,
            course=course,
            team=team,
            coordinator=coordinator,
            note=note,
            reflection=reflection,
            past_session=past_session,
        )
    # One seat in a coming session, and the colleague waits for it.
    coming_session = make_session(group, capacity=1)
    supervision_services.booking_create(session=coming_session, user=volunteer)
    supervision_services.booking_create(session=coming_session, user=colleague)
    make_debrief(team, volunteer, note=MY_DEBRIEF_NOTE)
    make_debrief(team, colleague, note=OTHERS_NOTE)
    token = supervision_services.calendar_token_create(user=volunteer)
    wellbeing_services.sharing_update(
        user=volunteer, team=team, flag_to_supervisors=True, scores_to_coordinators=True
    )
    wellbeing_services.reminder_set(user=volunteer, instrument_key="pulse", every_days=7)
    wellbeing_services.access_record(
        viewer=coordinator, subject=volunteer, team=team, what=AccessRecord.What.SCORES
    )
    wellbeing_services.access_record(
        viewer=coordinator, subject=colleague, team=team, what=AccessRecord.What.SCORES
    )
    audit_record(
        team=team,
        actor=coordinator,
        action=AuditAction.EXTRA_ATTEMPTS_GIVEN,
        subject=volunteer,
        details={"attempts": 1},
    )
    return Lived(
        team=team,
        coordinator=coordinator,
        supervisor=supervisor,
        volunteer=volunteer,
        secret=secret,
        colleague=colleague,
        course=course,
        past_session=past_session,
        coming_session=coming_session,
        calendar_token=token,
    )


def download(client, user) -> tuple[object, dict]:
    sign_in(client, user)
    response = client.post(DATA_URL)
    return response, json.loads(response.content)


# --- The download -----------------------------------------------------------------------


def test_the_download_holds_every_section_of_the_person(client, lived):
    response, data = download(client, lived.volunteer)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="atbalsts-my-data-{day}.json"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

    people = data["people"]
    assert people["profile"]["email"] == "river@example.org"
    assert people["profile"]["display_name"] == "River"
    assert {"language", "time_zone", "joined", "last_login"} <= set(people["profile"])
    assert people["memberships"] == [
        {"team": "Helpline", "role": "volunteer", "since": people["memberships"][0]["since"]}
    ]
    assert people["email_addresses"][0]["email"] == "river@example.org"
    assert {f["type"] for f in people["second_factors"]} == {"totp", "recovery_codes"}
    assert [e["action"] for e in people["team_records_about_you"]] == ["extra_attempts_given"]
    assert people["team_records_about_you"][0]["by"] == "Ilze"

    courses = data["courses"]
    assert [c["course"] for c in courses["course_completions"]] == ["First aid"]
    assert len(courses["quiz_attempts"]) == 3
    assert {a["module"] for a in courses["quiz_attempts"]} == {"Module 1", "Module 2"}
    assert all(a["answers"] for a in courses["quiz_attempts"])
    assert sorted(a["score"] for a in courses["quiz_attempts"]) == ["0.00", "100.00", "100.00"]
    assert len(courses["module_progress"]) == 2
    assert courses["reflection_notes"][0]["text"] == MY_REFLECTION
    assert courses["extra_attempts_given"][0]["reason"] == "Lost connection"

    supervision = data["supervision"]
    seats = supervision["seats_and_attendance"]
    assert [(s["seat"], s["attendance"]) for s in seats] == [
        ("confirmed", "attended"),
        ("confirmed", ""),
    ]
    assert supervision["debrief_requests"][0]["note"] == MY_DEBRIEF_NOTE
    assert supervision["calendar_address"]["exists"] is True

    wellbeing = data["wellbeing"]
    assert [c["note"] for c in wellbeing["check_ins"]] == [MY_NOTE]
    assert wellbeing["check_ins"][0]["scores"]
    assert wellbeing["sharing_choices"][0]["coordinators_may_see_scores"] is True
    assert wellbeing["reminders"] == [
        {"questionnaire": "pulse", "every_days": 7, "since": wellbeing["reminders"][0]["since"]}
    ]
    assert [(r["who"], r["what"]) for r in wellbeing["who_saw_your_check_ins"]] == [
        ("Ilze", "scores")
    ]


def test_the_download_holds_nothing_of_anyone_else(client, lived):
    response, _data = download(client, lived.volunteer)
    text = response.content.decode()
    for foreign in (OTHERS_NOTE, OTHERS_REFLECTION, "lake@example.org", "Lake"):
        assert foreign not in text


def test_the_download_holds_no_secret(client, lived):
    response, _data = download(client, lived.volunteer)
    text = response.content.decode()
    volunteer = User.objects.get(pk=lived.volunteer.pk)
    secrets = [
        lived.secret,
        volunteer.password,
        "argon2",
        lived.calendar_token,
        CalendarToken.objects.get(user=volunteer).token_hash,
        client.session.session_key,
    ]
    for authenticator in Authenticator.objects.filter(user=volunteer):
        secrets += [
            authenticator.data[key] for key in ("secret", "seed") if key in authenticator.data
        ]
    recovery = Authenticator.objects.get(user=volunteer, type=Authenticator.Type.RECOVERY_CODES)
    secrets += RecoveryCodes(recovery).get_unused_codes()
    invitation = InvitationFactory(team=lived.team, email="river@example.org")
    response = client.post(DATA_URL)
    text = response.content.decode()
    assert "river@example.org" in text and invitation.token_hash not in text
    for secret in secrets:
        assert secret and secret not in text, secret


def test_the_download_costs_the_same_queries_however_much_data(lived):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            user_data_export(user=User.objects.get(pk=lived.volunteer.pk))
        return len(captured)

    before = queries()
    volunteer = lived.volunteer
    other = make_course(title="Listening", modules=3, questions_per_module=1)
    finish_course(volunteer, other)
    for _ in range(3):
        pulse(volunteer, note="more")
    group = make_group(lived.team, supervisors=[lived.supervisor], name="Second group")
    for days in (4, 5, 6):
        session = make_session(group, starts_at=timezone.now() + timedelta(days=days))
        supervision_services.booking_create(session=session, user=volunteer)
    make_debrief(lived.team, volunteer, status=DebriefStatus.CLOSED)
    wellbeing_services.access_record(
        viewer=lived.supervisor, subject=volunteer, team=lived.team, what="flag"
    )
    audit_record(
        team=lived.team,
        actor=lived.coordinator,
        action=AuditAction.ROLE_CHANGED,
        subject=volunteer,
        details={"from": "volunteer", "to": "volunteer"},
    )
    assert queries() == before
    assert before <= 30


def test_the_download_page_explains_it_and_offers_the_delete_link(client, lived):
    sign_in(client, lived.volunteer)
    page = client.get(DATA_URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Download my data" in body and DELETE_URL in body
    assert "never contains your password" in body
    settings_page = client.get(reverse("people:preferences")).content.decode()
    assert DATA_URL in settings_page and DELETE_URL in settings_page


@pytest.mark.parametrize("url", [DATA_URL, DELETE_URL])
@pytest.mark.parametrize("method", ["get", "post"])
def test_signed_out_visitors_are_asked_to_log_in(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["volunteer", "supervisor", "coordinator", "outsider", "admin"])
def test_everyone_signed_in_downloads_only_their_own(client, lived, role):
    if role == "admin":
        user = UserFactory(is_staff=True, is_superuser=True)
        enrol_totp(user)
    else:
        user = {
            "volunteer": lived.colleague,
            "supervisor": lived.supervisor,
            "coordinator": lived.coordinator,
            "outsider": UserFactory(display_name="Outsider"),
        }[role]
    response, data = download(client, user)
    assert response.status_code == 200
    assert data["people"]["profile"]["email"] == user.email
    assert MY_NOTE not in response.content.decode()
    assert MY_DEBRIEF_NOTE not in response.content.decode()
    assert client.get(DELETE_URL).status_code == 200


# --- Deleting the account ---------------------------------------------------------------


def delete_form(lived, **changes) -> dict:
    data = {"password": TEST_PASSWORD, "code": current_totp(lived.secret), "confirm": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def assert_nothing_deleted(lived):
    volunteer = User.objects.get(pk=lived.volunteer.pk)
    assert volunteer.is_active and volunteer.email == "river@example.org"
    assert volunteer.check_password(TEST_PASSWORD)
    assert CheckIn.objects.filter(user=volunteer).count() == 1
    assert Membership.objects.filter(user=volunteer).exists()
    assert Authenticator.objects.filter(user=volunteer).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password": "not-my-password"}, "password"),
        ({"code": "000000"}, "code"),
        ({"code": None}, "code"),
        ({"confirm": None}, "confirm"),
        ({"password": None}, "password"),
    ],
)
def test_deleting_needs_the_password_a_code_and_the_tick(client, lived, changes, field):
    sign_in(client, lived.volunteer)
    response = client.post(DELETE_URL, delete_form(lived, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert_nothing_deleted(lived)


def test_wrong_passwords_count_towards_the_lockout(client, lived):
    sign_in(client, lived.volunteer)
    for _ in range(5):
        client.post(DELETE_URL, delete_form(lived, password="not-my-password"))
    response = client.post(DELETE_URL, delete_form(lived))
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert_nothing_deleted(lived)


def test_wrong_codes_count_towards_the_lockout(client, lived):
    sign_in(client, lived.volunteer)
    for _ in range(5):
        client.post(DELETE_URL, delete_form(lived, code="000000"))
    response = client.post(DELETE_URL, delete_form(lived))
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert_nothing_deleted(lived)


def test_a_code_used_once_cannot_be_used_again(client, lived):
    """allauth's replay protection: the code that signed in cannot delete the account."""
    from allauth.mfa.totp.internal.auth import TOTP

    code = current_totp(lived.secret)
    TOTP(Authenticator.objects.get(user=lived.volunteer, type="totp")).validate_code(code)
    sign_in(client, lived.volunteer)
    response = client.post(DELETE_URL, delete_form(lived, code=code))
    assert response.status_code == 400
    assert_nothing_deleted(lived)


@pytest.mark.parametrize(
    "data",
    [
        {"password": "x" * 100_000, "code": "1" * 10_000, "confirm": "on"},
        {"password": "nul\x00byte", "code": "12\x0034", "confirm": "on"},
        {"password": ["a", "b"], "code": ["1", "2"], "confirm": ["on", "off"]},
        {"confirm": "on"},
        {},
    ],
)
def test_bad_input_is_a_form_error_never_a_server_error(lived, data):
    client = Client(raise_request_exception=False)
    sign_in(client, lived.volunteer)
    response = client.post(DELETE_URL, data)
    assert response.status_code == 400
    assert_nothing_deleted(lived)
    assert client.post(DATA_URL, data).status_code == 200


def test_a_recovery_code_also_confirms(client, lived):
    recovery = Authenticator.objects.get(user=lived.volunteer, type="recovery_codes")
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    sign_in(client, lived.volunteer)
    response = client.post(DELETE_URL, delete_form(lived, code=code))
    assert response.status_code == 200
    assert not User.objects.get(pk=lived.volunteer.pk).is_active


def test_with_only_a_security_key_a_recovery_code_is_asked(client, team):
    user = member(team, Role.VOLUNTEER, mfa=False)
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    sign_in(client, user)
    page = client.get(DELETE_URL)
    assert "make recovery codes" in page.content.decode() and page.context["form"] is None
    response = client.post(DELETE_URL, {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 400 and User.objects.get(pk=user.pk).is_active

    codes = RecoveryCodes.activate(user).get_unused_codes()
    page = client.get(DELETE_URL)
    assert page.context["form"].fields["code"].label == "One of your recovery codes"
    response = client.post(
        DELETE_URL, {"password": TEST_PASSWORD, "code": codes[0], "confirm": "on"}
    )
    assert response.status_code == 200 and not User.objects.get(pk=user.pk).is_active


def test_without_a_second_factor_the_password_alone_confirms(client, team, volunteer):
    sign_in(client, volunteer)
    assert "code" not in client.get(DELETE_URL).context["form"].fields
    response = client.post(DELETE_URL, {"password": TEST_PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert not User.objects.get(pk=volunteer.pk).is_active


def test_deleting_erases_what_is_personal_and_signs_out(client, lived):
    volunteer = lived.volunteer
    elsewhere = Client()
    sign_in(elsewhere, volunteer)
    sign_in(client, volunteer)
    response = client.post(DELETE_URL, delete_form(lived))
    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert SESSION_KEY not in client.session
    for browser in (client, elsewhere):
        answer = browser.get(reverse("people:preferences"))
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]

    tombstone = User.objects.get(pk=volunteer.pk)
    assert tombstone.display_name == TOMBSTONE_NAME
    assert tombstone.email.startswith("deleted-") and tombstone.email.endswith(".invalid")
    assert not tombstone.is_active and not tombstone.has_usable_password()
    assert tombstone.last_login is None
    assert not EmailAddress.objects.filter(user=tombstone).exists()
    assert not Authenticator.objects.filter(user=tombstone).exists()
    assert not Membership.objects.filter(user=tombstone).exists()
    assert not CheckIn.objects.filter(user=tombstone).exists()
    assert not SharingChoice.objects.filter(user=tombstone).exists()
    assert not Reminder.objects.filter(user=tombstone).exists()
    assert not ReflectionNote.objects.filter(user=tombstone).exists()
    assert not CalendarToken.objects.filter(user=tombstone).exists()
    assert set(
        DebriefRequest.objects.filter(requester=tombstone).values_list("note", "status")
    ) == {("", DebriefStatus.WITHDRAWN)}
    assert not AttemptGrant.objects.filter(user=tombstone).exclude(reason="").exists()
    assert all(a.answers == {} for a in QuizAttempt.objects.filter(user=tombstone))
    # The colleague keeps everything of theirs.
    assert CheckIn.objects.get(user=lived.colleague).note == OTHERS_NOTE
    assert ReflectionNote.objects.get(user=lived.colleague).text == OTHERS_REFLECTION
    assert DebriefRequest.objects.get(requester=lived.colleague).note == OTHERS_NOTE
    # Nothing of the person is left in what they could be found by.
    export = json.dumps(user_data_export(user=tombstone), default=str)
    for personal in ("river@example.org", "River", MY_NOTE, MY_REFLECTION, MY_DEBRIEF_NOTE):
        assert personal not in export


def test_deleting_keeps_the_teams_counts(client, lived):
    supervisor = lived.supervisor

    def counts():
        past = session_bookings(session=lived.past_session)
        return {
            "seats": session_for(user=supervisor, session=lived.past_session).seats_taken,
            "attended": sum(b.attendance == Attendance.ATTENDED for b in past),
            "team_attended": Booking.objects.filter(
                session__team=lived.team, attendance=Attendance.ATTENDED
            ).count(),
            "completions": CourseCompletion.objects.filter(
                course_key=lived.course.translation_key
            ).count(),
            "passed_modules": ModuleProgress.objects.filter(passed_at__isnull=False).count(),
            "scores": sorted(str(s) for s in QuizAttempt.objects.values_list("score", flat=True)),
            "debriefs": DebriefRequest.objects.filter(team=lived.team).count(),
        }

    before = counts()
    sign_in(client, lived.volunteer)
    assert client.post(DELETE_URL, delete_form(lived)).status_code == 200
    assert counts() == before
    assert before["attended"] == 2 and before["completions"] == 2
    # The completions and attendance are anonymous now, and still the tombstone's.
    tombstone = User.objects.get(pk=lived.volunteer.pk)
    assert CourseCompletion.objects.filter(user=tombstone).count() == 1
    names = sorted(b.user.display_name for b in session_bookings(session=lived.past_session))
    assert names == sorted([TOMBSTONE_NAME, "Lake"])


def test_old_certificate_links_stop_working(client, lived):
    code = CourseCompletion.objects.get(user=lived.volunteer).verification_code
    url = reverse("courses:certificate", kwargs={"code": code})
    assert Client().get(url).status_code == 200
    sign_in(client, lived.volunteer)
    client.post(DELETE_URL, delete_form(lived))
    assert Client().get(url).status_code == 404


def test_deleting_frees_coming_seats_for_the_people_waiting(client, lived):
    waiting = Booking.objects.get(session=lived.coming_session, user=lived.colleague)
    assert waiting.status == BookingStatus.WAITLISTED
    sign_in(client, lived.volunteer)
    client.post(DELETE_URL, delete_form(lived))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    seat = Booking.objects.get(session=lived.coming_session, user_id=lived.volunteer.pk)
    assert seat.status == BookingStatus.CANCELLED


def test_deleting_is_recorded_in_each_team_without_a_name(client, lived):
    second = TeamFactory(name="Night line", slug="night-line")
    Membership.objects.create(user=lived.volunteer, team=second, role=Role.SUPERVISOR)
    sign_in(client, lived.volunteer)
    client.post(DELETE_URL, delete_form(lived))
    entries = AuditEntry.objects.filter(action=AuditAction.ACCOUNT_DELETED)
    assert {e.team_id for e in entries} == {lived.team.pk, second.pk}
    for entry in entries:
        assert entry.subject_id == lived.volunteer.pk
        assert entry.subject_name == TOMBSTONE_NAME and entry.actor_name == TOMBSTONE_NAME
        assert entry.details["role"] in {"volunteer", "supervisor"}
        assert "member_since" in entry.details
    # The append-only records survive untouched.
    assert AccessRecord.objects.filter(subject_id=lived.volunteer.pk).count() == 1


def test_after_deleting_nobody_can_sign_in_and_the_address_is_free(client, lived):
    sign_in(client, lived.volunteer)
    client.post(DELETE_URL, delete_form(lived))
    login = Client()
    login.post(reverse("account_login"), {"login": "river@example.org", "password": TEST_PASSWORD})
    assert SESSION_KEY not in login.session
    assert not User.objects.filter(email__iexact="river@example.org").exists()
    created = invitation_create(
        team=lived.team,
        email="river@example.org",
        role=Role.VOLUNTEER,
        invited_by=lived.coordinator,
    )
    assert created.invitation.email == "river@example.org"


def test_pending_invitations_to_the_person_are_deleted(client, lived):
    other = TeamFactory(name="Night line", slug="night-line")
    InvitationFactory(team=other, email="river@example.org")
    sign_in(client, lived.volunteer)
    client.post(DELETE_URL, delete_form(lived))
    assert not Invitation.objects.filter(email__iexact="river@example.org").exists()


# --- A team never loses its last coordinator -------------------------------------------


def test_the_only_coordinator_of_a_team_cannot_delete_their_account(client, team, coordinator):
    secret = Authenticator.objects.get(user=coordinator, type="totp")
    from allauth.mfa.utils import decrypt

    code = current_totp(decrypt(secret.data["secret"]))
    sign_in(client, coordinator)
    page = client.get(DELETE_URL)
    assert page.status_code == 200 and page.context["form"] is None
    assert "You are the only coordinator of Helpline" in page.content.decode()
    response = client.post(DELETE_URL, {"password": TEST_PASSWORD, "code": code, "confirm": "on"})
    assert response.status_code == 400
    assert User.objects.get(pk=coordinator.pk).is_active
    with pytest.raises(AccountDeleteRefused):
        user_account_delete(user=coordinator, by=coordinator)


def test_an_inactive_second_coordinator_does_not_count(team, coordinator):
    other = member(team, Role.COORDINATOR)
    User.objects.filter(pk=other.pk).update(is_active=False)
    with pytest.raises(AccountDeleteRefused):
        user_account_delete(user=coordinator, by=coordinator)


def test_a_coordinator_with_a_colleague_may_delete_their_account(team, coordinator):
    member(team, Role.COORDINATOR)
    user_account_delete(user=coordinator, by=coordinator)
    assert not User.objects.get(pk=coordinator.pk).is_active
    assert Membership.objects.filter(team=team, role=Role.COORDINATOR).count() == 1


def test_the_only_site_admin_cannot_delete_their_account():
    admin = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(AccountDeleteRefused):
        user_account_delete(user=admin, by=admin)


def test_nobody_else_deletes_an_account(team, volunteer, coordinator):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        user_account_delete(user=volunteer, by=coordinator)
    assert User.objects.get(pk=volunteer.pk).is_active


# --- A supervisor leaves ----------------------------------------------------------------


def test_a_supervisors_coming_slots_are_cancelled_and_their_requests_wait_again(team):
    supervisor = member(team, Role.SUPERVISOR)
    member(team, Role.SUPERVISOR)
    volunteer = member(team, Role.VOLUNTEER)
    taken = make_debrief(team, volunteer)
    supervision_services.debrief_take(request=taken, by=supervisor)
    slot = make_slot(team, supervisor)
    supervision_services.debrief_book(request=taken, slot=slot, by=volunteer)
    past_slot = make_slot(team, supervisor, starts_at=timezone.now() - timedelta(days=3))
    met = make_debrief(
        team,
        member(team, Role.VOLUNTEER),
        status=DebriefStatus.BOOKED,
        taken_by=supervisor,
        taken_at=timezone.now() - timedelta(days=4),
    )
    met.booking = Booking.objects.create(
        session=past_slot, user=met.requester, status=BookingStatus.CONFIRMED
    )
    met.save()

    user_account_delete(user=supervisor, by=supervisor)

    slot.refresh_from_db()
    taken.refresh_from_db()
    met.refresh_from_db()
    assert slot.status == SessionStatus.CANCELLED
    assert taken.status == DebriefStatus.OPEN and taken.taken_by is None
    assert met.status == DebriefStatus.BOOKED and met.taken_by_id == supervisor.pk
