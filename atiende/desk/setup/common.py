"""Who may use *Configuración*: supervisors and admins (404 for everyone else, as for
any desk page they may not see)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from atiende.accounts import directory
from atiende.accounts.models import User
from atiende.desk.common import agent_user


def setup_user(request: HttpRequest) -> User:
    user, _agent = agent_user(request)
    if not directory.may_keep_companies(user):
        raise Http404
    return user
