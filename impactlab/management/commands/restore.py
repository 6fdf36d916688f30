import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from impactlab.management.commands.backup import postgres_env


class Command(BaseCommand):
    help = "Replace the database with a backup written by `manage.py backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the database."
        )

    def handle(self, *args, path: str, yes: bool, **options) -> None:
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"No backup at {source}.")
        if not yes and input("This replaces every row of the database. Type 'yes': ") != "yes":
            raise CommandError("Restore cancelled.")
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError("pg_restore is not installed.")
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    f"--dbname={db['NAME']}",
                    str(source),
                ],
                env=postgres_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(source) as backup:
                backup.backup(connection.connection)
        else:
            raise CommandError(f"Restoring {connection.vendor} databases is not supported.")
        self.stdout.write(self.style.SUCCESS(f"Database restored from {source}"))
