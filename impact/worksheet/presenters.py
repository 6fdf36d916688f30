"""What the step pages show, built once per content version.

A step page is two parts: the *region* (the step navigation and everything in the step's
column: hints, rows, feedback thread) and the *shell* around it (the site header with the
person's name, the breadcrumbs and the worksheet's title). Both are kept rendered in the
``fragments`` cache of the process:

- the region per worksheet, ``content_version``, step, language and role (may edit, may
  review): colleagues with the same role share it;
- the shell per person as well, with a slot where the region goes.

``Worksheet.content_version`` grows with every write to the worksheet's rows, reviews and
feedback, in the same transaction (``impact.signals``), and it is read with the worksheet
in the request's access query, so a page rendered before a colleague's save is never
served after it and checking costs no query. Neither part holds a secret: every CSRF token
is rendered as ``CSRF_SLOT`` and the request's own token is put in when the page is served.
Only a plain GET (no query string, no htmx, no pending messages for the shell) is served
from or stored in the cache; the rest renders as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from impact.access import is_editor, is_reviewer
from impact.models import Step, Worksheet

# Never in a page otherwise: forms refuse NUL characters, and escaping keeps them.
CSRF_SLOT = "\x00csrf\x00"
REGION_SLOT = "\x00region\x00"
REGION_START, REGION_END = "<!--ws-region-->", "<!--/ws-region-->"
# Part of every key: a deploy that changes the templates starts with an empty cache anyway
# (the cache lives in the process), but a test run that renders twice must not mix them.
TEMPLATE_REVISION = 1


def fragments():
    return caches["fragments"]


def _cacheable(request: HttpRequest) -> bool:
    return request.method == "GET" and not request.GET and not request.htmx


def _pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and len(storage))


def role_of(request: HttpRequest, worksheet: Worksheet) -> str:
    """What the region depends on about the person: may edit, may review."""
    return f"{int(is_editor(request.user, worksheet))}{int(is_reviewer(request.user, worksheet))}"


def region_key(worksheet: Worksheet, step: int, role: str) -> str:
    """The worksheet (its id and creation time, so a re-used id never matches), its
    content version, the step, the language and the role."""
    return (
        f"ws-region:{TEMPLATE_REVISION}:{worksheet.pk}:{worksheet.created_at.timestamp()}:"
        f"{worksheet.content_version}:{step}:{get_language()}:{role}"
    )


def _shell_key(request: HttpRequest, worksheet: Worksheet, step: int, role: str) -> str:
    user = request.user
    names = "\x1f".join(
        str(value)
        for value in (
            request.path,
            user.pk,
            user.first_name,
            user.last_name,
            user.email,
            sorted(user.roles),
            worksheet.enrolment.organisation.name,
            worksheet.enrolment.cohort.name,
        )
    )
    digest = hashlib.blake2b(names.encode(), digest_size=16).hexdigest()
    return f"ws-shell:{region_key(worksheet, step, role)}:{digest}"


def _split(html: str) -> tuple[str, str]:
    """The rendered page as (shell with a slot, region)."""
    head, _start, rest = html.partition(REGION_START)
    region, _end, tail = rest.partition(REGION_END)
    return f"{head}{REGION_SLOT}{tail}", region


def step_page(
    request: HttpRequest,
    worksheet: Worksheet,
    step: int,
    *,
    build: Callable[[], dict],
    status: int = 200,
) -> HttpResponse:
    """The step page; ``build`` makes the whole context (the rows and all), and is called
    only when the region is not cached for this version, language and role."""
    template = f"impact/worksheet_step_{step}.html"
    if not _cacheable(request) or status != 200:
        return HttpResponse(render_to_string(template, build(), request), status=status)
    cache = fragments()
    role = role_of(request, worksheet)
    key = region_key(worksheet, step, role)
    region = cache.get(key)
    keep_shell = not _pending_messages(request)
    shell_key = _shell_key(request, worksheet, step, role)
    shell = cache.get(shell_key) if keep_shell else None
    fresh_shell = shell is None
    if region is None:
        context = {**build(), "csrf_token": CSRF_SLOT, "region_markers": True}
        shell, region = _split(render_to_string(template, context, request))
        cache.set(key, region)
    elif fresh_shell:
        context = {
            "worksheet": worksheet,
            "editable": role[0] == "1",
            "step": step,
            "step_label": Step(step).label,
            "csrf_token": CSRF_SLOT,
            "region_slot": REGION_SLOT,
        }
        shell = render_to_string(template, context, request)
    if keep_shell and fresh_shell:
        cache.set(shell_key, shell)
    html = shell.replace(REGION_SLOT, region).replace(CSRF_SLOT, get_token(request))
    return HttpResponse(html)
