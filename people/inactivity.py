"""A coordinator who stops signing in may be ill, detained or simply away: after
``COORDINATOR_INACTIVE_DAYS`` the other coordinators of their teams and the site admins are
told, once per absence (the absence is named by the day of the last sign-in, so a new
sign-in starts a new one). Found by the tick, claimed in ``website.Dispatch`` before anything
is sent."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import translation

from website.models import Dispatch
from website.services import dispatch_claim, dispatch_done

from .models import Membership, Role, Team, User

INACTIVITY_ALERT = "coordinator_inactive"


@dataclass(frozen=True)
class Absence:
    coordinator: User
    since: datetime

    @property
    def key(self) -> str:
        """Names this absence in the once-only table: the coordinator and their last day."""
        return f"{self.coordinator.pk}:{self.since.date().isoformat()}"


def coordinators_absent(*, now, days: int | None = None) -> list[Absence]:
    """Active coordinators whose last sign-in (or, never signed in, their joining) is at
    least ``days`` ago."""
    days = settings.COORDINATOR_INACTIVE_DAYS if days is None else days
    users = (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.COORDINATOR,
        )
        .annotate(seen=Coalesce(F("last_login"), F("date_joined")))
        .filter(seen__lte=now - timedelta(days=days))
        .distinct()
        .order_by("pk")
    )
    return [Absence(user, user.seen) for user in users]


def absence_recipients(*, absence: Absence) -> list[User]:
    teams = Membership.objects.coordinators().filter(user=absence.coordinator).values("team_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__team_id__in=teams, memberships__role=Role.COORDINATOR)
            | Q(is_superuser=True)
        )
        .exclude(pk=absence.coordinator.pk)
        .distinct()
        .order_by("pk")
    )


def inactivity_alerts_send(*, now) -> int:
    """Tell about each absence not told yet, each recipient once (claimed per recipient, as
    suspension notices are: a failure half-way leaves the rest for the next tick). Returns
    how many e-mails went out."""
    sent = 0
    for absence in coordinators_absent(now=now):
        recipients = absence_recipients(absence=absence)
        told = set(
            Dispatch.objects.filter(kind=INACTIVITY_ALERT, target=absence.key).values_list(
                "occurrence", flat=True
            )
        )
        waiting = [r for r in recipients if str(r.pk) not in told]
        if not waiting:
            continue
        teams = Team.objects.filter(
            memberships__user=absence.coordinator, memberships__role=Role.COORDINATOR
        )
        discreet = any(team.discreet_mode for team in teams)
        for recipient in waiting:
            claim = dispatch_claim(
                kind=INACTIVITY_ALERT, target=absence.key, occurrence=recipient.pk
            )
            if claim is None:
                continue
            with translation.override(recipient.preferred_language):
                context = {
                    "discreet": discreet,
                    "coordinator": absence.coordinator,
                    "days": (now - absence.since).days,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/",
                }
                subject = " ".join(
                    render_to_string("people/email/attention_subject.txt", context).split()
                )
                body = render_to_string("people/email/inactivity_message.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
            dispatch_done(claim)
            sent += 1
    return sent
