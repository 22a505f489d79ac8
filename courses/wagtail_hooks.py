"""Wagtail hooks for courses: course documents (videos) are private."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks

from .selectors import document_is_visible_to


@hooks.register("before_serve_document")
def documents_only_for_people_who_may_see_them(document, request):
    """Documents are served by Django (``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), never by
    the web server: a visitor must be signed in, and a document used in a team-only course is
    served only to those teams (and to editors). Others get a 404, as if it did not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_is_visible_to(document=document, user=request.user):
        raise Http404
    return None
