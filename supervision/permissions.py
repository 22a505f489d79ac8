"""Who may do what in supervision: plain functions over a person's role in the team and their
place in a group or a request, tested as a table. Views and services call these; nothing
else decides.

- Coordinators and supervisors of a team manage its groups and sessions.
- A group's members book its sessions; a person outside the group cannot.
- The meeting link is for people with a seat and the session's supervisors only.
- A group's supervisors mark attendance.
- A debrief note is for its volunteer and the supervisor who took the request: never for
  coordinators, never for other supervisors."""

from people.models import Role
from people.permissions import TeamAction, role_can, team_role

from .models import Audience, BookingStatus, DebriefRequest, DebriefStatus, Session, SessionKind


def can_manage_supervision(*, user, team) -> bool:
    return role_can(team_role(user=user, team=team), TeamAction.MANAGE_SUPERVISION)


def is_group_supervisor(*, user, group) -> bool:
    if not user.is_authenticated or group is None:
        return False
    known = getattr(group, "_supervisor_ids", None)
    if known is None:
        known = group._supervisor_ids = set(group.supervisors.values_list("pk", flat=True))
    return user.pk in known and team_role(user=user, team=group.team) == Role.SUPERVISOR


def is_group_member(*, user, group, role=None) -> bool:
    """Whether the group is for this person: by its audience and their role in the team."""
    if not user.is_authenticated or group is None or not group.active:
        return False
    role = role if role is not None else team_role(user=user, team=group.team)
    if group.audience == Audience.VOLUNTEERS:
        return role == Role.VOLUNTEER
    if group.audience == Audience.COORDINATORS:
        return role == Role.COORDINATOR
    if role is None:
        return False
    known = getattr(group, "_chosen_for", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return group.members.filter(pk=user.pk).exists()


def can_run_session(*, user, session: Session) -> bool:
    """Move, cancel or change a session, or add someone beyond its seats."""
    if session.kind == SessionKind.DEBRIEF:
        return (
            session.supervisor_id == user.pk
            and team_role(user=user, team=session.team) == Role.SUPERVISOR
        )
    return (
        is_group_supervisor(user=user, group=session.group)
        or team_role(user=user, team=session.team) == Role.COORDINATOR
    )


def can_mark_attendance(*, user, session: Session) -> bool:
    if session.kind == SessionKind.DEBRIEF:
        return can_run_session(user=user, session=session)
    return is_group_supervisor(user=user, group=session.group)


def can_book(*, user, session: Session) -> bool:
    """A seat in a group session is for the group's members; a debrief slot is for a
    volunteer whose request its supervisor took (or for whom it was offered)."""
    if not user.is_authenticated:
        return False
    if session.kind == SessionKind.GROUP:
        return is_group_member(user=user, group=session.group)
    if session.offered_for_id:
        return session.offered_for.requester_id == user.pk
    return DebriefRequest.objects.filter(
        requester=user,
        team=session.team,
        taken_by_id=session.supervisor_id,
        status=DebriefStatus.TAKEN,
    ).exists()


def can_view_session(*, user, session: Session, booking=None) -> bool:
    if can_run_session(user=user, session=session):
        return True
    if booking is not None and booking.status != BookingStatus.CANCELLED:
        return True
    return can_book(user=user, session=session)


def can_see_meeting_details(*, user, session: Session, booking=None) -> bool:
    """The meeting link (and place) are for people with a seat and for who runs it."""
    if booking is not None and booking.status == BookingStatus.CONFIRMED:
        return True
    return can_run_session(user=user, session=session)


def can_see_debrief(*, user, request: DebriefRequest) -> bool:
    """The request itself (without its note): its volunteer and the team's supervisors; the
    coordinators too once nobody took it in time and it was escalated to them."""
    if user.pk == request.requester_id:
        return True
    role = team_role(user=user, team=request.team)
    if role == Role.SUPERVISOR:
        return True
    return role == Role.COORDINATOR and request.escalated_at is not None


def can_read_debrief_note(*, user, request: DebriefRequest) -> bool:
    return user.is_authenticated and user.pk in {request.requester_id, request.taken_by_id}


def can_take_debrief(*, user, request: DebriefRequest) -> bool:
    return (
        request.status == DebriefStatus.OPEN
        and user.pk != request.requester_id
        and role_can(team_role(user=user, team=request.team), TeamAction.TAKE_DEBRIEFS)
    )


def can_request_debrief(*, user, team) -> bool:
    return role_can(team_role(user=user, team=team), TeamAction.BOOK_SUPERVISION)
