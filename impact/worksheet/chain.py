"""The impact chain as a server-rendered SVG: stakeholders → activities → outputs → effects → goal.

The same markup goes inline into web pages (no ``style`` attributes, so the CSP allows it)
and into WeasyPrint. Every user string passes through ``format_html``/``escape``. Colours
are light fills with dark outlines and each column has its own outline pattern, so the
diagram also reads in black and white.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pyphen
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from impact.models import Worksheet
from impact.worksheet.display import number_text

COLUMN_WIDTH = 134
GAP = 30
MARGIN = 8
HEADER = 30
BOX_GAP = 14  # one LINE_HEIGHT: boxes sit whole lines apart, so print merges a column's words
FONT_SIZE = 11.5
LINE_HEIGHT = 14
PADDING = 7
# Boxes show their whole text by default; a compact chain (the one-page summary when it
# runs out of room) gives a number of lines, and the last one ends with "…".
MAX_LINES: int | None = None
MAX_BOXES = 12
# Average glyph width of Source Sans 3 (the face of the diagrams, in the page and in print)
# as a share of the font size, with room to spare; the semibold goal is wider.
GLYPH_WIDTH = 0.53
BOLD_GLYPH_WIDTH = 0.58

# fill, stroke, dash pattern ("" = solid)
COLUMN_LOOKS = (
    ("#eef3f8", "#2f4a66", ""),
    ("#eef6f3", "#1d5c4f", ""),
    ("#f6f6f1", "#555548", "4 2"),
    ("#f5f0f6", "#5a3a63", ""),
    ("#fdf7ea", "#6b4a00", ""),
)


@dataclass
class Box:
    key: str
    lines: list[str]
    subtitle: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0
    height: float = 0
    links: list[str] = field(default_factory=list)  # keys of boxes in the previous column
    width: float = COLUMN_WIDTH
    hidden: int = 0  # the "+ n more" box: how many items it stands for


@dataclass(frozen=True)
class Look:
    """How a kind of diagram text looks; sizes in SVG units."""

    size: float
    line_height: float
    colour: str = "#1f2a30"
    weight: str = ""  # "" for normal
    italic: bool = False


LOOKS = {
    "heading": Look(12, LINE_HEIGHT, weight="700"),
    "box": Look(FONT_SIZE, LINE_HEIGHT),
    "goal": Look(FONT_SIZE, LINE_HEIGHT, weight="600"),
    "subtitle": Look(9.5, LINE_HEIGHT, colour="#4a5560", italic=True),
    "name": Look(10.5, 12),
    "unit": Look(9, 11, colour="#4a5560"),
    "values": Look(9.5, 12),
}


# A line of a label: its text, or (text, look) for a line in another look (a box's
# stakeholder, an indicator's unit); "" is an empty line.
LabelLine = str | tuple[str, str]
INLINE_LOOKS = ("subtitle", "unit")


@dataclass
class Label:
    """Text in a diagram: ``y`` is the baseline of the first line, in SVG units; ``width``
    the room it may take (print labels get it as their width, see :func:`_html_label`)."""

    x: float
    y: float
    lines: list[LabelLine]
    look: str
    width: float


def _svg_text(x: float, y: float, look_name: str, lines: list[str]) -> SafeString:
    look = LOOKS[look_name]
    # Both values come from LOOKS, never from user text.
    style = mark_safe(
        (f' font-weight="{look.weight}"' if look.weight else "")
        + (' font-style="italic"' if look.italic else "")
    )
    if len(lines) == 1:
        return format_html(
            '<text x="{}" y="{}" font-size="{}" fill="{}"{}>{}</text>',
            x,
            y,
            look.size,
            look.colour,
            style,
            lines[0],
        )
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, y + number * look.line_height, line) for number, line in enumerate(lines)),
    )
    return format_html(
        '<text font-size="{}" fill="{}"{}>{}</text>', look.size, look.colour, style, spans
    )


def _svg_label(label: Label) -> SafeString:
    """One text element for the label's own lines, one more per line in another look."""
    line_height = LOOKS[label.look].line_height
    own = [line for line in label.lines if isinstance(line, str)]
    parts = [_svg_text(label.x, label.y, label.look, own)]
    for number, line in enumerate(label.lines):
        if isinstance(line, tuple):
            text, look = line
            parts.append(_svg_text(label.x, label.y + number * line_height, look, [text]))
    return format_html_join("", "{}", ((part,) for part in parts))


