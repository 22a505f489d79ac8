"""Content-Security-Policy per area: strict for the site, looser for the Wagtail admin."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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
