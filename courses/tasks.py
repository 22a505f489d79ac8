"""Background jobs for courses: telling a volunteer they were given more quiz attempts."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from website.languages import localize_page
from website.services import dispatch_claim, dispatch_done

from .models import AttemptGrant, ModulePage

GRANT_EMAIL = "attempt_grant_email"


@task()
def attempt_grant_notify(*, grant_id: int) -> None:
    """Once per grant, whoever runs it first (the job enqueued at the grant, or the tick's
    catch-up): the claim decides. Discreet: the subject names no team or organisation."""
    grant = AttemptGrant.objects.select_related("user", "granted_by").filter(pk=grant_id).first()
    if grant is None or not grant.user.is_active:
        return
    claim = dispatch_claim(kind=GRANT_EMAIL, target=grant.pk)
    if claim is None:
        return
    with translation.override(grant.user.preferred_language):
        module = localize_page(
            ModulePage.objects.filter(
                translation_key=grant.module_key, locale__language_code=settings.LANGUAGE_CODE
            ).first()
        )
        context = {
            "grant": grant,
            "module": module,
            "module_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + (module.get_url() if module else "/"),
        }
        subject = render_to_string("courses/email/attempt_grant_subject.txt", context).strip()
        body = render_to_string("courses/email/attempt_grant_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [grant.user.email])
    dispatch_done(claim)
