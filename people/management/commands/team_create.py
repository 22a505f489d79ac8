"""Start a team from the command line and print its first coordinator's invitation link."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation

from people.models import User
from people.services import team_create
from people.tasks import invitation_email_enqueue


class Command(BaseCommand):
    help = (
        "Create a team and invite its first coordinator: "
        'manage.py team_create "Team name" coordinator@example.org [--admin admin@example.org]'
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("coordinator_email")
        parser.add_argument(
            "--admin",
            help="The site admin creating it (default: the first site admin).",
        )

    def handle(self, *args, name, coordinator_email, admin=None, **options):
        admins = User.objects.filter(is_superuser=True, is_active=True).order_by("pk")
        creator = admins.filter(email__iexact=admin).first() if admin else admins.first()
        if creator is None:
            raise CommandError(
                "No site admin found: create one with manage.py createsuperuser first."
            )
        try:
            created = team_create(
                name=name, first_coordinator_email=coordinator_email, created_by=creator
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("people:invitation_accept", kwargs={"token": created.token})
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
        invitation_email_enqueue(
            invitation=created.invitation, accept_url=link, language=settings.LANGUAGE_CODE
        )
        self.stdout.write(self.style.SUCCESS(f"Team {created.invitation.team.name!r} created."))
        self.stdout.write(
            f"Invitation for {created.invitation.email} (coordinator), e-mailed; it works "
            f"once, for {settings.INVITATION_VALID_DAYS} days:\n{link}"
        )
