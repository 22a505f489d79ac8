"""Site-wide response rules: Content-Security-Policy per area (strict for the site, looser for
the Wagtail admin) and no caching of anything personal."""

from functools import wraps

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class SiteContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site runs no inline script. The Wagtail admin does, so its URLs get their own
    policy (``ADMIN_CONTENT_SECURITY_POLICY``), still limited to this host."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.ADMIN_URL_PREFIXES))


class PrivateResponsesMiddleware:
    """Every response to a signed-in person is ``Cache-Control: private, no-store``: on a
    shared computer, the back button after logout shows nothing, and no proxy keeps a copy.
    Public pages (for signed-out visitors) keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or getattr(request, "private_response", False):
            add_never_cache_headers(response)
        return response


def private_response(view):
    """For a view that shows personal data to a signed-out visitor (an invitation)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.private_response = True
        return view(request, *args, **kwargs)

    return wrapped


class MethodNotAllowedPageMiddleware:
    """A form's target opened as a page (a GET to a POST-only URL) answers 405 with the
    site's layout and a translated explanation, instead of Django's blank page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not is_admin_path(request.path_info)
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
