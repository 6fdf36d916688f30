"""Benchmarks of the PDF reports: time and peak memory, as ratios within one run.

    .venv/bin/python bench/run.py          (or: make bench)

Builds a throwaway SQLite database in a temporary folder with the test factories (an
organisation report, and cohorts of 8 and 30 organisations), then measures every scenario
in a fresh subprocess so that peak memory (ru_maxrss) belongs to that scenario alone:

- the full report path (queries, templates, SVGs, WeasyPrint) against WeasyPrint alone
  rendering the same HTML already in memory (target: overhead at most 1.15×); for this
  ratio both paths also run in turns in one process, so that the load of a neighbour on a
  shared machine weighs on both alike;
- 30 against 8 organisations (linear growth: at most 30/8 = 3.75× the time).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(data_dir: str) -> None:
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["IMPACTLAB_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactlab.settings")
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def build(data_dir: str) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories import (
        CohortFactory,
        EnrolmentFactory,
        OrganisationFactory,
        WorksheetFactory,
        make_worksheet_content,
    )

    themes = ["UWV", "Gemeente", "Voedselbank", "Leerwerkbedrijf", "ROC", "Woningcorporatie"]

    def cohort_of(size: int, name: str):
        cohort = CohortFactory(name=name)
        worksheets = []
        for number in range(size):
            organisation = OrganisationFactory(name=f"Kringloop {name} {number + 1}")
            worksheet = WorksheetFactory(
                enrolment=EnrolmentFactory(cohort=cohort, organisation=organisation)
            )
            make_worksheet_content(
                worksheet,
                stakeholders=(
                    "Deelnemers",
                    "Jobcoaches",
                    "Vrijwilligers",
                    themes[number % len(themes)],
                    themes[(number + 2) % len(themes)],
                    f"Lokale partner {number}",
                ),
                target_groups=("Jongeren", "Nieuwkomers" if number % 2 else "Statushouders"),
                activities=3,
                effects=4,
                results=2,
            )
            worksheets.append(worksheet)
        return cohort, worksheets

    cohort8, worksheets8 = cohort_of(8, "Ronde A")
    cohort30, _worksheets30 = cohort_of(30, "Ronde B")
    return {"worksheet": worksheets8[0].pk, "cohort8": cohort8.pk, "cohort30": cohort30.pk}


def measure(scenario: str, ids: dict, repeat: int) -> dict:
    """Run one scenario in this process; return median seconds and peak memory."""
    from django.utils import translation

    from impact.models import Worksheet
    from impact.reports import pdf
    from trainings.models import Cohort

    translation.activate("nl")
    worksheet = Worksheet.objects.get(pk=ids["worksheet"])
    # Warm up: imports, fonts and the parsed stylesheet, as in a running server.
    pdf.render_summary_pdf(worksheet)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    kind, _sep, subject = scenario.partition(":")
    if subject == "organisation":
        full = lambda: pdf.render_organisation_pdf(worksheet)  # noqa: E731
        html = ""
    else:
        cohort = Cohort.objects.get(pk=ids[subject])
        full = lambda: pdf.render_cohort_pdf(cohort)  # noqa: E731
    if kind in ("weasyprint", "interleaved"):
        if subject == "organisation":
            data, _session = pdf.worksheet_source(worksheet)
            from django.template.loader import render_to_string
            from django.utils import timezone

            context = pdf._organisation_context(data, logo=None, feedback=None)
            html = render_to_string(
                "impact/pdf/organisation_report.html",
                {
                    **context,
                    "session": None,
                    "generated_on": timezone.localdate(),
                    "page_label": pdf.page_label_css(),
                    "language": "nl",
                },
            )
        else:
            html, _logos = pdf.cohort_report_html(cohort)
        run = lambda: pdf.html_to_pdf(html)  # noqa: E731
    else:
        run = full
    if kind == "interleaved":
        return interleaved(full, run, repeat)
    times = []
    cpu_times = []
    pages = 0
    for _number in range(repeat):
        started = time.perf_counter()
        cpu_started = time.process_time()
        content = run()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        pages = content.count(b"/Type /Page\n") or content.count(b"/Type /Page")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": statistics.median(times),
        "cpu_seconds": statistics.median(cpu_times),
        "peak_mb": peak_kb / 1024,
        "growth_mb": (peak_kb - baseline_kb) / 1024,
        "bytes": len(content),
        "pages": pages,
    }


def interleaved(full, alone, rounds: int) -> dict:
    """CPU seconds of the full path and of WeasyPrint alone, taken in turns in one process
    (ABBA order), so that a neighbour's load or a slower minute hits both alike."""
    times: dict[str, list[float]] = {"full": [], "alone": []}
    for number in range(rounds):
        order = (("full", full), ("alone", alone))
        for name, run in order if number % 2 == 0 else order[::-1]:
            started = time.process_time()
            run()
            times[name].append(time.process_time() - started)
    return {name: statistics.median(values) for name, values in times.items()}


