"""Courses: Wagtail pages (index → course → module) and the learner's records.

Progress is keyed by the pages' ``translation_key``, so a volunteer who switches language
keeps their progress: the Latvian and English versions of a module are the same module."""

import secrets
import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from people.selectors import user_team_ids
from website.languages import child_in_language
from website.pages import SitePageMixin

from .blocks import ModuleBodyBlock, QuizQuestionsBlock


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone signed in")
    TEAMS = "teams", _("Only chosen teams")


class RefresherMode(models.TextChoices):
    FULL_COURSE = "full_course", _("Take the whole course again")
    QUIZ_ONLY = "quiz_only", _("Pass the quizzes again")


class ReviewMode(models.TextChoices):
    AFTER_EACH = "after_each", _("After each attempt")
    AFTER_PASSING = "after_passing", _("After passing")
    NEVER = "never", _("Never")


class LoginRequiredPageMixin:
    """Course pages are for signed-in people, and a team-only course for its teams."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        course = self.course_page()
        if course is not None and not course.is_visible_to(request.user):
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)

    def course_page(self):
        return None


class CoursePageQuerySet(PageQuerySet):
    def visible_to(self, user):
        """Courses for everyone signed in, and team-only courses of the user's teams."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(visibility=Visibility.EVERYONE) | Q(teams__in=user_team_ids(user=user))
        ).distinct()


CoursePageManager = PageManager.from_queryset(CoursePageQuerySet)


