"""An agent's saved views: a name and the inbox's filters, for that agent's sidebar only.

They are the agent's own preferences, not ticket data, so they change here and leave no
ticket history."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.desk.inbox.filters import InboxFilters
from atiende.errors import InvalidValue, NotAllowed
from atiende.tickets import access
from atiende.tickets.models import SavedView

NAME_MAX_LENGTH = 80
QUERY_MAX_LENGTH = 1000


def save_view(actor: User, *, name: str, query: str) -> SavedView:
    """A new view in the agent's sidebar showing the list with these filters."""
    if access.active_agent(actor) is None:
        raise NotAllowed(_("Only agents have saved views."))
    name = " ".join(name.split())
    if not name:
        raise InvalidValue("name", _("Write a name for the view."))
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidValue("name", _("The name is limited to %(max)s characters.") % {"max": NAME_MAX_LENGTH})
    # Stored the way the inbox writes it, so the sidebar recognises the view when it shows.
    query = InboxFilters.from_string(query).to_query()
    if len(query) > QUERY_MAX_LENGTH:
        raise InvalidValue("query", _("These filters are too long to save; remove some of them."))
    taken = InvalidValue("name", _("You already have a view named %(name)s.") % {"name": name})
    if SavedView.objects.filter(owner=actor, name__iexact=name).exists():
        raise taken
    last = SavedView.objects.filter(owner=actor).aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                owner=actor, name=name, query=query, position=0 if last is None else last + 1
            )
    except IntegrityError:  # the same name saved twice at once
        raise taken from None


def delete_view(actor: User, view: SavedView) -> None:
    if view.owner_id != actor.pk:
        raise NotAllowed(_("You can only delete your own views."))
    view.delete()
