"""The raw answers of a questionnaire, one row per response: as CSV for Dutch Excel
(semicolons, decimal commas, UTF-8 with a BOM) and as an Excel workbook. No cell is one a
spreadsheet runs as a formula (``impact.reports.exports.safe_cell``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from impact.questionnaire.models import Answer, Questionnaire, Response
from impact.questionnaire.scales import options_for
from impact.reports.exports import fit_columns, safe_cell
from impact.worksheet.display import number_text


@dataclass
class AnswerRow:
    number: int
    moment: str
    started: dt.datetime
    sent: dt.datetime | None
    from_paper: bool
    answers: list[str | Decimal | None]  # a label or a text, a number, or nothing


def answer_table(questionnaire: Questionnaire) -> tuple[list[str], list[AnswerRow]]:
    """The questions (the columns after the first five) and a row per response, oldest
    moment first, with local times; three queries. Texts are not made safe yet."""
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
    rows = []
    for number, response in enumerate(responses, start=1):
        cells: list[str | Decimal | None] = []
        for question in questions:
            answer = answers.get((response.pk, question.pk))
            if answer is None:
                cells.append(None)
            elif answer.text:
                cells.append(answer.text)
            elif labels[question.pk]:
                cells.append(labels[question.pk].get(int(answer.number), ""))
            else:
                cells.append(answer.number)
        rows.append(
            AnswerRow(
                number,
                response.link.moment.name,
                timezone.localtime(response.created_at),
                timezone.localtime(response.finished_at) if response.finished_at else None,
                response.entered_from_paper,
                cells,
            )
        )
    return [q.text for q in questions], rows


def _header(questions: list[str]) -> list[str]:
    return [
        _("response"),
        _("measurement moment"),
        _("started"),
        _("sent"),
        _("from paper"),
        *(safe_cell(text) for text in questions),
    ]


def answers_csv(questionnaire: Questionnaire) -> bytes:
    """Every response with its answers; three queries."""
    questions, rows = answer_table(questionnaire)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header(questions))

    def when(moment: dt.datetime | None) -> str:
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT") if moment else ""

    for row in rows:
        writer.writerow(
            [
                row.number,
                safe_cell(row.moment),
                when(row.started),
                when(row.sent),
                _("yes") if row.from_paper else _("no"),
                *(
                    number_text(cell) if isinstance(cell, Decimal) else safe_cell(cell or "")
                    for cell in row.answers
                ),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def answers_xlsx(questionnaire: Questionnaire) -> bytes:
    """The same table as an Excel workbook: numbers as numbers, times as Excel times (the
    local time, as Excel has no time zones), a bold header that stays in view; three
    queries."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    questions, rows = answer_table(questionnaire)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Answers")[:31]
    sheet.append(_header(questions))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"

    def when(moment: dt.datetime | None) -> dt.datetime | None:
        return moment.replace(tzinfo=None) if moment else None

    for row in rows:
        sheet.append(
            [
                row.number,
                safe_cell(row.moment),
                when(row.started),
                when(row.sent),
                _("yes") if row.from_paper else _("no"),
                *(
                    float(cell) if isinstance(cell, Decimal) else safe_cell(cell)
                    for cell in row.answers
                ),
            ]
        )
    for column in ("C", "D"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