class CourseIndexPage(LoginRequiredPageMixin, SitePageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def route(self, request, path_components):
        """Find a course or a module by its URL in one query per level below the index,
        instead of Wagtail's two (child, then its specific type) per level.

        When the reader's language has no version of a course or a module yet, its original
        is served at this same address, so the interface stays in the reader's language and
        the language switch never leads to a 404; the page then says it is shown in the
        original language."""
        from wagtail.url_routing import RouteResult

        request.course_index = self  # the header's "Courses" link needs no query of its own
        if 1 <= len(path_components) <= 2:
            course = child_in_language(CoursePage, parent=self, slug=path_components[0])
            if course is None:
                raise Http404
            if len(path_components) == 1:
                return RouteResult(course)
            module = child_in_language(
                ModulePage, parent=course, slug=path_components[1], defer=ModulePage.routed_defer
            )
            if module is None:
                raise Http404
            module._course_page = module._routed_course = course
            return RouteResult(module)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_cards_for_user

        context = super().get_context(request, *args, **kwargs)
        context["cards"] = course_cards_for_user(user=request.user, request=request)
        return context


class CoursePage(LoginRequiredPageMixin, SitePageMixin, Page):
    summary = models.TextField(_("summary"), max_length=600)
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Outcome"), max_length=300))],
        verbose_name=_("learning outcomes"),
        blank=True,
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    prerequisite = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("prerequisite course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(
        _("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    teams = ParentalManyToManyField(
        "people.Team",
        verbose_name=_("teams"),
        blank=True,
        related_name="+",
        help_text=_("When the course is only for chosen teams."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("After this, a refresher is required. Empty: completion never expires."),
    )
    refresher_mode = models.CharField(
        _("refresher"),
        max_length=16,
        choices=RefresherMode.choices,
        default=RefresherMode.FULL_COURSE,
    )
    modules_in_order = models.BooleanField(
        _("modules in order"),
        default=False,
        help_text=_("A module opens only when the one before it is complete."),
    )
    # Goes up whenever one of the course's modules (in any language) is saved, published,
    # unpublished, moved or deleted: pages showing the module list cache it per version
    # (courses/signals.py, courses/selectors/progress.py).
    structure_version = models.PositiveIntegerField(default=0, editable=False)

    objects = CoursePageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_minutes"),
                FieldPanel("audience"),
                FieldPanel("prerequisite"),
                FieldPanel("modules_in_order"),
            ],
            heading=_("About the course"),
        ),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("teams")], heading=_("Who can see it")
        ),
        MultiFieldPanel(
            [FieldPanel("validity_months"), FieldPanel("refresher_mode")],
            heading=_("Renewal"),
        ),
        *Page.settings_panels,
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    admin_default_ordering = "ord"  # the editor lists modules in course order

    class Meta:
        verbose_name = _("course")

    def course_page(self):
        return self

    def is_visible_to(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if self.visibility == Visibility.EVERYONE or user.is_superuser:
            return True
        allowed = {team.pk for team in self.teams.all()}
        return bool(allowed & user_team_ids(user=user))

    def get_context(self, request, *args, **kwargs):
        from website.languages import localize_page

        from .selectors import course_progress, has_completed

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = course_progress(user=request.user, course=self, request=request)
        prerequisite = localize_page(self.prerequisite)
        context["prerequisite"] = prerequisite
        context["prerequisite_missing"] = bool(
            prerequisite
            and not has_completed(user=request.user, course_key=prerequisite.translation_key)
        )
        return context


class ModulePage(LoginRequiredPageMixin, SitePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)
    body = StreamField(ModuleBodyBlock(), verbose_name=_("body"), blank=True)

    quiz_questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: unlimited. Counted again for each refresher."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle answers"), default=False)
    questions_to_draw = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from the pool. Empty: all of them."),
    )
    review_mode = models.CharField(
        _("show the review"),
        max_length=16,
        choices=ReviewMode.choices,
        default=ReviewMode.AFTER_EACH,
    )
    reveal_correct_answers = models.BooleanField(
        _("reveal correct answers in the review"), default=True
    )
    # Derived from quiz_questions on save, so that lists of modules need not load and parse
    # every quiz just to know whether there is one.
    question_count = models.PositiveSmallIntegerField(default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    quiz_panels = [
        HelpPanel(
            content=_(
                "<p>In a translation, only the words of the questions and answers are used. "
                "Which answers are correct, the questions asked and every setting below always "
                "come from the original page: change them there.</p>"
            )
        ),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("questions_to_draw"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("review_mode"),
                FieldPanel("reveal_correct_answers"),
            ],
            heading=_("Quiz settings"),
        ),
        FieldPanel("quiz_questions"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(quiz_panels, heading=_("Quiz")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    routed_defer = ("quiz_questions",)  # the page shows the quiz's settings, not its questions

    class Meta:
        verbose_name = _("module")

    def route_state(self, request) -> dict:
        course = getattr(self, "_routed_course", None)
        if course is None:
            return super().route_state(request)
        return {**super().route_state(request), "course": course.pk}

    def route_state_restore(self, request, state: dict) -> bool:
        if "course" in state:
            course = next(iter(CoursePage.objects.live().filter(pk=state["course"])), None)
            if course is None:
                return False
            self._course_page = self._routed_course = course
        return super().route_state_restore(request, state)

    def course_page(self):
        # One query, remembered: the module page, its quiz views and its template all ask.
        if not hasattr(self, "_course_page"):
            self._course_page = CoursePage.objects.filter(
                path=self.path[: -self.steplen], depth=self.depth - 1
            ).first()
        return self._course_page

    @property
    def has_quiz(self) -> bool:
        return self.question_count > 0

    def save(self, *args, **kwargs):
        self.question_count = len(self.quiz_questions)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "quiz_questions" in update_fields:
            kwargs["update_fields"] = {*update_fields, "question_count"}
        return super().save(*args, **kwargs)

    def questions(self):
        from .quiz import questions_from_stream

        return questions_from_stream(self.quiz_questions)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.questions_to_draw and self.questions_to_draw > len(self.quiz_questions):
            raise ValidationError(
                {
                    "questions_to_draw": _("The quiz has only %(count)s questions to draw from.")
                    % {"count": len(self.quiz_questions)}
                }
            )

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            return redirect(request.path)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(user=request.user, module=self, request=request))
        return context


# --- The learner's records ---------------------------------------------------------------


class ModuleProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module_key = models.UUIDField(_("module"), db_index=True)
    course_key = models.UUIDField(_("course"), db_index=True)
    read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    passed_at = models.DateTimeField(_("quiz last passed"), null=True, blank=True)

    class Meta:
        # A team's page reads a few people's rows for its required courses.
        indexes = [models.Index(fields=["user", "course_key"], name="progress_user_course")]
        verbose_name = _("module progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "module_key"], name="one_progress_per_module")
        ]

    def __str__(self):
        return f"{self.user} · {self.module_key}"


class QuizAttempt(models.Model):
    """One go at a module's quiz: the questions drawn (in the order shown), the answers, the
    grade. An attempt is submitted once; a second submission returns the first result."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    module = models.ForeignKey(
        ModulePage, on_delete=models.SET_NULL, null=True, related_name="attempts"
    )
    module_key = models.UUIDField(db_index=True)
    course_key = models.UUIDField(db_index=True)
    question_order = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    answers = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=list, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField(null=True)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # A team's page reads a few people's rows for its required courses.
        indexes = [models.Index(fields=["user", "course_key"], name="attempt_user_course")]
        verbose_name = _("quiz attempt")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module_key"],
                condition=Q(submitted_at__isnull=True),
                name="one_open_attempt_per_module",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.module} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class AttemptGrant(models.Model):
    """Extra attempts at one module's quiz for one volunteer, given by a coordinator with a
    reason. They count in the renewal cycle in which they were given. The rows are the record
    of who gave what and why; they are not edited."""

    MAX_EXTRA = 10
    REASON_MAX_LENGTH = 300

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempt_grants",
        verbose_name=_("volunteer"),
    )
    module_key = models.UUIDField(db_index=True)
    course_key = models.UUIDField(db_index=True)
    extra = models.PositiveSmallIntegerField(
        _("extra attempts"), validators=[MinValueValidator(1), MaxValueValidator(MAX_EXTRA)]
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("given by"),
    )
    granted_at = models.DateTimeField(_("given"), default=django_timezone.now)

    class Meta:
        # A team's page reads a few people's rows for its required courses.
        indexes = [models.Index(fields=["user", "course_key"], name="grant_user_course")]
        verbose_name = _("extra attempts")
        verbose_name_plural = _("extra attempts")
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extra__gte=1) & Q(extra__lte=10), name="attempt_grant_extra_1_to_10"
            )
        ]

    def __str__(self):
        return f"{self.user} · +{self.extra} · {self.granted_at:%Y-%m-%d}"


def verification_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CourseCompletion(models.Model):
    """A course finished once. Renewals add new rows; the newest one counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course_key = models.UUIDField(db_index=True)
    course = models.ForeignKey(CoursePage, on_delete=models.SET_NULL, null=True, related_name="+")
    completed_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    verification_code = models.CharField(max_length=14, unique=True, default=verification_code)

    class Meta:
        # A team's page reads a few people's rows for its required courses.
        indexes = [models.Index(fields=["user", "course_key"], name="completion_user_course")]
        verbose_name = _("course completion")
        ordering = ["-completed_at"]

    def __str__(self):
        return f"{self.user} · {self.course} · {self.completed_at:%Y-%m-%d}"


class CourseAssignment(models.Model):
    """A course a team must complete, by a due date, renewed every ``validity_months``."""

    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, related_name="course_assignments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="assignments")
    due_date = models.DateField(_("due date"))
    validity_months = models.PositiveSmallIntegerField(
        _("renew every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Empty: use the course's own renewal period."),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("required course")
        verbose_name_plural = _("required courses")
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["team", "course"], name="one_assignment_per_course")
        ]

    def __str__(self):
        return f"{self.team} · {self.course} · {self.due_date}"

    def effective_validity_months(self) -> int | None:
        return self.validity_months or self.course.validity_months

    def is_overdue_on(self, day: date) -> bool:
        return self.due_date < day


class ReflectionNote(models.Model):
    """A volunteer's private answer to a reflection prompt. Only its author ever sees it."""

    TEXT_MAX_LENGTH = 5000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflection_notes"
    )
    module_key = models.UUIDField()
    block_id = models.CharField(max_length=64)
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflection note")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module_key", "block_id"], name="one_note_per_prompt"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.module_key}"
