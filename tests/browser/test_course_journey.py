"""A volunteer opens the first-aid course, reads a module, fails then passes its quiz, sees
feedback and the progress bar move, finishes the course and opens the certificate."""

import re

import pytest

from people.models import Role
from tests.courses.factories import make_course, modules_of
from tests.people.factories import TEST_PASSWORD, TeamFactory, member

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


def test_volunteer_completes_the_first_aid_course(browser_page):
    team = TeamFactory(name="Helpline", slug="helpline")
    member(team, Role.VOLUNTEER, email="aija@example.org", display_name="Aija")
    course = make_course(
        title="Psychological first aid", modules=2, questions_per_module=2, validity_months=12
    )
    first, second = modules_of(course)
    bp = browser_page
    page = bp.page

    bp.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("aija@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/en/$"))

    page.get_by_role("link", name="Courses", exact=True).click()
    page.wait_for_url(re.compile(r"/courses/$"))
    bp.check_accessibility()
    page.get_by_role("link", name="Psychological first aid").click()
    page.get_by_text("0 of 2 modules").first.wait_for()
    bp.check_accessibility()
    page.get_by_role("link", name="Start the course").click()

    # Read the first module, then fail its quiz and see why.
    page.get_by_role("heading", name="Module 1", level=1).wait_for()
    bp.check_accessibility()
    page.get_by_role("button", name="I have read this — take the quiz").click()
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
    page.get_by_text("1 of 2 modules").first.wait_for()
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

    page.get_by_role("link", name="Open your certificate").click()
    page.get_by_role("heading", name="Aija").wait_for()
    assert page.get_by_text("Psychological first aid").is_visible()
    assert "aija@example.org" not in page.content()
    bp.check_accessibility()
    certificate_url = page.url

    # Anyone with the link can verify it, signed out.
    page.context.clear_cookies()
    page.goto(certificate_url)
    page.get_by_text("Certificate of completion").wait_for()
    bp.assert_clean()
