"""Background jobs for people: e-mail leaves the request so a slow mail server never
blocks a coordinator."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import Invitation


@task()
def invitation_send_email(*, invitation_id: int, accept_url: str, language: str) -> None:
    invitation = Invitation.objects.select_related("team", "invited_by").get(pk=invitation_id)
    with translation.override(language):
        context = {"invitation": invitation, "accept_url": accept_url}
        subject = render_to_string("people/email/invitation_subject.txt", context).strip()
        body = render_to_string("people/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