# Source Sans 3: ascent 1.024 and descent 0.4 em. In a line box of height L, the baseline
# lies L/2 + 0.312 em below its top.
BASELINE_OFFSET_EM = 0.312


def _html_label(label: Label, scale: float) -> SafeString:
    """The label as an absolutely placed span (mm): WeasyPrint lays out SVG text one glyph at
    a time and HTML text a line at a time, so the print diagrams carry their words in HTML.
    A given width spares WeasyPrint measuring the words to find one; its lines are kept by
    ``white-space: pre``, which costs no element per line break."""
    look = LOOKS[label.look]
    top = label.y - look.line_height / 2 - BASELINE_OFFSET_EM * look.size
    lines = format_html_join(
        "\n",
        "{}",
        (
            (format_html('<i class="d-{}">{}</i>', line[1], line[0]),)
            if isinstance(line, tuple)
            else (line,)
            for line in label.lines
        ),
    )
    return format_html(
        '<span class="d-{}" style="left:{}mm;top:{}mm;width:{}mm">{}</span>',
        label.look,
        f"{label.x * scale:.2f}",
        f"{top * scale:.2f}",
        f"{label.width * scale:.2f}",
        lines,
    )


def _merged(labels: list[Label]) -> list[Label]:
    """Print labels merged with those below them in the same column and look, on the same
    line grid, with empty lines between: every placed element costs WeasyPrint time and
    memory. (The chain's boxes and the chart's rows are spaced in whole lines for this.)"""
    merged: list[Label] = []
    columns: dict[tuple, Label] = {}
    for label in labels:
        key = (label.x, label.look, label.width)
        previous = columns.get(key)
        if previous is not None:
            lines_down = (label.y - previous.y) / LOOKS[label.look].line_height
            empty = round(lines_down) - len(previous.lines)
            if abs(lines_down - round(lines_down)) < 0.01 and empty >= 0:
                previous.lines = [*previous.lines, *[""] * empty, *label.lines]
                continue
        columns[key] = replace(label, lines=list(label.lines))
        merged.append(columns[key])
    return merged


def diagram_label_css() -> str:
    """The print stylesheet's rules for the diagrams' HTML words, one per look. A diagram's
    font size is one SVG unit (see :func:`_figure`), so sizes in ``em`` are SVG units. The
    classes have a "d-" prefix: the report's own ``.goal`` must not style a diagram's goal."""
    rules = [".diagram-labels > span { position: absolute; white-space: pre; }"]
    for name, look in LOOKS.items():
        rule = (
            f".diagram-labels .d-{name} {{ font-size: {look.size}em; "
            f"line-height: {look.line_height / look.size:.4f}; color: {look.colour};"
        )
        if look.weight:
            rule += f" font-weight: {look.weight};"
        rule += " font-style: italic;" if look.italic else " font-style: normal;"
        rules.append(rule + " }")
    # A line in another look inside a label: sized against the label's own look.
    for name, look in LOOKS.items():
        for inline in INLINE_LOOKS:
            ratio = LOOKS[inline].size / look.size
            rules.append(f".diagram-labels .d-{name} .d-{inline} {{ font-size: {ratio:.4f}em; }}")
    return "\n".join(rules)


def _figure(
    svg_open: SafeString,
    shapes: list[str],
    labels: list[Label],
    *,
    width: float,
    height: float,
    print_width_mm: float | None,
) -> SafeString:
    """The diagram as SVG; with ``print_width_mm``, as an SVG of shapes that fills that
    width with its labels laid over it in HTML (for WeasyPrint, see :func:`_html_label`)."""
    body = mark_safe("".join(shapes))  # every shape is built with format_html
    if print_width_mm is None:
        text = format_html_join("", "{}", ((_svg_label(label),) for label in labels))
        return format_html("{}{}{}</svg>", svg_open, body, text)
    scale = print_width_mm / width
    return format_html(
        '<div class="diagram" style="width:{}mm;height:{}mm">{}{}</svg>'
        '<div class="diagram-labels" style="font-size:{}mm">{}</div></div>',
        f"{print_width_mm:.2f}",
        f"{height * scale:.2f}",
        svg_open,
        body,
        f"{scale:.5f}",
        format_html_join("", "{}", ((_html_label(label, scale),) for label in _merged(labels))),
    )


