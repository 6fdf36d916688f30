from django.apps import apps
from django.core.management import call_command

from organisations.models import Organisation, User
from trainings.models import Attendance, Cohort


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"organisations", "trainings", "impact"}
    }


def test_seed_demo_builds_the_story_and_prints_the_logins(db, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for email in ["coordinator@example.org", "trainer@example.org", "deelnemer@example.org"]:
        assert email in output
        assert User.objects.get(email=email).check_password("impactlab-demo")
    assert Organisation.objects.filter(kind=Organisation.Kind.PARTICIPANT).count() == 13
    ronde_2 = Cohort.objects.get(name="Ronde 2")
    assert ronde_2.status == Cohort.Status.RUNNING
    assert ronde_2.enrolments.count() == 8
    assert ronde_2.sessions.count() == 3
    assert ronde_2.sessions.filter(host__name="Kringloop Zwolle").exists()
    assert Cohort.objects.get(name="Ronde 1").enrolments.count() == 5
    assert Attendance.objects.filter(session__cohort=ronde_2).exists()


def test_seed_demo_twice_changes_nothing(db, capsys):
    call_command("seed_demo")
    before = table_counts()
    call_command("seed_demo")
    assert table_counts() == before
    assert "Demo already loaded." in capsys.readouterr().out
