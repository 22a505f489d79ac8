"""Which language a page's words are in, for the notice on untranslated pages and for the
``lang`` attribute that tells screen readers how to pronounce them."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from website.languages import page_language

register = template.Library()

# "in <language>", so that each language can inflect the name as its grammar needs.
IN_LANGUAGE = {
    "en": _("in English"),
    "lv": _("in Latvian"),
    "ru": _("in Russian"),
}


@register.filter(name="page_language")
def page_language_filter(page) -> str:
    return page_language(page) if page is not None and hasattr(page, "locale_id") else ""


@register.inclusion_tag("includes/language_notice.html", takes_context=True)
def language_notice(context):
    """A short notice when the page shown is not in the reader's language yet."""
    page = context.get("page")
    if page is None or not hasattr(page, "locale_id"):
        return {}
    shown, reading = page_language(page), (get_language() or "")
    if not shown or shown == reading:
        return {}
    return {
        "in_reading": IN_LANGUAGE.get(reading, reading),
        "in_shown": IN_LANGUAGE.get(shown, shown),
        "shown": shown,
    }
