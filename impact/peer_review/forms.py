"""Forms of peer review: the trainer's round and allocation, the reviewer's answers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.models import Step
from impact.peer_review.models import CHECKS, QUESTIONS, PeerReviewAssignment, PeerReviewRound
from trainings.models import Cohort, Enrolment, Session


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.ModelForm):
    steps = forms.TypedMultipleChoiceField(
        label=_("Steps to review"),
        choices=Step.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions in the form"),
        choices=list(QUESTIONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        initial=list(QUESTIONS),
    )

    class Meta:
        model = PeerReviewRound
        fields = [
            "session",
            "steps",
            "opens_at",
            "closes_at",
            "allocation",
            "avoid_reciprocal",
            "questions",
            "with_checks",
        ]
        widgets = {"opens_at": DateTimeInput(), "closes_at": DateTimeInput()}

    def __init__(self, *args, cohort: Cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        sessions = Session.objects.filter(cohort=cohort).order_by("date", "starts_at")
        self.fields["session"].queryset = sessions
        self.fields["session"].help_text = _("The deadline is best just before this session.")

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("questions") and not cleaned.get("with_checks"):
            self.add_error("questions", _("Choose at least one question or the checks."))
        return cleaned


class AssignmentForm(forms.Form):
    """A reviewer and the organisation they read, chosen by hand."""

    reviewer = forms.ModelChoiceField(label=_("Who reads"), queryset=Enrolment.objects.none())
    reviewed = forms.ModelChoiceField(label=_("Whose work"), queryset=Enrolment.objects.none())

    def __init__(self, *args, round_: PeerReviewRound, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.round = round_
        enrolments = (
            Enrolment.objects.active()
            .filter(cohort=round_.cohort)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        for name in ("reviewer", "reviewed"):
            self.fields[name].queryset = enrolments
            self.fields[name].label_from_instance = lambda e: e.organisation.name

    def clean(self) -> dict:
        cleaned = super().clean()
        reviewer, reviewed = cleaned.get("reviewer"), cleaned.get("reviewed")
        if reviewer and reviewed:
            if reviewer == reviewed:
                raise forms.ValidationError(_("An organisation cannot review itself."))
            if PeerReviewAssignment.objects.filter(
                round=self.round, reviewer=reviewer, reviewed=reviewed
            ).exists():
                raise forms.ValidationError(_("This organisation already reviews that one."))
        return cleaned


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class ReviewForm(forms.Form):
    """The reviewer's answers for one step: the round's questions and the step's checks."""

    def __init__(self, *args, round_: PeerReviewRound, step: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        for key, label in QUESTIONS.items():
            if key in round_.questions:
                self.fields[key] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        self.check_keys = list(CHECKS[step]) if round_.with_checks else []
        for key in self.check_keys:
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=CHECKS[step][key],
                choices=YES_NO,
                required=False,
                widget=forms.RadioSelect,
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned

    def answers(self) -> dict:
        """The cleaned answers as stored on the review."""
        data = self.cleaned_data
        checks = {
            key: data[f"check_{key}"] == "yes" for key in self.check_keys if data[f"check_{key}"]
        }
        texts = {key: data[key].strip() for key in QUESTIONS if data.get(key)}
        return {**texts, "checks": checks}

    @classmethod
    def initial_from(cls, answers: dict) -> dict:
        initial = {key: value for key, value in answers.items() if key in QUESTIONS}
        for key, value in answers.get("checks", {}).items():
            initial[f"check_{key}"] = "yes" if value else "no"
        return initial
