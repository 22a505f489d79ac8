"""The funder report page of a team, for its coordinators and site admins: a period of
months, the figures month by month, two charts, and the same table as CSV or XLSX."""

import re
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from people.permissions import TeamAction, team_get_for_action

from . import charts
from .report_exports import (
    DEFINITIONS,
    LEAVERS_NOTE,
    month_label,
    report_csv,
    report_table,
    report_xlsx,
    report_zone_name,
)
from .reports import MAX_MONTHS, default_period, month_add, report_zone, team_report

MONTH = re.compile(r"\A(\d{4})-(\d{2})\Z")


class MonthField(forms.Field):
    """A calendar month written ``YYYY-MM`` (what ``<input type="month">`` sends), as the
    first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    default_error_messages = {"invalid": _("Enter a month as year and month, like 2026-03.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = MONTH.match(str(value).strip())
        if not found:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(found[1]), int(found[2])
        if not (2000 <= year <= 2999 and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return date(year, month, 1)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class ReportForm(forms.Form):
    FORMATS = [("", _("Page")), ("csv", "CSV"), ("xlsx", "XLSX")]

    start = MonthField(label=_("From (month)"))
    end = MonthField(label=_("To (month)"))
    format = forms.ChoiceField(choices=FORMATS, required=False)

    def __init__(self, data, *, now=None):
        start, end = default_period(now=now)
        self.current_month = end
        filled = {
            "start": start.strftime("%Y-%m"),
            "end": end.strftime("%Y-%m"),
            **{key: data.get(key, "") for key in ("start", "end", "format") if data.get(key)},
        }
        super().__init__(filled)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last month cannot be before the first."))
            elif end > self.current_month:
                self.add_error("end", _("The report can end this month at the latest."))
            elif month_add(start, MAX_MONTHS) <= end:
                self.add_error(
                    "end",
                    _("A report covers at most %(count)d months: choose a shorter period.")
                    % {"count": MAX_MONTHS},
                )
        return cleaned


def team_for_report(*, slug: str, user):
    """The team if ``user`` may read its report (its coordinators, site admins); any other
    person gets a 404, as if there were no such team, like the team's other private pages."""
    try:
        return team_get_for_action(slug=slug, user=user, action=TeamAction.VIEW_REPORTS)
    except PermissionDenied:
        raise Http404 from None


def report_charts(report) -> list[dict]:
    labels = [month_label(m.month) for m in report.months]
    short = [formats.date_format(m.month, "M Y") for m in report.months]

    def series(name: str) -> list[tuple[str, int]]:
        return [(label, getattr(m, name)) for label, m in zip(labels, report.months, strict=True)]

    return [
        {
            "key": "attendances",
            "title": _("Attendances per month"),
            "chart": charts.bar_chart(series("attendances"), axis_labels=short),
        },
        {
            "key": "active",
            "title": _("Active volunteers per month"),
            "chart": charts.line_chart(series("active_volunteers"), axis_labels=short),
        },
    ]


@login_required
@require_GET
def team_report_view(request, slug):
    team = team_for_report(slug=slug, user=request.user)
    form = ReportForm(request.GET)
    if not form.is_valid():
        context = {"team": team, "form": form, "report": None, "max_months": MAX_MONTHS}
        return render(request, "website/team_report.html", context, status=400)
    report = team_report(team=team, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    if form.cleaned_data["format"] == "csv":
        return report_csv(report)
    if form.cleaned_data["format"] == "xlsx":
        return report_xlsx(report)
    context = {
        "team": team,
        "form": form,
        "max_months": MAX_MONTHS,
        "report": report,
        "table": report_table(report),
        "charts": report_charts(report),
        "definitions": DEFINITIONS,
        "leavers_note": LEAVERS_NOTE % {"zone": report_zone_name()},
        "generated": timezone.localtime(timezone.now(), report_zone()),
        "period": (month_label(report.start), month_label(report.end)),
    }
    return render(request, "website/team_report.html", context)
