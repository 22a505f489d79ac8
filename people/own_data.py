"""A person's own data: everything the platform holds about them, as one download, and the
deletion of their account.

Each app says what it holds about a person and how to erase it, with two methods on its
AppConfig (found like ``tick`` and ``encrypted_data_reencrypt``):
``own_data_export(user) -> dict`` and ``own_data_erase(user)``. This module calls them all, so
people's core imports no other app.

Deleting an account keeps the user row as an anonymous **tombstone** (a made-up address that
cannot receive mail, the name "Deleted account", no password, inactive) and erases everything
personal. What team statistics count stays, tied to the tombstone and to nobody: module
progress and course completions, quiz scores, past seats and attendance, past debrief requests
(without their notes). The person leaves every team, and each team's audit trail records that
an account was deleted, naming only the tombstone. A team is never left without a coordinator:
the deletion is refused while the person is a team's only active coordinator."""

import json
import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .continuity import audit_record, teams_only_coordinated_by
from .models import AuditAction, AuditEntry, Invitation, Membership, Role, User
from .permissions import user_team_roles_forget

EXPORT_FORMAT = 1
# Stored on the tombstone, shown wherever a name was: neutral in every language.
TOMBSTONE_NAME = "Deleted account"
# ".invalid" is reserved (RFC 2606): no mail can ever be delivered to such an address.
TOMBSTONE_DOMAIN = "invalid.invalid"


def app_hooks(name: str, *, skip: tuple[str, ...] = ()):
    """(app label, method) for every installed app whose AppConfig defines ``name``."""
    for config in apps.get_app_configs():
        hook = getattr(config, name, None)
        if hook is not None and config.label not in skip:
            yield config.label, hook


# --- The download --------------------------------------------------------------------------


def user_data_export(*, user, now=None) -> dict:
    """Everything the platform holds about ``user``, one section per app, in a fixed number
    of queries whatever the amount of data. Never a secret: no password hash, no
    second-factor secret, no token or its hash."""
    now = now or timezone.now()
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": now,
        "about": _("Everything Atbalsts holds about you, downloaded at your request."),
    }
    for label, export in app_hooks("own_data_export"):
        data[label] = export(user)
    return data


def user_data_export_json(*, user, now=None) -> str:
    return json.dumps(
        user_data_export(user=user, now=now), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )


def people_data_export(user) -> dict:
    """People's part: the account, its teams, addresses, second factors (their kinds and
    dates only), invitations to the person, and the audit entries about them."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    addresses = list(
        EmailAddress.objects.filter(user=user)
        .order_by("-primary", "email")
        .values("email", "verified", "primary")
    )
    emails = {user.email.lower(), *(row["email"].lower() for row in addresses)}
    invitations = Invitation.objects.filter(
        Q(email__in=sorted(emails)) | Q(accepted_by=user)
    ).select_related("team")
    part = {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.preferred_language,
            "time_zone": user.timezone,
            "joined": user.date_joined,
            "last_login": user.last_login,
            "site_admin": user.is_superuser,
        },
        "memberships": [
            {"team": m.team.name, "role": m.role, "since": m.created_at}
            for m in Membership.objects.for_user(user).order_by("team__name")
        ],
        "email_addresses": addresses,
        "second_factors": [
            {"type": row["type"], "added": row["created_at"], "last_used": row["last_used_at"]}
            for row in Authenticator.objects.filter(user=user)
            .order_by("created_at")
            .values("type", "created_at", "last_used_at")
        ],
        "invitations_to_you": [
            {
                "team": invitation.team.name,
                "email": invitation.email,
                "role": invitation.role,
                "sent": invitation.created_at,
                "expires": invitation.expires_at,
                "status": invitation.status,
            }
            for invitation in invitations.order_by("created_at")
        ],
        "team_records_about_you": [
            {
                "team": entry.team.name,
                "action": entry.action,
                "by": entry.actor_name,
                "at": entry.at,
                "details": entry.details,
            }
            for entry in AuditEntry.objects.filter(subject_id=user.pk)
            .select_related("team")
            .order_by("at", "pk")
        ],
    }
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        part["signed_in_devices"] = [
            {
                "device": row["user_agent"],
                "since": row["created_at"],
                "last_seen": row["last_seen_at"],
            }
            for row in UserSession.objects.filter(user=user)
            .order_by("created_at")
            .values("user_agent", "created_at", "last_seen_at")
        ]
    return part


# --- Deleting the account ------------------------------------------------------------------


class AccountDeleteRefused(ValidationError):
    """Raised with messages the person can act on."""


def account_delete_blockers(*, user) -> list[str]:
    """Why ``user``'s account cannot be deleted now (empty: it can)."""
    reasons = [
        _(
            "You are the only coordinator of %(team)s. Make someone else a coordinator "
            "first, so the team is not left without one."
        )
        % {"team": team.name}
        for team in teams_only_coordinated_by(user=user)
    ]
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        reasons.append(_("You are the only site admin. Make someone else a site admin first."))
    return reasons


def tombstone_email() -> str:
    return f"deleted-{secrets.token_hex(12)}@{TOMBSTONE_DOMAIN}"


@transaction.atomic
def user_account_delete(*, user, by, now=None) -> User:
    """Erase ``user``'s personal data and leave an anonymous tombstone (see the module's
    docstring). ``by`` is the person themselves (or a site admin). Every app erases its part
    first, while the memberships its rules read still exist; people's part comes last. All
    in one transaction: a refusal or an error leaves everything as it was."""
    if not (by.is_authenticated and (by.pk == user.pk or (by.is_superuser and by.is_active))):
        raise PermissionDenied
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise AccountDeleteRefused(_("This account has already been deleted."))
    # Hold the coordinator rows of the person's teams, so that nobody demotes the other
    # coordinator while this one leaves.
    team_ids = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("team_id")
    list(
        Membership.objects.select_for_update()
        .filter(team_id__in=team_ids, role=Role.COORDINATOR)
        .values_list("pk", flat=True)
    )
    blockers = account_delete_blockers(user=user)
    if blockers:
        raise AccountDeleteRefused(blockers)
    for _label, erase in app_hooks("own_data_erase"):
        erase(user)
    people_data_erase(user=user, by=by, now=now)
    return user


def people_data_erase(*, user: User, by, now) -> None:
    """People's part, last: the tombstone, the audit entries, and the account's addresses,
    second factors, sessions, invitations and memberships."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    emails = {user.email.lower()} | {
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    memberships = list(Membership.objects.filter(user=user).select_related("team"))

    # The name goes first, so that everything written from here on names nobody.
    user.email = tombstone_email()
    user.display_name = TOMBSTONE_NAME
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.preferred_language = settings.LANGUAGE_CODE
    user.timezone = settings.DEFAULT_USER_TIMEZONE
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    actor = user if by.pk == user.pk else by
    for membership in memberships:
        audit_record(
            team=membership.team,
            actor=actor,
            action=AuditAction.ACCOUNT_DELETED,
            subject=user,
            details={
                "role": membership.role,
                "member_since": membership.created_at.date().isoformat(),
            },
            now=now,
        )
    Membership.objects.filter(user=user).delete()
    user_team_roles_forget(user=user)
    Invitation.objects.filter(Q(email__in=sorted(emails)) | Q(accepted_by=user)).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        for session in UserSession.objects.filter(user=user):
            session.end()
    if apps.is_installed("wagtail.users"):
        from wagtail.users.models import UserProfile

        UserProfile.objects.filter(user=user).delete()
