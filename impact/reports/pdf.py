"""PDF reports: pure functions from worksheets (or their ``worksheet_data``) to PDF bytes.

Templates in ``templates/impact/pdf/`` render escaped HTML; WeasyPrint lays it out with the
print stylesheet ``static/pdf/report.css``. WeasyPrint only ever sees our own markup and a
:class:`SafeURLFetcher` that serves ``data:`` URLs, files under ``static/`` and the
organisation's own stored logo; everything else is refused. WeasyPrint is imported lazily:
the import alone takes about a second.
"""

from __future__ import annotations

import concurrent.futures
import logging
import mimetypes
import threading
import time
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impact.models import Snapshot, ValueStep, Worksheet
from impact.questionnaire.charts import with_charts
from impact.questionnaire.selectors import questionnaire_lines, worksheet_results
from impact.reports import isolation
from impact.value import report as value_report
from impact.worksheet import services
from impact.worksheet.chain import (
    ChainLayout,
    chain_layout,
    chain_svg,
    diagram_label_css,
    indicator_chart_svg,
)
from impact.worksheet.data import (
    cohort_report_worksheets,
    cohort_summary_rows,
    collaboration,
    feedback_comments,
    key_indicators,
    report_view,
    report_worksheets,
    summary_gaps,
    worksheet_data,
    worksheet_data_from_snapshot,
)
from organisations.fields import printable
from organisations.logos import safe_logo_path
from trainings.models import Cohort, Session

logger = logging.getLogger(__name__)
# WeasyPrint reports every laid-out page at INFO; keep that out of the server log.
logging.getLogger("weasyprint.progress").propagate = False

STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET = STATIC_DIR / "pdf" / "report.css"
# The text width of the reports' A4 pages: 210 mm less the @page margins in report.css.
CONTENT_WIDTH_MM = 210 - 20 - 18
ProgressCallback = Callable[[int], None]


class ReportRenderError(Exception):
    """The report could not be rendered; the message is safe to show."""


class FetchRefused(ValueError):
    pass


class TooManyPages(Exception):
    """The document laid out on more pages than allowed (see :func:`html_to_pdf`)."""


def _fetcher_base():
    from weasyprint.urls import URLFetcher

    return URLFetcher


@cache
def _fetcher_class():
    URLFetcher = _fetcher_base()

    class SafeURLFetcher(URLFetcher):
        """Serve ``data:`` URLs, files under ``static/`` and the allowed logo files; refuse all
        else (other files, http(s), ftp, redirects). Paths are resolved before the check, so
        ``..`` and symlinks cannot leave the allowed folders."""

        def __init__(self, *, allowed_files: Iterable[Path] = (), **kwargs) -> None:
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, **kwargs)
            self.allowed_files = {Path(p).resolve() for p in allowed_files}
            self.static_dir = STATIC_DIR.resolve()

        def fetch(self, url: str, headers=None):
            from weasyprint.urls import URLFetcherResponse

            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                logger.warning("PDF fetcher refused %s", url[:200])
                raise FetchRefused(f"refused: {url[:200]}")
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"refused: {url[:200]}")
            path = Path(unquote(parts.path)).resolve()
            allowed = path in self.allowed_files or (
                path.is_relative_to(self.static_dir) and path.is_file()
            )
            if not allowed:
                logger.warning("PDF fetcher refused %s", url[:200])
                raise FetchRefused(f"refused: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".woff":
                content_type = "font/woff"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return SafeURLFetcher


def safe_url_fetcher(*, allowed_files: Iterable[Path] = ()):
    """Return a fetcher that serves only data: URLs, static files and ``allowed_files``."""
    return _fetcher_class()(allowed_files=allowed_files)


_thread_state = threading.local()


def _fonts_and_stylesheets():
    """The font configuration and the print stylesheets, parsed once per thread.

    ``@font-face`` rules register their fonts in the FontConfiguration given when the CSS
    is parsed, so both are kept together; Pango objects are not shared between threads.
    """
    cached = getattr(_thread_state, "styles", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), url_fetcher=safe_url_fetcher(), font_config=font_config)
        labels = CSS(string=diagram_label_css(), font_config=font_config)
        cached = _thread_state.styles = (font_config, [css, labels])
    return cached


