"""Forms for the starter-kit library."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from impact.models import Effect, Indicator, Stakeholder, Suggestion, Worksheet
from organisations.fields import blank_choice

SOURCES = [
    "Impactpad – arbeidsparticipatie",
    "Impactpad – circulaire economie",
    "SVI-principes",
    "praktijk kringloopbranche",
]


class SuggestionForm(forms.ModelForm):
    category = forms.ChoiceField(
        label=_("Stakeholder category"),
        required=False,
        choices=[*blank_choice(), *Stakeholder.Category.choices],
        help_text=_(
            "For a stakeholder: its category. For an effect: the kind of stakeholder "
            "who experiences it."
        ),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[*blank_choice(), *Indicator.Method.choices],
        help_text=_("Indicators only."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[*blank_choice(), *Indicator.Direction.choices],
        help_text=_("Indicators only: is more better, less (such as drop-out), or the same level?"),
    )

    class Meta:
        model = Suggestion
        fields = [
            "kind",
            "theme",
            "title",
            "category",
            "relation",
            "is_positive",
            "description",
            "method",
            "unit",
            "direction",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "source": forms.TextInput(attrs={"list": "suggestion-sources"}),
        }
        labels = {"is_positive": _("Positive effect")}
        help_texts = {
            "relation": _(
                "Stakeholders only: do they invest in the practice (time, money, goods), "
                "experience its effects, or both?"
            ),
            "is_positive": _("Effects only. Untick it for a negative side effect."),
            "unit": _("Indicators only, for example kg, % or score 1-5."),
            "source": _("Where the suggestion comes from, for example Impactpad or SVI."),
        }

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind in {Suggestion.Kind.STAKEHOLDER, Suggestion.Kind.EFFECT} and not data.get(
            "category"
        ):
            self.add_error("category", _("Choose a stakeholder category."))
        if kind == Suggestion.Kind.STAKEHOLDER and not data.get("relation"):
            self.add_error("relation", _("Choose whether they invest, experience effects or both."))
        if kind != Suggestion.Kind.STAKEHOLDER:
            data["relation"] = ""
        if kind != Suggestion.Kind.EFFECT:
            data["is_positive"] = True
        if kind != Suggestion.Kind.INDICATOR:
            data["method"] = ""
            data["unit"] = ""
            data["direction"] = Indicator.Direction.INCREASE
        elif not data.get("direction"):
            data["direction"] = Indicator.Direction.INCREASE
        return data


class SuggestionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *Suggestion.Kind.choices]
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        choices=[("", _("all themes")), *Suggestion.Theme.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("active")), ("inactive", _("inactive")), ("all", _("all"))],
    )

    def filter(self, queryset, *, may_manage: bool):
        """Apply the chosen filters; only managers see inactive suggestions."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("theme"):
            queryset = queryset.filter(theme=data["theme"])
        status = data.get("status") if may_manage else ""
        if status == "inactive":
            return queryset.filter(is_active=False)
        if status == "all":
            return queryset
        return queryset.filter(is_active=True)


class PickForm(forms.Form):
    """Take a suggestion into a worksheet; effects and indicators need a row to hang on."""

    suggestion = forms.ModelChoiceField(
        label=_("Suggestion"), queryset=Suggestion.objects.filter(is_active=True)
    )
    stakeholder = forms.ModelChoiceField(
        label=_("For which stakeholder"), queryset=Stakeholder.objects.none(), required=False
    )
    effect = forms.ModelChoiceField(
        label=_("For which effect"), queryset=Effect.objects.none(), required=False
    )

    def __init__(self, *args, worksheet: Worksheet, kind: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.worksheet = worksheet
        # Only this worksheet's rows are valid choices, so forged ids fail validation.
        self.fields["stakeholder"].queryset = Stakeholder.objects.filter(worksheet=worksheet)
        self.fields["effect"].queryset = Effect.objects.filter(worksheet=worksheet)
        if kind:
            self.fields["suggestion"].queryset = self.fields["suggestion"].queryset.filter(
                kind=kind
            )

    def clean(self) -> dict:
        data = super().clean()
        suggestion = data.get("suggestion")
        if suggestion is None:
            return data
        if suggestion.kind == Suggestion.Kind.EFFECT and not data.get("stakeholder"):
            self.add_error("stakeholder", _("Choose the stakeholder who experiences this effect."))
        if suggestion.kind == Suggestion.Kind.INDICATOR and not data.get("effect"):
            self.add_error("effect", _("Choose the effect this indicator measures."))
        return data
