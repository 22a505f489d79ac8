"""People: a user logs in by e-mail under a display name (a pseudonym is fine), belongs to
teams through memberships that carry a role, and joins only by invitation."""

import hashlib
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone as django_timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def with_second_factor(self):
        """Users annotated with ``second_factor_enrolled`` (an authenticator app or a security
        key) and ``second_factor_required_by_team`` (a staff role in a team, or a team that
        asks it of volunteers): read by ``people.selectors.user_second_factor``. Every
        signed-in request loads its user this way (``people.backends``), so the two checks
        are plain SQL subqueries, cheap to build."""
        from allauth.mfa.models import Authenticator
        from django.db.models.expressions import RawSQL

        user = self.model._meta.db_table
        enrolled = (
            f"EXISTS (SELECT 1 FROM {Authenticator._meta.db_table} a "  # noqa: S608
            f"WHERE a.user_id = {user}.id AND a.type IN (%s, %s))"
        )
        required = (
            f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} m "  # noqa: S608
            f"JOIN {Team._meta.db_table} t ON t.id = m.team_id "
            f"WHERE m.user_id = {user}.id AND (m.role IN (%s, %s) "
            f"OR t.require_mfa_for_volunteers))"
        )
        return self.annotate(
            second_factor_enrolled=RawSQL(  # noqa: S611 - table names from the models, values as parameters
                enrolled, (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
            ),
            second_factor_required_by_team=RawSQL(  # noqa: S611 - as above
                required, sorted(ROLES_REQUIRING_MFA)
            ),
        )

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Atbalsts. No real name is asked for anywhere: ``display_name`` is what
    others see and may be a pseudonym."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("What others in your team see. A pseudonym is fine."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=timezone_choices,
        default=settings.DEFAULT_USER_TIMEZONE,
    )
    is_staff = models.BooleanField(
        _("site admin"),
        default=False,
        help_text=_("Can log into the admin. Separate from any team role."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=django_timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    # Wagtail's admin shows these.
    @property
    def first_name(self):
        return self.display_name

    @property
    def last_name(self):
        return ""


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    require_mfa_for_volunteers = models.BooleanField(
        _("require two-factor authentication for volunteers"),
        default=False,
        help_text=_(
            "Coordinators and supervisors always need it. Turn this on to require it from "
            "volunteers too."
        ),
    )
    discreet_mode = models.BooleanField(
        _("discreet mode"),
        default=True,
        help_text=_(
            "E-mail subjects and calendar entries say only something neutral, such as "
            '"Team meeting": never the team or organisation, supervision or anything about '
            "health. Details appear after signing in."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Coordinator")


# Roles whose holders must enrol a second factor before they reach any page.
ROLES_REQUIRING_MFA = frozenset({Role.COORDINATOR, Role.SUPERVISOR})


class MembershipQuerySet(models.QuerySet):
    def coordinators(self):
        return self.filter(role=Role.COORDINATOR)

    def supervisors(self):
        return self.filter(role=Role.SUPERVISOR)

    def volunteers(self):
        return self.filter(role=Role.VOLUNTEER)

    def for_user(self, user):
        return self.filter(user=user).select_related("team")


class Membership(models.Model):
    """A user's role in one team. A person may hold different roles in different teams."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team__name", "role", "user__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_membership_per_team"),
        ]

    def __str__(self):
        return f"{self.user} · {self.team} · {self.get_role_display()}"


def invitation_token_hash(token: str) -> str:
    """Only a hash of an invitation token is stored: a copy of the database cannot be used
    to join a team."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_default_expiry():
    return django_timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=django_timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring invitation of one e-mail address to one team with one role."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=invitation_default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(accepted_at__isnull=False) & Q(revoked_at__isnull=False)),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.team} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= django_timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label


class AuditAction(models.TextChoices):
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Removed from the team")
    MEMBER_SUSPENDED = "member_suspended", _("Suspended")
    MEMBER_REINSTATED = "member_reinstated", _("Reinstated")
    REQUIRED_COURSE_ADDED = "required_course_added", _("Course required")
    REQUIRED_COURSE_REMOVED = "required_course_removed", _("Course no longer required")
    EXTRA_ATTEMPTS_GIVEN = "extra_attempts_given", _("Extra quiz attempts given")
    ATTENDANCE_CHANGED = "attendance_changed", _("Attendance changed")
    SESSION_CANCELLED = "session_cancelled", _("Meeting cancelled")
    WELLBEING_VIEWED = "wellbeing_viewed", _("Shared check-in viewed")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("The audit trail cannot be changed."))

    def delete(self):
        raise ValidationError(_("The audit trail cannot be changed."))


class AuditEntry(models.Model):
    """Something a coordinator (or a site admin) did to a team's people, kept for good:
    the model refuses changes and deletions and database triggers (migration 0004) refuse
    them from any code. It names people by id and display name at the time, without foreign
    keys, so it outlives accounts; ``details`` holds codes and numbers only, never free text
    or health data."""

    team = models.ForeignKey(
        Team, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=150)
    subject_id = models.BigIntegerField(null=True)
    subject_name = models.CharField(max_length=150, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=django_timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["team", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The audit trail cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit trail cannot be changed."))


class SuspensionReason(models.TextChoices):
    DEVICE_LOST = "device_lost", _("A phone or computer was lost")
    DEVICE_TAKEN = "device_taken", _("A phone or computer was taken or seized")
    DETAINED = "detained", _("The person may be detained")
    ACCOUNT_MISUSED = "account_misused", _("Someone else may be using the account")
    OTHER = "other", _("Another reason")


class Suspension(models.Model):
    """An emergency stop of one account (``people.emergency``): while it is open the person
    cannot sign in, every session they had is over and their secrets are void. Reinstating
    needs a different person from the one who suspended (two-person rule)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suspensions",
        verbose_name=_("user"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="suspensions", verbose_name=_("team")
    )
    reason = models.CharField(_("reason"), max_length=32, choices=SuspensionReason.choices)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    suspended_at = models.DateTimeField(_("suspended"), default=django_timezone.now)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reinstated by"),
    )
    reinstated_at = models.DateTimeField(_("reinstated"), null=True, blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-suspended_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(reinstated_at__isnull=True),
                name="one_open_suspension_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.reinstated_at is None
