"""Data exports: a cohort's worksheets as CSV or an Excel workbook, one worksheet as JSON.

CSV and Excel cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) get a leading apostrophe, so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from impact.models import Worksheet
from impact.worksheet.data import cohort_report_worksheets, report_view, worksheet_data
from trainings.models import Cohort

LEARNING_FIELDS = Worksheet.LEARNING_FIELDS
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` with a leading apostrophe if a spreadsheet could read it as formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cells(values: Iterable) -> list:
    return [safe_cell("" if value is None else value) for value in values]


def cohort_views(cohort: Cohort) -> list[dict]:
    """``report_view`` of every active worksheet in the cohort (a constant number of queries)."""
    return [report_view(worksheet_data(w)) for w in cohort_report_worksheets(cohort=cohort)]


def _join(items: Iterable[str]) -> str:
    return "; ".join(item for item in items if item)


class CsvVariant:
    """``EXCEL``: what a Dutch (or other decimal-comma) Excel opens with a double click:
    semicolons between fields, decimal commas and dates as the language writes them.
    ``PLAIN``: commas, decimal points and ISO dates, for English Excel and other programs.
    Both are UTF-8 with a BOM, so Excel reads the accents."""

    EXCEL = "excel"
    PLAIN = "plain"
    ALL = (EXCEL, PLAIN)


def default_csv_variant() -> str:
    """The variant for the active language: Excel's semicolons where the language writes a
    decimal comma (Dutch), plain commas otherwise (English)."""
    return CsvVariant.EXCEL if formats.get_format("DECIMAL_SEPARATOR") == "," else CsvVariant.PLAIN


def csv_value(value, variant: str) -> str | int:
    """A cell as the variant writes it: text behind the formula guard, numbers and dates in
    the active language's format for Excel, as plain ISO values otherwise."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    excel = variant == CsvVariant.EXCEL
    if isinstance(value, Decimal | float):
        # No thousands separator: Excel would read "1.234,5" back as text in some locales.
        return formats.number_format(value, use_l10n=True) if excel else str(value)
    if isinstance(value, dt.date):
        if excel:
            # The first input format of the language: the form the language (and Excel in
            # that language) reads back as a date, "31-12-2025" in Dutch.
            return value.strftime(formats.get_format("DATE_INPUT_FORMATS")[0])
        return value.isoformat()
    return value


