"""Background jobs for people: e-mail leaves the request so a slow mail server never
blocks a coordinator.

A job's arguments are stored in the database until the job is pruned, so the invitation link
(which holds its token) travels encrypted: a copy of the jobs table cannot be used to join."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from website import encryption

from .models import Invitation


@task()
def invitation_send_email(*, invitation_id: int, accept_url_encrypted: str, language: str) -> None:
    invitation = (
        Invitation.objects.pending().select_related("team", "invited_by").filter(pk=invitation_id)
    ).first()
    if invitation is None:
        return  # revoked or expired before the job ran: nothing to send
    accept_url = encryption.decrypt(accept_url_encrypted)
    with translation.override(language):
        context = {"invitation": invitation, "accept_url": accept_url}
        subject = render_to_string("people/email/invitation_subject.txt", context).strip()
        body = render_to_string("people/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_email_enqueue(*, invitation: Invitation, accept_url: str, language: str) -> None:
    invitation_send_email.enqueue(
        invitation_id=invitation.pk,
        accept_url_encrypted=encryption.encrypt(accept_url),
        language=language,
    )


SUSPENSION_NOTICE = "suspension_notice"


@task()
def suspension_notify(*, suspension_id: int) -> int:
    """Tell each other coordinator of the suspended person's teams, once each (claimed in
    ``website.Dispatch``, so a retried job sends nothing twice). Discreet: unless every team
    involved has discreet mode off, the e-mail names nobody and no team."""
    from website.services import dispatch_claim, dispatch_done

    from .emergency import suspension_notice_recipients
    from .models import Suspension, Team

    suspension = Suspension.objects.select_related("user", "team").filter(pk=suspension_id).first()
    if suspension is None or not suspension.is_open:
        return 0
    teams = Team.objects.filter(memberships__user=suspension.user_id)
    discreet = any(team.discreet_mode for team in teams) or suspension.team.discreet_mode
    sent = 0
    for recipient in suspension_notice_recipients(suspension=suspension):
        claim = dispatch_claim(
            kind=SUSPENSION_NOTICE, target=suspension.pk, occurrence=recipient.pk
        )
        if claim is None:
            continue
        with translation.override(recipient.preferred_language):
            url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
            context = {
                "discreet": discreet,
                "subject": suspension.user,
                "team": suspension.team,
                "url": url,
            }
            subject = " ".join(
                render_to_string("people/email/attention_subject.txt", context).split()
            )
            body = render_to_string("people/email/suspension_message.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        dispatch_done(claim)
        sent += 1
    return sent


def suspension_notices_catch_up(*, now) -> int:
    """Send what a lost notice job did not: suspensions of the last day that are still open
    (the claims make a second sender send nothing)."""
    from datetime import timedelta

    from .models import Suspension

    sent = 0
    recent = Suspension.objects.filter(
        reinstated_at__isnull=True, suspended_at__gte=now - timedelta(days=1)
    ).values_list("pk", flat=True)
    for suspension_id in recent:
        sent += suspension_notify.call(suspension_id=suspension_id)
    return sent