def _wrap(
    text: str,
    width: float,
    max_lines: int | None,
    *,
    size: float = FONT_SIZE,
    glyph_width: float = GLYPH_WIDTH,
) -> list[str]:
    """The text on lines that fit ``width`` (SVG units, less the padding); with
    ``max_lines``, at most that many, the last ending in "…" when text was left out."""
    chars = max(8, int((width - 2 * PADDING) / (size * glyph_width)))
    lines = _fill(text.split(), chars) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: chars - 1].rstrip() if len(last) >= chars else last) + "…"
    return lines


def _fill(words: list[str], chars: int) -> list[str]:
    """Words on lines of at most ``chars`` characters. A word too long for a line (Dutch
    compounds such as "praktijkverklaringen") is hyphenated where the language allows it,
    "praktijk-" / "verklaringen", and only cut anywhere when it has no such place."""
    lines: list[str] = []
    line = ""
    for word in words:
        while word:
            room = chars - len(line) - 1 if line else chars
            if len(word) <= room:
                line = f"{line} {word}" if line else word
                break
            split = hyphenator().wrap(word, room) if len(word) > chars and room > 2 else None
            if split:
                head, word = split
                line = f"{line} {head}" if line else head
            elif not line:
                head, word = word[:chars], word[chars:]
                line = head
            lines.append(line)
            line = ""
    if line:
        lines.append(line)
    return lines


def hyphenator() -> pyphen.Pyphen:
    """Hyphenation patterns of the language being used (pyphen comes with WeasyPrint)."""
    language = translation.get_language() or "nl"
    if language not in _HYPHENATORS:
        _HYPHENATORS[language] = pyphen.Pyphen(lang=language, left=3, right=3)
    return _HYPHENATORS[language]


_HYPHENATORS: dict[str, pyphen.Pyphen] = {}


def _column(
    items: list[tuple[str, str, str, list[str]]],
    max_lines: int | None,
    max_boxes: int = MAX_BOXES,
    *,
    width: float = COLUMN_WIDTH,
    bold: bool = False,
) -> list[Box]:
    """Boxes for (key, text, subtitle, links); the overflow folds into one "+ n more" box."""
    glyph_width = BOLD_GLYPH_WIDTH if bold else GLYPH_WIDTH
    subtitle = LOOKS["subtitle"]
    boxes = [
        Box(
            key=key,
            lines=_wrap(text, width, max_lines, glyph_width=glyph_width),
            # "↳ " takes the room of two more glyphs on the subtitle's first line.
            subtitle=_wrap(sub, width - 2 * subtitle.size * GLYPH_WIDTH, 2, size=subtitle.size)
            if sub
            else [],
            links=links,
            width=width,
        )
        for key, text, sub, links in items[:max_boxes]
    ]
    if len(items) > max_boxes:
        hidden = items[max_boxes:]
        boxes.append(
            Box(
                key="more",
                lines=[_("+ %(count)s more") % {"count": len(hidden)}],
                links=sorted({link for item in hidden for link in item[3]}),
                width=width,
                hidden=len(hidden),
            )
        )
    for box in boxes:
        box.height = 2 * PADDING + LINE_HEIGHT * (len(box.lines) + len(box.subtitle))
    return boxes


def _stack(boxes: list[Box], x: float, total_height: float) -> None:
    used = sum(b.height for b in boxes) + BOX_GAP * max(0, len(boxes) - 1)
    y = HEADER + (total_height - used) / 2
    for box in boxes:
        box.x = x
        box.y = y
        y += box.height + BOX_GAP


