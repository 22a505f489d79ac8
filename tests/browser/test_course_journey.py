"""On a phone (360 px): a volunteer opens the first-aid course, reads a module, fails then
passes its quiz, finishes the course, sees every module stay done, finds the attempts in My
results, switches to Russian without leaving the page, and opens the certificate. A
coordinator gives a locked-out volunteer another attempt. Every page is checked with
axe-core and for sideways scrolling."""

import re

import pytest

from courses.models import CourseAssignment
from courses.services import quiz_attempt_start, quiz_attempt_submit
from people.models import Role
from tests.courses.factories import add_module, make_course, modules_of, wrong_answers
from tests.people.factories import TEST_PASSWORD, TeamFactory, enrol_totp, member

pytestmark = pytest.mark.browser


def answer(page, module, *, correctly: bool):
    for question in module.questions():
        wanted = [c for c in question.choices if c.correct == correctly][:1]
        if correctly:
            wanted = [c for c in question.choices if c.correct]
        for choice in wanted:
            page.get_by_label(choice.text, exact=True).check()


def progress_value(page) -> int:
    return int(page.locator(".course-progress progress").first.get_attribute("value"))


def open_menu(page):
    page.get_by_role("button", name="Show or hide the menu").click()
    page.locator("#main-nav.collapse.show").wait_for()


def log_in(bp, email, totp_secret=None):
    from tests.browser.test_invitation_journey import current_totp

    page = bp.page
    bp.goto("/en/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if totp_secret:
        page.wait_for_url(re.compile(r"/2fa/authenticate/"))
        page.get_by_label("Code").fill(current_totp(totp_secret))
        page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))


def test_volunteer_completes_the_first_aid_course_on_a_phone(new_browser_page):
    team = TeamFactory(name="Helpline", slug="helpline")
    member(team, Role.VOLUNTEER, email="aija@example.org", display_name="Aija")
    course = make_course(
        title="Psychological first aid", modules=2, questions_per_module=2, validity_months=12
    )
    first, second = modules_of(course)
    bp = new_browser_page()
    page = bp.page

    log_in(bp, "aija@example.org")
    bp.check_accessibility()
    open_menu(page)
    page.get_by_role("link", name="Courses", exact=True).click()
    page.wait_for_url(re.compile(r"/courses/$"))
    bp.check_accessibility()
    page.get_by_role("link", name="Psychological first aid", exact=True).click()
    page.get_by_text("0 of 2 modules").first.wait_for()
    bp.check_accessibility()
    page.get_by_role("link", name="Start the course").click()

    # Read the first module, then fail its quiz and see why.
    page.get_by_role("heading", name="Module 1", level=1).wait_for()
    bp.check_accessibility()
    page.get_by_role("button", name="I have read this — take the quiz").click()
    page.get_by_text("Pass mark").first.wait_for()
    bp.check_accessibility()
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    bp.check_accessibility()
    answer(page, first, correctly=False)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name="Not passed yet").wait_for()
    assert page.get_by_text(re.compile(r"Feedback .*-q0-\d")).first.is_visible()
    assert progress_value(page) == 0
    bp.check_accessibility()

    # Try again and pass: the progress bar moves.
    page.get_by_role("button", name="Try again").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    answer(page, first, correctly=True)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name="You passed").wait_for()
    assert progress_value(page) == 50
    bp.check_accessibility()

    # The second module finishes the course.
    page.get_by_role("link", name=re.compile("Next module")).click()
    page.get_by_role("heading", name="Module 2", level=1).wait_for()
    page.get_by_role("button", name="I have read this — take the quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    answer(page, second, correctly=True)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("You have completed").wait_for()
    assert progress_value(page) == 100
    bp.check_accessibility()

    # Finishing keeps every module done, with its score.
    bp.goto(course.url)
    assert page.get_by_text("Done", exact=True).count() == 2
    assert page.get_by_text("best score 100%").count() == 2
    bp.check_accessibility()

    # My results lists all three attempts.
    bp.goto("/en/learning/results/")
    page.get_by_role("heading", name="My results").wait_for()
    assert page.get_by_text("Not passed", exact=True).count() == 1
    assert page.get_by_text("Passed", exact=True).count() == 2
    bp.check_accessibility()

    # Russian, from a module page: the same module, the interface in Russian, a notice.
    bp.goto(first.url)
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^RU")).click()
    page.wait_for_url(re.compile(r"/ru/courses/psychological-first-aid/module-1/$"))
    assert page.locator("html").get_attribute("lang") == "ru"
    page.get_by_text("Пока нет на русском").wait_for()
    bp.check_accessibility()

    bp.goto("/ru/learning/certificates/")
    page.get_by_role("link", name=re.compile("Сертификат")).first.click()
    page.get_by_role("heading", name="Aija").wait_for()
    assert page.get_by_text("Psychological first aid").is_visible()
    assert "aija@example.org" not in page.content()
    bp.check_accessibility()
    certificate_url = page.url

    # Anyone with the link can verify it, signed out.
    page.context.clear_cookies()
    page.goto(certificate_url)
    page.get_by_text("Действителен").first.wait_for()
    bp.check_accessibility()
    bp.assert_clean()


def test_coordinator_gives_a_locked_out_volunteer_another_attempt(new_browser_page):
    team = TeamFactory(name="Helpline", slug="helpline")
    volunteer = member(team, Role.VOLUNTEER, email="jan@example.org", display_name="Jānis")
    coordinator = member(team, Role.COORDINATOR, mfa=False, email="ilze@example.org")
    secret = enrol_totp(coordinator)
    course = make_course(title="Strict course", modules=0)
    module = add_module(course, "Hard quiz", questions=2, attempts_allowed=1)
    attempt = quiz_attempt_start(user=volunteer, module=module)
    quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
    CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")

    cp = new_browser_page()
    page = cp.page
    log_in(cp, "ilze@example.org", totp_secret=secret)
    cp.goto("/en/teams/helpline/training/")
    page.get_by_role("heading", name="Required training").wait_for()
    page.get_by_text("no attempts left").wait_for()
    cp.check_accessibility()
    page.get_by_role("link", name=re.compile("In progress")).click()
    page.get_by_role("heading", name=re.compile("Jānis")).wait_for()
    cp.check_accessibility()
    page.get_by_label("Reason").fill("The connection dropped during the quiz")
    page.get_by_role("button", name=re.compile("Give more attempts")).click()
    page.get_by_text("Jānis can try again").wait_for()
    cp.check_accessibility()
    cp.assert_clean()

    vp = new_browser_page()
    log_in(vp, "jan@example.org")
    vp.goto(module.url)
    vp.page.get_by_text("gave you 1 more attempt").wait_for()
    vp.check_accessibility()
    vp.page.get_by_role("button", name="I have read this — take the quiz").click()
    vp.page.get_by_role("button", name="Start the quiz").click()
    vp.page.get_by_role("button", name="Submit answers").wait_for()
    vp.assert_clean()
