import logging

import pytest
from django.db import transaction

from atiende.tickets import actions
from atiende.tickets.models import Channel
from tests.factories import open_ticket


def test_a_change_is_announced_after_it_commits(world, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.INFO, logger="atiende.tickets")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ticket = open_ticket(world.luis, world.soporte)

    assert callbacks  # the audit line and the confirmation email both wait for the commit
    assert f"ticket.opened ticket={ticket.pk} actor={world.luis.user.pk} channel=web" in caplog.text


def test_nothing_is_announced_when_the_change_rolls_back(world, caplog, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte)
    caplog.set_level(logging.INFO, logger="atiende.tickets")

    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="¿Novedades?")
        raise Abort

    assert callbacks == []
    assert ticket.messages.count() == 1
