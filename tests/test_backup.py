from django.apps import apps
from django.core.management import call_command
from django.db import connection

from organisations.models import Organisation


def every_row() -> dict[str, list[tuple]]:
    """All rows of every project table, in primary-key order."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"organisations", "trainings", "impact"}:
            fields = [f.attname for f in model._meta.concrete_fields]
            rows[model._meta.db_table] = list(model.objects.order_by("pk").values_list(*fields))
    return rows


def test_backup_and_restore_round_trip_every_table(transactional_db, tmp_path, capsys):
    call_command("seed_demo")
    before = every_row()
    target = tmp_path / ("backup.dump" if connection.vendor == "postgresql" else "backup.sqlite3")
    call_command("backup", str(target))
    assert target.stat().st_size > 0

    Organisation.objects.filter(name="Kringloop Zwolle").update(name="Vandalised")
    Organisation.objects.create(name="Added after the backup")
    assert every_row() != before

    call_command("restore", str(target), "--yes")
    connection.close()
    assert every_row() == before
    assert "Database restored" in capsys.readouterr().out


def test_restore_refuses_a_missing_file(db, tmp_path):
    from django.core.management.base import CommandError

    try:
        call_command("restore", str(tmp_path / "nothing.dump"), "--yes")
    except CommandError as error:
        assert "No backup" in str(error)
    else:
        raise AssertionError("a missing backup was accepted")
