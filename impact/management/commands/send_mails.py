from django.core.management.base import BaseCommand

from impact.notices import schedule_mail_task, send_due_mails, send_due_mails_task


class Command(BaseCommand):
    help = (
        "Send the mails that are due: reminders two days before a session, the hourly mail of "
        "what waits for people, and the weekly reminder of steps waiting for review. Each goes "
        "out once per person and occasion, however often this runs. Run it from cron (e.g. "
        "every 10 minutes), or let the background worker repeat it (--schedule)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="Hand one run to the background worker (manage.py db_worker) and return.",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Let the worker run it every IMPACTLAB_MAIL_INTERVAL_MINUTES (idempotent).",
        )

    def handle(self, *args, **options) -> None:
        if options["schedule"]:
            started = schedule_mail_task()
            self.stdout.write("Mail scheduled." if started else "Mail was scheduled already.")
            return
        if options["in_background"]:
            result = send_due_mails_task.enqueue()
            self.stdout.write(f"Mail queued as task {result.id}.")
            return
        for kind, count in send_due_mails().items():
            self.stdout.write(f"{kind}: {count}")