def page_label_css() -> SafeString:
    """CSS ``content`` for "Page 3 of 12" in the active language, from a translated string."""

    def css_string(text: str) -> str:
        cleaned = "".join(ch for ch in text if ch not in '"\\<>\n\r')
        return f'"{cleaned}"'

    template = _("Page %(page)s of %(pages)s")
    before, _sep, rest = template.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")
    # Built from a translation only, never from user text; quotes and backslashes removed.
    return mark_safe(
        f"{css_string(before)} counter(page) {css_string(middle)} counter(pages) "
        f"{css_string(after)}"
    )


@cache
def _cache_page_references() -> None:
    """Make pydyf's ``PDF.page_references`` a cached tuple instead of one rebuilt per use.

    WeasyPrint's PDF tags read it once per tagged element, so rebuilding a reference to every
    page each time made a tagged report's time grow with elements × pages (a tenth of a
    30-organisation cohort report). Pages are only ever appended to ``Kids``, so the tuple
    is rebuilt whenever its length changes. Left alone if pydyf no longer has the property.
    """
    import pydyf

    original = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(original, property):  # pragma: no cover - a changed pydyf
        return

    def page_references(self) -> tuple:
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(self))
            self.__dict__["_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)


def html_to_pdf(
    html: str, *, allowed_files: Iterable[Path] = (), max_pages: int | None = None
) -> bytes:
    """Lay out ``html`` with WeasyPrint and return the PDF, tagged for accessibility.

    With ``max_pages``, raise :class:`TooManyPages` when the layout takes more pages, before
    the (costlier) writing of the PDF."""
    from weasyprint import HTML

    _cache_page_references()
    fetcher = safe_url_fetcher(allowed_files=allowed_files)
    document = HTML(string=printable(html), base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    font_config, stylesheets = _fonts_and_stylesheets()
    options = {"stylesheets": stylesheets, "attachments": [], **_accessibility_options()}
    laid_out = document.render(font_config=font_config, **options)
    if max_pages is not None and len(laid_out.pages) > max_pages:
        raise TooManyPages(len(laid_out.pages))
    return laid_out.write_pdf(**options)


@cache
def _accessibility_options() -> dict:
    """PDF/UA-1 where WeasyPrint offers it (70 does: tags, title and language), else tags."""
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - older WeasyPrint
        return {"pdf_tags": True}
    if "pdf/ua-1" in VARIANTS:
        return {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    return {"pdf_tags": True}  # pragma: no cover


_executor_lock = threading.Lock()
_executor: concurrent.futures.ThreadPoolExecutor | None = None


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=2, thread_name_prefix="pdf"
            )
        return _executor


def render_with_limit(
    html: str,
    *,
    allowed_files: Iterable[Path] = (),
    progress: ProgressCallback | None = None,
    expected_pages: int = 1,
    max_pages: int | None = None,
) -> bytes:
    """Render in a child process (see :mod:`impact.reports.isolation`) that is stopped after
    ``IMPACTLAB_PDF_TIMEOUT`` seconds or when it needs more than ``IMPACTLAB_PDF_MEMORY_MB``;
    either ends in ReportRenderError with a message to show.

    ``progress`` is called from this (the calling) thread with 40–95 % as WeasyPrint lays
    out pages, so it may write to the database. Without fork, the render runs in a worker
    thread, which cannot be stopped: a render past the limit finishes unseen in the
    background; the caller gets ReportRenderError at once.
    """
    files = list(allowed_files)
    if isolation.available():
        return _render_isolated(html, files, progress, expected_pages, max_pages)
    timeout = getattr(settings, "IMPACTLAB_PDF_TIMEOUT", 120)
    pages = [0]

    def job() -> bytes:
        handler = _LayoutProgress(pages) if progress else None
        if handler:
            PROGRESS_LOGGER = logging.getLogger("weasyprint.progress")
            PROGRESS_LOGGER.addHandler(handler)
            PROGRESS_LOGGER.setLevel(logging.INFO)
        try:
            if max_pages is None:
                return html_to_pdf(html, allowed_files=files)
            return html_to_pdf(html, allowed_files=files, max_pages=max_pages)
        finally:
            if handler:
                PROGRESS_LOGGER.removeHandler(handler)

    future = _pool().submit(job)
    deadline = time.monotonic() + timeout
    reported = 0
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise concurrent.futures.TimeoutError
            return future.result(timeout=min(0.5, remaining) if progress else remaining)
        except concurrent.futures.TimeoutError as error:
            if time.monotonic() < deadline:
                # Repagination starts again from page 1: report only forward steps.
                if progress and pages[0] > reported:
                    reported = pages[0]
                    progress(min(95, 40 + reported * 55 // max(1, expected_pages)))
                continue
            logger.error("PDF rendering took longer than %s seconds", timeout)
            raise ReportRenderError(
                _("The report took too long to make. Try again later, or ask for a smaller one.")
            ) from error
        except TooManyPages:
            raise
        except Exception as error:
            logger.exception("PDF rendering failed")
            raise ReportRenderError(
                _("The report could not be made. The error has been logged.")
            ) from error


def _too_long() -> ReportRenderError:
    return ReportRenderError(
        _("The report took too long to make. Try again later, or ask for a smaller one.")
    )


def _isolated(function, *args, on_progress=None):
    """``function(*args, send_progress)`` through :func:`isolation.run`, with its failures
    as ReportRenderError and TooManyPages passed on."""
    # Parsed here once per thread, so that every child starts with the fonts and styles.
    _fonts_and_stylesheets()
    try:
        result = isolation.run(function, *args, on_progress=on_progress)
    except isolation.RenderTimeout as error:
        logger.error("PDF rendering took longer than %s seconds", isolation.timeout_seconds())
        raise _too_long() from error
    except isolation.RenderOutOfMemory as error:
        logger.error("PDF rendering needed more than %s bytes", isolation.memory_bytes())
        raise ReportRenderError(
            _(
                "The report needed more memory than a report may use. Ask for a smaller one "
                "(without feedback, say), or try again later."
            )
        ) from error
    except isolation.RenderFailed as error:
        logger.error("PDF rendering failed: %s", error)
        raise ReportRenderError(
            _("The report could not be made. The error has been logged.")
        ) from error
    if isinstance(result, tuple) and result[:1] == (TooManyPages.__name__,):
        raise TooManyPages(result[1])
    return result


def _render_isolated(html, files, progress, expected_pages, max_pages) -> bytes:
    reported = [0]

    def on_progress(page: int) -> None:
        # Repagination starts again from page 1: report only forward steps.
        if progress and page > reported[0]:
            reported[0] = page
            progress(min(95, 40 + page * 55 // max(1, expected_pages)))

    def job(send_progress):
        handler = _LayoutProgress(None, send=send_progress) if progress else None
        progress_logger = logging.getLogger("weasyprint.progress")
        if handler:
            progress_logger.addHandler(handler)
            progress_logger.setLevel(logging.INFO)
        try:
            return html_to_pdf(html, allowed_files=files, max_pages=max_pages)
        except TooManyPages as error:
            return (TooManyPages.__name__, error.args[0])
        finally:
            if handler:
                progress_logger.removeHandler(handler)

    return _isolated(job, on_progress=on_progress)


class _LayoutProgress(logging.Handler):
    """Counts WeasyPrint's "Creating layout - Page n" messages of the thread that made it."""

    def __init__(self, pages: list[int] | None, send: Callable[[int], None] | None = None) -> None:
        super().__init__()
        self.pages = pages
        self.send = send
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread or "layout - Page" not in str(record.msg):
            return
        if record.args and isinstance(record.args[0], int):
            if self.send:
                self.send(record.args[0])
            else:
                self.pages[0] = record.args[0]


def _logo_file(worksheet: Worksheet) -> Path | None:
    """The organisation's own stored logo, if it is a file inside MEDIA_ROOT that is no
    larger than a re-encoded upload (an older upload may be). Reads the image's header."""
    logo = worksheet.enrolment.organisation.logo
    if not logo:
        return None
    media_root = Path(settings.MEDIA_ROOT).resolve()
    try:
        path = Path(logo.path).resolve()
    except (ValueError, NotImplementedError):
        return None
    if path.is_relative_to(media_root) and path.is_file() and safe_logo_path(path):
        return path
    return None


def _organisation_context(
    data: dict,
    *,
    logo: Path | None,
    feedback: list[dict] | None,
    number: int = 0,
) -> dict:
    view = report_view(data)
    suffix = f"-{number}" if number else ""
    # The reports draw the diagrams across the text width with their words in HTML, which
    # WeasyPrint lays out far faster than SVG text.
    return {
        "r": view,
        "chain": chain_svg(data, id_suffix=suffix, print_width_mm=CONTENT_WIDTH_MM),
        "chart": indicator_chart_svg(
            view["indicators"],
            id_suffix=f"{data['worksheet_id']}{suffix}",
            print_width_mm=CONTENT_WIDTH_MM,
        ),
        "logo_url": logo.as_uri() if logo else "",
        "feedback": feedback,
        "anchor": f"org-{data['worksheet_id']}",
    }


def _source(
    worksheet: Worksheet, session_id: int | None
) -> tuple[dict, Session | None, Worksheet | None]:
    """(data, session, worksheet with every report row loaded): the last is None for the
    end of a session, whose rows come from its snapshot (see :func:`worksheet_source`)."""
    if session_id is None:
        full = report_worksheets().get(pk=worksheet.pk)
        return worksheet_data(full), None, full
    try:
        snapshot = Snapshot.objects.select_related("session").get(
            worksheet=worksheet, session_id=session_id
        )
    except Snapshot.DoesNotExist:
        ended = services.ended_sessions(cohort=worksheet.enrolment.cohort)
        session = next((s for s in ended if s.pk == session_id), None)
        if session is None:
            raise
        snapshot = services.snapshot_at_end(worksheet=worksheet, session=session)
    return worksheet_data_from_snapshot(worksheet, snapshot.data), snapshot.session, None


def worksheet_source(worksheet: Worksheet, session_id: int | None = None) -> tuple[dict, object]:
    """Return (data, session) for a report of now, or of the end of the session (snapshot).

    A session that ended but whose snapshot ``take_snapshots`` has not stored yet is folded
    from the revisions (two queries more), without storing it. Raises
    ``Snapshot.DoesNotExist`` for any other session.
    """
    data, session, _full = _source(worksheet, session_id)
    return data, session


def value_context(
    worksheet: Worksheet, full: Worksheet | None, view: dict, *, label_length: int = 60
) -> dict:
    """The report's value step: ``value`` (see ``impact.value.report.report_context``) when
    it is switched on, else None. A report of the end of a session has none, since the
    history keeps no value step; ``value_not_kept`` then says whether one is on now (one
    query). No queries for a report of now."""
    if full is None:
        kept = ValueStep.objects.filter(worksheet=worksheet, is_enabled=True).exists()
        return {"value": None, "value_not_kept": kept}
    overview = value_report.overview_of(full)
    if overview is None:
        return {"value": None, "value_not_kept": False}
    numbers = {effect["id"]: effect["number"] for effect in view["effects"]}
    return {
        "value": value_report.report_context(overview, numbers=numbers, label_length=label_length),
        "value_not_kept": False,
    }


def render_organisation_pdf(
    worksheet: Worksheet,
    *,
    session_id: int | None = None,
    include_feedback: bool = False,
) -> bytes:
    """The organisation's impact report as PDF bytes, in the active language."""
    data, session, full = _source(worksheet, session_id)
    logo = _logo_file(worksheet)
    feedback = feedback_comments(worksheet) if include_feedback else None
    context = _organisation_context(data, logo=logo, feedback=feedback)
    # As the reports show them: no group of fewer than 5 answers, no answers in words.
    questionnaires = [
        (questionnaire, with_charts(results))
        for questionnaire, results in worksheet_results(
            worksheet=worksheet, until=session.ends if session else None
        )
    ]
    html = render_to_string(
        "impact/pdf/organisation_report.html",
        {
            **context,
            "questionnaires": questionnaires,
            **value_context(worksheet, full, context["r"]),
            "session": session,
            "generated_on": timezone.localdate(),
            "page_label": page_label_css(),
            "language": translation.get_language(),
        },
    )
    return render_with_limit(html, allowed_files=[logo] if logo else [])


# The one-page summary: A4 less the margins of ``@page single`` in report.css.
SUMMARY_WIDTH_MM = 210 - 15 - 15
SUMMARY_HEIGHT_MM = 297 - 14 - 12
# Its chain gives the effects (the longest texts) the most room, so that most take two
# lines, and the goal (printed in full above the chain) the least. 860 units in all: at
# 180 mm its words print at 6.9 pt, the size of the full report's chain.
SUMMARY_COLUMNS = (104, 120, 112, 270, 118)
# From the whole chain to the shortest: (boxes a column, lines a box). The first that fits
# the room left on the page is drawn; what a column leaves out is named below it.
SUMMARY_CHAIN_STEPS = ((12, None), (12, 4), (10, 3), (8, 3), (7, 2), (6, 2), (5, 2), (4, 1))
SUMMARY_INDICATORS = 6
SUMMARY_QUESTIONNAIRES = 3  # a line each
# The effect's words in the summary's line on the value step, per assumption named.
SUMMARY_LABEL_LENGTH = 32
# A whole chain up to this high (mm) is tried before the page is measured: with a filled-in
# worksheet around it (the demo's Restaurant Deksels), about 125 mm are left.
SUMMARY_CHAIN_TRY_MM = 130
# The bottom of the summary's text area, from the top of the page, in mm.
SUMMARY_BOTTOM_MM = 297 - 12
SUMMARY_END = "summary-end"  # the id of the mark after the summary's last line
MM_PER_PX = 25.4 / 96


def _free_height_mm(html: str) -> float:
    """The height left below the summary's last line (its ``#summary-end`` mark): zero when
    the page already runs over. One layout, no PDF written."""
    from weasyprint import HTML

    base_url = STATIC_DIR.as_uri() + "/"
    document = HTML(string=printable(html), base_url=base_url, url_fetcher=safe_url_fetcher())
    font_config, stylesheets = _fonts_and_stylesheets()
    pages = document.render(font_config=font_config, stylesheets=stylesheets).pages
    if len(pages) > 1 or SUMMARY_END not in pages[0].anchors:
        return 0
    return max(0, SUMMARY_BOTTOM_MM - pages[0].anchors[SUMMARY_END][1] * MM_PER_PX)


def _within_limit(function, *args):
    """``function(*args)`` under the limits of :func:`render_with_limit`: in a child
    process, or else in the PDF worker pool (fonts and styles are kept per thread)."""
    if isolation.available():
        return _isolated(lambda send_progress: function(*args))
    future = _pool().submit(function, *args)
    try:
        return future.result(timeout=getattr(settings, "IMPACTLAB_PDF_TIMEOUT", 120))
    except concurrent.futures.TimeoutError as error:
        logger.error("PDF layout took longer than the time limit")
        raise ReportRenderError(
            _("The report took too long to make. Try again later, or ask for a smaller one.")
        ) from error
    except Exception as error:
        logger.exception("PDF layout failed")
        raise ReportRenderError(
            _("The report could not be made. The error has been logged.")
        ) from error


def summary_context(data: dict, *, logo: Path | None) -> dict:
    """What the one-page summary shows besides its chain. No queries."""
    view = report_view(data)
    indicators = key_indicators(view["indicators"], limit=len(view["indicators"]))
    shown = indicators[:SUMMARY_INDICATORS]
    periods = {i["latest"]["period"] for i in shown if i["latest"]}
    return {
        "r": view,
        "goal": Truncator(view["scope"].get("impact_goal") or "").chars(420),
        "key_message": Truncator(view["learning"].get("key_message") or "").chars(240),
        "quote": Truncator(view["learning"].get("quote") or "").chars(260),
        "key_indicators": shown,
        "more_indicators": len(indicators) - len(shown),
        # One period for all results goes in the heading; several get a column.
        "period": periods.pop() if len(periods) == 1 else "",
        "gaps": summary_gaps(view),
        "has_chain": any(view[name] for name in ("stakeholders", "activities", "effects")),
        "logo_url": logo.as_uri() if logo else "",
        "end_id": SUMMARY_END,
    }


def chain_note(hidden: list[int], *, shortened: bool) -> str:
    """The line below a chain that left things out: what, and where to find it all."""
    nouns = (
        lambda n: ngettext("%(count)s stakeholder", "%(count)s stakeholders", n),
        lambda n: ngettext("%(count)s activity", "%(count)s activities", n),
        lambda n: ngettext("%(count)s output", "%(count)s outputs", n),
        lambda n: ngettext("%(count)s effect", "%(count)s effects", n),
    )
    parts = [noun(n) % {"count": n} for noun, n in zip(nouns, hidden, strict=False) if n]
    sentences = []
    if parts:
        sentences.append(
            _("Not on this page: %(parts)s.") % {"parts": get_text_list(parts, _("and"))}
        )
    if shortened:
        sentences.append(_("Long texts end in “…”."))
    if sentences:
        sentences.append(_("The full report shows the whole chain."))
    return " ".join(sentences)


def _summary_chains(data: dict) -> list[tuple[ChainLayout, dict]]:
    """(layout, chain_svg options) for each step of the summary's chain, whole one first."""
    chains = []
    for max_boxes, max_lines in SUMMARY_CHAIN_STEPS:
        options = {"max_boxes": max_boxes, "max_lines": max_lines, "column_widths": SUMMARY_COLUMNS}
        chains.append((chain_layout(data, **options), options))
    return chains


def _note_for(layout: ChainLayout) -> str:
    shortened = any(
        line.endswith("…") for column in layout.columns for box in column for line in box.lines
    )
    return chain_note(layout.hidden, shortened=shortened)


def render_summary_pdf(worksheet: Worksheet, *, session_id: int | None = None) -> bytes:
    """A one-page A4 impact summary: goal, target groups, the chain as large as the page
    allows, key figures, a line per questionnaire and the key message.

    A short whole chain is tried first. Otherwise the page is laid out once without its
    chain to measure the room left, and the chain takes the largest step that fits; should
    the page still run over, the next smaller one is tried."""
    data, session, full = _source(worksheet, session_id)
    logo = _logo_file(worksheet)
    summary = summary_context(data, logo=logo)
    # The summary names no effect numbers, and its line has room for short labels only;
    # a summary of the end of a session leaves the value step out without a word.
    value = (
        value_context(worksheet, full, {"effects": []}, label_length=SUMMARY_LABEL_LENGTH)
        if full
        else {"value": None}
    )
    # One line a questionnaire, as reports show them: nothing of fewer than 5 responses.
    asked = questionnaire_lines(worksheet=worksheet, until=session.ends if session else None)
    context = {
        **summary,
        "value": value["value"],
        "questionnaires": asked[:SUMMARY_QUESTIONNAIRES],
        "more_questionnaires": len(asked[SUMMARY_QUESTIONNAIRES:]),
        "session": session,
        "generated_on": timezone.localdate(),
        "language": translation.get_language(),
    }
    files = [logo] if logo else []
    if not context["has_chain"]:
        html = render_to_string("impact/pdf/summary.html", {**context, "chain": ""})
        return render_with_limit(html, allowed_files=files)
    chains = _summary_chains(data)
    scale = SUMMARY_WIDTH_MM / chains[0][0].width
    notes = [_note_for(layout) for layout, _options in chains]

    def render(number: int) -> bytes:
        html = render_to_string(
            "impact/pdf/summary.html",
            {
                **context,
                "chain": chain_svg(data, print_width_mm=SUMMARY_WIDTH_MM, **chains[number][1]),
                "chain_note": notes[number],
            },
        )
        last = number == len(chains) - 1
        return render_with_limit(html, allowed_files=files, max_pages=None if last else 1)

    # A whole chain this short usually fits as it is: trying it spares the measuring.
    if chains[0][0].height * scale <= SUMMARY_CHAIN_TRY_MM:
        try:
            return render(0)
        except TooManyPages:
            pass
    # Measured with the longest note below an empty chain, so any chain's note fits.
    empty_chain = mark_safe('<div class="diagram"></div>')
    probe = render_to_string(
        "impact/pdf/summary.html",
        {**context, "chain": empty_chain, "chain_note": max(notes, key=len)},
    )
    room = _within_limit(_free_height_mm, probe)
    first = next(
        (n for n, (layout, _options) in enumerate(chains) if layout.height * scale <= room),
        len(chains) - 1,
    )
    for number in range(first, len(chains)):
        try:
            return render(number)
        except TooManyPages:
            continue
    raise AssertionError("unreachable: the last chain renders without a page limit")


def cohort_datasets(cohort: Cohort, session: Session | None = None) -> list[tuple[Worksheet, dict]]:
    """(worksheet, report data) for each organisation of the cohort: now, or as at the end
    of ``session`` from the snapshots. A constant number of queries; one more per worksheet
    whose snapshot is still missing (``take_snapshots`` normally took it), which is read
    from the history instead."""
    if session is None:
        return [
            (worksheet, worksheet_data(worksheet))
            for worksheet in cohort_report_worksheets(cohort=cohort)
        ]
    worksheets = (
        Worksheet.objects.filter(enrolment__cohort=cohort, enrolment__withdrawn_at__isnull=True)
        .select_related("enrolment__organisation", "enrolment__cohort__training")
        .prefetch_related("measurement_moments")
    )
    snapshots = dict(
        Snapshot.objects.filter(session=session, worksheet__in=worksheets).values_list(
            "worksheet_id", "data"
        )
    )
    datasets = []
    for worksheet in worksheets:
        data = snapshots.get(worksheet.pk)
        if data is None:
            data = services.snapshot_at_end(worksheet=worksheet, session=session).data
        datasets.append((worksheet, worksheet_data_from_snapshot(worksheet, data)))
    return datasets


def cohort_report_html(
    cohort: Cohort,
    *,
    session: Session | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[str, list[Path]]:
    """Return the cohort report's HTML (now, or as at the end of ``session``) and the logo
    files it may load.

    Queries: a constant number for the cohort (prefetching), whatever its size.
    """
    worksheets = cohort_datasets(cohort, session)
    sections = []
    datasets = []
    logos = []
    for number, (worksheet, data) in enumerate(worksheets, start=1):
        datasets.append(data)
        logo = _logo_file(worksheet)
        if logo:
            logos.append(logo)
        sections.append(_organisation_context(data, logo=logo, feedback=None, number=number))
        if progress:
            progress(number * 40 // max(1, len(worksheets)))
    views = [section["r"] for section in sections]
    summary_rows = cohort_summary_rows(views)
    # Whether each organisation made a value step: never its amounts, which rest on each
    # organisation's own assumptions. The history keeps no value step, so a report of the
    # end of a session leaves the column out.
    statuses = (
        [value_report.status(value_report.value_step_of(w)) for w, _data in worksheets]
        if session is None
        else []
    )
    show_value = any(code != value_report.OFF for code in statuses)
    if show_value:
        for row, code in zip(summary_rows, statuses, strict=True):
            row["value_label"] = value_report.status_label(code)
    html = render_to_string(
        "impact/pdf/cohort_report.html",
        {
            "cohort": cohort,
            "session": session,
            "sections": sections,
            "summary_rows": summary_rows,
            "show_value": show_value,
            "collaboration": collaboration(datasets),
            "generated_on": timezone.localdate(),
            "page_label": page_label_css(),
            "language": translation.get_language(),
        },
    )
    return html, logos


def render_cohort_pdf(
    cohort: Cohort,
    *,
    session: Session | None = None,
    progress: ProgressCallback | None = None,
) -> bytes:
    """The cohort report as PDF bytes: overview, collaboration, then one section per
    organisation; of now, or as at the end of ``session``. ``progress`` receives percentages
    (0–40 while the sections are built, 40–95 while pages are laid out)."""
    html, logos = cohort_report_html(cohort, session=session, progress=progress)
    organisations = html.count('class="organisation-section"')
    return render_with_limit(
        html, allowed_files=logos, progress=progress, expected_pages=3 + 3 * organisations
    )
