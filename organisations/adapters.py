from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from organisations.fields import printable


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join impactlab through an invitation from their trainer."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        """One line without control characters, whatever a ronde's name holds: a mail header
        takes neither line breaks nor controls."""
        return super().format_email_subject(" ".join(printable(subject).split()))
