from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are issued by the provider, never self-registered."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
