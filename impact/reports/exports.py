"""Data exports: a cohort's worksheets as CSV or an Excel workbook, one worksheet as JSON.

CSV and Excel cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) get a leading apostrophe, so a spreadsheet never runs them as formulas. Control
characters, lone surrogates and noncharacters are left out of every cell, whatever reached
the database: openpyxl refuses them (``ILLEGAL_CHARACTERS_RE``) and no UTF-8 encoder takes a
surrogate. The JSON escapes control characters and leaves out only the latter two.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from impact.models import EffectValuation, ValueStep, Worksheet
from impact.value import report as value_report
from impact.value.selectors import ValueOverview
from impact.worksheet.data import (
    cohort_report_worksheets,
    report_view,
    report_worksheets,
    worksheet_data,
)
from organisations.fields import encodable, printable
from trainings.models import Cohort

LEARNING_FIELDS = Worksheet.LEARNING_FIELDS
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` printable, with a leading apostrophe if a spreadsheet could read it as
    a formula."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cells(values: Iterable) -> list:
    return [safe_cell("" if value is None else value) for value in values]


@dataclass
class CohortRow:
    """One organisation of a cohort export: its ``report_view`` and its value step."""

    view: dict
    value_step: ValueStep | None
    value: ValueOverview | None  # None unless the value step is switched on


def cohort_rows(cohort: Cohort) -> list[CohortRow]:
    """Every active worksheet of the cohort with its value step (a constant number of
    queries: the value step and the valuations come with the report rows)."""
    return [
        CohortRow(
            view=report_view(worksheet_data(worksheet)),
            value_step=value_report.value_step_of(worksheet),
            value=value_report.overview_of(worksheet),
        )
        for worksheet in cohort_report_worksheets(cohort=cohort)
    ]


def cohort_views(cohort: Cohort) -> list[dict]:
    """``report_view`` of every active worksheet in the cohort (a constant number of queries)."""
    return [row.view for row in cohort_rows(cohort)]


def _verbose(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def value_step_header() -> list[str]:
    """The columns of a value step's settings, after the organisation."""
    return [
        _("value step"),
        _verbose(ValueStep, "approved_by"),
        _verbose(ValueStep, "approved_at"),
        _verbose(ValueStep, "input_money"),
        _verbose(ValueStep, "input_in_kind"),
        _verbose(ValueStep, "inputs_note"),
        _verbose(ValueStep, "discount_rate"),
        _verbose(ValueStep, "discount_rate_source"),
        _verbose(ValueStep, "perspective"),
        _("valued effects"),
    ]


def value_step_cells(row: CohortRow) -> list:
    """The settings of the organisation's value step as typed values (decimals, a date);
    only whether it made one while the step is switched off."""
    code = value_report.status(row.value_step)
    cells: list = [value_report.status_label(code)]
    step = row.value_step
    if step is None or row.value is None:
        return cells + [None] * (len(value_step_header()) - 1)
    approver = step.approved_by
    return [
        *cells,
        (approver.get_full_name() or str(approver)) if approver else "",
        timezone.localdate(step.approved_at) if step.approved_at else None,
        step.input_money,
        step.input_in_kind,
        step.inputs_note,
        step.discount_rate,
        step.discount_rate_source,
        step.get_perspective_display(),
        len(row.value.valued),
    ]


PERCENTS = ("deadweight", "displacement", "attribution", "drop_off")


def valuation_header() -> list[str]:
    """The columns of one effect's valuation, as the value map orders them."""
    header = [
        _("organisation"),
        _("effect"),
        _("stakeholder"),
        _verbose(EffectValuation, "beneficiary"),
        _verbose(EffectValuation, "is_transfer"),
        _verbose(EffectValuation, "quantity"),
        _("where the quantity comes from"),
        _verbose(EffectValuation, "duration"),
        _verbose(EffectValuation, "proxy_description"),
        _verbose(EffectValuation, "proxy"),
        _verbose(EffectValuation, "proxy_amount"),
        _verbose(EffectValuation, "proxy_unit"),
        _verbose(EffectValuation, "proxy_year"),
        _verbose(EffectValuation, "proxy_currency"),
        _verbose(EffectValuation, "proxy_source"),
    ]
    for name in PERCENTS:
        header += [
            _verbose(EffectValuation, name),
            _("why: %(assumption)s") % {"assumption": value_report.assumption_name(name)},
        ]
    return [*header, _("counted in the result")]


