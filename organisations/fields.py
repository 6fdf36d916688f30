"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

# Django 6.1's label of the blank choice in select boxes has no Dutch translation in Django
# yet; naming it here puts it in the project's own catalogue.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")

# The largest id any of the project's databases can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


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
