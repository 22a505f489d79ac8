"""Serving Wagtail pages without finding their address anew on every request.

Wagtail finds a page by walking its address from the site's home page: the site, the active
locale, the home page in that language, then the page at each level. Each process remembers,
for ``LOCAL_CACHE_SECONDS``, which page an address led to, as ids only. The page itself (and
its course, for a module) is read from the database on every request, live pages only, so
what a reader sees is never stale: an unpublished or deleted page is a 404 at once; a moved
or renamed one still answers at its old address for those seconds at most. Any change to a
page or a site made in this process forgets every remembered address at once."""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Site
from wagtail.url_routing import RouteResult

SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")

_routes: dict = {}  # (host, port, language, path) -> (expires at, RememberedRoute)
ROUTES_KEPT = 2000


@dataclass(frozen=True)
class RememberedRoute:
    site: dict  # the Site's fields, to set it on the request without a query
    model: type
    page_id: int
    state: dict = field(default_factory=dict)  # what the page asks to keep (its course)


def routes_forget(**kwargs) -> None:
    _routes.clear()


def route_key(request, path: str) -> tuple:
    return (request._get_raw_host(), request.get_port(), get_language(), path)


def route_recall(request, key) -> bool:
    """Put a remembered route on the request as Wagtail would have found it. False when
    there is none, or the page it names is gone or not live any more."""
    remembered = _routes.get(key)
    if remembered is None or remembered[0] < time.monotonic():
        return False
    route = remembered[1]
    page = next(
        iter(
            route.model.objects.live()
            .defer(*getattr(route.model, "routed_defer", ()))
            .filter(pk=route.page_id)
        ),
        None,
    )
    if page is None or not page.route_state_restore(request, route.state):
        _routes.pop(key, None)
        return False
    request._wagtail_site = Site(**route.site)
    request._wagtail_route_for_request = RouteResult(page)
    return True


def route_remember(request, key) -> None:
    result = getattr(request, "_wagtail_route_for_request", None)
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None or result.args or result.kwargs:
        return
    page = result.page
    state = page.route_state(request) if hasattr(page, "route_state") else None
    if state is None:
        return  # a page type that does not take part
    if len(_routes) > ROUTES_KEPT:
        _routes.clear()
    seconds = getattr(settings, "LOCAL_CACHE_SECONDS", 30)
    _routes[key] = (
        time.monotonic() + seconds,
        RememberedRoute(
            site={name: getattr(site, name) for name in SITE_FIELDS},
            model=type(page),
            page_id=page.pk,
            state=state,
        ),
    )


def serve(request, path):
    """Wagtail's page view, with the address found from memory when it can be."""
    key = route_key(request, path)
    recalled = route_recall(request, key)
    response = wagtail_views.serve(request, path)
    if not recalled and response.status_code == 200:
        route_remember(request, key)
    return response
