from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from django.db.models import fields

        from organisations.fields import BLANK_CHOICE_LABEL, install_printable_text_check

        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL
        install_printable_text_check()
