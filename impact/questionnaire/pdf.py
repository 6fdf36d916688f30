"""The questionnaire's PDFs: the printable A4 form of one measurement moment (large type, one
question per block, tick boxes under the smileys), and the summary of what came back (a bar
chart per question and moment, as on the page). Both go through the reports' WeasyPrint
set-up (only our own static files; user text escaped by the templates)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from impact.questionnaire.charts import with_charts
from impact.questionnaire.models import Questionnaire, ShareLink
from impact.questionnaire.scales import options_for
from impact.questionnaire.selectors import link_counts, questionnaire_results


def paper_form_html(link: ShareLink) -> str:
    questions = [
        {"question": question, "options": options_for(question)}
        for question in link.questionnaire.questions.all()
    ]
    return render_to_string(
        "impact/questionnaire/pdf/paper_form.html",
        {"link": link, "questionnaire": link.questionnaire, "questions": questions},
    )


def render_paper_form(link: ShareLink) -> bytes:
    """The PDF (a second or so with WeasyPrint)."""
    from impact.reports.pdf import render_with_limit

    return render_with_limit(paper_form_html(link))


def results_html(questionnaire: Questionnaire) -> str:
    """The summary as a report shows it, whoever asks: nothing for a group of fewer than 5
    answers and no answers in words (a PDF travels further than the page). Five queries."""
    from impact.reports.pdf import page_label_css

    worksheet = questionnaire.worksheet
    return render_to_string(
        "impact/questionnaire/pdf/results.html",
        {
            "questionnaire": questionnaire,
            "organisation": worksheet.enrolment.organisation,
            "cohort": worksheet.enrolment.cohort,
            "links": link_counts(questionnaire),
            "results": with_charts(questionnaire_results(questionnaire, full=False)),
            "generated_on": timezone.localdate(),
            "page_label": page_label_css(),
            "language": translation.get_language(),
        },
    )


def render_results(questionnaire: Questionnaire) -> bytes:
    """The summary's PDF (a second or so with WeasyPrint)."""
    from impact.reports.pdf import render_with_limit

    return render_with_limit(results_html(questionnaire))
