from django import forms

from organisations.logos import LogoField
from organisations.models import Organisation


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
