"""Form fields shared by the apps."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The one label of the empty choice in every select box of the app. OrganisationsConfig
# hands it to Django (the hook Django 6.1 offers), so model-form fields and ForeignKeys
# show it too instead of "---------" or "- Select an option -".
BLANK_CHOICE_LABEL = _("– choose –")

# The largest id any of the project's databases can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """The id a request names, or None for anything but plain ASCII digits that a database
    column can hold: ``"²".isdigit()`` is true but ``int()`` refuses it, ``int()`` takes
    "٣", " 3" and "-3", and SQLite fails on numbers beyond 64 bits. No queries."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def blank_choice() -> list[tuple[str, str]]:
    """The empty choice to put in front of choices a form builds itself."""
    return [("", BLANK_CHOICE_LABEL)]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database column could hold, which SQLite otherwise fails on."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                digits = str(pk).strip().lstrip("-")
                if digits.isascii() and digits.isdigit() and int(digits) > MAX_ID:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


# --- Text that every page and export can show ----------------------------------------------

# Lone surrogates and the 66 noncharacters: no UTF-8 encoder or XML writer takes them.
_UNSTORABLE = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# C0 and C1 control characters and DEL, less tab, line feed and carriage return.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
UNPRINTABLE_RE = re.compile(f"[{_CONTROLS}{_UNSTORABLE}]")
UNENCODABLE_RE = re.compile(f"[{_UNSTORABLE}]")
UNPRINTABLE_ON_ONE_LINE_RE = re.compile(f"[\t\n\r{_CONTROLS}{_UNSTORABLE}]")


def printable(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay), lone surrogates and
    noncharacters: what every exporter writes, whatever reached the database."""
    return UNPRINTABLE_RE.sub("", text)


def encodable(text: str) -> str:
    """``text`` without lone surrogates and noncharacters, for JSON, which escapes control
    characters itself."""
    return UNENCODABLE_RE.sub("", text)


def check_printable(value: object, *, multiline: bool) -> None:
    """Refuse text with a control character, a lone surrogate or a noncharacter; tab and
    line breaks only where ``multiline`` (a textarea)."""
    if not isinstance(value, str):
        return
    pattern = UNPRINTABLE_RE if multiline else UNPRINTABLE_ON_ONE_LINE_RE
    found = pattern.search(value)
    if found:
        raise ValidationError(
            _(
                "This text contains an invisible control character (%(code)s) that cannot "
                "be saved. Remove it, for instance by typing that part again."
            ),
            code="unprintable",
            params={"code": f"U+{ord(found.group()):04X}"},
        )


def install_printable_text_check() -> None:
    """Make every ``forms.CharField`` of the project (its own forms, allauth's, the admin's)
    refuse what :func:`check_printable` refuses.

    Django puts its own rule against NUL on every CharField in the same way; doing it once
    here means no form can forget it, and the message is the same everywhere. Whether tab and
    line breaks are allowed follows the field's widget when the form is validated, so a field
    given a Textarea later still takes lines. Called once, from OrganisationsConfig.ready().
    """
    if getattr(forms.CharField.validate, "checks_printable", False):
        return
    original = forms.CharField.validate

    def validate(self: forms.CharField, value) -> None:
        original(self, value)
        check_printable(value, multiline=isinstance(self.widget, forms.Textarea))

    validate.checks_printable = True  # type: ignore[attr-defined]
    forms.CharField.validate = validate  # type: ignore[method-assign]
