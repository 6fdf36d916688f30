"""The raw answers of a questionnaire as CSV for Dutch Excel: one row per response,
semicolons, decimal commas, UTF-8 with a BOM, and no cell a spreadsheet runs as formula."""

from __future__ import annotations

import csv
import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from impact.questionnaire.models import Answer, Questionnaire, Response
from impact.questionnaire.scales import options_for
from impact.reports.exports import safe_cell
from impact.worksheet.display import number_text


def answers_csv(questionnaire: Questionnaire) -> bytes:
    """Every response with its answers; three queries."""
    questions = list(questionnaire.questions.all())
    labels = {q.pk: {o.value: str(o.label) for o in options_for(q)} for q in questions}
    responses = list(
        Response.objects.filter(link__questionnaire=questionnaire)
        .select_related("link__moment")
        .order_by("link__moment__starts_on", "pk")
    )
    answers: dict[tuple[int, int], Answer] = {
        (a.response_id, a.question_id): a
        for a in Answer.objects.filter(response__link__questionnaire=questionnaire)
    }
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [_("response"), _("measurement moment"), _("started"), _("sent"), _("from paper")]
        + [safe_cell(q.text) for q in questions]
    )
    for number, response in enumerate(responses, start=1):
        row = [
            number,
            safe_cell(response.link.moment.name),
            formats.date_format(timezone.localtime(response.created_at), "SHORT_DATETIME_FORMAT"),
            formats.date_format(timezone.localtime(response.finished_at), "SHORT_DATETIME_FORMAT")
            if response.finished_at
            else "",
            _("yes") if response.entered_from_paper else _("no"),
        ]
        for question in questions:
            answer = answers.get((response.pk, question.pk))
            if answer is None:
                row.append("")
            elif answer.text:
                row.append(safe_cell(answer.text))
            elif labels[question.pk]:
                row.append(safe_cell(labels[question.pk].get(int(answer.number), "")))
            else:
                row.append(number_text(answer.number))
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")
