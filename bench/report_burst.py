"""One participant fires 20 report requests at once: memory of the web server, and the step
page of another organisation meanwhile.

    .venv/bin/python bench/report_burst.py
    DATABASE_URL=postgres://user@host:5432/x .venv/bin/python bench/report_burst.py

It builds a throwaway database as ``bench/latency.py`` does (SQLite in a temporary folder,
or ``impactlab_bench`` on the PostgreSQL server of DATABASE_URL, dropped afterwards), loads
the demo and gives Kringloop Zwolle the worst logo the upload allows (the most pixels and
bytes that pass ``organisations.logos``, through the same re-encoding as the form). It starts
gunicorn as production runs it (2 sync workers, DJANGO_DEBUG=0) and:

1. measures another organisation's step page with a few users for a while: the idle p95;
2. sends Kringloop Zwolle's organisation report 20 times at once, as one participant, while
   the same few users load the other organisation's page, and samples the resident memory
   of gunicorn and every process under it (workers and their render children) every 20 ms.

It prints what the 20 requests got (200, 429, anything else), the peak resident memory of
the whole server and of its largest process against the 600 MB target, and the other
page's p95 during the burst against 2× its idle value. Exit status 1 when a request got a
5xx or the other page answered anything but 200.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from latency import (
    ROOT,
    bench_database,
    fetch,
    free_port,
    gunicorn,
    load,
    production_environment,
    session_cookie,
)

TARGET_PEAK_MB = 600
TARGET_P95_RATIO = 2.0
BURST = 20


def worst_allowed_logo() -> bytes:
    """A PNG at the upload's pixel limit (4,000 × 3,000 = 12 million pixels) and near its
    byte limit: stripes and a block of noise, not a trivially flat image to decode."""
    import random

    from PIL import Image, ImageDraw

    from organisations.logos import limits

    bounds = limits()
    width = min(bounds.max_side, 4000)
    height = bounds.max_pixels // width
    image = Image.new("RGB", (width, height), (240, 240, 235))
    draw = ImageDraw.Draw(image)
    rng = random.Random(2026)
    for x in range(0, width, 40):
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle([x, 0, x + 19, height], fill=colour)
    # A block of noise, which PNG cannot compress, brings the file near the byte limit.
    side = 700
    noise = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    image.paste(noise, (width // 2 - side // 2, height // 2 - side // 2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > bounds.max_bytes:
        raise RuntimeError(f"the test logo is {len(data)} bytes, over the upload limit")
    return data


def prepare(database_url: str, data_dir: Path) -> dict:
    """Migrate, load the demo, store the worst logo; return the paths and cookies."""
    os.environ.update(production_environment(database_url, data_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse

    from impact.models import Worksheet
    from organisations.logos import reencoded_logo
    from organisations.models import Organisation, User

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    zwolle = Organisation.objects.get(name="Kringloop Zwolle")
    upload = SimpleUploadedFile("logo.png", worst_allowed_logo(), content_type="image/png")
    logo = reencoded_logo(upload)
    zwolle.logo.save(logo.name, logo, save=True)

    participant = User.objects.get(email="deelnemer@example.org")
    worksheet = Worksheet.objects.filter(enrolment__organisation=zwolle).latest("pk")
    other = (
        Worksheet.objects.exclude(enrolment__organisation=zwolle)
        .filter(enrolment__organisation__memberships__role="participant")
        .select_related("enrolment__organisation")
        .latest("pk")
    )
    other_person = User.objects.filter(
        memberships__organisation=other.enrolment.organisation, memberships__role="participant"
    ).first()
    objects = {
        "report": reverse("impact:worksheet_report_pdf", args=[worksheet.pk]),
        "other_page": reverse("impact:worksheet_step", args=[other.pk, 4]),
        "other_name": other.enrolment.organisation.name,
        "cookie": session_cookie(participant),
        "other_cookie": session_cookie(other_person),
        "logo_bytes": upload.size,
        "stored_logo_bytes": zwolle.logo.size,
    }
    connections.close_all()
    for connection in connections.all():
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    return objects


# ---------------------------------------------------------------------------------------------
# Memory of the server's process tree


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> tuple[int, int, int]:
    """(sum of resident memory, largest process, number of processes) under ``root``."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    sizes = [_rss_kb(pid) for pid in pids]
    return sum(sizes), max(sizes, default=0), len(pids)


