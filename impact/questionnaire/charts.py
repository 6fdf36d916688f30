"""A small bar chart per question and moment, as SVG: the same markup in the page and in
the PDF. Colours are presentation attributes (the page's CSP allows no style attributes);
every text is escaped."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from impact.questionnaire.selectors import Summary

WIDTH = 360
LABEL_WIDTH = 120
BAR_WIDTH = 170
ROW_HEIGHT = 26
BAR_COLOUR = "#2f6f5e"
TRACK_COLOUR = "#e4ece9"
TEXT_COLOUR = "#1f2d2a"


def distribution_svg(summary: Summary) -> SafeString:
    """Horizontal bars, one per answer, with its count and share; "" without rows."""
    if summary.hidden or not summary.rows:
        return SafeString("")
    height = ROW_HEIGHT * len(summary.rows) + 4
    title = _("%(question)s: %(moment)s, %(n)s answers") % {
        "question": summary.question.text,
        "moment": summary.moment.name,
        "n": summary.n,
    }
    widest = max(row.count for row in summary.rows) or 1
    bars = format_html_join(
        "",
        '<g transform="translate(0 {})">'
        '<text x="{}" y="15" text-anchor="end" font-size="12" fill="{}">{}</text>'
        '<rect x="{}" y="3" width="{}" height="16" rx="2" fill="{}"/>'
        '<rect x="{}" y="3" width="{}" height="16" rx="2" fill="{}"/>'
        '<text x="{}" y="15" font-size="12" fill="{}">{} ({}%)</text>'
        "</g>",
        (
            (
                index * ROW_HEIGHT,
                LABEL_WIDTH - 6,
                TEXT_COLOUR,
                row.label,
                LABEL_WIDTH,
                BAR_WIDTH,
                TRACK_COLOUR,
                LABEL_WIDTH,
                round(BAR_WIDTH * row.count / widest),
                BAR_COLOUR,
                LABEL_WIDTH + BAR_WIDTH + 6,
                TEXT_COLOUR,
                row.count,
                row.percent,
            )
            for index, row in enumerate(summary.rows)
        ),
    )
    return format_html(
        '<svg class="q-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        title,
        title,
        bars,
    )


def with_charts(results: list) -> list:
    """The results (``selectors.questionnaire_results``) with each summary's ``chart``: the
    one drawing of the page and of the PDFs, empty for a group too small to show."""
    for result in results:
        for summary in result.summaries:
            summary.chart = distribution_svg(summary)
    return results
