import posixpath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from people.middleware import language_cookie_set
from people.services import user_set_language

from .languages import url_in_language


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def login_elsewhere(request):
    """What another package's login URL does here: a signed-out visitor goes to allauth's
    login (same query string, so ``next`` survives); a signed-in person who was sent to log
    in again lacks the rights for what they asked, and is told so instead of looping."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


@require_POST
def language_switch(request):
    """Switch the interface language, remember it for a signed-in user, and go back to the
    same page in the new language."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    user_set_language(user=request.user, language=language)
    response = HttpResponseRedirect(url_in_language(request, next_url, language))
    language_cookie_set(response, language)
    return response


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def development_media(request, path):
    """Uploaded files for ``make run`` (DEBUG only). Documents are never served from here,
    however the path is written: only ``/documents/…``, where Django checks who is asking."""
    if posixpath.normpath(path).lstrip("/").split("/")[0] == "documents":
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
