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
