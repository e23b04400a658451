from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from atiende.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The request's user as our model; views behind `login_required` call this."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
