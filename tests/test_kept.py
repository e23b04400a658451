"""What is read inside a transaction that changed a kept list is used but not kept: the
transaction may roll back, and nothing renews the version then."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from atiende.accounts.models import Membership
from atiende.portal import company
from atiende.tickets import vocabulary
from tests.factories import QueueFactory


class Undone(Exception):
    """Raised to roll a block back."""


def _queues():
    return {queue.name for queue in vocabulary.kept.load().queue.values()}


def test_a_queue_read_inside_a_transaction_rolled_back_is_not_kept(world):
    _queues()  # kept before
    with pytest.raises(Undone), transaction.atomic():
        QueueFactory.create(name="Cola que no será")
        assert "Cola que no será" in _queues()  # the transaction sees its own queue
        raise Undone

    assert "Cola que no será" not in _queues()


def test_after_a_rollback_the_first_read_outside_a_transaction_is_kept_again(world):
    with pytest.raises(Undone), transaction.atomic():
        QueueFactory.create(name="Cola que no será")
        _queues()
        raise Undone
    _queues()

    with CaptureQueriesContext(connection) as captured:
        _queues()

    assert captured.captured_queries == []


def test_a_change_committed_is_kept_on_the_next_read(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        QueueFactory.create(name="Cola nueva")
        assert "Cola nueva" in _queues()  # read inside, not kept
    assert "Cola nueva" in _queues()  # read after the commit, kept

    with CaptureQueriesContext(connection) as captured:
        assert "Cola nueva" in _queues()

    assert captured.captured_queries == []


def test_a_signed_in_user_renamed_in_a_transaction_rolled_back_is_read_as_stored(world):
    users = get_user_model()._default_manager
    pk = world.luis.user.pk
    users.get(pk=pk)  # kept before
    with pytest.raises(Undone), transaction.atomic():
        user = users.get(pk=pk)
        user.full_name = "Nombre que no será"
        user.save()
        assert users.get(pk=pk).full_name == "Nombre que no será"
        raise Undone

    assert users.get(pk=pk).full_name == world.luis.user.full_name


def test_a_membership_read_inside_a_transaction_rolled_back_is_not_kept_for_everyone(world):
    def companies():
        request = RequestFactory().get("/")
        return {
            standing.organization.name for standing in company.belonging(request, world.luis.user).standings
        }

    assert world.globex.name not in companies()
    with pytest.raises(Undone), transaction.atomic():
        Membership.objects.create(contact=world.luis, organization=world.globex)
        assert world.globex.name in companies()
        raise Undone

    assert world.globex.name not in companies()


def test_a_later_transaction_keeps_what_it_reads(world):
    with transaction.atomic():
        QueueFactory.create(name="Cola nueva")
    with transaction.atomic():
        assert "Cola nueva" in _queues()

        with CaptureQueriesContext(connection) as captured:
            assert "Cola nueva" in _queues()

    assert captured.captured_queries == []
