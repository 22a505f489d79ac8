"""Emergencies: a lost or seized phone, a detained colleague.

Suspending a person (any coordinator of one of their teams, or a site admin) stops the whole
account at once, because whoever holds the phone holds every team the person is in:

- the account is switched off and its password made unusable: Django checks a hash of the
  password on every request of every session, so each open session is refused on its very
  next request, also sessions that no list knows about; the recorded sessions are ended too;
- the second factors are removed (an authenticator app on a seized phone still makes codes);
- the calendar subscription addresses stop working and the invitations the person sent that
  are still open are revoked;
- the other coordinators of the person's teams are told (once each, discreetly).

Reinstating needs somebody else than the person who suspended (two-person rule). The person
then chooses a new password through "Forgot your password?" and sets up a new second factor.
A team's last coordinator can be suspended only by a site admin, who can also reinstate."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .continuity import audit_record, can_manage_members, teams_only_coordinated_by
from .devices import user_devices_sign_out
from .models import (
    AuditAction,
    Invitation,
    Membership,
    Role,
    Suspension,
    SuspensionReason,
    Team,
    User,
)
from .permissions import user_team_roles_forget


def suspension_open(*, user) -> Suspension | None:
    return (
        Suspension.objects.filter(user=user, reinstated_at__isnull=True)
        .select_related("suspended_by", "team")
        .first()
    )


def member_suspend_check(*, membership: Membership, by) -> None:
    """Raise ``PermissionDenied`` or ``ValidationError`` when ``by`` may not suspend the
    member now; the view shows the message before anyone presses the button."""
    if not can_manage_members(user=by, team=membership.team):
        raise PermissionDenied
    subject = membership.user
    if subject.pk == by.pk:
        raise ValidationError(
            _(
                "You cannot suspend yourself. To sign out your other devices, use "
                '"Signed-in devices" in your settings.'
            )
        )
    if suspension_open(user=subject) is not None or not subject.is_active:
        raise ValidationError(_("%(name)s is suspended already.") % {"name": subject.display_name})
    if teams_only_coordinated_by(user=subject) and not by.is_superuser:
        raise ValidationError(
            _(
                "%(name)s is the last coordinator of a team: only a site admin can suspend "
                "them, so that someone can still reinstate them and run the team."
            )
            % {"name": subject.display_name}
        )


@transaction.atomic
def member_suspend(*, membership: Membership, reason: str, by, now=None) -> Suspension:
    now = now or timezone.now()
    if reason not in SuspensionReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    membership = Membership.objects.select_related("team", "user").get(pk=membership.pk)
    # One suspension at a time per person, whoever presses first: the row lock makes the
    # second wait and then find the first.
    subject = User.objects.select_for_update().get(pk=membership.user_id)
    membership.user = subject
    member_suspend_check(membership=membership, by=by)
    suspension = Suspension.objects.create(
        user=subject, team=membership.team, reason=reason, suspended_by=by, suspended_at=now
    )
    subject.is_active = False
    subject.set_unusable_password()
    subject.save(update_fields=["is_active", "password"])
    user_team_roles_forget(user=subject)
    user_devices_sign_out(user=subject, current_session_key=None, calendar=True)

    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=subject).delete()
    teams = list(Team.objects.filter(memberships__user=subject).order_by("pk"))
    for invitation in (
        Invitation.objects.pending().filter(invited_by=subject).select_related("team")
    ):
        invitation.revoked_at = now
        invitation.revoked_by = by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            team=invitation.team,
            actor=by,
            action=AuditAction.INVITATION_REVOKED,
            details={"invitation": invitation.pk, "role": invitation.role, "because": "suspension"},
            now=now,
        )
    for team in teams:
        audit_record(
            team=team,
            actor=by,
            action=AuditAction.MEMBER_SUSPENDED,
            subject=subject,
            details={"reason": reason},
            now=now,
        )

    from .tasks import suspension_notify

    transaction.on_commit(lambda: suspension_notify.enqueue(suspension_id=suspension.pk))
    return suspension


def suspension_reinstate_check(*, suspension: Suspension, by) -> None:
    member_teams = Team.objects.filter(memberships__user=suspension.user_id)
    if not by.is_superuser and not any(can_manage_members(user=by, team=t) for t in member_teams):
        raise PermissionDenied
    if not suspension.is_open:
        raise ValidationError(_("This suspension has ended already."))
    if suspension.suspended_by_id == by.pk:
        raise ValidationError(
            _(
                "Someone other than you must reinstate them: another coordinator of the team "
                "or a site admin. Two people decide, so a forced or mistaken suspension can "
                "be checked."
            )
        )


@transaction.atomic
def suspension_reinstate(*, suspension: Suspension, by, now=None) -> Suspension:
    now = now or timezone.now()
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    suspension_reinstate_check(suspension=suspension, by=by)
    suspension.reinstated_at = now
    suspension.reinstated_by = by
    suspension.save(update_fields=["reinstated_at", "reinstated_by"])
    subject = User.objects.select_for_update().get(pk=suspension.user_id)
    subject.is_active = True
    subject.save(update_fields=["is_active"])
    user_team_roles_forget(user=subject)
    for team in Team.objects.filter(memberships__user=subject).order_by("pk"):
        audit_record(
            team=team,
            actor=by,
            action=AuditAction.MEMBER_REINSTATED,
            subject=subject,
            details={"reason": suspension.reason},
            now=now,
        )
    return suspension


def suspension_notice_recipients(*, suspension: Suspension) -> list[User]:
    """The coordinators of the suspended person's teams, except the person and whoever
    suspended them."""
    teams = Membership.objects.filter(user=suspension.user_id).values("team_id")
    return list(
        User.objects.filter(
            is_active=True,
            memberships__team_id__in=teams,
            memberships__role=Role.COORDINATOR,
        )
        .exclude(pk__in=[suspension.user_id, suspension.suspended_by_id or 0])
        .distinct()
        .order_by("pk")
    )
