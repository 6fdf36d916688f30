from __future__ import annotations

from typing import Protocol

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from organisations.logos import LogoField
from organisations.models import Organisation, Role, StaffInvitation, User


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "city", "website", "sector", "mission", "logo"]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        field_classes = {"logo": LogoField}

    def __init__(self, *args, can_set_kind: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not can_set_kind:
            del self.fields["kind"]


class Invited(Protocol):
    email: str


class AcceptInvitationForm(forms.Form):
    """A new account for an invited address (of any kind of invitation): name and password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invited, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        # Per request, in the reader's language (at import it would be fixed in one); as
        # sentences, since Django's HTML list may not sit inside the help text's <small>.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            person = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class StaffInviteForm(forms.Form):
    """Invite one address as a trainer or a coordinator (Team page)."""

    email = forms.EmailField(
        label=_("Email address"),
        # Django's EmailField takes longer addresses than the column holds.
        max_length=StaffInvitation._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(Role.TRAINER, _("Trainer")), (Role.COORDINATOR, _("Coordinator"))],
        initial=Role.TRAINER,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "A trainer works for the cooperative or a member organisation; a coordinator for "
            "the cooperative."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The cooperative first ("cooperative" sorts before "member"): with no empty choice,
        # the browser preselects it.
        self.fields["organisation"].queryset = Organisation.objects.staff_homes().order_by(
            "kind", "name"
        )
        self.fields["organisation"].empty_label = None

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if (
            cleaned.get("role") == Role.COORDINATOR
            and organisation is not None
            and organisation.kind != Organisation.Kind.COOPERATIVE
        ):
            self.add_error(
                "organisation",
                _("A coordinator works for the cooperative: choose the cooperative."),
            )
        return cleaned
