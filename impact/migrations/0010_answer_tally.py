"""What stays of a questionnaire's answers after the retention period: tallies per question,
link and value, and the number of erased responses per link."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0009_result_moment"),
    ]

    operations = [
        migrations.AddField(
            model_name="sharelink",
            name="erased_finished",
            field=models.PositiveIntegerField(
                default=0, verbose_name="erased responses that were sent"
            ),
        ),
        migrations.AddField(
            model_name="sharelink",
            name="erased_from_paper",
            field=models.PositiveIntegerField(
                default=0, verbose_name="erased responses entered from paper"
            ),
        ),
        migrations.AddField(
            model_name="sharelink",
            name="erased_started",
            field=models.PositiveIntegerField(default=0, verbose_name="erased responses"),
        ),
        migrations.CreateModel(
            name="AnswerTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=10, null=True, verbose_name="value"
                    ),
                ),
                ("count", models.PositiveIntegerField(default=0, verbose_name="number of answers")),
                (
                    "link",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="impact.sharelink",
                        verbose_name="link",
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="impact.question",
                        verbose_name="question",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer tally",
                "verbose_name_plural": "answer tallies",
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("number__isnull", False)),
                        fields=("question", "link", "number"),
                        name="impact_answertally_unique",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("number__isnull", True)),
                        fields=("question", "link"),
                        name="impact_answertally_unique_open",
                    ),
                ],
            },
        ),
    ]
