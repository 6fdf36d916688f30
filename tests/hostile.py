"""Helpers for feeding hostile and bad input to the project's forms (tests/test_hostile_input.py).

A ``Target`` is one form behind one URL, posted as the person allowed to use it: the form
class (to know its fields), a valid baseline POST, the saved row that a rejected POST must
leave alone, and how the view answers (a page, an htmx fragment or autosave JSON).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import models, transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# --- hypothesis profiles: modest by default so CI stays fast ---------------------------------

settings.register_profile(
    "hostile-ci",
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every CI run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "hostile-deep",
    parent=settings.get_profile("hostile-ci"),
    max_examples=300,
    derandomize=False,
)

# --- the fixed list of nasty values ------------------------------------------------------------

LONG_TEXT = ("Kringloop " * 10_000)[:100_000]
LONG_WORD = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>'
CSS_URL = "background: url(file:///etc/passwd)"
CSS_IMPORT = '@import url("https://evil.example/x.css");'
FILE_URL = "file:///etc/passwd"
RTL = "Kringloop \u202egnp.exe"
EMOJI = "Zelfvertrouwen 💪🏽 en werk 👩🏾‍🔧 ♻️"
NUL = "Kringloop\x00Zwolle"
WHITESPACE = " \t\n\u00a0 \r\n "

# Values that a text field either stores as typed (and every page escapes) or refuses.
MARKUP_VALUES = [SCRIPT, SVG, CSS_URL, CSS_IMPORT, FILE_URL, RTL, EMOJI]
# Values that no text field may store.
REFUSED_TEXT = [LONG_TEXT, NUL]
NASTY_TEXT = [*MARKUP_VALUES, *REFUSED_TEXT, LONG_WORD, WHITESPACE]
NASTY_NUMBERS = ["-1", str(10**30), "-" + str(10**30), "1e400", "NaN", "Infinity", "²", "0x10"]
NASTY_DATES = ["2026-02-30", "0000-00-00", "99999-01-01", "2026-13-01", "31-31-2026"]
NASTY_TIMES = ["25:00", "12:60", "99999:00"]

# Raw markup that must never reach a page unescaped.
RAW_MARKERS = [b"<script>alert(1)", b'onload="alert(1)"', b"<svg xmlns"]

# Django's English default messages: none may reach a Dutch page.
ENGLISH_DEFAULTS = [
    "This field is required.",
    "Enter a valid",
    "Enter a whole number.",
    "Enter a number.",
    "Ensure this value",
    "Ensure that there are no more than",
    "Select a valid choice",
    "Null characters are not allowed.",
    "Upload a valid image.",
    "The two password fields",
    "is not one of the available choices",
    "Enter a list of values.",
]


def assert_no_english(text: str) -> None:
    for message in ENGLISH_DEFAULTS:
        assert message not in text, f"English message on a Dutch page: {message!r}"


def assert_escaped(content: bytes) -> None:
    for marker in RAW_MARKERS:
        assert marker not in content, f"unescaped markup on the page: {marker!r}"


# --- saved rows must survive a rejected POST ---------------------------------------------------


def snapshot(obj: models.Model | None) -> dict | None:
    """Every stored column of the row and its many-to-many links, fresh from the database."""
    if obj is None:
        return None
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    values = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    for m2m in fresh._meta.many_to_many:
        values[m2m.name] = sorted(getattr(fresh, m2m.name).values_list("pk", flat=True))
    return values


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example in a savepoint that is undone afterwards, so examples stay independent."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- a form behind a URL ---------------------------------------------------------------------


@dataclass
class Target:
    name: str
    client: Client
    url: str
    form: forms.BaseForm  # unbound, with the prefix and choices the view uses
    baseline: dict
    instance: models.Model | None = None  # what a rejected POST must leave intact
    mode: str = "page"  # "page", "htmx" or "autosave"
    show_url: str | None = None  # a page that shows the saved text
    skip_fields: set[str] = field(default_factory=set)  # fields not to fuzz
    markup_accepted: bool = True  # the text fields take markup as plain text
    derived: set[str] = field(default_factory=set)  # text fields the form may rewrite

    def post(self, data: dict):
        headers = {}
        if self.mode == "htmx":
            headers = {"HX-Request": "true"}
        elif self.mode == "autosave":
            headers = {"X-Autosave": "1"}
        # A browser always sends the CSRF token, so a POST is never empty.
        data = {"csrfmiddlewaretoken": "token", **data}
        response = self.client.post(self.url, data, headers=headers)
        assert response.status_code < 500, f"{self.name}: {response.status_code} for {data!r}"
        return response

    def fields(self, *kinds: type[forms.Field], exclude: tuple[type, ...] = ()) -> list[str]:
        """Names (with prefix) of the form's fields of these kinds."""
        names = []
        for name, form_field in self.form.fields.items():
            if name in self.skip_fields or isinstance(form_field.widget, forms.HiddenInput):
                continue
            if isinstance(form_field, kinds) and not isinstance(form_field, exclude):
                names.append(name)
        return names

    def key(self, name: str) -> str:
        return self.form.add_prefix(name)


