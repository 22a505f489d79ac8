"""SQLite is the embedded default, so it must take concurrent writers: parallel submits of one
quiz attempt (a double-tap on a phone, a resent form) all get an answer, and the attempt is
graded once. Runs on the file-based test database (SQLite) and on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from courses.models import CourseCompletion, QuizAttempt
from courses.services import module_mark_read, quiz_attempt_start
from people.models import Role
from tests.courses.factories import correct_answers, make_course, modules_of
from tests.people.factories import TeamFactory, member, sign_in

PARALLEL = 12


def test_the_sqlite_settings_let_writers_wait(settings):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite settings")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_attempt_answer_all_and_grade_once(site_db):
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"] != ":memory:"
        assert "memory" not in str(connection.settings_dict["TEST"].get("NAME", "memory"))
    volunteer = member(TeamFactory(), Role.VOLUNTEER)
    course = make_course(title="Race", modules=1, questions_per_module=3)
    module = modules_of(course)[0]
    module_mark_read(user=volunteer, module=module)
    attempt = quiz_attempt_start(user=volunteer, module=module)
    url = reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    answers = {f"q-{qid}": choices for qid, choices in correct_answers(module).items()}

    browsers = []
    for _ in range(PARALLEL):
        browser = Client(raise_request_exception=False)
        sign_in(browser, volunteer)
        browsers.append(browser)
    start = threading.Barrier(PARALLEL)
    statuses = []

    def submit(browser):
        try:
            start.wait()
            statuses.append(browser.post(url, answers).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302] * PARALLEL
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.passed
    assert QuizAttempt.objects.count() == 1
    assert CourseCompletion.objects.filter(user=volunteer).count() == 1
