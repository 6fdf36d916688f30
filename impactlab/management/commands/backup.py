import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def postgres_env(db: dict) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, passed by environment, not argv."""
    env = dict(os.environ)
    for key, name in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ]:
        if db.get(key):
            env[name] = str(db[key])
    return env


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to a file: pg_dump's custom format on "
        "PostgreSQL, SQLite's online backup on SQLite. Uploaded files live in the data folder."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write the backup (default: data/backups/impactlab-<time>.<ext>).",
        )

    def handle(self, *args, path: str | None, **options) -> None:
        db = connection.settings_dict
        vendor = connection.vendor
        if vendor not in {"postgresql", "sqlite"}:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        extension = "dump" if vendor == "postgresql" else "sqlite3"
        if path is None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            target = Path(settings.DATA_DIR) / "backups" / f"impactlab-{stamp}.{extension}"
        else:
            target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if vendor == "postgresql":
            if not shutil.which("pg_dump"):
                raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
                env=postgres_env(db),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                # The online backup API copies a consistent state while the app keeps running.
                connection.connection.backup(copy)
            copy.close()
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
