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
