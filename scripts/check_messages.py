"""CI: every translatable string in the code is in the lv, ru and en catalogues.

Runs makemessages into a scratch copy of locale/ and compares the sets of message ids with
the committed catalogues, so line wrapping and reference comments do not matter. The
committed files are left untouched. Completeness and stale .mo files are checked by
tests/website/test_translations.py."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["lv", "ru", "en"]  # en holds only the English wording we prefer


def message_ids(path: Path) -> set[tuple]:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


def main() -> int:
    locale = ROOT / "locale"
    with tempfile.TemporaryDirectory() as scratch:
        backup = Path(scratch) / "locale"
        shutil.copytree(locale, backup)
        try:
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "--no-obsolete",
                    "--ignore",
                    ".venv/*",
                    "--ignore",
                    "staticfiles/*",
                    "--ignore",
                    "tests/*",
                    *[arg for lang in LANGUAGES for arg in ("--locale", lang)],
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT,
                check=True,
            )
            failures = []
            for lang in LANGUAGES:
                relative = Path(lang) / "LC_MESSAGES" / "django.po"
                fresh = message_ids(locale / relative)
                committed = message_ids(backup / relative)
                missing = fresh - committed
                unused = committed - fresh
                if missing:
                    failures.append(
                        f"{lang}: {len(missing)} strings missing, "
                        f"e.g. {sorted(missing, key=repr)[:3]}"
                    )
                if unused:
                    failures.append(
                        f"{lang}: {len(unused)} strings no longer used, "
                        f"e.g. {sorted(unused, key=repr)[:3]}"
                    )
        finally:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
    if failures:
        print("\n".join(failures))
        print("Run 'make messages', translate the new strings, and commit the .po and .mo files.")
        return 1
    print("Translation catalogues cover every string in the code.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
