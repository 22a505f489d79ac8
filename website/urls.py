from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from supervision import views as supervision_views

from . import dashboard_views, routing, views

# One door in: every login form that Django, Wagtail or its admin would offer leads to
# allauth's, which is rate-limited and asks for the second factor.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Atbalsts"


def login_via_allauth(route: str, name: str):
    """Take over a login URL that another package defines (see views.login_elsewhere)."""
    return path(route, views.login_elsewhere, name=name)


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/switch/", views.language_switch, name="language_switch"),
    login_via_allauth("admin/login/", "wagtailadmin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # A person's calendar subscription: outside the language prefix (calendar apps keep the
    # address for years); the secret token is the only key.
    path("calendar/<token:token>.ics", supervision_views.calendar_feed, name="calendar_feed"),
]

urlpatterns += i18n_patterns(
    # allauth's list of sessions shows network addresses and ends only all of them at once;
    # people's own page shows devices and ends one or all.
    path(
        "accounts/sessions/",
        RedirectView.as_view(pattern_name="people:devices"),
        name="usersessions_list",
    ),
    path("accounts/", include("allauth.urls")),
    # Wagtail's own login form for private pages (Django's LoginView, no second factor).
    login_via_allauth("_util/login/", "wagtailcore_login"),
    path("teams/<slug:slug>/dashboard/", dashboard_views.dashboard, name="team_dashboard"),
    path("", include("people.urls")),
    path("", include("courses.urls")),
    path("", include("supervision.urls")),
    path("", include("wellbeing.urls")),
    path("", include("website.report_urls")),
    # Wagtail's page URLs, its page view reached through website.routing.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=True,
)


if settings.DEBUG:
    # ``make run`` serves uploads itself (in production the proxy does), except documents.
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", views.development_media)]

handler403 = "website.views.error_403"
handler404 = "website.views.error_404"
handler500 = "website.views.error_500"
