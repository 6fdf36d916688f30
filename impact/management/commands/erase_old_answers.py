from django.conf import settings
from django.core.management.base import BaseCommand

from impact.questionnaire.services import erase_old_answers, old_responses
from impact.questionnaire.tasks import erase_old_answers_task, schedule_erasure_task


class Command(BaseCommand):
    help = (
        "Erase questionnaire responses started more than IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS "
        "ago, with their answers; the counts per question and moment stay, so summaries, "
        "charts and results remain. Run it daily from cron, or let the background worker "
        "repeat it (--schedule)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be erased."
        )
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Hand one run to the background worker (manage.py db_worker) and return.",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Let the worker run it once a day (idempotent).",
        )

    def handle(self, *args, **options) -> None:
        days = settings.IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS
        if options["schedule"]:
            started = schedule_erasure_task()
            self.stdout.write("Erasure scheduled." if started else "Erasure was scheduled already.")
            return
        if options["in_background"]:
            result = erase_old_answers_task.enqueue()
            self.stdout.write(f"Erasure queued as task {result.id}.")
            return
        if days <= 0:
            self.stdout.write("IMPACTLAB_QUESTIONNAIRE_RETENTION_DAYS is 0: answers are kept.")
            return
        if options["dry_run"]:
            count = old_responses().count()
            self.stdout.write(f"Would erase {count} response(s) older than {days} days.")
            return
        erased = erase_old_answers()
        self.stdout.write(
            f"Erased {erased.responses} response(s) with {erased.answers} answer(s) "
            f"older than {days} days."
        )
