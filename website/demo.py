"""Demo data for trying Atbalsts locally: one team with every role. Never for production."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from people.models import Membership, Role, Team, User

from .models import HomePage

DEMO_PASSWORD = "atbalsts-demo"  # noqa: S105 - printed for local demo logins only
DEMO_DOMAIN = "example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str | None  # team role; None for the site admin
    superuser: bool = False
    mfa: bool = True


DEMO_ACCOUNTS = [
    DemoAccount("admin@example.org", "Site admin", None, superuser=True),
    DemoAccount("ilze@example.org", "Ilze", Role.COORDINATOR),
    DemoAccount("marta@example.org", "Marta", Role.COORDINATOR),
    DemoAccount("dace@example.org", "Dace", Role.SUPERVISOR),
    DemoAccount("aija@example.org", "Aija", Role.VOLUNTEER, mfa=False),
    DemoAccount("janis@example.org", "Jānis", Role.VOLUNTEER, mfa=False),
    DemoAccount("olga@example.org", "Olga", Role.VOLUNTEER, mfa=False),
    DemoAccount("pavel@example.org", "Pavel", Role.VOLUNTEER, mfa=False),
    DemoAccount("liga@example.org", "Līga", Role.VOLUNTEER, mfa=False),
    DemoAccount("nadia@example.org", "Nadia", Role.VOLUNTEER, mfa=False),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    display_name: str
    role: str
    totp_secret: str | None


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    """Create (or leave as it is) the demo team and accounts. Safe to run again."""
    team, _created = Team.objects.get_or_create(name="Helpline", defaults={"slug": "helpline"})
    logins = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                display_name=account.display_name,
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.role:
            Membership.objects.get_or_create(user=user, team=team, defaults={"role": account.role})
        secret = demo_totp_secret(user) if account.mfa else None
        role_label = str(Role(account.role).label) if account.role else "Site admin"
        logins.append(DemoLogin(account.email, account.display_name, role_label, secret))
    homepage_translations_ensure()
    privacy_page_ensure()
    from courses.demo import demo_courses_seed
    from courses.models import CourseAssignment

    courses = demo_courses_seed()
    coordinator = User.objects.get(email="ilze@example.org")
    for course, days in zip(courses, (30, 60), strict=True):
        CourseAssignment.objects.get_or_create(
            team=team,
            course=course,
            defaults={
                "due_date": timezone.localdate() + timedelta(days=days),
                "assigned_by": coordinator,
            },
        )
    return logins


def demo_totp_secret(user: User) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


PRIVACY_TEXT = (
    "<h2>What we keep</h2><p>Your e-mail address, the display name you chose (a pseudonym is "
    "fine), your language and time zone, your course progress and certificates. Your "
    "reflection notes and self-check-ins are yours alone.</p><h2>What we never do</h2><p>No "
    "trackers, no advertising, nothing loaded from other websites.</p>"
)


def privacy_page_ensure():
    from .models import InformationPage

    homepage = HomePage.objects.filter(depth=2, locale__language_code="en").first()
    if homepage is None or InformationPage.objects.filter(slug="privacy").exists():
        return
    page = homepage.add_child(
        instance=InformationPage(title="Privacy", slug="privacy", body=PRIVACY_TEXT)
    )
    page.save_revision().publish()


WELCOME = {
    "en": "<p>Welcome to the volunteers' space: short courses before your first shifts, "
    "supervision with your group, and a quiet place to check in with yourself.</p>",
    "lv": "<p>Laipni lūdzam brīvprātīgo telpā: īsi kursi pirms pirmajām maiņām, supervīzijas "
    "kopā ar grupu un mierīga vieta, kur ieklausīties sevī.</p>",
    "ru": "<p>Добро пожаловать в пространство волонтёров: короткие курсы перед первыми "
    "сменами, супервизии с вашей группой и спокойное место, чтобы прислушаться к себе.</p>",
}


def homepage_translations_ensure() -> None:
    """Give the home page a Latvian and a Russian version, so each language has its own URL."""
    homepage = HomePage.objects.filter(depth=2).first()
    if homepage is None:
        return
    if not homepage.intro:
        homepage.intro = WELCOME["en"]
        homepage.save_revision().publish()
    for code in ("lv", "ru"):
        locale = Locale.objects.get(language_code=code)
        if not homepage.has_translation(locale):
            translated = homepage.copy_for_translation(locale)
            translated.intro = WELCOME[code]
            translated.save_revision().publish()
