"""What every page type of the site shares."""

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from wagtail.models import Page, PageViewRestriction


class SitePageMixin:
    """Put before ``Page`` in a page type's bases."""

    # Fields a routed page does not need (website/routing.py reads pages without them).
    routed_defer: tuple = ()

    def route_state(self, request) -> dict:
        """What routing found besides this page, for ``website.routing`` to remember."""
        index_url = getattr(request, "course_index_url", None)
        index = getattr(request, "course_index", None)
        if index_url is None and index is not None:
            index_url = index.get_url(request)
        return {"course_index_url": index_url} if index_url else {}

    def route_state_restore(self, request, state: dict) -> bool:
        """Put back what ``route_state`` kept; False if it no longer holds."""
        if state.get("course_index_url"):
            request.course_index_url = state["course_index_url"]
        return True

    def get_view_restrictions(self):
        """Wagtail's rule in one query instead of two: the restrictions on this page and its
        ancestors, an alias answering with those of the page it copies."""
        ancestor_paths = [
            self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)
        ]
        pages = Page.objects.filter(Q(path__in=ancestor_paths) | Q(pk=self.pk)).annotate(
            source=Coalesce(F("alias_of_id"), F("id"))
        )
        return PageViewRestriction.objects.filter(page_id__in=pages.values("source"))
