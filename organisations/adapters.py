from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join impactlab through an invitation from their trainer."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
