"""Forms of the questionnaires: building one, its questions and moments, and answering."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from impact.models import Indicator, Worksheet
from impact.questionnaire.kit import DUTCH_ICON_NAMES, ICONS
from impact.questionnaire.models import MeasurementMoment, Question, Questionnaire
from impact.questionnaire.scales import options_for
from organisations.fields import ModelMultipleChoiceField

MAX_CHOICES = 6
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def worksheet_indicators(worksheet: Worksheet):
    return Indicator.objects.filter(effect__worksheet=worksheet).order_by(
        "effect__position", "effect__pk", "position", "pk"
    )


class QuestionnaireCreateForm(forms.ModelForm):
    indicators = ModelMultipleChoiceField(
        label=_("Ask about these indicators"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "impactlab proposes questions in easy words for each one; you change them after."
        ),
    )

    class Meta:
        model = Questionnaire
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, worksheet: Worksheet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intro"].help_text = _(
            "A few short sentences: what it is for and who asks. Leave empty for a standard text."
        )
        indicators = worksheet_indicators(worksheet)
        self.fields["indicators"].queryset = indicators
        if not self.is_bound:
            self.initial.setdefault("title", _("How are you doing?"))
            self.initial["indicators"] = [
                i.pk for i in indicators if i.method == Indicator.Method.SURVEY
            ]


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Question
        fields = [
            "text",
            "answer_type",
            "indicator",
            "choices_text",
            "number_max",
            "text_en",
            "text_ar",
            "text_ti",
            "source",
        ]
        widgets = {"text_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"})}

    def __init__(self, *args, worksheet: Worksheet, has_answers: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_answers = has_answers
        self.fields["indicator"].queryset = worksheet_indicators(worksheet)
        self.fields["text"].help_text = _(
            "Short and concrete, one idea, “je” or “ik”: “I know what to do at work.”"
        )
        self.fields["text_ti"].widget.attrs["lang"] = "ti"
        names = DUTCH_ICON_NAMES if get_language() == "nl" else {icon: icon for icon in ICONS}
        self.fields["choices_text"].help_text = _(
            "For a choice: one per line, at most six. Start a line with a picture and a colon, "
            "for example “bike: By bike”. Pictures: %(icons)s."
        ) % {"icons": ", ".join(names)}
        if not self.is_bound and self.instance.pk:
            self.initial["choices_text"] = "\n".join(
                f"{c.get('icon')}: {c.get('label')}" if c.get("icon") else c.get("label", "")
                for c in self.instance.choices or []
            )

    def clean_answer_type(self) -> str:
        answer_type = self.cleaned_data["answer_type"]
        if self.has_answers and self.instance.pk and answer_type != self.instance.answer_type:
            raise ValidationError(
                _("This question has answers already; its kind of answer stays the same.")
            )
        return answer_type

    def clean(self) -> dict:
        data = super().clean()
        choices = []
        for line in (data.get("choices_text") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            icon, colon, label = line.partition(":")
            name = icon.strip().lower()
            name = DUTCH_ICON_NAMES.get(name, name)
            if colon and name in ICONS:
                choices.append({"label": label.strip()[:80], "icon": name})
            else:
                choices.append({"label": line[:80], "icon": "other"})
        if data.get("answer_type") == Question.AnswerType.CHOICE:
            if not 2 <= len(choices) <= MAX_CHOICES:
                self.add_error(
                    "choices_text",
                    _("Give between 2 and %(max)s choices, one per line.") % {"max": MAX_CHOICES},
                )
        else:
            choices = []
        self.instance.choices = choices
        return data


class MomentForm(forms.ModelForm):
    class Meta:
        model = MeasurementMoment
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def validate_unique(self) -> None:
        # An existing moment of the worksheet with this name is shared, not refused.
        pass


class AnswerForm(forms.Form):
    """One question, as the respondent answers it; every answer may be skipped."""

    def __init__(self, *args, question: Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        options = options_for(question)
        if options:
            self.fields["answer"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(str(o.value), o.label) for o in options],
                coerce=int,
                widget=forms.RadioSelect,
                required=False,
            )
        elif question.answer_type == Question.AnswerType.NUMBER:
            self.fields["answer"] = forms.IntegerField(
                label=question.text,
                min_value=0,
                max_value=question.number_max,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        else:
            self.fields["answer"] = forms.CharField(
                label=question.text,
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def values(self) -> tuple[int | None, str]:
        """(number, text) to store."""
        answer = self.cleaned_data.get("answer")
        if isinstance(answer, str):
            return None, answer.strip()
        return (None if answer in (None, "") else answer), ""


class PaperForm(forms.Form):
    """All questions of one paper form at once, for the job coach typing them in."""

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            inner = AnswerForm(question=question).fields["answer"]
            self.fields[f"q{question.pk}"] = inner

    def answers(self) -> dict[Question, tuple[int | None, str]]:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if isinstance(value, str):
                result[question] = (None, value.strip())
            else:
                result[question] = (None if value in (None, "") else value, "")
        return result

    def clean(self) -> dict:
        data = super().clean()
        if not any(v not in (None, "") for v in data.values()):
            raise ValidationError(_("Fill in at least one answer."))
        return data
