"""The anonymised programme report, as PDF and as an Excel workbook.

Aggregates only. A ronde of fewer than ``SMALL_GROUP`` organisations shows "fewer than 5"
instead of its figures, and no change to or from it; the totals add up only the rondes
shown, so that no hidden ronde can be worked out by subtraction. Of the themes, a target
group (free text) is named only when at least that many organisations name it; the other
themes (fixed lists) show "fewer than 5" instead of their counts. Organisation names appear
only when the coordinator asks for them.

The PDF goes through the reports' renderer (``impact.reports.pdf``: the restricted URL
fetcher, the print stylesheet, the memory and time ceiling); the workbook through the
exports' safe cells.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impact.programme.selectors import (
    MEASURES,
    SMALL_GROUP,
    THEME_LIMIT,
    ProgrammeOverview,
    Row,
    ThemeItem,
    number,
    total_row,
)
from impact.reports.exports import fit_columns, safe_cell
from impact.reports.pdf import page_label_css, render_with_limit
from trainings.models import Cohort


def fewer_than() -> str:
    return _("fewer than %(count)s") % {"count": SMALL_GROUP}


@dataclass
class ReportCell:
    value: str
    detail: str = ""
    note: str = ""
    change: str = ""
    # For the workbook: the figures themselves, None where hidden or not applicable.
    count: int | None = None
    total: int | None = None
    percent: int | None = None
    difference: int | None = None


@dataclass
class ReportRow:
    label: str
    hidden: bool
    cells: list[ReportCell]
    previous: str = ""
    period: str = ""
    names: list[str] = field(default_factory=list)
    cohort: Cohort | None = None


@dataclass
class ReportTable:
    title: str
    rows: list[ReportRow]
    total: ReportRow | None
    hidden: int  # rondes left out of the total


@dataclass
class ReportTheme:
    title: str
    explanation: str
    items: list[tuple[str, str, str]]  # (label, organisations, count), ready to print
    left_out: str = ""


def _report_row(row: Row, *, previous_hidden: bool) -> ReportRow:
    period = ""
    if row.cohort is not None:
        period = f"{row.cohort.starts_on:%Y-%m-%d} – {row.cohort.ends_on:%Y-%m-%d}"
    if row.is_small:
        return ReportRow(
            label=row.label,
            hidden=True,
            cells=[ReportCell(fewer_than()) for _measure in MEASURES],
            period=period,
            names=row.organisation_names,
            cohort=row.cohort,
        )
    cells = []
    for cell in row.cells:
        shown_change = cell.change is not None and not previous_hidden
        cells.append(
            ReportCell(
                value=cell.value_label,
                detail=cell.detail_label,
                note=cell.note,
                change=cell.change_label if shown_change else "",
                count=cell.count,
                total=cell.total,
                percent=cell.percent,
                difference=cell.change if shown_change else None,
            )
        )
    return ReportRow(
        label=row.label,
        hidden=False,
        cells=cells,
        previous=row.previous if not previous_hidden else "",
        period=period,
        names=row.organisation_names,
        cohort=row.cohort,
    )


def _shown_total(label: str, rows: list[Row]) -> ReportRow | None:
    shown = [row.tally for row in rows if not row.is_small and row.tally is not None]
    if not shown:
        return None
    total = total_row(label, shown)
    return _report_row(total, previous_hidden=True)


def report_tables(overview: ProgrammeOverview) -> list[ReportTable]:
    """Per training, its rondes as the report shows them, and the total of those shown."""
    tables = []
    for table in overview.trainings:
        rows = []
        hidden_before = True
        for row in table.rows:
            rows.append(_report_row(row, previous_hidden=hidden_before))
            hidden_before = row.is_small
        hidden = sum(row.hidden for row in rows)
        total = _shown_total(_("All rondes shown"), table.rows) if len(rows) > 1 else None
        tables.append(ReportTable(table.training.name, rows, total, hidden))
    return tables


def programme_total(overview: ProgrammeOverview) -> ReportRow | None:
    if len(overview.trainings) < 2:
        return None
    rows = [row for table in overview.trainings for row in table.rows]
    return _shown_total(_("The whole programme (rondes shown)"), rows)


def _counted(item: ThemeItem) -> tuple[str, str]:
    if item.organisations < SMALL_GROUP:
        return fewer_than(), fewer_than()
    return number(item.organisations), number(item.count)


def _theme_label(item: ThemeItem) -> str:
    return f"{item.label} ({item.detail})" if item.detail else item.label


def report_themes(overview: ProgrammeOverview, *, limit: int = THEME_LIMIT) -> list[ReportTheme]:
    themes = overview.themes
    named = [item for item in themes.target_groups if item.organisations >= SMALL_GROUP]
    left_out = len(themes.target_groups) - len(named[:limit])
    target_groups = ReportTheme(
        _("Target groups named most"),
        _(
            "Target groups are named in the organisations' own words, so only those that at "
            "least %(count)s organisations name are shown."
        )
        % {"count": SMALL_GROUP},
        [(item.label, *_counted(item)) for item in named[:limit]],
        ngettext(
            "%(count)s other target group is not shown.",
            "%(count)s other target groups are not shown.",
            left_out,
        )
        % {"count": left_out}
        if left_out
        else "",
    )

    def fixed(title: str, explanation: str, items: list[ThemeItem]) -> ReportTheme:
        return ReportTheme(
            title,
            explanation,
            [(_theme_label(item), *_counted(item)) for item in items[:limit]],
        )

    return [
        target_groups,
        fixed(
            _("Stakeholder categories named most"),
            _("Count: the stakeholders in the category."),
            themes.categories,
        ),
        fixed(
            _("Starter-kit suggestions used most"),
            _("Count: the times a suggestion was taken into a worksheet."),
            themes.suggestions,
        ),
        fixed(
            _("Hints most often left open"),
            _("Count: the places in the worksheets where the hint is open now."),
            themes.hints,
        ),
    ]


def report_context(overview: ProgrammeOverview, *, include_names: bool) -> dict:
    """Everything the PDF prints, anonymised. No queries."""
    cohorts = [row.cohort for table in overview.trainings for row in table.rows if row.cohort]
    return {
        "programme": overview.programme,
        "measures": MEASURES,
        "tables": report_tables(overview),
        "total": programme_total(overview),
        "themes": report_themes(overview),
        "include_names": include_names,
        "small_group": SMALL_GROUP,
        "fewer_than": fewer_than(),
        "ronde_count": len(cohorts),
        "first_day": min((c.starts_on for c in cohorts), default=None),
        "last_day": max((c.ends_on for c in cohorts), default=None),
        "generated_on": timezone.localdate(),
    }


def render_programme_pdf(overview: ProgrammeOverview, *, include_names: bool = False) -> bytes:
    """The anonymised programme report as PDF bytes, in the active language."""
    html = render_to_string(
        "impact/programme/report.html",
        {
            **report_context(overview, include_names=include_names),
            "page_label": page_label_css(),
            "language": translation.get_language(),
        },
    )
    return render_with_limit(html)


def programme_xlsx(overview: ProgrammeOverview, *, include_names: bool = False) -> bytes:
    """The report's figures as a workbook: one row per ronde and measure (for filters and
    pivot tables), the themes, and with ``include_names`` the organisations per ronde."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    figures = workbook.active
    figures.title = _("Rondes")[:31]
    figures.append(
        [
            _("training"),
            _("ronde"),
            _("period"),
            _("measure"),
            _("number"),
            _("of"),
            _("percent"),
            _("change since the ronde before"),
            _("compared with"),
            _("note"),
        ]
    )
    tables = report_tables(overview)
    total = programme_total(overview)
    blocks = [
        (table.title, [*table.rows, *([table.total] if table.total else [])]) for table in tables
    ]
    if total:
        blocks.append((overview.programme.name, [total]))
    for title, rows in blocks:
        for row in rows:
            for measure, cell in zip(MEASURES, row.cells, strict=True):
                if row.hidden:
                    figures.append(
                        [
                            safe_cell(v)
                            for v in (title, row.label, row.period, str(measure.label), cell.value)
                        ]
                    )
                    continue
                figures.append(
                    [
                        safe_cell(value)
                        for value in (
                            title,
                            row.label,
                            row.period,
                            str(measure.label),
                            cell.count,
                            cell.total,
                            cell.percent,
                            cell.difference,
                            row.previous if cell.difference is not None else "",
                            cell.note,
                        )
                    ]
                )
    themes = workbook.create_sheet(_("Themes")[:31])
    themes.append([_("theme"), _("named"), _("organisations"), _("count")])
    for theme in report_themes(overview):
        for label, organisations, count in theme.items:
            themes.append([safe_cell(v) for v in (theme.title, label, organisations, count)])
        if theme.left_out:
            themes.append([safe_cell(theme.title), safe_cell(theme.left_out)])
    sheets = [figures, themes]
    if include_names:
        names = workbook.create_sheet(_("Organisations")[:31])
        names.append([_("training"), _("ronde"), _("organisation")])
        for table in tables:
            for row in table.rows:
                for name in row.names:
                    names.append([safe_cell(v) for v in (table.title, row.label, name)])
        sheets.append(names)
    for sheet in sheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