# Peak memory and time of each path in a fresh process; then both paths in turns for the
# overhead ratio.
SCENARIOS = [
    ("report:organisation", 3),
    ("weasyprint:organisation", 3),
    ("interleaved:organisation", 6),
    ("report:cohort8", 2),
    ("weasyprint:cohort8", 2),
    ("interleaved:cohort8", 4),
    ("report:cohort30", 1),
    ("weasyprint:cohort30", 1),
    ("interleaved:cohort30", 2),
]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        _flag, scenario, data_dir, ids_json, repeat = sys.argv[1:6]
        setup_django(data_dir)
        print(json.dumps(measure(scenario, json.loads(ids_json), int(repeat))))
        return

    with tempfile.TemporaryDirectory(prefix="impactlab-bench-") as data_dir:
        setup_django(data_dir)
        started = time.perf_counter()
        ids = build(data_dir)
        print(f"Built the data in {time.perf_counter() - started:.1f} s ({data_dir})")
        results = {}
        for scenario, repeat in SCENARIOS:
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure",
                    scenario,
                    data_dir,
                    json.dumps(ids),
                    str(repeat),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            ).stdout
            results[scenario] = json.loads(output.strip().splitlines()[-1])

    print()
    print(
        f"{'scenario':<26}{'time (s)':>10}{'CPU (s)':>9}{'peak RSS (MB)':>15}"
        f"{'growth (MB)':>13}{'KB':>8}"
    )
    for scenario, _repeat in SCENARIOS:
        if scenario.startswith("interleaved:"):
            continue
        r = results[scenario]
        print(
            f"{scenario:<26}{r['seconds']:>10.2f}{r['cpu_seconds']:>9.2f}{r['peak_mb']:>15.0f}"
            f"{r['growth_mb']:>13.0f}"
            f"{r['bytes'] / 1024:>8.0f}"
        )
    print()
    for subject, target in (("organisation", 1.5), ("cohort8", 5.0), ("cohort30", None)):
        full = results[f"report:{subject}"]
        turns = results[f"interleaved:{subject}"]
        # CPU time, in turns: on a shared machine wall time also measures the neighbours.
        ratio = turns["full"] / turns["alone"]
        verdict = "ok" if ratio <= 1.15 else "over"
        line = (
            f"{subject:<13} overhead vs WeasyPrint alone: {ratio:.2f}× (target ≤ 1.15×, {verdict};"
            f" {turns['full']:.2f} s against {turns['alone']:.2f} s CPU, in turns)"
        )
        if target:
            line += f"; {full['seconds']:.2f} s (target < {target} s)"
        print(line)
    growth = results["report:cohort30"]["cpu_seconds"] / results["report:cohort8"]["cpu_seconds"]
    memory = results["report:cohort30"]["growth_mb"] / max(
        1, results["report:cohort8"]["growth_mb"]
    )
    print(
        f"30 vs 8 organisations: time {growth:.2f}×, memory growth {memory:.2f}× "
        f"(linear would be {30 / 8:.2f}×)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"cohort of 8: peak {results['report:cohort8']['peak_mb']:.0f} MB (target < 200 MB)")


if __name__ == "__main__":
    main()
