"""Two gunicorn servers on one PostgreSQL database, eight people saving the same rows.

The versioned save must hold across processes and servers: every accepted save (200) is in
the history exactly once with the version it produced, every refused save got a 409, the
row ends with the text of the last accepted save and no accepted text is lost.

Needs PostgreSQL (CI runs it there): the test creates its own database on the server that
DATABASE_URL names, migrates and seeds it in subprocesses, and drops it at the end.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get("DATABASE_URL", "")
IS_POSTGRES = urlsplit(DATABASE_URL).scheme in {"postgres", "postgresql", "pgsql"}

CLIENTS = 8
ROWS = 2
REQUESTS = 200
DEADLINE_SECONDS = 120

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(
        not IS_POSTGRES,
        reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI runs this test there)",
    ),
]


@contextlib.contextmanager
def dedicated_database() -> Iterator[str]:
    """A fresh database with a unique name on DATABASE_URL's server; dropped afterwards."""
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = f"impactlab_concurrency_{os.getpid()}_{secrets.token_hex(4)}"
    maintenance = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="impactlab.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        IMPACTLAB_DATA_DIR=str(data_dir),
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, *, headers=None, body=None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn_servers(env: dict[str, str], count: int, log_dir: Path) -> Iterator[list[int]]:
    """Start `count` gunicorn servers (two workers each) on loopback; always stop them."""
    processes: list[subprocess.Popen] = []
    ports: list[int] = []
    logs = []
    try:
        for n in range(count):
            port = free_port()
            log = open(log_dir / f"gunicorn-{n}.log", "w")  # noqa: SIM115
            logs.append(log)
            command = [
                str(Path(sys.executable).parent / "gunicorn"),
                "impactlab.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--log-level=warning",
                "--timeout=30",
            ]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
            ports.append(port)
        for process, port in zip(processes, ports, strict=True):
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, (log_dir / "gunicorn-0.log").read_text()[-3000:]
                with contextlib.suppress(OSError):
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                assert time.monotonic() < deadline, "gunicorn did not answer /healthz in 30 s"
                time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


VERSION_INPUT = re.compile(rb'name="targetgroup-(\d+)-version"[^>]*value="(\d+)"')


def test_two_servers_keep_every_accepted_save_and_refuse_stale_ones(tmp_path):
    import psycopg

    with dedicated_database() as database_url:
        env = production_environment(database_url, tmp_path)
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--no-input", "-v0")
        seed = json.loads(
            manage(
                env,
                "shell",
                "-c",
                f"from tests.concurrency_seed import seed; seed(people={CLIENTS}, rows={ROWS})",
            )
            .strip()
            .splitlines()[-1]
        )
        worksheet, rows = seed["worksheet"], seed["rows"]

        accepted: list[tuple[int, int, str]] = []  # (row, version produced, text)
        refused: list[tuple[int, str]] = []
        other: list[tuple[int, int, bytes]] = []
        lock = threading.Lock()
        counter = iter(range(REQUESTS))
        started = time.monotonic()

        with gunicorn_servers(env, 2, tmp_path) as ports:

            def client(n: int) -> None:
                csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked token
                headers = {
                    # The session cookie is Secure in production; send it as a header.
                    "Cookie": f"sessionid={seed['sessions'][n]}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "X-Autosave": "1",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                versions = dict.fromkeys(rows, 1)
                turn = 0
                while time.monotonic() - started < DEADLINE_SECONDS:
                    with lock:
                        number = next(counter, None)
                    if number is None:
                        return
                    port = ports[turn % len(ports)]
                    row = rows[(n + turn) % len(rows)]
                    turn += 1
                    text = f"Tekst {number} van deelnemer {n}"
                    body = urlencode(
                        {
                            f"targetgroup-{row}-name": text,
                            f"targetgroup-{row}-size": str(number),
                            f"targetgroup-{row}-description": "",
                            f"targetgroup-{row}-version": str(versions[row]),
                        }
                    )
                    path = f"/werkbladen/{worksheet}/rijen/targetgroup/{row}/"
                    status, content = request(port, "POST", path, headers=headers, body=body)
                    with lock:
                        if status == 200:
                            version = json.loads(content)["version"]
                            accepted.append((row, version, text))
                            versions[row] = version
                        elif status == 409:
                            refused.append((row, text))
                            # The refusal carries a form based on the current version.
                            match = VERSION_INPUT.search(content)
                            if match is None:
                                other.append((number, status, content[:500]))
                            else:
                                versions[row] = int(match.group(2))
                        else:
                            other.append((number, status, content[:500]))

            threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=DEADLINE_SECONDS + 30)
            runtime = time.monotonic() - started
            assert not any(thread.is_alive() for thread in threads)

        with psycopg.connect(database_url) as connection:
            revisions = connection.execute(
                "SELECT row_id, row_version, data->>'name' FROM impact_revision "
                "WHERE row_type = 'targetgroup' AND action = 'update'"
            ).fetchall()
            final = dict(
                connection.execute(
                    "SELECT id, name FROM impact_targetgroup WHERE id = ANY(%s)", [rows]
                ).fetchall()
            )
            versions = dict(
                connection.execute(
                    "SELECT id, version FROM impact_targetgroup WHERE id = ANY(%s)", [rows]
                ).fetchall()
            )
        figures = {
            "requests": len(accepted) + len(refused),
            "accepted": len(accepted),
            "refused": len(refused),
            "runtime_s": round(runtime, 1),
        }
        print(f"concurrency figures: {json.dumps(figures)}")

        assert other == [], other[:3]
        assert figures["requests"] == REQUESTS
        assert accepted and refused
        # Every accepted save is in the history exactly once, with the version it produced.
        assert sorted(revisions) == sorted(accepted)
        for row in rows:
            produced = sorted(v for r, v, _text in accepted if r == row)
            # Each save moved the row one version on; no two saves produced the same version.
            assert produced == list(range(2, versions[row] + 1))
            last = max((v, text) for r, v, text in accepted if r == row)
            assert final[row] == last[1]
        # No accepted text was lost; no refused text was stored.
        stored = {text for _row, _version, text in revisions}
        assert {text for _r, _v, text in accepted} <= stored
        assert not stored & {text for _row, text in refused}
