"""The value step in reports and exports: what they show and hold of it.

Everything here reads the rows that ``impact.worksheet.data.report_worksheets`` loaded (the
value step and the effects' valuations come along as joins), so a report or export of any
size runs no query for its value step. The figures come from ``selectors.value_overview``
and ``calculation`` and the chart from ``chart``: the page, the PDFs and the exports share
one calculation and one drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impact.models import EffectValuation, ValueStep, Worksheet
from impact.value import calculation as calc
from impact.value.chart import beneficiary_chart, euro_text
from impact.value.selectors import ValueOverview, value_overview
from impact.value.services import VALUATION_FIELDS
from impact.worksheet.data import plain_value
from impact.worksheet.display import number_text

OFF = "off"
INDICATIVE = "indicative"
APPROVED = "approved"


def value_step_of(worksheet: Worksheet) -> ValueStep | None:
    """The worksheet's value step, or None (a query unless ``report_worksheets`` joined it)."""
    try:
        return worksheet.value_step
    except ValueStep.DoesNotExist:
        return None


def status(value_step: ValueStep | None) -> str:
    """``off``, ``indicative`` (switched on, not approved) or ``approved``."""
    if value_step is None or not value_step.is_enabled:
        return OFF
    return APPROVED if value_step.is_approved else INDICATIVE


def status_label(code: str) -> str:
    """ "no", "yes, indicative" or "yes, approved": whether the organisation made a value
    step, for the cohort report and the exports."""
    return {
        OFF: _("no"),
        INDICATIVE: _("yes, indicative"),
        APPROVED: _("yes, approved"),
    }[code]


def overview_of(worksheet: Worksheet) -> ValueOverview | None:
    """The value step's overview when it is switched on, else None; no queries for a
    worksheet from ``report_worksheets``."""
    value_step = value_step_of(worksheet)
    if value_step is None or not value_step.is_enabled:
        return None
    return value_overview(worksheet, value_step, effects=list(worksheet.effects.all()))


def assumption_value(assumption: calc.Assumption) -> str:
    """ "deadweight 25 %", "financial proxy € 15.780,96": one assumption of the
    sensitivity analysis with its value as the page writes it."""
    name, value = assumption.name, assumption.value
    if name in calc.TAKES_OFF:
        shown = f"{number_text(value)} %"
    elif name == "proxy":
        shown = euro_text(value)
    elif name == "duration":
        shown = ngettext("%(years)s year", "%(years)s years", int(value)) % {"years": int(value)}
    else:
        shown = number_text(value)
    return f"{assumption_name(name)} {shown}"


def assumption_texts(
    assumptions: Iterable[calc.Assumption],
    numbers: dict[int, int],
    *,
    label_length: int = 60,
) -> list[str]:
    """ "Effect 4 (Deelnemers stromen door…): quantity 3, duration 3 years": the
    assumptions that move the result most, one line per effect, in the order of the
    largest swing. ``numbers`` gives an effect's number in the report, if it has one."""
    by_effect: dict[str, list[calc.Assumption]] = {}
    for assumption in assumptions:
        by_effect.setdefault(assumption.effect_key, []).append(assumption)
    lines = []
    for key, group in by_effect.items():
        # "(… een opleiding.)" reads badly: the label loses its full stop in brackets.
        label = Truncator(group[0].effect_label.strip().rstrip(".")).chars(label_length)
        number = numbers.get(int(key)) if key.isdigit() else None
        subject = f"{_('Effect %(number)s') % {'number': number}} ({label})" if number else label
        lines.append(f"{subject}: {', '.join(assumption_value(a) for a in group)}")
    return lines


def assumption_name(name: str) -> str:
    return {
        "quantity": _("quantity"),
        "proxy": _("financial proxy"),
        "duration": _("duration"),
        "deadweight": _("deadweight"),
        "displacement": _("displacement"),
        "attribution": _("attribution"),
        "drop_off": _("drop-off"),
    }[name]


def report_context(
    overview: ValueOverview, *, numbers: dict[int, int], label_length: int = 60
) -> dict:
    """What the PDFs show of a switched-on value step: the overview, the page's chart, the
    valued effects with their number in the report, the warnings still open (of the whole
    step and per effect) and the assumptions that move the result most. ``numbers`` maps
    an effect's id to its number in the report. No queries."""
    valued = [
        {"number": numbers.get(item.effect.pk), "item": item}
        for item in overview.effects
        if item.valuation is not None
    ]
    warnings = [{"where": "", "message": warning.message} for warning in overview.warnings]
    for row in valued:
        where = _("Effect %(number)s") % {"number": row["number"]} if row["number"] else ""
        warnings.extend({"where": where, "message": w.message} for w in row["item"].warnings)
    calculation = overview.calculation
    assumptions = assumption_texts(
        calculation.sensitivity if calculation else (), numbers, label_length=label_length
    )
    return {
        "step": overview.value_step,
        "overview": overview,
        "calculation": calculation,
        "chart": beneficiary_chart(overview.beneficiary_rows),
        "effects": valued,
        "unvalued": sum(1 for item in overview.effects if item.valuation is None),
        "warnings": warnings,
        "assumptions": assumptions,
    }


def value_data(worksheet: Worksheet) -> dict | None:
    """The value step as JSON-ready values (decimals and dates as strings): its settings,
    approval and every effect's valuation as stored, switched on or not; None when the
    worksheet never had one. No queries for a worksheet from ``report_worksheets``."""
    value_step = value_step_of(worksheet)
    if value_step is None:
        return None
    valuations = []
    for effect in worksheet.effects.all():
        try:
            valuation = effect.valuation
        except EffectValuation.DoesNotExist:
            continue
        fields = {name: plain_value(getattr(valuation, name)) for name in VALUATION_FIELDS}
        proxy = valuation.proxy
        fields["proxy"] = {"id": proxy.pk, "title": proxy.title} if proxy else None
        valuations.append({"effect_id": effect.pk, **fields})
    approver = value_step.approved_by
    return {
        "is_enabled": value_step.is_enabled,
        "status": status(value_step),
        "input_money": plain_value(value_step.input_money),
        "input_in_kind": plain_value(value_step.input_in_kind),
        "inputs_note": value_step.inputs_note,
        "discount_rate": plain_value(value_step.discount_rate),
        "discount_rate_source": value_step.discount_rate_source,
        "perspective": value_step.perspective,
        "approved_by": (approver.get_full_name() or str(approver)) if approver else None,
        "approved_at": plain_value(value_step.approved_at),
        "valuations": valuations,
    }
