"""Delete report exports whose retention has passed, with their files."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from impact.models import ReportExport


class Command(BaseCommand):
    help = "Delete expired report exports and their files (run daily, e.g. from cron)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        expired = ReportExport.objects.filter(expires_at__lte=timezone.now())
        count = 0
        for export in expired.iterator():
            count += 1
            if dry_run:
                continue
            if export.file:
                export.file.delete(save=False)
            export.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} expired export(s).")