def cohort_csv(cohort: Cohort, *, variant: str | None = None) -> bytes:
    """One row per organisation: step 1 fields, the learning step and counts, UTF-8 with a
    BOM; ``variant`` (see :class:`CsvVariant`) defaults to the active language's."""
    variant = variant or default_csv_variant()
    header = [
        _("organisation"),
        _("city"),
        _("good practice"),
        _("impact goal"),
        _("social problem"),
        _("target groups"),
        _("why we measure"),
        _("for whom"),
        _("themes"),
        _("period from"),
        _("period until"),
        _("stakeholders"),
        _("activities"),
        _("outputs"),
        _("effects"),
        _("indicators"),
        _("measured effects"),
        _("key message"),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if variant == CsvVariant.EXCEL else ",")
    writer.writerow([csv_value(name, variant) for name in header])
    for v in cohort_views(cohort):
        scope = v["scope"]
        writer.writerow(
            csv_value(value, variant)
            for value in (
                v["organisation"]["name"],
                v["organisation"].get("city", ""),
                *_scope_cells(v),
                scope["period_start"],
                scope["period_end"],
                len(v["stakeholders"]),
                len(v["activities"]),
                sum(len(a["outputs"]) for a in v["activities"]),
                len(v["effects"]),
                len(v["indicators"]),
                v["measured_effect_count"],
                v["learning"].get("key_message", ""),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _scope_cells(view: dict) -> list:
    """Step 1 of one worksheet as the export columns that the CSV and the goals sheet share."""
    scope = view["scope"]
    return [
        scope.get("good_practice", ""),
        scope.get("impact_goal", ""),
        scope.get("social_problem", ""),
        _join(g.get("name", "") for g in view["target_groups"]),
        _join(scope["reason_labels"]),
        scope.get("audiences", ""),
        _join(scope["theme_labels"]),
    ]


def cohort_xlsx(cohort: Cohort) -> bytes:
    """An Excel workbook with one sheet per step: goals, stakeholders, activities, effects,
    indicators (with results), learning. Header rows are bold and stay in view; columns are
    as wide as their content, up to :data:`MAX_COLUMN_WIDTH` characters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    views = cohort_views(cohort)
    workbook = Workbook()
    sheets = {
        "goals": (
            _("Goals"),
            [
                _("organisation"),
                _("good practice"),
                _("impact goal"),
                _("social problem"),
                _("target groups"),
                _("why we measure"),
                _("for whom"),
                _("themes"),
                _("key message"),
            ],
        ),
        "stakeholders": (
            _("Stakeholders"),
            [
                _("organisation"),
                _("stakeholder"),
                _("category"),
                _("relation"),
                _("group size"),
                _("how they are involved"),
                _("material"),
            ],
        ),
        "activities": (
            _("Activities"),
            [
                _("organisation"),
                _("activity"),
                _("for and with which stakeholders"),
                _("the need it addresses"),
                _("outputs"),
            ],
        ),
        "effects": (
            _("Effects"),
            [
                _("organisation"),
                _("effect"),
                _("stakeholder"),
                _("from which activities"),
                _("term"),
                _("how confident we are"),
            ],
        ),
        "indicators": (
            _("Indicators"),
            [
                _("organisation"),
                _("effect"),
                _("indicator"),
                _("unit"),
                _("baseline"),
                _("target"),
                _("period"),
                _("value"),
                _("measured on"),
                _("source"),
                _("method"),
            ],
        ),
        "learning": (
            _("Learning"),
            [
                _("organisation"),
                *(str(Worksheet._meta.get_field(name).verbose_name) for name in LEARNING_FIELDS),
            ],
        ),
    }
    worksheets = {}
    for number, (key, (title, header)) in enumerate(sheets.items()):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        worksheets[key] = sheet

    def number(value):
        return float(value) if value is not None else None

    for v in views:
        name = v["organisation"]["name"]
        worksheets["learning"].append(
            _cells([name, *(v["learning"].get(field, "") for field in LEARNING_FIELDS)])
        )
        worksheets["goals"].append(
            _cells(
                [
                    name,
                    *_scope_cells(v),
                    v["learning"].get("key_message", ""),
                ]
            )
        )
        for s in v["stakeholders"]:
            worksheets["stakeholders"].append(
                _cells(
                    [
                        name,
                        s.get("name", ""),
                        s["category_label"],
                        s["relation_label"],
                        s.get("group_size"),
                        s["involvement_label"],
                        _("yes") if s.get("is_material") else _("no"),
                    ]
                )
            )
        for a in v["activities"]:
            worksheets["activities"].append(
                _cells(
                    [
                        name,
                        a.get("title", ""),
                        _join(a["stakeholder_names"]),
                        a.get("need", ""),
                        _join(
                            f"{o['quantity'] if o['quantity'] is not None else ''} "
                            f"{o.get('unit', '')} {o.get('description', '')}".strip()
                            for o in a["outputs"]
                        ),
                    ]
                )
            )
        for e in v["effects"]:
            worksheets["effects"].append(
                _cells(
                    [
                        name,
                        e.get("description", ""),
                        e["stakeholder_name"],
                        _join(e["activity_titles"]),
                        e["term_label"],
                        e["confidence_label"],
                    ]
                )
            )
            for i in e["indicators"]:
                base = [name, e.get("description", ""), i.get("name", ""), i.get("unit", "")]
                figures = [number(i["baseline"]), number(i["target"])]
                tail = [i.get("source", ""), i["method_label"]]
                results = i["results"] or [None]
                for result in results:
                    measured = (
                        [result["period"], number(result["value"]), result["measured_on"]]
                        if result
                        else ["", None, None]
                    )
                    worksheets["indicators"].append(_cells(base + figures + measured + tail))
    for sheet in worksheets.values():
        fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60
# Excel's widths count characters of its default font, plus a little room for the padding.
COLUMN_PADDING = 2


def _cell_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max(len(line) for line in str(value).splitlines() or [""])


def fit_columns(sheet) -> None:
    """Give every column the width of its longest line (header included), capped; cells
    wider than the cap wrap instead of running under the next column."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((_cell_length(cell.value) for cell in column), default=0)
        width = min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, longest + COLUMN_PADDING))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if longest + COLUMN_PADDING > MAX_COLUMN_WIDTH:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def worksheet_json(data: dict) -> bytes:
    """The complete worksheet as JSON (``worksheet_data``), pretty-printed, UTF-8."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
