"""Load the owners' wording of validated questionnaires from a CSV file (see the README)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wellbeing import instruments, services


class Command(BaseCommand):
    help = "Load questionnaire wording from a UTF-8 CSV file (instrument,language,item,text)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            loaded = services.wording_load(text=text)
        except instruments.WordingError as error:
            raise CommandError("Nothing was loaded:\n" + "\n".join(error.errors)) from error
        for (instrument, language), count in sorted(loaded.items()):
            self.stdout.write(f"{instrument} ({language}): {count} items loaded")
