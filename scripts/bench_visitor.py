"""For `make bench` only: prepare the signed-in visitor of one project and find its pages.

Run by scripts/bench.py in the project's own settings (DJANGO_SETTINGS_MODULE and the path are
set by the caller), as ``bench_visitor.py atbalsts`` or ``bench_visitor.py bare``. Prints one
line of JSON: the session cookie's name and value and the paths to request. Only the benchmark
database is touched."""

import json
import sys
import time

import django

VOLUNTEER = "aija@example.org"
COURSE_SLUG = "psychological-first-aid"
MODULE_SLUG = "look"  # the module page of the issue
BARE_USERNAME = "bench-visitor"


def session_cookie(user, *, password_login: bool) -> dict:
    """A session for ``user`` from Django's test client. With ``password_login`` it also
    records a password login the way allauth does (as tests/people/factories.py ``sign_in``),
    so that it looks like the session of a real login."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    if password_login:
        from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time(), "email": user.email}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "user": user.pk}


def atbalsts() -> dict:
    """The demo volunteer, the pages of the course she takes, and her open quiz attempt on
    the module of the issue (started here if there is none)."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from courses.models import CoursePage, ModulePage
    from courses.services import QuizError, quiz_attempt_start
    from people.models import User
    from website.models import HomePage, InformationPage

    user = User.objects.filter(email=VOLUNTEER).first()
    if user is None:
        raise SystemExit(f"{VOLUNTEER} is missing from the benchmark database")
    if Authenticator.objects.filter(user=user).exists():
        raise SystemExit(f"{VOLUNTEER} has a second factor; the benchmark needs one without")
    course = CoursePage.objects.live().filter(slug=COURSE_SLUG, locale__language_code="en").first()
    if course is None:
        raise SystemExit(f"no live English course {COURSE_SLUG!r} in the benchmark database")
    modules = ModulePage.objects.live().child_of(course)
    module = modules.filter(slug=MODULE_SLUG).first()
    if module is None or not module.has_quiz:
        slugs = [m.slug for m in modules if m.has_quiz]
        raise SystemExit(f"no module {MODULE_SLUG!r} with a quiz in {COURSE_SLUG!r}: {slugs}")
    try:
        attempt = quiz_attempt_start(user=user, module=module)
    except QuizError as error:
        raise SystemExit(f"cannot start a quiz attempt on {module.slug!r}: {error}") from error
    with translation.override("en"):
        attempt_path = reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    database = settings.DATABASES["default"]
    return {
        "cookie": session_cookie(user, password_login=True),
        "pages": {
            "privacy": InformationPage.objects.get(slug="privacy", locale__language_code="en").url,
            "home": HomePage.objects.get(depth=2, locale__language_code="en").url,
            "course": course.url,
            "module": module.url,
            "attempt": attempt_path,
        },
        "database": {
            "ENGINE": database["ENGINE"],
            "CONN_MAX_AGE": database["CONN_MAX_AGE"],
            "OPTIONS": database.get("OPTIONS", {}),
        },
        "cache": settings.CACHES["default"],
    }


def bare() -> dict:
    """An ordinary user (not staff) of the bare project, and its home page."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    user, _created = get_user_model().objects.get_or_create(username=BARE_USERNAME)
    return {
        "cookie": session_cookie(user, password_login=False),
        "pages": {"home": Site.objects.get(is_default_site=True).root_page.url},
    }


if __name__ == "__main__":
    django.setup()
    project = {"atbalsts": atbalsts, "bare": bare}[sys.argv[1]]
    print(json.dumps(project()))
