"""Forms for trainer feedback."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.models import Comment, Worksheet
from impact.worksheet.selectors import step_rows


class CommentForm(forms.ModelForm):
    """A trainer's comment on a step, or on one of the step's rows."""

    about = forms.ChoiceField(label=_("About"), required=False)

    class Meta:
        model = Comment
        fields = ["about", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Your feedback")}

    def __init__(self, *args, worksheet: Worksheet, step: int, **kwargs) -> None:
        """Builds the row choices of the step: one query per row type of the step."""
        super().__init__(*args, **kwargs)
        self.worksheet = worksheet
        self.step = step
        # Only the rows of this worksheet are choices: a forged row id fails validation.
        rows = step_rows(worksheet=worksheet, step=step)
        self.fields["about"].choices = [("", _("the whole step"))] + [
            (f"{row_type}:{pk}", label) for (row_type, pk), label in rows.items()
        ]
        if not rows:
            self.fields["about"].widget = forms.HiddenInput()

    def clean_about(self) -> tuple[str, int | None]:
        value = self.cleaned_data["about"]
        if not value:
            return "", None
        row_type, _sep, row_id = value.partition(":")
        return row_type, int(row_id)


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}
        labels = {"body": _("Your reply")}
