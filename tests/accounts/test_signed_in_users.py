"""The users' default manager, which the sign-in backends read the signed-in user through:
the roles come in the same query, and locking a user still works on PostgreSQL."""

from django.contrib.auth import get_user_model
from django.db import transaction


def test_the_signed_in_user_comes_with_their_roles_in_one_query(world, django_assert_num_queries):
    users = get_user_model()._default_manager

    with django_assert_num_queries(1):
        agent = users.get(pk=world.agente.user.pk)
        assert agent.agent_or_none == world.agente
        assert agent.contact_or_none is None

    with django_assert_num_queries(1):
        contact = users.get(pk=world.luis.user.pk)
        assert contact.contact_or_none == world.luis
        assert contact.agent_or_none is None


def test_a_user_locked_through_the_default_manager_is_locked_alone(world, django_assert_num_queries):
    """allauth locks the user this way when it regenerates recovery codes; PostgreSQL
    refuses FOR UPDATE on the nullable side of the roles' outer joins."""
    with transaction.atomic(), django_assert_num_queries(1) as queries:
        locked = get_user_model()._default_manager.select_for_update().get(pk=world.agente.user.pk)
        assert locked.agent_or_none == world.agente

    from django.db import connection

    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "accounts_user"' in queries.captured_queries[0]["sql"]
