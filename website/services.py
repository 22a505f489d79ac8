"""Site-wide writes that belong to no single app."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import Dispatch


def task_results_prune(*, now) -> int:
    """Delete finished background-job results older than ``TASK_RESULTS_KEEP_DAYS``."""
    cutoff = now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


def dispatch_claim(*, kind: str, target, occurrence: str = "") -> Dispatch | None:
    """Claim a once-only piece of work before doing it. Returns the claim, or ``None`` when
    someone (another tick, worker or retry) has claimed it already: then do nothing."""
    try:
        with transaction.atomic():
            return Dispatch.objects.create(
                kind=kind, target=str(target), occurrence=str(occurrence)
            )
    except IntegrityError:
        return None


def dispatch_done(dispatch: Dispatch, *, error: str = "") -> None:
    dispatch.done_at = timezone.now()
    dispatch.error = error[:300]
    dispatch.save(update_fields=["done_at", "error"])


def dispatched_targets(*, kind: str, targets) -> set[str]:
    """Which of ``targets`` have been claimed already for ``kind``."""
    return set(
        Dispatch.objects.filter(kind=kind, target__in=[str(t) for t in targets]).values_list(
            "target", flat=True
        )
    )
