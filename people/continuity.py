"""A team never depends on one person: the rules for changing and removing members, and the
team's continuity state (who can act as a coordinator).

- A team keeps at least one coordinator: changing or removing the last one is refused.
- While fewer than two coordinators have a second factor, the team shows a standing warning.
- Every change is confirmed in the site and recorded in the append-only audit trail."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEntry, Membership, Role, Team, User
from .permissions import TeamAction, team_can, user_team_roles_forget


def last_coordinator_message() -> str:
    return _("The team would have no coordinator left. Make someone else a coordinator first.")


def audit_record(
    *, team: Team, actor, action: str, subject=None, details: dict | None = None, now=None
) -> AuditEntry:
    """Write one entry of the team's audit trail (codes and numbers only in ``details``)."""
    entry = AuditEntry(
        team=team,
        action=action,
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "display_name", "") or "",
        subject_id=getattr(subject, "pk", None),
        subject_name=getattr(subject, "display_name", "") or "",
        details=details or {},
    )
    if now is not None:
        entry.at = now
    entry.save()
    return entry


def can_manage_members(*, user, team: Team) -> bool:
    """A coordinator of the team, or a site admin (``permissions.SITE_ADMIN_ACTIONS``)."""
    return team_can(user=user, team=team, action=TeamAction.MANAGE_MEMBERS)


def coordinators_after(*, team: Team, without: Membership) -> int:
    """How many coordinators the team would keep without ``without``'s coordinator role."""
    return (
        Membership.objects.coordinators()
        .filter(team=team, user__is_active=True)
        .exclude(pk=without.pk)
        .count()
    )


def teams_only_coordinated_by(*, user) -> list[Team]:
    """Teams in which ``user`` is the only active coordinator (``coordinators_after``): they
    cannot step down, be suspended by a coordinator, or delete their account while this lasts."""
    return [
        membership.team
        for membership in Membership.objects.coordinators()
        .filter(user=user)
        .select_related("team")
        .order_by("team__name")
        if coordinators_after(team=membership.team, without=membership) < 1
    ]


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, by) -> Membership:
    membership = (
        Membership.objects.select_for_update().select_related("team", "user").get(pk=membership.pk)
    )
    team = membership.team
    if not can_manage_members(user=by, team=team):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == membership.role:
        return membership
    if (
        membership.role == Role.COORDINATOR
        and coordinators_after(team=team, without=membership) < 1
    ):
        raise ValidationError({"role": last_coordinator_message()})
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    user_team_roles_forget(user=membership.user)
    audit_record(
        team=team,
        actor=by,
        action=AuditAction.ROLE_CHANGED,
        subject=membership.user,
        details={"from": before, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    membership = (
        Membership.objects.select_for_update().select_related("team", "user").get(pk=membership.pk)
    )
    team = membership.team
    if not can_manage_members(user=by, team=team):
        raise PermissionDenied
    if (
        membership.role == Role.COORDINATOR
        and coordinators_after(team=team, without=membership) < 1
    ):
        raise ValidationError(last_coordinator_message())
    audit_record(
        team=team,
        actor=by,
        action=AuditAction.MEMBER_REMOVED,
        subject=membership.user,
        details={"role": membership.role},
    )
    membership.delete()
    user_team_roles_forget(user=membership.user)


@dataclass
class CoordinatorState:
    user: User
    second_factor: bool
    last_login: object
    membership_id: int | None = None


@dataclass
class Continuity:
    coordinators: list[CoordinatorState] = field(default_factory=list)

    @property
    def ready(self) -> int:
        """Coordinators who can act: active, with a second factor."""
        return sum(1 for c in self.coordinators if c.second_factor and c.user.is_active)

    @property
    def warning(self) -> bool:
        return self.ready < 2


def team_continuity(*, team: Team) -> Continuity:
    users = (
        User.objects.with_second_factor()
        .filter(memberships__team=team, memberships__role=Role.COORDINATOR)
        .annotate(membership_id=F("memberships__id"))
        .order_by("display_name")
    )
    return Continuity(
        [
            CoordinatorState(u, bool(u.second_factor_enrolled), u.last_login, u.membership_id)
            for u in users
        ]
    )
