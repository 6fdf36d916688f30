"""What one person (and all of them together) may ask of the report renderer at a time.

- **Rate**: each person may ask for ``IMPACTLAB_REPORT_RATE`` ("30/300": 30 in five
  minutes) report and export downloads, counted in the cache that every worker shares.
  (allauth's rate limits leave GET requests alone, and these downloads are GETs.)
- **One at a time per person**: a second report while the first is still being made is
  answered at once, without rendering (a key in the shared cache, held during the render and
  expiring with the render's time ceiling should a worker die).
- **A few at a time per server**: ``IMPACTLAB_RENDERS_PER_SERVER`` slots, each a lock file
  in the data folder (``flock``), which the kernel frees when a process ends, however.

Anything beyond gets a Dutch (or English) 429 page with ``Retry-After``, never a waiting
worker. The memory and time ceiling of one render is :mod:`impact.reports.isolation`.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def _within_rate(user_id: int) -> tuple[bool, int]:
    """Count one download for the person in the current window; (allowed, seconds left)."""
    count, _sep, seconds = str(getattr(settings, "IMPACTLAB_REPORT_RATE", "30/300")).partition("/")
    allowed, window = int(count), max(1, int(seconds or 60))
    now = time.time()
    key = f"impactlab:rate:reports:{user_id}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        used = 1
    return used <= allowed, max(1, int(window - now % window))


class Busy(Exception):
    """No render slot free; ``reason`` is "person" or "server"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _hold_seconds() -> int:
    return int(getattr(settings, "IMPACTLAB_PDF_TIMEOUT", 120)) + 30


def _slot_dir() -> Path:
    folder = Path(
        getattr(settings, "IMPACTLAB_RENDER_SLOT_DIR", Path(settings.DATA_DIR) / "render-slots")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def _server_slot() -> Iterator[None]:
    """One of the server's render slots, or Busy("server") at once."""
    slots = int(getattr(settings, "IMPACTLAB_RENDERS_PER_SERVER", 2))
    folder = _slot_dir()
    for number in range(slots):
        descriptor = os.open(folder / f"slot-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)
        return
    raise Busy("server")


@contextlib.contextmanager
def _person_slot(user_id: int) -> Iterator[None]:
    """The person's one render at a time, or Busy("person") at once."""
    key = f"impactlab:render:person:{user_id}"
    token = secrets.token_hex(8)
    if not cache.add(key, token, timeout=_hold_seconds()):
        raise Busy("person")
    try:
        yield
    finally:
        if cache.get(key) == token:
            cache.delete(key)


@contextlib.contextmanager
def render_slot(user_id: int) -> Iterator[None]:
    """Hold the person's slot and one of the server's while a report is made."""
    with _person_slot(user_id), _server_slot():
        yield


def _refusal(request: HttpRequest, *, reason: str, back: str, retry_after: int) -> HttpResponse:
    response = render(
        request,
        "impact/report_busy.html",
        {"reason": reason, "message": refusal_text(reason), "back": back},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def limited(back: str, *, renders: bool = True, back_takes_pk: bool = True) -> Callable:
    """Decorate a report or export view: the rate limit, and with ``renders`` the render
    slots. ``back`` names the URL (taking the view's ``pk`` when ``back_takes_pk``) that the
    refusal page links to."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            back_url = reverse(back, args=[pk] if back_takes_pk else [])
            allowed, seconds_left = _within_rate(request.user.pk)
            if not allowed:
                return _refusal(request, reason="rate", back=back_url, retry_after=seconds_left)
            if not renders:
                return view(request, pk, *args, **kwargs)
            try:
                with render_slot(request.user.pk):
                    return view(request, pk, *args, **kwargs)
            except Busy as busy:
                retry = 15 if busy.reason == "person" else 30
                return _refusal(request, reason=busy.reason, back=back_url, retry_after=retry)

        return wrapper

    return decorator


def refusal_text(reason: str) -> str:
    """The sentence of the refusal page for ``reason``."""
    return {
        "person": _(
            "Your report is being made. It opens where you asked for it as soon as it is "
            "ready; ask for the next one after that."
        ),
        "server": _("Many reports are being made at this moment. Try again in half a minute."),
        "rate": _(
            "You asked for many reports and exports in a short time. Try again in a few minutes."
        ),
    }[reason]
