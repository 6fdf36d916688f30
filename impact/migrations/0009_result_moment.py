"""A result made from a questionnaire names its measurement moment (``Result.moment``).

The results the questionnaire made before are found by what it wrote into them: the
moment's name as period and "vragenlijst <moment>" as evidence, on the moment's own
worksheet. Results typed in by hand keep no moment (their period stays text)."""

import django.db.models.deletion
from django.db import migrations, models


def link_questionnaire_results(apps, schema_editor):
    MeasurementMoment = apps.get_model("impact", "MeasurementMoment")
    Result = apps.get_model("impact", "Result")
    for moment in MeasurementMoment.objects.all().iterator():
        Result.objects.filter(
            moment__isnull=True,
            indicator__effect__worksheet_id=moment.worksheet_id,
            period=moment.name,
            evidence=f"vragenlijst {moment.name}"[:300],
        ).update(moment=moment)


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0008_peer_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="result",
            name="moment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="results",
                to="impact.measurementmoment",
                verbose_name="measurement moment",
            ),
        ),
        migrations.RunPython(link_questionnaire_results, migrations.RunPython.noop, elidable=True),
    ]
