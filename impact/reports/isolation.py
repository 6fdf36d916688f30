"""Run one report render in a child process with a memory and a time ceiling.

A thread cannot be stopped and shares the web process's memory: a render that runs away
keeps its worker busy and can take the server's memory with it. A forked child starts at
once with everything the parent has loaded (Django, WeasyPrint, the parsed print styles),
runs under an address-space limit of ``IMPACTLAB_PDF_MEMORY_MB`` beyond what it inherited,
and is killed at ``IMPACTLAB_PDF_TIMEOUT`` seconds. The child never touches the database:
it gets finished HTML and sends back bytes (and progress messages) through a pipe.

Where ``fork`` is not available (Windows, macOS' default), :func:`available` is false and
the callers render in a thread as before, without the memory ceiling.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import warnings
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# Python warns that fork() in a process with threads may deadlock the child. The child
# here takes no lock a thread of the parent could hold (logging re-creates its locks after
# a fork; no database, no cache), and the time ceiling ends it should it ever hang.
warnings.filterwarnings(
    "ignore", message=r".*use of fork\(\) may lead to deadlocks", category=DeprecationWarning
)


class RenderTimeout(Exception):
    pass


class RenderOutOfMemory(Exception):
    pass


class RenderFailed(Exception):
    pass


def available() -> bool:
    """Whether renders run isolated: fork exists and IMPACTLAB_PDF_ISOLATED is on."""
    return getattr(settings, "IMPACTLAB_PDF_ISOLATED", True) and (
        "fork" in multiprocessing.get_all_start_methods()
    )


def timeout_seconds() -> float:
    return float(getattr(settings, "IMPACTLAB_PDF_TIMEOUT", 120))


def memory_bytes() -> int:
    return int(getattr(settings, "IMPACTLAB_PDF_MEMORY_MB", 600)) * 1024 * 1024


def _address_space() -> int:
    """This process's virtual size in bytes (Linux), or 0 when unknown."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(connection, function, args, ceiling: int, niceness: int) -> None:
    import resource

    if niceness:
        # The pages of everyone else come first: a render waits for the CPU, they do not.
        os.nice(niceness)

    inherited = _address_space()
    if inherited and ceiling:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = inherited + ceiling
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

    def send_progress(value: Any) -> None:
        connection.send(("progress", value))

    try:
        result = function(*args, send_progress)
    except MemoryError:
        connection.send(("memory", None))
    except BaseException as error:  # reported to the parent, which logs it
        connection.send(("error", f"{type(error).__name__}: {error}"[:2000]))
    else:
        connection.send(("done", result))
    finally:
        connection.close()


def run(
    function: Callable[..., Any],
    *args: Any,
    on_progress: Callable[[Any], None] | None = None,
) -> Any:
    """``function(*args, send_progress)`` in a forked child; its result, or RenderTimeout,
    RenderOutOfMemory or RenderFailed. ``on_progress`` gets what the child sends, here in the
    calling thread (so it may write to the database)."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    niceness = int(getattr(settings, "IMPACTLAB_PDF_NICENESS", 10))
    process = context.Process(
        target=_child, args=(writer, function, args, memory_bytes(), niceness)
    )
    process.daemon = True
    deadline = time.monotonic() + timeout_seconds()
    process.start()
    writer.close()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RenderTimeout
            if not reader.poll(min(remaining, 0.5)):
                continue
            try:
                kind, payload = reader.recv()
            except (EOFError, OSError) as error:
                process.join(1)
                if process.exitcode is not None and process.exitcode < 0:
                    # Killed by a signal: under the address-space limit, C libraries (GLib,
                    # Pango) abort instead of raising MemoryError when an allocation fails.
                    raise RenderOutOfMemory from error
                raise RenderFailed(f"the render process ended ({process.exitcode})") from error
            if kind == "progress":
                if on_progress:
                    on_progress(payload)
            elif kind == "done":
                return payload
            elif kind == "memory":
                raise RenderOutOfMemory
            else:
                raise RenderFailed(payload)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
