"""Wellbeing writes: check in, delete, choose what to share, reminders, the access record,
wording loads and retention. Each checks who is acting; views only call these."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Membership, Role

from . import instruments
from .models import AccessRecord, CheckIn, InstrumentWording, Reminder, SharingChoice


class WellbeingError(ValidationError):
    pass


def instrument_reverse(instrument: instruments.Instrument) -> tuple[int, ...] | None:
    """The reverse-scored items as the loaded wording states them (the CBI's differs between
    published versions), or None to use the declaration."""
    if not instrument.reverse_candidates:
        return None
    stated = set(
        InstrumentWording.objects.filter(instrument=instrument.key, reverse=True).values_list(
            "item", flat=True
        )
    )
    return tuple(sorted(stated)) or None


def instrument_ready(instrument: instruments.Instrument) -> bool:
    """A validated questionnaire can be answered once its owners' wording is loaded."""
    if instrument.wording_shipped:
        return True
    return (
        InstrumentWording.objects.filter(instrument=instrument.key, language="en").count()
        == instrument.item_count
        or InstrumentWording.objects.filter(instrument=instrument.key)
        .values("language")
        .annotate(n=models.Count("pk"))
        .filter(n=instrument.item_count)
        .exists()
    )


@transaction.atomic
def checkin_create(
    *, user, instrument_key: str, answers: dict[int, int], note: str = "", now=None
) -> CheckIn:
    """Score and keep one check-in. Every subscale must have enough answers to be scored."""
    try:
        instrument = instruments.get(instrument_key)
    except KeyError as error:
        raise WellbeingError(_("This questionnaire does not exist.")) from error
    if not instrument_ready(instrument):
        raise WellbeingError(_("The wording of this questionnaire has not been loaded yet."))
    try:
        result = instruments.score(instrument, answers, reverse=instrument_reverse(instrument))
    except instruments.ScoringError as error:
        raise WellbeingError(_("Some answers are not valid. Please answer again.")) from error
    if any(sub.value is None for sub in result.subscales.values()):
        raise WellbeingError(_("Please answer every question."))
    note = (note or "").strip()
    if len(note) > CheckIn.NOTE_MAX_LENGTH:
        raise WellbeingError(_("The note is too long."))
    return CheckIn.objects.create(
        user=user,
        instrument=instrument.key,
        created_at=now or timezone.now(),
        answers={str(item): value for item, value in sorted(answers.items())},
        scores=result.as_dict(),
        concern=result.concern,
        professional_help=result.professional_help,
        note=note,
    )


def checkin_delete(*, check_in: CheckIn, by) -> None:
    if check_in.user_id != by.pk:
        raise PermissionDenied
    check_in.delete()


def checkins_delete_all(*, user) -> int:
    deleted, _per_model = CheckIn.objects.filter(user=user).delete()
    return deleted


def sharing_update(
    *,
    user,
    team,
    flag_to_supervisors: bool,
    scores_to_coordinators: bool,
    left_out_of_totals: bool = False,
) -> SharingChoice:
    """What ``user`` shares with ``team``: takes effect at once, for past data too."""
    if not Membership.objects.filter(user=user, team=team).exists():
        raise PermissionDenied
    choice, _created = SharingChoice.objects.update_or_create(
        user=user,
        team=team,
        defaults={
            "flag_to_supervisors": flag_to_supervisors,
            "scores_to_coordinators": scores_to_coordinators,
            "left_out_of_totals": left_out_of_totals,
        },
    )
    return choice


def reminder_set(*, user, instrument_key: str, every_days: int | None, now=None) -> None:
    """Ask for a reminder every ``every_days`` (or none)."""
    if instrument_key not in instruments.INSTRUMENTS:
        raise WellbeingError(_("This questionnaire does not exist."))
    if every_days is None:
        Reminder.objects.filter(user=user, instrument=instrument_key).delete()
        return
    if every_days not in Reminder.Every.values:
        raise WellbeingError(_("Choose how often."))
    Reminder.objects.update_or_create(
        user=user,
        instrument=instrument_key,
        defaults={"every_days": every_days, "created_at": now or timezone.now()},
    )


def access_record(*, viewer, subject, team, what: str, now=None) -> AccessRecord:
    """Write down that ``viewer`` saw ``what`` of ``subject``'s wellbeing data."""
    now = now or timezone.now()
    return AccessRecord.objects.create(
        viewer=viewer,
        subject=subject,
        viewer_name=viewer.display_name,
        team_name=team.name if team is not None else "",
        what=what,
        at=now,
        keep_until=now + relativedelta(months=settings.WELLBEING_ACCESS_LOG_KEEP_MONTHS),
    )


def talk_request(*, user, team):
    """ "I'd like to talk to someone": an urgent debrief request in supervision, with no note
    and nothing of the check-in (supervisors are not entitled to it)."""
    from supervision.models import Urgency
    from supervision.services import debrief_request_create

    if not Membership.objects.filter(
        user=user, team=team, role__in=[Role.VOLUNTEER, Role.COORDINATOR]
    ).exists():
        raise PermissionDenied
    return debrief_request_create(team=team, requester=user, urgency=Urgency.TODAY, note="")


@transaction.atomic
def wording_load(*, text: str) -> dict[tuple[str, str], int]:
    """Load a wording file (see ``instruments.wording_parse``): each (questionnaire, language)
    in the file replaces what was loaded for it. Raises ``instruments.WordingError``."""
    rows = instruments.wording_parse(text)
    loaded: dict[tuple[str, str], int] = {}
    now = timezone.now()
    for row in rows:
        loaded[(row.instrument, row.language)] = loaded.get((row.instrument, row.language), 0) + 1
    for instrument_key, language in loaded:
        InstrumentWording.objects.filter(instrument=instrument_key, language=language).delete()
    InstrumentWording.objects.bulk_create(
        [
            InstrumentWording(
                instrument=row.instrument,
                language=row.language,
                item=row.item,
                text=row.text,
                reverse=row.reverse,
                scale=row.scale or "",
                loaded_at=now,
            )
            for row in rows
        ]
    )
    return loaded


def retention_prune(*, now=None) -> tuple[int, int]:
    """Delete check-ins older than ``WELLBEING_KEEP_MONTHS`` and access records whose keeping
    time has passed. Returns (check-ins, access records) deleted."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=settings.WELLBEING_KEEP_MONTHS)
    check_ins, _per_model = CheckIn.objects.filter(created_at__lt=cutoff).delete()
    records = AccessRecord.objects.expired_prune(now=now)
    return check_ins, records