class MemorySampler(threading.Thread):
    def __init__(self, root: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak_total = self.peak_single = self.most_processes = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            total, single, count = tree_rss_kb(self.root)
            self.peak_total = max(self.peak_total, total)
            self.peak_single = max(self.peak_single, single)
            self.most_processes = max(self.most_processes, count)
            time.sleep(self.interval)


def gunicorn_pid(port: int) -> int:
    """The gunicorn master listening on ``port`` (the parent of its workers)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().split(b"\0")
        except OSError:
            continue
        if any(b"gunicorn" in part for part in command[:2]) and (
            f"--bind=127.0.0.1:{port}".encode() in command
        ):
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{parent}/cmdline", "rb") as handle:
                if b"gunicorn" not in handle.read():
                    return int(entry)
    raise RuntimeError("gunicorn's master process was not found")


# ---------------------------------------------------------------------------------------------
# The burst


def burst(port: int, path: str, cookie: str, count: int) -> tuple[Counter, float]:
    """``count`` requests at once, each on its own connection; their statuses and the time
    until the last answered."""
    statuses: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(count)

    def one() -> None:
        start.wait()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError as error:
            status = type(error).__name__
        finally:
            connection.close()
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=one) for _ in range(count)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=2, help="users of the other page (2)")
    parser.add_argument("--duration", type=int, default=8, help="seconds of load (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    args.worker_class, args.threads = "sync", 1

    work_dir = Path(tempfile.mkdtemp(prefix="impactlab-burst-"))
    try:
        with bench_database(work_dir) as database_url:
            print(f"preparing the database in {work_dir} …", flush=True)
            objects = prepare(database_url, work_dir)
            env = dict(os.environ)
            port = free_port()
            with gunicorn(env, port, args):
                master = gunicorn_pid(port)
                use_wrk = shutil.which("wrk") is not None and not args.python_client
                script = None
                if use_wrk:
                    from latency import WRK_SCRIPT

                    script = work_dir / "report.lua"
                    script.write_text(WRK_SCRIPT)
                load_args = argparse.Namespace(
                    concurrency=args.users, duration=args.duration, python_client=not use_wrk
                )
                page, cookie = objects["other_page"], objects["other_cookie"]
                for _ in range(5):  # warm both workers up
                    status, _body = fetch(port, page, cookie)
                    if status != 200:
                        raise RuntimeError(f"{page} answered {status}")
                # One report first (it counts towards the person's 30 per 5 minutes).
                status, _body = fetch(port, objects["report"], objects["cookie"])
                if status != 200:
                    raise RuntimeError(f"{objects['report']} answered {status}")
                idle_rss, _single, _count = tree_rss_kb(master)
                idle = load(port, page, cookie, load_args, script)

                sampler = MemorySampler(master)
                sampler.start()
                during: dict = {}
                other = threading.Thread(
                    target=lambda: during.update(load(port, page, cookie, load_args, script))
                )
                other.start()
                time.sleep(0.5)
                statuses, seconds = burst(port, objects["report"], objects["cookie"], BURST)
                other.join()
                sampler.stopped.set()
                sampler.join()
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)

    mb = 1024
    server_errors = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
    ratio = during["p95_ms"] / idle["p95_ms"] if idle["p95_ms"] else 0.0
    print()
    print(
        f"logo uploaded {objects['logo_bytes'] / 1e6:.2f} MB (12 million pixels), stored "
        f"{objects['stored_logo_bytes'] / 1e3:.0f} kB; gunicorn {args.workers} × sync"
    )
    print(
        f"{BURST} report requests at once by one participant, answered within {seconds:.1f} s: "
        + ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items(), key=str))
    )
    print(
        f"resident memory of the server: {idle_rss / mb:.0f} MB idle, peak "
        f"{sampler.peak_total / mb:.0f} MB in {sampler.most_processes} processes "
        f"(target < {TARGET_PEAK_MB} MB: "
        f"{'ok' if sampler.peak_total / mb < TARGET_PEAK_MB else 'MISS'}); "
        f"largest single process {sampler.peak_single / mb:.0f} MB"
    )
    print(
        f"{objects['other_name']}, step 4, {args.users} users: p95 {idle['p95_ms']:.0f} ms idle, "
        f"{during['p95_ms']:.0f} ms during the burst = {ratio:.2f}× "
        f"(target ≤ {TARGET_P95_RATIO:.0f}×: {'ok' if ratio <= TARGET_P95_RATIO else 'MISS'}); "
        f"{during['requests']} requests, {during['errors']} errors"
    )
    return 1 if server_errors or during["errors"] or idle["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