def chain_columns(
    data: dict,
    *,
    max_boxes: int = MAX_BOXES,
    max_lines: int | None = MAX_LINES,
    column_width: float = COLUMN_WIDTH,
    column_widths: Sequence[float] | None = None,
) -> list[list[Box]]:
    """Lay out the five columns of boxes from ``worksheet_data`` (or its report view);
    ``column_widths`` gives each column its own width (the one-page summary widens the
    effects), else every column is ``column_width`` wide."""
    widths = list(column_widths or [column_width] * 5)
    stakeholders = [
        (f"s{s['id']}", s.get("name", ""), "", []) for s in data.get("stakeholders", [])
    ]
    activities = []
    outputs = []
    outputs_of: dict[int, list[str]] = {}
    for activity in data.get("activities", []):
        activities.append(
            (
                f"a{activity['id']}",
                activity.get("title", ""),
                "",
                [f"s{i}" for i in activity.get("stakeholder_ids", [])],
            )
        )
        keys = []
        for output in activity.get("outputs", []):
            quantity = output.get("quantity")
            text = output.get("description", "")
            if quantity not in (None, ""):
                # "7.800 maaltijden" in Dutch: the number as the rest of the app writes it.
                amount = number_text(quantity)
                text = f"{amount} {output.get('unit', '')} · {text}".replace("  ", " ")
            outputs.append((f"o{output['id']}", text, "", [f"a{activity['id']}"]))
            keys.append(f"o{output['id']}")
        outputs_of[activity["id"]] = keys
    names = {s["id"]: s.get("name", "") for s in data.get("stakeholders", [])}
    effects = []
    for effect in data.get("effects", []):
        # An effect links to its activities through their outputs; without outputs, directly.
        links = []
        for activity_id in effect.get("activity_ids", []):
            links.extend(outputs_of.get(activity_id) or [f"a{activity_id}"])
        effects.append(
            (
                f"e{effect['id']}",
                effect.get("description", ""),
                names.get(effect.get("stakeholder_id"), ""),
                links,
            )
        )
    goal_text = (data.get("scope") or {}).get("impact_goal") or _("No impact goal yet")
    goal = [("goal", goal_text, "", [key for key, *_rest in effects[:max_boxes]])]
    if len(effects) > max_boxes:
        goal[0][3].append("more")

    def more(extra: int) -> int | None:
        return None if max_lines is None else max_lines + extra

    def column(number, items, lines, **options) -> list[Box]:
        return _column(items, lines, max_boxes, width=widths[number], **options)

    return [
        column(0, stakeholders, max_lines),
        column(1, activities, more(1)),
        column(2, outputs, max_lines),
        column(3, effects, more(1)),
        column(4, goal, None if max_lines is None else 3 * max_lines, bold=True),
    ]


@dataclass
class ChainLayout:
    """The chain's columns of boxes and its size in SVG units; ``lefts`` are the columns'
    left edges."""

    columns: list[list[Box]]
    lefts: list[float]
    width: float
    height: float
    inner_height: float

    @property
    def hidden(self) -> list[int]:
        """How many items each column folded into its "+ n more" box."""
        return [sum(box.hidden for box in column) for column in self.columns]


def chain_layout(
    data: dict,
    *,
    max_boxes: int = MAX_BOXES,
    max_lines: int | None = MAX_LINES,
    column_widths: Sequence[float] = (COLUMN_WIDTH,) * 5,
) -> ChainLayout:
    """The chain's boxes and size without drawing it: a page that must fit the chain in a
    given room tries options with this first. No queries."""
    columns = chain_columns(
        data, max_boxes=max_boxes, max_lines=max_lines, column_widths=column_widths
    )
    heights = [
        sum(b.height for b in column) + BOX_GAP * max(0, len(column) - 1) for column in columns
    ]
    inner_height = max([*heights, 60])
    lefts = [MARGIN + sum(column_widths[:number]) + number * GAP for number in range(5)]
    return ChainLayout(
        columns=columns,
        lefts=lefts,
        width=sum(column_widths) + 4 * GAP + 2 * MARGIN,
        height=HEADER + inner_height + MARGIN,
        inner_height=inner_height,
    )


def _path(start: Box, end: Box) -> str:
    x1 = start.x + start.width
    y1 = start.y + start.height / 2
    x2 = end.x
    y2 = end.y + end.height / 2
    middle = (x1 + x2) / 2
    return f"M{x1:.1f} {y1:.1f} C{middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} {x2:.1f} {y2:.1f}"


