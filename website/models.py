"""The home page: a Wagtail page whose signed-in view lists a person's next steps."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .languages import child_in_language, original_of
from .pages import SitePageMixin


class HomePage(SitePageMixin, Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Shown to everyone, above the sign-in button or the next steps."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "website.InformationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Course and module URLs go straight to the course index (one query instead of
        Wagtail's two: the child, then its specific type). Other URLs route as usual. A page
        not yet translated into this home page's language is served from the original
        language's tree at the same address (it says so on the page)."""
        if len(path_components) >= 2:
            from courses.models import CourseIndexPage

            index = child_in_language(CourseIndexPage, parent=self, slug=path_components[0])
            if index is not None:
                return index.route(request, path_components[1:])
        try:
            return super().route(request, path_components)
        except Http404:
            original = original_of(self)
            if original.pk == self.pk:
                raise
            return original.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_next_steps

        context = super().get_context(request, *args, **kwargs)
        context["next_steps"] = home_next_steps(user=request.user, request=request)
        return context


class InformationPage(SitePageMixin, Page):
    """A plain page for the organisation's own words: privacy notice, contacts, house rules."""

    body = RichTextField(
        _("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.InformationPage"]
    subpage_types = ["website.InformationPage"]

    class Meta:
        verbose_name = _("information page")


class Dispatch(models.Model):
    """One piece of background work that must happen once (an e-mail, a reminder, an alert),
    claimed before it is done. (kind, target, occurrence) is unique, so a second tick, a second
    worker or a retried job finds the claim and skips: see ``website.services.dispatch_claim``."""

    kind = models.CharField(max_length=64)
    target = models.CharField(max_length=64)
    occurrence = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "occurrence"], name="dispatch_once_per_occurrence"
            )
        ]
        indexes = [models.Index(fields=["kind", "claimed_at"])]

    def __str__(self):
        return f"{self.kind} {self.target} {self.occurrence}".strip()
