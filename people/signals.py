from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .authentication import session_record_second_factor

SECOND_FACTOR_TYPES = frozenset({Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})


@receiver(user_logged_in)
def adopt_user_language_on_login(sender, request, user, **kwargs):
    if request is not None:
        request.atbalsts_adopt_user_language = True


@receiver(authenticator_added)
def second_factor_proven_on_enrolment(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator means typing a code from it (or touching the key): this
    session has proven the second factor, as a login's code step would."""
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        session_record_second_factor(request, authenticator=authenticator, enrolled=True)


# The field cannot be empty; this address means "not kept".
ADDRESS_NOT_KEPT = "0.0.0.0"  # noqa: S104 - a placeholder, nothing listens on it


@receiver(pre_save, sender=UserSession)
def session_address_not_kept(sender, instance, **kwargs):
    """A person's list of signed-in devices shows the device and when; the network address
    is not needed for that and would tell where someone was, so it is never stored."""
    instance.ip = ADDRESS_NOT_KEPT