def chain_svg(
    source: Worksheet | dict,
    *,
    id_suffix: str = "",
    max_boxes: int = MAX_BOXES,
    max_lines: int | None = MAX_LINES,
    column_width: float = COLUMN_WIDTH,
    column_widths: Sequence[float] | None = None,
    print_width_mm: float | None = None,
) -> SafeString:
    """Return the impact chain as inline SVG markup; a Worksheet costs about ten queries.

    Boxes wrap their whole text unless ``max_lines`` is given; ``column_width`` (SVG units)
    sets how many words a line holds, so a page with room passes a wider one. With
    ``print_width_mm`` the chain is markup for the PDF reports instead: that wide, its
    words in HTML over an SVG of boxes and lines (see :func:`_figure`); ``column_widths``
    gives each column its own width."""
    if isinstance(source, Worksheet):
        from impact.worksheet.data import worksheet_data

        source = worksheet_data(source)
    data = source
    widths = list(column_widths or [column_width] * 5)
    layout = chain_layout(data, max_boxes=max_boxes, max_lines=max_lines, column_widths=widths)
    columns, width, height = layout.columns, layout.width, layout.height
    lefts = layout.lefts
    index: dict[str, Box] = {}
    for number, column in enumerate(columns):
        _stack(column, lefts[number], layout.inner_height)
        for box in column:
            index[f"{number}:{box.key}"] = box

    # Links: every box to the boxes it names in the column to its left. Effects may name an
    # activity two columns back when the activity has no outputs.
    paths = []
    for number, column in enumerate(columns[1:], start=1):
        for box in column:
            for link in box.links:
                start = index.get(f"{number - 1}:{link}") or index.get(f"{number - 2}:{link}")
                if start is not None:
                    paths.append(_path(start, box))

    headings = [
        _("Stakeholders"),
        _("Activities"),
        _("Outputs"),
        _("Effects"),
        _("Impact goal"),
    ]
    parts: list[str] = []
    labels: list[Label] = []
    for number, heading in enumerate(headings):
        x = lefts[number]
        labels.append(Label(x=x, y=16, lines=[heading], look="heading", width=widths[number]))
        parts.append(
            format_html(
                '<line x1="{}" y1="22" x2="{}" y2="22" stroke="#1f2a30" stroke-width="1"/>',
                x,
                x + widths[number],
            )
        )
    if paths:
        # One path element with a subpath per link: far cheaper to lay out than one each.
        parts.append(
            format_html(
                '<path class="links" d="{}" fill="none" stroke="#6b7780" stroke-width="1.1"/>',
                " ".join(paths),
            )
        )
    for number, column in enumerate(columns):
        fill, stroke, dash = COLUMN_LOOKS[number]
        dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
        for box in column:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" '
                    'stroke="{}" stroke-width="{}"{}/>',
                    box.x,
                    box.y,
                    box.width,
                    box.height,
                    fill,
                    stroke,
                    "1.6" if number == 4 else "1",
                    dash_attr,
                )
            )
            text_y = box.y + PADDING + FONT_SIZE
            labels.append(
                Label(
                    x=box.x + PADDING,
                    y=text_y,
                    lines=[
                        *box.lines,
                        *(
                            (f"↳ {line}" if index == 0 else f"   {line}", "subtitle")
                            for index, line in enumerate(box.subtitle)
                        ),
                    ],
                    look="goal" if number == 4 else "box",
                    width=box.width - PADDING,
                )
            )
    organisation = (data.get("organisation") or {}).get("name", "")
    suffix = f"{data.get('worksheet_id', 0)}{id_suffix}"
    description = _(
        "%(stakeholders)s stakeholders, %(activities)s activities, %(outputs)s outputs and "
        "%(effects)s effects leading to the impact goal: %(goal)s"
    ) % {
        "stakeholders": len(data.get("stakeholders", [])),
        "activities": len(data.get("activities", [])),
        "outputs": sum(len(a.get("outputs", [])) for a in data.get("activities", [])),
        "effects": len(data.get("effects", [])),
        "goal": (data.get("scope") or {}).get("impact_goal") or "–",
    }
    svg_open = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="impact-chain" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        "font-family=\"'Source Sans 3', 'DejaVu Sans', sans-serif\" "
        'aria-labelledby="chain-title-{s} chain-desc-{s}">'
        '<title id="chain-title-{s}">{title}</title><desc id="chain-desc-{s}">{desc}</desc>',
        w=width,
        h=f"{height:.0f}",
        s=suffix,
        title=_("Impact chain of %(organisation)s") % {"organisation": organisation},
        desc=description,
    )
    return _figure(
        svg_open,
        parts,
        labels,
        width=width,
        height=round(height),
        print_width_mm=print_width_mm,
    )


