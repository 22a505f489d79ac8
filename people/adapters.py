"""allauth adapters. Accounts: signup is open only to someone holding a valid invitation, and
only for the address that was invited; failed logins are limited per account and, generously,
per address. Second factors: their secrets are encrypted at rest."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.db import transaction
from django.shortcuts import render

from website import encryption

from .selectors import invitation_get_by_token
from .services import (
    INVITATION_UNUSABLE_MESSAGES,
    InvitationError,
    invitation_accept,
    invitation_check_email,
    invitation_check_usable,
)

SESSION_INVITATION_TOKEN = "atbalsts_invitation_token"


def session_invitation(request):
    """The invitation this browser is signing up with, if it is still usable."""
    if request is None:
        return None
    token = request.session.get(SESSION_INVITATION_TOKEN)
    if not token:
        return None
    try:
        return invitation_check_usable(invitation_get_by_token(token=token))
    except InvitationError:
        return None


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Besides allauth's per-account limit, a generous limit per address (the
        ``login_failed_address`` rate). A successful login takes its try back."""
        self._address_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_address"
        )
        if self._address_usage is None:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and getattr(self, "_address_usage", None):
            self._address_usage.rollback()
        return user

    def is_open_for_signup(self, request):
        return session_invitation(request) is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        # allauth calls this for every address it handles; only a signup that holds an
        # invitation is tied to the invited address.
        invitation = session_invitation(getattr(self, "request", None))
        if invitation is not None:
            invitation_check_email(invitation=invitation, email=email)
        return email.lower()

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        if form.cleaned_data.get("preferred_language"):
            user.preferred_language = form.cleaned_data["preferred_language"]
        invitation = session_invitation(request)
        if invitation is None:
            # Used or revoked while the signup form was open.
            raise ImmediateHttpResponse(
                render(
                    request,
                    "people/invitation_invalid.html",
                    {"reason": INVITATION_UNUSABLE_MESSAGES["missing"]},
                    status=410,
                )
            )
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if commit:
                # Raises (and rolls the new user back) if the invitation went stale meanwhile.
                invitation_accept(invitation=invitation, user=user)
        request.session.pop(SESSION_INVITATION_TOKEN, None)
        # The invitation link reached this address, which proves it is theirs: allauth
        # marks it verified instead of sending a confirmation e-mail.
        self.stash_verified_email(request, invitation.email)
        return user


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with the project's field
    encryption keys: a copy of the database (or a site admin) cannot read them."""

    def encrypt(self, text: str) -> str:
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return encryption.decrypt(encrypted_text)
