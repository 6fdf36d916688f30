from django.core.management.base import BaseCommand

from impact.reports.tasks import take_snapshots_task
from impact.worksheet.services import take_snapshots


class Command(BaseCommand):
    help = (
        "Record each worksheet as it was at the end of every session that has ended. Run it "
        "from cron (e.g. every night, or every hour on training days); pages never store "
        "snapshots themselves."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Hand the work to the background worker (manage.py db_worker) and return.",
        )

    def handle(self, *args, **options) -> None:
        if options["in_background"]:
            result = take_snapshots_task.enqueue()
            self.stdout.write(f"Snapshots queued as task {result.id}.")
            return
        taken = take_snapshots()
        self.stdout.write(f"{taken} snapshot(s) taken.")