def indicator_chart_svg(
    indicators: list[dict], *, id_suffix: str = "", print_width_mm: float | None = None
) -> SafeString:
    """Return horizontal bars of baseline, target and latest result per numeric indicator.

    ``indicators`` come from ``report_view``; each row has its own scale, since units differ.
    Bars differ in fill and outline (grey, outlined, solid), so they read in black and white.
    """
    rows = [
        i
        for i in indicators
        if i.get("kind") != "qualitative"
        and (i.get("target") is not None or i.get("latest") is not None)
    ]
    if not rows:
        return mark_safe("")
    # Rows are four lines of 12 high (name, unit; three values), see _merged.
    label_width, bar_width, row_height, bar = 230, 330, 48, 9
    width = label_width + bar_width + 90
    top = 26
    height = top + row_height * len(rows) + 4
    bars = (
        (_("baseline"), "#c9cfd3", "#7b868d", ""),
        (_("target"), "#ffffff", "#1f2a30", "3 2"),
        (_("measured"), "#1d5c4f", "#1d5c4f", ""),
    )
    parts = []
    labels: list[Label] = []
    x = label_width
    for label, fill, stroke, dash in bars:
        dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
        parts.append(
            format_html(
                '<rect x="{}" y="6" width="14" height="{}" fill="{}" stroke="{}"{}/>',
                x,
                bar,
                fill,
                stroke,
                dash_attr,
            )
        )
        labels.append(Label(x=x + 19, y=14, lines=[label], look="name", width=80))
        x += 100
    for number, row in enumerate(rows):
        y = top + number * row_height
        latest = row.get("latest")
        values = [row.get("baseline"), row.get("target"), latest["value"] if latest else None]
        scale = max([v for v in values if v is not None and v > 0] or [1])
        name_lines = _wrap(row.get("name", ""), label_width - 10 + 2 * PADDING, 2)
        unit = row.get("unit", "")
        lines: list[LabelLine] = [*name_lines, *([(unit, "unit")] if unit else [])]
        labels.append(Label(x=0, y=y + 12, lines=lines, look="name", width=label_width))
        # The values stand in a column right of the bars, one line a bar: one label a row.
        value_lines = []
        for index, ((_label_text, fill, stroke, dash), value) in enumerate(
            zip(bars, values, strict=True)
        ):
            if value is None:
                value_lines.append("–")
                continue
            text = number_text(value)
            progress = row.get("progress") if index == 2 else None
            if progress is not None and progress.percent is not None:
                # The measured value with its share of the way, as the text beside says.
                text = f"{text} · {progress.percent}%"
            value_lines.append(text)
            length = round(max(1.5, float(max(value, 0) / scale) * bar_width), 1)
            dash_attr = format_html(' stroke-dasharray="{}"', dash) if dash else ""
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" '
                    'stroke-width="0.8"{}/>',
                    label_width,
                    y + 4 + index * (bar + 3),
                    length,
                    bar,
                    fill,
                    stroke,
                    dash_attr,
                )
            )
        labels.append(
            Label(
                x=label_width + bar_width + 8,
                y=y + 3 + bar,
                lines=value_lines,
                look="values",
                width=width - label_width - bar_width - 8,
            )
        )
        parts.append(
            format_html(
                '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="#d9dfdc" stroke-width="0.6"/>',
                y + row_height - 6,
                width,
                y + row_height - 6,
            )
        )
    svg_open = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        "font-family=\"'Source Sans 3', 'DejaVu Sans', sans-serif\" "
        'aria-labelledby="chart-title-{s}">'
        '<title id="chart-title-{s}">{title}</title>',
        w=width,
        h=height,
        s=id_suffix,
        title=_("Targets and measured values per indicator"),
    )
    return _figure(
        svg_open, parts, labels, width=width, height=height, print_width_mm=print_width_mm
    )
