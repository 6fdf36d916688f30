"""Form fields shared by the apps."""

from __future__ import annotations

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
