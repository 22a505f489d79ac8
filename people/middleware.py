"""Per-request user settings (time zone, language) and the second-factor rule."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .authentication import session_completed_second_factor
from .selectors import user_second_factor

# Paths reachable before a required second factor is enrolled: the account pages (where
# enrolment and logout live), the language switch, health check and static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/", "/media/", "/favicon")


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        # Right after login the browser adopts the language the user chose before.
        adopt = getattr(request, "atbalsts_adopt_user_language", False)
        if adopt and request.user.is_authenticated:
            language_cookie_set(response, request.user.preferred_language)
        return response


def language_cookie_set(response, language: str) -> None:
    """Remember the interface language in the browser (read by LocaleMiddleware)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )


def path_without_language(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


class SecondFactorMiddleware:
    """The one place that decides whether a signed-in session may act.

    1. A person who has a second factor is signed in only in a session that completed it.
       allauth records each step of a login in the session; a session without the second
       factor step (opened by some other login form, or by a bug) is ended here, before any
       view runs, whatever URL it asks for.
    2. A person who must have a second factor (coordinators, supervisors, site admins, and
       volunteers whose team asks for it) and has none is sent to set one up; only the
       account pages (enrolment, logout) stay reachable meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not session_completed_second_factor(request):
            second_factor = user_second_factor(user=user)
            if second_factor.enrolled:
                logout(request)
                messages.warning(
                    request, _("Please log in again: your login did not finish its second step.")
                )
            elif second_factor.required and not self.is_exempt(request.path_info):
                messages.warning(
                    request,
                    _(
                        "Your role needs two-factor authentication. Set up an authenticator "
                        "app to continue."
                    ),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def is_exempt(path: str) -> bool:
        return path_without_language(path).startswith(MFA_EXEMPT_PREFIXES)
