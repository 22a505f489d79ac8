"""Downloads for spreadsheets: CSV that cannot run a formula when opened."""

import csv
from io import StringIO

from django.http import HttpResponse

# A cell starting with one of these is read as a formula by spreadsheet programs
# ("=HYPERLINK(…)", "+1+cmd|…"); a leading apostrophe makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(*, filename: str, header: list, rows: list[list]) -> HttpResponse:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte-order mark so that spreadsheet programs read ā, ē, ж as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
