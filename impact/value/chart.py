"""A small bar chart of the value per beneficiary, as SVG: the same code for the page and
the PDF. Presentation attributes only (no ``style``), so the page's CSP allows it."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from impact.value.calculation import cents
from impact.worksheet.display import money_text


def euro_text(amount: Decimal) -> str:
    """ "€ 152.215,01" or "−€ 966,18": rounded half up to the cent."""
    rounded = cents(Decimal(str(amount)))
    sign = "−" if rounded < 0 else ""
    return f"{sign}€ {money_text(abs(rounded))}"


# The reports' typeface (static/fonts), which the PDF has and the page loads.
FONT = "Source Sans 3, DejaVu Sans, sans-serif"
WIDTH = 640
ROW = 34
LABEL = 230
BAR = 250


def beneficiary_chart(rows: list[tuple[str, Decimal, bool]]) -> SafeString:
    """Bars of (label, present value, includes transfers); negatives drawn to the left."""
    if not rows:
        return mark_safe("")
    largest = max(abs(amount) for _label, amount, _transfer in rows) or Decimal(1)
    has_negative = any(amount < 0 for _label, amount, _transfer in rows)
    zero = LABEL + (BAR // 2 if has_negative else 0)
    scale = Decimal(BAR // 2 if has_negative else BAR) / largest
    height = ROW * len(rows) + 10
    title = escape(_("Value per beneficiary (present value, euro)"))
    parts = [
        f'<svg class="value-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="{FONT}" aria-label="{title}"><title>{title}</title>'
    ]
    for index, (label, amount, transfer) in enumerate(rows):
        y = 5 + index * ROW
        length = int(abs(amount) * scale)
        x = zero - length if amount < 0 else zero
        colour = "#b3261e" if amount < 0 else ("#8a6d00" if transfer else "#1f6f50")
        name = escape(label + (f" ({_('incl. transfers')})" if transfer else ""))
        parts.append(
            f'<text x="0" y="{y + 20}" font-size="13" fill="#222">{name}</text>'
            f'<rect x="{x}" y="{y + 6}" width="{max(length, 1)}" height="20" fill="{colour}"/>'
            f'<text x="{LABEL + BAR + 8}" y="{y + 20}" font-size="13" fill="#222">'
            f"{escape(euro_text(amount))}</text>"
        )
    parts.append(
        f'<line x1="{zero}" y1="0" x2="{zero}" y2="{height}" stroke="#666" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))