def accepted(target: Target, response) -> bool:
    """Whether the view took the POST; checks the refusal is a proper Dutch form error."""
    if target.mode == "autosave":
        payload = json.loads(response.content)
        if response.status_code == 200:
            assert payload["status"] == "saved"
            return True
        assert response.status_code == 422, response.status_code
        assert payload["status"] == "invalid" and payload["errors"], payload
        assert_no_english(" ".join(" ".join(v) for v in payload["errors"].values()))
        return False
    assert_escaped(response.content)
    if target.mode == "htmx" and response.status_code == 200:
        assert b"field-error" not in response.content
        return True
    if response.status_code == 302:
        return True
    assert response.status_code in (200, 400, 422), response.status_code
    content = response.content.decode()
    assert "field-error" in content or "message-error" in content, (
        f"{target.name}: refused without a visible form error"
    )
    assert_no_english(content)
    return False


# --- the baseline and generated values of a form ----------------------------------------------


def _plain(value, form_field: forms.Field):
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(getattr(v, "pk", v)) for v in value or []]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.time | Decimal | float | int):
        with translation.override("nl"):
            return form_field.widget.format_value(value)
    return str(value)


def baseline_from(form: forms.BaseForm, **overrides) -> dict:
    """The POST the unchanged form would send: each field's current value, as a browser would."""
    data: dict = {}
    for name, form_field in form.fields.items():
        value = _plain(form[name].value(), form_field)
        if value == "" and isinstance(form_field, forms.BooleanField):
            continue
        data[form.add_prefix(name)] = value
    for name, value in overrides.items():
        data[form.add_prefix(name)] = value
    return data


def _choice_keys(form_field: forms.Field) -> list[str]:
    keys = []
    for key, _label in form_field.choices:
        if isinstance(key, list | tuple):  # grouped choices
            continue
        keys.append(str(getattr(key, "value", key)))
    return [k for k in keys if k != ""]


JUNK = st.sampled_from(["", " ", "\x00", "abc", "-1", str(10**30), "²", "1e5", SCRIPT]) | st.text(
    max_size=20
)


