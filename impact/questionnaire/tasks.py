"""The worker's daily task that erases questionnaire answers past their retention."""

from __future__ import annotations

import datetime as dt

from django.tasks import task, task_backends
from django.utils import timezone

ERASURE_INTERVAL = dt.timedelta(days=1)


@task()
def erase_old_answers_task(repeat: bool = False) -> dict[str, int]:
    """Erase the answers whose retention has passed (``services.erase_old_answers``), then
    (``repeat``) queue the next run a day from now. Returns how many were erased."""
    from impact.questionnaire.services import erase_old_answers

    erased = erase_old_answers()
    if repeat:
        schedule_erasure_task()
    return {"responses": erased.responses, "answers": erased.answers}


def schedule_erasure_task() -> bool:
    """Queue the next daily run, unless one is waiting already or the task backend cannot
    run tasks later (the immediate backend of the tests); returns whether it did."""
    backend = task_backends["default"]
    if not backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=erase_old_answers_task.module_path
    )
    if waiting.exists():
        return False
    erase_old_answers_task.using(run_after=timezone.now() + ERASURE_INTERVAL).enqueue(repeat=True)
    return True
