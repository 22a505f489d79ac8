"""Per-request user settings (time zone, language) and the second-factor requirement."""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import user_has_mfa, user_requires_mfa

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


class MFAEnrolmentRequiredMiddleware:
    """Coordinators, supervisors and site admins (and volunteers whose team asks for it)
    are sent to the enrolment page until they have a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self.is_exempt(request.path_info)
            and user_requires_mfa(user=user)
            and not user_has_mfa(user=user)
        ):
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