def value_strategy(form_field: forms.Field, forged_ids: list[int]) -> st.SearchStrategy:
    """Mostly plausible values of the field's kind, mixed with junk and forged ids."""
    if isinstance(form_field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        keys = _choice_keys(form_field) + [str(i) for i in forged_ids]
        return st.lists((st.sampled_from(keys) if keys else JUNK) | JUNK, max_size=4)
    if isinstance(form_field, forms.ModelChoiceField | forms.ChoiceField):
        keys = _choice_keys(form_field)
        forged = st.sampled_from([str(i) for i in forged_ids]) if forged_ids else JUNK
        return st.sampled_from(keys or [""]) | forged | JUNK
    if isinstance(form_field, forms.BooleanField | forms.NullBooleanField):
        return st.sampled_from(["on", "", "true", "false", "unknown"]) | JUNK
    if isinstance(form_field, forms.DateField):
        plausible = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(str)
        return plausible | st.sampled_from(NASTY_DATES) | JUNK
    if isinstance(form_field, forms.TimeField):
        plausible = st.times().map(lambda t: t.strftime("%H:%M"))
        return plausible | st.sampled_from(NASTY_TIMES) | JUNK
    if isinstance(form_field, forms.DecimalField):
        plausible = st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
            lambda d: str(d).replace(".", ",")
        )
        return plausible | st.integers(-(10**31), 10**31).map(str) | JUNK
    if isinstance(form_field, forms.IntegerField):
        return st.integers(-(10**31), 10**31).map(str) | st.sampled_from(NASTY_NUMBERS) | JUNK
    if isinstance(form_field, forms.EmailField):
        return st.emails().map(str) | JUNK
    if isinstance(form_field, forms.URLField):
        return (
            st.sampled_from(["https://kringloop.example", FILE_URL, "javascript:alert(1)"]) | JUNK
        )
    if isinstance(form_field, forms.FileField):
        return st.just("")
    limit = getattr(form_field, "max_length", None) or 300
    return st.text(max_size=limit + 20) | st.sampled_from(NASTY_TEXT) | JUNK


def post_strategy(target: Target, forged_ids: list[int]) -> st.SearchStrategy:
    """A POST that starts from the baseline and replaces, or leaves out, a few fields."""
    names = [n for n in target.form.fields if n not in target.skip_fields]
    names = [n for n in names if not isinstance(target.form.fields[n].widget, forms.HiddenInput)]
    change = {
        name: st.one_of(st.none(), value_strategy(target.form.fields[name], forged_ids))
        for name in names
    }
    leave_out = st.lists(st.sampled_from(names), max_size=2, unique=True) if names else st.just([])

    @st.composite
    def build(draw) -> dict:
        data = dict(target.baseline)
        for name, value in draw(st.fixed_dictionaries(change)).items():
            if value is not None:
                data[target.key(name)] = value
        for name in draw(leave_out):
            data.pop(target.key(name), None)
        return data

    return build()


# The render invariant (tests/test_hostile_input.py): each example posts every form once and
# renders every page and export, so a few examples in CI, many on demand.
settings.register_profile("invariant-ci", parent=settings.get_profile("hostile-ci"), max_examples=2)
settings.register_profile(
    "invariant-deep", parent=settings.get_profile("hostile-deep"), max_examples=40
)


def invariant_profile(hostile_profile: str) -> str:
    """The invariant's profile for the hostile-input profile chosen (``hostile-deep`` → deep)."""
    return "invariant-deep" if hostile_profile == "hostile-deep" else "invariant-ci"


# Text a person might send: any character but lone surrogates (no browser can encode one in
# a form post), the nasty values, and both together. The first list is text every form
# takes; the controls of the second it refuses.
INVARIANT_NASTY = [
    SCRIPT,
    SVG,
    CSS_URL,
    RTL,
    EMOJI,
    "regel\u2028scheiding",
    "&amp; &lt;b&gt; ]]> <![CDATA[x]]>",
    "{{ worksheet.pk }} {% now 'Y' %} %(name)s %s \\",
    "=1+1",
]
INVARIANT_REFUSED = ["Vrijwilligers\x0bmet verticale tab", "regel\x85", "\ufffe"]


def invariant_text(limit: int | None, *, required: bool = False) -> st.SearchStrategy:
    """Text for one field of at most ``limit`` characters; for a required field, never blank."""
    size = min(limit or 300, 300)
    # Mostly what forms take; the refused characters come with INVARIANT_REFUSED.
    plain = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn")), max_size=min(size, 60))
    nasty = st.sampled_from(INVARIANT_NASTY + INVARIANT_REFUSED)
    both = st.tuples(plain, nasty).map(lambda pair: " ".join(pair))
    text = st.one_of(plain, nasty, both)
    if required:
        text = text.map(lambda value: "K " + value)
    return text.map(lambda value: value[:size])
