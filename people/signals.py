from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
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
