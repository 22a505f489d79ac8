"""Walk the whole URL configuration, so that a rule tested here holds for every URL, including
the ones added after the test was written."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

# The project's own apps: their URLs must each be listed below with a valid sample value,
# and they answer the generic access and hostile-input tests.
PROJECT_APPS = ("website", "people", "courses", "supervision", "wellbeing")

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_SPECIAL = re.compile(r"[.*+?()\[\]{}|\\]")


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "{lang}/teams/<slug:slug>/"
    name: str
    callback_module: str
    parameters: tuple[tuple[str, str], ...]  # (name, converter)
    buildable: bool  # a URL can be written from sample values

    def __str__(self) -> str:
        return self.name or self.template

    @property
    def is_project(self) -> bool:
        return self.callback_module.split(".")[0] in PROJECT_APPS

    def url(self, values: dict[str, str] | None = None, language: str = "en") -> str:
        """The URL with each parameter replaced by ``values[name]``, taken as already
        URL-encoded (so ``%00`` stays a NUL byte for the server to decode)."""
        values = values or {}

        def replace(match):
            return values[match.group("name")]

        return "/" + ROUTE_PARAMETER.sub(replace, self.template.replace("{lang}", language))


def _pattern_text(pattern) -> tuple[str, bool]:
    if isinstance(pattern, LocalePrefixPattern):
        return "{lang}/", True
    if isinstance(pattern, RoutePattern):
        return str(pattern), True
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$")
        return text, not REGEX_SPECIAL.search(text)
    return str(pattern), False


def _walk(patterns, prefix: str, buildable: bool, namespace: str):
    for entry in patterns:
        text, entry_buildable = _pattern_text(entry.pattern)
        if isinstance(entry, URLResolver):
            inner_namespace = entry.namespace or namespace
            yield from _walk(
                entry.url_patterns, prefix + text, buildable and entry_buildable, inner_namespace
            )
        else:
            template = prefix + text
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            callback = getattr(entry.callback, "view_class", entry.callback)
            yield Route(
                template=template,
                name=name,
                callback_module=callback.__module__,
                parameters=tuple(
                    (m.group("name"), m.group("converter") or "str")
                    for m in ROUTE_PARAMETER.finditer(template)
                ),
                buildable=buildable and entry_buildable,
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", True, ""))


# Wagtail's page view, served through website.routing: pages are walked by page type instead.
PAGE_VIEW = "wagtail_serve"


def project_routes() -> list[Route]:
    return [route for route in all_routes() if route.is_project and route.name != PAGE_VIEW]


def parameterless_routes() -> list[Route]:
    return [route for route in all_routes() if route.buildable and not route.parameters]