def valuation_rows(row: CohortRow) -> list[list]:
    """A row of typed values per valued effect of a switched-on value step: the figures as
    entered (the quantity taken from a result where none was typed), not the results."""
    if row.value is None:
        return []
    name = row.view["organisation"]["name"]
    rows = []
    for item in row.value.effects:
        valuation = item.valuation
        if valuation is None:
            continue
        cells = [
            name,
            item.effect.description,
            item.effect.stakeholder.name,
            valuation.get_beneficiary_display(),
            valuation.is_transfer,
            item.quantity,
            item.quantity_from,
            valuation.duration,
            valuation.proxy_description,
            valuation.proxy.title if valuation.proxy else "",
            valuation.proxy_amount,
            valuation.proxy_unit,
            valuation.proxy_year,
            valuation.proxy_currency,
            valuation.proxy_source,
        ]
        for percent in PERCENTS:
            cells += [getattr(valuation, percent), getattr(valuation, f"{percent}_reason")]
        rows.append([*cells, item.result is not None])
    return rows


def worksheet_export_data(worksheet: Worksheet) -> dict:
    """``worksheet_data`` of the worksheet now, with its ``value_step``
    (``impact.value.report.value_data``: settings, approval, valuations; None without one).
    The same queries as a report of now."""
    full = report_worksheets().get(pk=worksheet.pk)
    return {**worksheet_data(full), "value_step": value_report.value_data(full)}


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


def _csv_bytes(header: list[str], rows: Iterable[list], variant: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if variant == CsvVariant.EXCEL else ",")
    writer.writerow([csv_value(name, variant) for name in header])
    for row in rows:
        writer.writerow(csv_value(value, variant) for value in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def cohort_csv(cohort: Cohort, *, variant: str | None = None) -> bytes:
    """One row per organisation: step 1 fields, the learning step and counts, UTF-8 with a
    BOM; ``variant`` (see :class:`CsvVariant`) defaults to the active language's. Once an
    organisation of the cohort switched the value step on, its settings follow."""
    variant = variant or default_csv_variant()
    rows = cohort_rows(cohort)
    with_value = any(row.value is not None for row in rows)
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
    if with_value:
        header += value_step_header()

    def cells(row: CohortRow) -> list:
        v = row.view
        scope = v["scope"]
        values = [
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
        ]
        return values + value_step_cells(row) if with_value else values

    return _csv_bytes(header, (cells(row) for row in rows), variant)


def cohort_value_csv(cohort: Cohort, *, variant: str | None = None) -> bytes:
    """One row per valued effect of the organisations whose value step is switched on:
    the value map's columns as entered, UTF-8 with a BOM, in the ``variant``'s numbers."""
    variant = variant or default_csv_variant()
    rows = [cells for row in cohort_rows(cohort) for cells in valuation_rows(row)]
    return _csv_bytes(valuation_header(), rows, variant)


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

    rows = cohort_rows(cohort)
    views = [row.view for row in rows]
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
    # The value step's sheets once an organisation of the cohort switched it on.
    with_value = any(row.value is not None for row in rows)
    if with_value:
        sheets["value_step"] = (_("Value step"), [_("organisation"), *value_step_header()])
        sheets["valuations"] = (_("Value per effect"), valuation_header())
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
    if with_value:

        def typed(value):
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            return number(value) if isinstance(value, Decimal) else value

        for row in rows:
            name = row.view["organisation"]["name"]
            worksheets["value_step"].append(
                _cells([name, *(typed(value) for value in value_step_cells(row))])
            )
            for cells in valuation_rows(row):
                worksheets["valuations"].append(_cells([typed(value) for value in cells]))
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
    # json escapes control characters itself; what no encoder takes is left out.
    return encodable(json.dumps(data, ensure_ascii=False, indent=2)).encode("utf-8")
