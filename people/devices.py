"""A person's own signed-in devices (allauth's usersessions keeps a record per login): what
they see to recognise a device, and ending sessions from another device when a phone is
lost or taken."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

# (pattern, name) in order: the first match wins (Edge and Opera also say "Chrome", every
# browser on an iPhone says "Safari").
BROWSERS = (
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
)
SYSTEMS = (
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"Mac OS X|Macintosh", "macOS"),
    (r"CrOS", "ChromeOS"),
    (r"Linux", "Linux"),
)


def device_describe(user_agent: str) -> str:
    """ "Firefox on Android", from a browser's user agent; a plain "Unknown device" when it
    says nothing we know."""
    browser = next((name for pattern, name in BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown device")


def user_calendar_access_revoke(*, user) -> None:
    """Stop every calendar subscription address of ``user``: apps that hand them out declare
    ``calendar_access_revoke(user)`` on their AppConfig."""
    for config in apps.get_app_configs():
        revoke = getattr(config, "calendar_access_revoke", None)
        if revoke is not None:
            revoke(user)


@dataclass(frozen=True)
class Device:
    pk: int
    name: str
    signed_in: datetime
    current: bool


def user_devices(*, user, current_session_key: str | None) -> list[Device]:
    """The person's sessions that are still open, oldest first (ended ones are cleared)."""
    from allauth.usersessions.models import UserSession

    return [
        Device(
            pk=session.pk,
            name=device_describe(session.user_agent),
            signed_in=session.created_at,
            current=session.session_key == current_session_key,
        )
        for session in sorted(
            UserSession.objects.purge_and_list(user), key=lambda s: (s.created_at, s.pk)
        )
    ]


@transaction.atomic
def user_devices_sign_out(
    *, user, current_session_key: str | None, device_ids=None, calendar: bool = False
) -> int:
    """End the person's sessions on other devices: those in ``device_ids``, or all of them
    but this one when ``device_ids`` is None. With ``calendar``, also stop their calendar
    subscription address (a lost phone's calendar app keeps reading it). The person's own
    business: nothing goes to the team's audit trail. Returns how many sessions ended."""
    from allauth.usersessions.models import UserSession

    sessions = UserSession.objects.filter(user=user).exclude(session_key=current_session_key or "")
    if device_ids is not None:
        sessions = sessions.filter(pk__in=list(device_ids))
    ended = 0
    for session in sessions:
        session.end()
        ended += 1
    if calendar:
        user_calendar_access_revoke(user=user)
    return ended
