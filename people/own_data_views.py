"""A person's own data: download everything, delete the account (``people.own_data``).

Deleting asks again for the password and, when the person has one, a code of their second
factor: a code from their authenticator app or one of their recovery codes, checked by
allauth's own code form (its rate limit, its protection against a code used twice). A person
whose only second factor is a security key gives a recovery code; a security key cannot be
asked for on a plain form, and without recovery codes they are sent to make some first."""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base.forms import ReauthenticateForm as SecondFactorForm
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .own_data import account_delete_blockers, user_account_delete, user_data_export_json

# Argon2 on a megabyte of "password" would keep a worker busy: no real password is this long.
PASSWORD_MAX_LENGTH = 1024


class CodeKind:
    NONE = "none"  # no second factor: the password alone
    APP = "app"  # an authenticator app (a recovery code also works)
    RECOVERY = "recovery"  # only a security key: one of the recovery codes
    MISSING = "missing"  # only a security key and no recovery codes: make some first


def second_factor_code_kind(*, user) -> str:
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if Authenticator.Type.TOTP in types:
        return CodeKind.APP
    if Authenticator.Type.RECOVERY_CODES in types:
        return CodeKind.RECOVERY
    if Authenticator.Type.WEBAUTHN in types:
        return CodeKind.MISSING
    return CodeKind.NONE


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("A code from your authenticator app, or a recovery code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand this cannot be undone"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, request, code_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if code_kind == CodeKind.RECOVERY:
            self.fields["code"].label = _("One of your recovery codes")
        elif code_kind != CodeKind.APP:
            del self.fields["code"]

    def clean_password(self) -> str:
        """allauth's own check: a wrong password counts towards its limit on failed logins
        (per account, and per address through people.adapters)."""
        password = self.cleaned_data["password"]
        found = get_account_adapter(self.request).authenticate(
            self.request, email=self.user.email, password=password
        )
        if found is None or found.pk != self.user.pk:
            raise ValidationError(_("This is not your password."), code="incorrect_password")
        return password

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if "password" in self.errors:
            return code  # not even tried: a wrong password already refuses the form
        check = SecondFactorForm(data={"code": code}, user=self.user)
        if not check.is_valid():
            raise ValidationError(check.errors.get("code") or _("Incorrect code."))
        return code


@login_required
@require_http_methods(["GET", "POST"])
def own_data(request):
    """What the download holds; its button posts here and gets the file."""
    if request.method == "POST":
        response = HttpResponse(
            user_data_export_json(user=request.user),
            content_type="application/json; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="atbalsts-my-data-{day}.json"'
        patch_cache_control(response, private=True, no_store=True)
        return response
    return render(request, "people/own_data.html")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    blockers = account_delete_blockers(user=request.user)
    code_kind = second_factor_code_kind(user=request.user)
    form = None
    if not blockers and code_kind != CodeKind.MISSING:
        form = AccountDeleteForm(
            request.POST if request.method == "POST" else None,
            user=request.user,
            request=request,
            code_kind=code_kind,
        )
        if form.is_bound and form.is_valid():
            try:
                user_account_delete(user=request.user, by=request.user)
            except ValidationError as refused:
                blockers = refused.messages
                form = None
            else:
                logout(request)
                return render(request, "people/account_deleted.html")
    refused = request.method == "POST" and (form is None or bool(form.errors))
    return render(
        request,
        "people/account_delete.html",
        {"form": form, "blockers": blockers, "code_kind": code_kind, "CodeKind": CodeKind},
        status=400 if refused else 200,
    )
