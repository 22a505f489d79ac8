"""The lv and ru catalogues are complete and their committed .mo files match the .po files,
so a machine without GNU gettext still shows every string translated."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["lv", "ru"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_not_stale(language):
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    catalogue = polib.pofile(str(folder / "django.po"))
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            for index, expected in entry.msgstr_plural.items():
                key = (entry.msgid, int(index))
                if entry.msgctxt:
                    key = (f"{entry.msgctxt}\x04{entry.msgid}", int(index))
                if compiled._catalog.get(key) != expected:
                    stale.append(entry.msgid)
        else:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if compiled._catalog.get(key) != entry.msgstr:
                stale.append(entry.msgid)
    assert stale == [], f"{language}: .mo is stale for {stale[:10]} (run make messages)"


@pytest.mark.parametrize(
    ("language", "msgid", "ours", "theirs"),
    [
        ("lv", "Current Password", "Pašreizējā parole", "Šobrīdējā parole"),
        ("ru", "Add Email", None, "Добавить E-mail"),
        ("en", "Remember Me", "Remember me", "Remember Me"),
        ("en", "Sign Up", "Sign up", "Sign Up"),
        ("en", "Sign In", "Log in", "Sign In"),
    ],
)
def test_our_wording_replaces_weak_third_party_strings(language, msgid, ours, theirs):
    from django.utils import translation

    with translation.override(language):
        shown = translation.gettext(msgid)
    assert shown != theirs
    if ours:
        assert shown == ours


def test_every_override_is_kept_in_our_catalogues():
    """Each allauth string we word better stays in our catalogues (``make messages`` keeps
    it because website/translation_overrides.py names it) with our own text."""
    from website import translation_overrides

    ids = {str(m) for m in translation_overrides.SINGULAR}
    assert len(translation_overrides.PLURAL) == 2
    for language in ("lv", "ru"):
        catalogue = {
            e.msgid: e
            for e in polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
        }
        missing = [m for m in ids if m not in catalogue or not catalogue[m].translated()]
        assert missing == [], f"{language}: {missing[:5]}"
    english = {
        e.msgid
        for e in polib.pofile(str(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"))
        if e.msgstr
    }
    assert {"Remember Me", "Sign Up", "Current Password"} <= english


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_register_and_our_words(language):
    """Latvian speaks to the reader with "jūs", never "tu"; Russian never writes E-mail."""
    import re

    catalogue = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    texts = [e.msgstr for e in catalogue] + [
        form for e in catalogue for form in e.msgstr_plural.values()
    ]
    if language == "lv":
        informal = re.compile(r"\b(tu|tev|tevi|tavs|tava|tavu|tavā|tavas|tavi)\b", re.IGNORECASE)
        assert [t for t in texts if informal.search(t)] == []
    if language == "ru":
        words = [re.sub(r"%\(\w+\)s", "", t) for t in texts]  # not the placeholders
        assert [t for t in words if re.search(r"e-?mail", t, re.IGNORECASE)] == []
