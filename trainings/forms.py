from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from organisations.fields import ModelMultipleChoiceField
from organisations.forms import AcceptInvitationForm as AcceptInvitationForm  # one for every kind
from organisations.models import Organisation, Role, User
from trainings.models import (
    Cohort,
    Programme,
    Session,
    Step,
    Training,
)
from trainings.services import parse_addresses


def trainer_people() -> QuerySet[User]:
    """People who hold a trainer membership somewhere."""
    return User.objects.filter(memberships__role=Role.TRAINER).distinct()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "introduced_by"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["introduced_by"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.MEMBER, Organisation.Kind.COOPERATIVE]
        )


class TrainingForm(forms.ModelForm):
    trainers = ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Training
        fields = ["programme", "name", "project", "description", "trainers"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = trainer_people()


class CohortForm(forms.ModelForm):
    trainers = ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one trainer.")},
    )

    class Meta:
        model = Cohort
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "capacity",
            "location",
            "description",
            "trainers",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, training: Training, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.training = training
        self.instance.training = training
        self.fields["trainers"].queryset = trainer_people()
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. Round 2")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        duplicates = Cohort.objects.filter(training=self.training, name__iexact=name)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("This training already has a cohort with this name."), code="unique"
            )
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", _("The last day cannot lie before the first day."))
            elif self.instance.pk:
                outside = self.instance.sessions.exclude(date__range=(starts_on, ends_on))
                if outside.exists():
                    self.add_error(
                        None,
                        _(
                            "Some sessions lie outside these dates: %(sessions)s. "
                            "Move them first, or choose other dates."
                        )
                        % {"sessions": ", ".join(str(s) for s in outside)},
                    )
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity:
            enrolled = self.instance.enrolments.active().count()
            if capacity < enrolled:
                self.add_error(
                    "capacity",
                    _("%(count)s organisations are enrolled; the capacity cannot be lower.")
                    % {"count": enrolled},
                )
        return cleaned


class CopyCohortForm(CohortForm):
    """A new cohort from an earlier one: the last day follows the first unless given."""

    def __init__(self, *args, source: Cohort, **kwargs) -> None:
        self.source = source
        super().__init__(*args, training=source.training, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = _(
            "Leave empty to keep the length of %(name)s (%(days)s days)."
        ) % {"name": source.name, "days": (source.ends_on - source.starts_on).days + 1}

    def clean(self) -> dict:
        starts_on = self.cleaned_data.get("starts_on")
        if starts_on and not self.cleaned_data.get("ends_on"):
            self.cleaned_data["ends_on"] = starts_on + (self.source.ends_on - self.source.starts_on)
        return super().clean()


STEP_CHOICES = [(number, f"{number}. {label}") for number, label in Step.choices]


class SessionForm(forms.ModelForm):
    steps = forms.TypedMultipleChoiceField(
        label=_("Worksheet steps"),
        choices=STEP_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The steps of the impact worksheet that this session works on."),
    )

    class Meta:
        model = Session
        fields = ["title", "date", "starts_at", "ends_at", "location", "host", "agenda", "steps"]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"host": _("For example the kringloop company where the session is held.")}

    def __init__(self, *args, cohort: Cohort, hosts: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.instance.cohort = cohort
        self.fields["host"].queryset = hosts

    def clean_steps(self) -> list[int]:
        return sorted(set(self.cleaned_data["steps"]))

    def clean(self) -> dict:
        cleaned = super().clean()
        date: dt.date | None = cleaned.get("date")
        if date and not (self.cohort.starts_on <= date <= self.cohort.ends_on):
            self.add_error(
                "date",
                _("Choose a date within the cohort: %(start)s to %(end)s.")
                % {
                    "start": formats.date_format(self.cohort.starts_on),
                    "end": formats.date_format(self.cohort.ends_on),
                },
            )
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session must end after it starts."))
        return cleaned


class EnrolForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Existing organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    new_name = forms.CharField(
        label=_("Name of a new organisation"),
        help_text=_(
            "Not in the list above? Type the name here; the organisation is added to "
            "impactlab and enrolled in one go."
        ),
        max_length=200,
        required=False,
    )
    new_city = forms.CharField(
        label=_("City of the new organisation"), max_length=100, required=False
    )

    def __init__(self, *args, cohort: Cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PARTICIPANT
        ).exclude(enrolments__cohort=cohort, enrolments__withdrawn_at__isnull=True)

    def clean_new_name(self) -> str:
        name = self.cleaned_data["new_name"].strip()
        if name and Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("An organisation with this name exists already; choose it from the list.")
            )
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        has_existing = bool(cleaned.get("organisation"))
        has_new = bool(cleaned.get("new_name"))
        if "new_name" in cleaned and has_existing == has_new:
            raise forms.ValidationError(
                _("Choose an existing organisation or give the name of a new one, not both.")
                if has_existing
                else _("Choose an existing organisation or give the name of a new one.")
            )
        return cleaned


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    addresses = forms.CharField(
        label=_("Email addresses"),
        # A few hundred addresses; longer pastes are refused before they are parsed.
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=_(
            "One or more addresses, separated by new lines, commas or semicolons. "
            "Each person gets their own link."
        ),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            enrolments__cohort=cohort, enrolments__withdrawn_at__isnull=True
        )

    def clean_addresses(self):
        parsed = parse_addresses(self.cleaned_data["addresses"])
        if not parsed.valid and not parsed.invalid:
            raise forms.ValidationError(_("Give at least one email address."))
        self.parsed = parsed
        return self.cleaned_data["addresses"]
