"""Wellbeing's part of a person's own data (``people.own_data``): their check-ins with answers,
scores and their own (decrypted) notes, what they share with each team, their reminders, and
every record of someone else looking at their data; and, when the account is deleted, the
erasure of all of it but the access records, which the database keeps append-only until their
keeping time (they name the viewer and the team, and the person only by an id)."""

from .models import AccessRecord, CheckIn, Reminder, SharingChoice
from .selectors import export_rows


def wellbeing_data_export(user) -> dict:
    """In four queries whatever the amount."""
    return {
        "check_ins": export_rows(user=user),
        "sharing_choices": [
            {
                "team": choice.team.name,
                "supervisors_may_see_a_concerning_range": choice.flag_to_supervisors,
                "coordinators_may_see_scores": choice.scores_to_coordinators,
                "left_out_of_team_totals": choice.left_out_of_totals,
                "changed": choice.updated_at,
            }
            for choice in SharingChoice.objects.filter(user=user)
            .select_related("team")
            .order_by("team__name")
        ],
        "reminders": [
            {
                "questionnaire": row["instrument"],
                "every_days": row["every_days"],
                "since": row["created_at"],
            }
            for row in Reminder.objects.filter(user=user)
            .order_by("instrument")
            .values("instrument", "every_days", "created_at")
        ],
        "who_saw_your_check_ins": [
            {
                "who": row["viewer_name"],
                "team": row["team_name"],
                "what": row["what"],
                "when": row["at"],
            }
            for row in AccessRecord.objects.filter(subject=user)
            .order_by("at", "pk")
            .values("viewer_name", "team_name", "what", "at")
        ],
    }


def wellbeing_data_erase(user) -> None:
    CheckIn.objects.filter(user=user).delete()
    SharingChoice.objects.filter(user=user).delete()
    Reminder.objects.filter(user=user).delete()
