"""The home page: a Wagtail page whose signed-in view lists a person's next steps."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
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
        Wagtail's two: the child, then its specific type). Other URLs route as usual."""
        if len(path_components) >= 2:
            from courses.models import CourseIndexPage

            index = (
                CourseIndexPage.objects.live()
                .filter(url_path=f"{self.url_path}{path_components[0]}/", depth=self.depth + 1)
                .first()
            )
            if index is not None:
                return index.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_next_steps

        context = super().get_context(request, *args, **kwargs)
        context["next_steps"] = home_next_steps(user=request.user)
        return context


class InformationPage(Page):
    """A plain page for the organisation's own words: privacy notice, contacts, house rules."""

    body = RichTextField(
        _("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr"]
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["website.HomePage", "website.InformationPage"]
    subpage_types = ["website.InformationPage"]

    class Meta:
        verbose_name = _("information page")
