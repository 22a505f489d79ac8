"""Pages in the reader's language: which language a page is written in, and the version of a
page in the reader's language where one exists (else the original, shown with a notice)."""

from django.conf import settings
from django.utils import translation

_LOCALE_CODES: dict[int, str] = {}


def locale_code(locale_id: int) -> str:
    """A locale's language code without a query each time: locales are created once (by a
    migration) and never renumbered, so they are remembered per process."""
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.clear()
        _LOCALE_CODES.update(Locale.objects.values_list("id", "language_code"))
    return _LOCALE_CODES.get(locale_id, "")


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def page_language(page) -> str:
    """The language a page's words are in. An alias (Wagtail's placeholder for a page not yet
    translated) is in the language of the page it copies."""
    if getattr(page, "alias_of_id", None):
        original_locale = getattr(page, "_original_locale_id", None)
        if original_locale is None:
            from wagtail.models import Page

            original_locale = (
                Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first()
            )
            page._original_locale_id = original_locale
        return locale_code(original_locale) if original_locale else locale_code(page.locale_id)
    return locale_code(page.locale_id)


def localize_pages(pages: list, only=()) -> list:
    """One page per translation group: the active language's version if it exists and is
    live, else the page given. Two queries whatever the number of pages, none when all are
    already in the active language."""
    if not pages:
        return []
    active = active_language()
    if all(locale_code(page.locale_id) == active for page in pages):
        return pages
    keys = {page.translation_key for page in pages}
    model = type(pages[0])
    queryset = model.objects.live().only(*only) if only else model.objects.live()
    translations = {
        page.translation_key: page
        for page in queryset.filter(translation_key__in=keys, locale__language_code=active)
    }
    seen, result = set(), []
    for page in pages:
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        result.append(translations.get(page.translation_key, page))
    return result


def localize_page(page):
    return localize_pages([page])[0] if page is not None else None


def original_of(page):
    """The page's version in the default language (the original), or the page itself."""
    if locale_code(page.locale_id) == settings.LANGUAGE_CODE:
        return page
    original = (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .first()
    )
    return original or page


def child_in_language(model, *, parent, slug: str, defer=()):
    """The live child of ``parent`` at ``slug``, in ``parent``'s language. If there is none,
    the child of ``parent``'s original at that slug, or that child's version in ``parent``'s
    language if it has one under another slug."""
    children = model.objects.live().defer(*defer)
    child = children.filter(url_path=f"{parent.url_path}{slug}/", depth=parent.depth + 1).first()
    if child is not None or locale_code(parent.locale_id) == settings.LANGUAGE_CODE:
        return child
    original_parent = original_of(parent)
    if original_parent.pk == parent.pk:
        return None
    child = children.filter(
        url_path=f"{original_parent.url_path}{slug}/", depth=original_parent.depth + 1
    ).first()
    if child is None:
        return None
    translated = children.filter(
        translation_key=child.translation_key, locale_id=parent.locale_id
    ).first()
    return translated or child


def wagtail_page_at(request, path: str):
    """The Wagtail page served at ``path`` (a URL path with its language prefix), if any."""
    from django.http import Http404
    from django.urls import Resolver404, resolve
    from django.utils.translation import get_language_from_path
    from wagtail.models import Site

    language = get_language_from_path(path)
    if not language:
        return None
    with translation.override(language):  # i18n URL patterns match the active language only
        try:
            match = resolve(path)
        except Resolver404:
            return None
        site = Site.find_for_request(request)
        if match.url_name != "wagtail_serve" or site is None:
            return None
        components = [part for part in (match.args[0] if match.args else "").split("/") if part]
        root = site.root_page.localized.specific
        try:
            return root.route(request, components).page
        except Http404:
            return None


def url_in_language(request, path: str, language: str) -> str:
    """Where the language switch goes: the same page in ``language``. For a Wagtail page
    that is its translation's address (slugs may differ between languages), or, while it
    has none, its original's address under the new language's prefix (served there in the
    original language). Any other URL keeps its path under the new prefix."""
    from urllib.parse import urlsplit

    from django.urls import translate_url
    from wagtail.models import Locale

    parts = urlsplit(path)
    query = f"?{parts.query}" if parts.query else ""
    if parts.path in ("", "/"):
        return f"/{language}/{query}"
    page = wagtail_page_at(request, parts.path)
    if page is not None:
        locale = Locale.objects.filter(language_code=language).first()
        translated = page.get_translation_or_none(locale) if locale else None
        if translated is not None and translated.live:
            return translated.get_url(request) + query
        original = original_of(page)
        return translate_url(original.get_url(request), language) + query
    return translate_url(path, language)
