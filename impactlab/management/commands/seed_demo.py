from django.core.management.base import BaseCommand

from impactlab import demo


class Command(BaseCommand):
    help = "Load the demo: Se.lab, its programmes and the rounds of Training Social Impact meting."

    def handle(self, *args, **options) -> None:
        created = demo.seed()
        total = sum(created.values())
        summary = ", ".join(f"{count} {name}" for name, count in created.items() if count)
        self.stdout.write(
            self.style.SUCCESS(f"Demo created: {summary}.") if total else "Demo already loaded."
        )
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        for email, who in demo.DEMO_LOGINS:
            self.stdout.write(f"  {email:<26} {who}")
