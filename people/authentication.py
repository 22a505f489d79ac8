"""How a session signed in, and whether that is enough.

allauth records every authentication step of a session (password, second factor, …) in the
session itself. This module is the one place that reads those records: a person who has a
second factor is signed in only in a session that completed it. Whatever URL a session came
through, if that step is missing the session is not signed in."""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication

SECOND_FACTOR_METHOD = "mfa"


def session_completed_second_factor(request) -> bool:
    """True when this session proved a second factor for the signed-in user (a code, a
    recovery code or a security key, at login or while setting one up)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == SECOND_FACTOR_METHOD for record in records)


def session_record_second_factor(request, *, authenticator, enrolled: bool = False) -> None:
    """Note in the session that it proved ``authenticator``. allauth does this at login; we
    also do it when a person sets up their first authenticator, because entering a code from
    the new authenticator proves they hold it."""
    record_authentication(
        request,
        authenticator.user,
        SECOND_FACTOR_METHOD,
        id=authenticator.pk,
        type=authenticator.type,
        enrolled=enrolled or None,
    )
