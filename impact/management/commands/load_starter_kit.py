from django.core.management.base import BaseCommand

from impact.library import starter_kit
from impact.value import proxies


class Command(BaseCommand):
    help = (
        "Add the starter-kit suggestions and financial proxies that are missing; keeps edits "
        "made in the app."
    )

    def handle(self, *args, **options) -> None:
        added = starter_kit.load()
        if added:
            self.stdout.write(self.style.SUCCESS(f"Starter kit: {added} suggestions added."))
        else:
            self.stdout.write("Starter kit already loaded.")
        added_proxies = proxies.load()
        if added_proxies:
            self.stdout.write(
                self.style.SUCCESS(f"Starter kit: {added_proxies} financial proxies added.")
            )
        else:
            self.stdout.write("Financial proxies already loaded.")
