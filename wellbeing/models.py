"""Wellbeing: a volunteer's own check-ins, what they choose to share, and the record of every
look at them by anyone else.

Check-ins are health data. They belong to the person who answered: nobody else reads a
check-in unless its author chose to share it with a team (``SharingChoice``), and every such
read is written to ``AccessRecord``, which the database itself keeps append-only. Free text is
encrypted at rest (``DJANGO_FIELD_ENCRYPTION_KEYS``). Scores are computed by
``wellbeing.instruments.score`` when a check-in is saved and kept beside the answers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin

from website.encryption import EncryptedTextField

from . import instruments

INSTRUMENT_CHOICES = [(key, instrument.name) for key, instrument in instruments.INSTRUMENTS.items()]


class CheckIn(models.Model):
    """One answered questionnaire. ``answers`` maps item numbers to the stored answers;
    ``scores`` is ``Result.as_dict()`` of the instrument's one scoring function."""

    NOTE_MAX_LENGTH = 2000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    instrument = models.CharField(_("questionnaire"), max_length=20, choices=INSTRUMENT_CHOICES)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    concern = models.BooleanField(default=False)
    professional_help = models.BooleanField(default=False)
    note = EncryptedTextField(_("a note for yourself"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "instrument", "created_at"]),
            models.Index(fields=["instrument", "created_at"]),
        ]

    def __str__(self):
        return f"{self.instrument} {self.created_at:%Y-%m-%d}"

    @property
    def definition(self) -> instruments.Instrument:
        return instruments.get(self.instrument)

    def subscale_value(self, key: str):
        return (self.scores.get("subscales", {}).get(key) or {}).get("value")

    def subscale_band(self, key: str):
        return (self.scores.get("subscales", {}).get(key) or {}).get("band")


class SharingChoice(models.Model):
    """What a person chose to share with one of their teams. Nothing by default; changing a
    choice back hides past data again at once (readers always look at the current choice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_sharing"
    )
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="+")
    flag_to_supervisors = models.BooleanField(
        _("My supervisors may see that I am in a concerning range (not my answers)"),
        default=False,
    )
    scores_to_coordinators = models.BooleanField(
        _("My coordinators may see my scores"), default=False
    )
    left_out_of_totals = models.BooleanField(
        _("Leave me out of the team's anonymous totals"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="one_sharing_choice_per_team")
        ]

    def __str__(self):
        return f"sharing {self.user_id} → {self.team_id}"


class Reminder(models.Model):
    """A reminder a person asked for: check in with ``instrument`` every ``every_days``."""

    class Every(models.IntegerChoices):
        WEEK = 7, _("Every week")
        MONTH = 30, _("Every month")
        QUARTER = 91, _("Every three months")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_reminders"
    )
    instrument = models.CharField(max_length=20, choices=INSTRUMENT_CHOICES)
    every_days = models.PositiveSmallIntegerField(choices=Every.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "instrument"], name="one_reminder_each")
        ]

    def __str__(self):
        return f"{self.instrument} every {self.every_days} days"


class InstrumentWording(models.Model):
    """The owners' wording of a validated questionnaire's items, loaded by an organisation
    (``manage.py wellbeing_wording_load`` or the data admin), never shipped with the code."""

    instrument = models.CharField(max_length=20, choices=INSTRUMENT_CHOICES)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    item = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    reverse = models.BooleanField(null=True, blank=True)
    scale = models.CharField(max_length=20, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "language", "item"], name="one_wording_per_item"
            )
        ]
        ordering = ["instrument", "language", "item"]
        verbose_name = _("questionnaire wording")
        verbose_name_plural = _("questionnaire wording")

    def __str__(self):
        return f"{self.instrument} {self.language} {self.item}"


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Access records cannot be changed."))

    def delete(self):
        raise ValidationError(_("Access records cannot be deleted."))

    def expired_prune(self, *, now) -> int:
        """Delete the records whose keeping time has passed (the only deletion the database
        triggers allow)."""
        deleted, _per_model = models.QuerySet.delete(self.filter(keep_until__lt=now))
        return deleted


class AccessRecord(models.Model):
    """Someone other than the volunteer looked at their wellbeing data. Append-only: the model
    refuses changes and deletions, and database triggers (migration 0002) refuse them too,
    from any code or raw SQL, until ``keep_until`` has passed (then the tick prunes it).
    People are kept by id without a foreign key, so the record outlives an account."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="wellbeing_accesses",
    )
    viewer_name = models.CharField(max_length=150)
    team_name = models.CharField(max_length=150, blank=True)
    what = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    keep_until = models.DateTimeField()

    objects = AccessRecordQuerySet.as_manager()

    class What(models.TextChoices):
        FLAG = "flag", _("that you were in a concerning range")
        SCORES = "scores", _("your scores")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "at"])]

    def __str__(self):
        return f"{self.viewer_name} saw {self.what} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Access records cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Access records cannot be deleted."))

    def get_what_display(self):
        return dict(self.What.choices).get(self.what, self.what)


class SelfCareResource(TranslatableMixin, models.Model):
    """Where to turn, written by the organisation in the content admin: per team (or for
    every team) and per language. Shown with a result in a concerning range."""

    team = models.ForeignKey(
        "people.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every team without its own."),
    )
    title = models.CharField(_("title"), max_length=120)
    body = RichTextField(_("self-care"), features=["bold", "italic", "link", "ul", "ol"])
    contacts = RichTextField(
        _("who to contact in the team"), blank=True, features=["bold", "link", "ul"]
    )
    professional_help = RichTextField(
        _("where to find professional help"), blank=True, features=["bold", "link", "ul"]
    )

    panels = [
        FieldPanel("team"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("contacts"),
        FieldPanel("professional_help"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("self-care resource")
        verbose_name_plural = _("self-care resources")

    def __str__(self):
        return self.title
