import os
import subprocess
import sys
from pathlib import Path

from psycopg_pool import ConnectionPool

from impactlab.settings import database_from_url

ROOT = Path(__file__).resolve().parent.parent


def test_postgres_url_uses_psycopg_with_a_pool(tmp_path):
    db = database_from_url(
        "postgres://impact:s%40cret@db.internal:6543/impactlab", data_dir=tmp_path
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("impactlab", "impact", "s@cret")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "6543")
    assert db["OPTIONS"]["pool"]["max_size"] == 8
    # A connection dropped by a restart is replaced before a request gets it.
    assert db["OPTIONS"]["pool"]["check"] is ConnectionPool.check_connection


def test_postgres_url_query_sets_pool_size_and_options(tmp_path):
    db = database_from_url(
        "postgresql://u@localhost/x?pool_max=3&sslmode=require", data_dir=tmp_path
    )
    assert db["OPTIONS"]["pool"]["max_size"] == 3
    assert db["OPTIONS"]["sslmode"] == "require"


def test_no_url_means_sqlite_in_the_data_folder_with_wal(tmp_path):
    db = database_from_url("", data_dir=tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == tmp_path / "impactlab.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]


def test_unknown_database_scheme_is_refused(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    try:
        database_from_url("mysql://x@y/z", data_dir=tmp_path)
    except ImproperlyConfigured as error:
        assert "mysql" in str(error)
    else:
        raise AssertionError("mysql:// was accepted")


def run_django(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "impactlab.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_django({"DJANGO_DEBUG": "0", "IMPACTLAB_DATA_DIR": str(tmp_path)}, "")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
            "DJANGO_ALLOWED_HOSTS": "impactlab.example.org",
            "IMPACTLAB_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_mail_over_smtp_when_a_host_is_set(tmp_path):
    result = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "s" * 64,
            "EMAIL_HOST": "smtp.example.org",
            "IMPACTLAB_DATA_DIR": str(tmp_path),
        },
        "from django.core.mail import mailers; b = mailers.default; "
        "print(type(b).__module__, b.host, b.port)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp", "smtp.example.org", "587"]


def test_production_requires_two_factor_for_coordinators_and_development_does_not(tmp_path):
    show = (
        "from django.conf import settings; "
        "print(settings.IMPACTLAB_COORDINATOR_MFA, "
        "'impactlab.middleware.CoordinatorTwoFactorMiddleware' in settings.MIDDLEWARE)"
    )
    production = run_django(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 64, "IMPACTLAB_DATA_DIR": str(tmp_path)},
        show,
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["True", "True"]
    development = run_django({"DJANGO_DEBUG": "1", "IMPACTLAB_DATA_DIR": str(tmp_path)}, show)
    assert development.stdout.split() == ["False", "True"]
    switched_off = run_django(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "s" * 64,
            "IMPACTLAB_COORDINATOR_MFA": "0",
            "IMPACTLAB_DATA_DIR": str(tmp_path),
        },
        show,
    )
    assert switched_off.stdout.split() == ["False", "True"]
