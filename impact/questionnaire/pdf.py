"""The printable A4 form of a questionnaire at one measurement moment: large type, one
question per block, tick boxes under the smileys. It goes through the reports' WeasyPrint
set-up (only our own static files; user text escaped by the template)."""

from __future__ import annotations

from django.template.loader import render_to_string

from impact.questionnaire.models import ShareLink
from impact.questionnaire.scales import options_for


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
