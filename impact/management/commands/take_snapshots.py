from django.core.management.base import BaseCommand

from impact.services import take_snapshots


class Command(BaseCommand):
    help = "Record each worksheet as it was at the end of every session that has ended."

    def handle(self, *args, **options) -> None:
        taken = take_snapshots()
        self.stdout.write(f"{taken} snapshot(s) taken.")
