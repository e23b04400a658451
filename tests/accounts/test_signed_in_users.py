"""The users' default manager, which the sign-in backends read the signed-in user through:
the roles come in the same query, locking a user still works on PostgreSQL, and the read is
kept per process until any account changes."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.accounts import signed_in


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


# --- kept per process (`accounts.signed_in`) ----------------------------------------------


def _user_reads(captured):
    return [q["sql"] for q in captured.captured_queries if 'FROM "accounts_user"' in q["sql"]]


def test_the_second_page_reads_no_user(client, world):
    client.force_login(world.luis.user)
    client.get(reverse("portal:home"))

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("portal:home")).status_code == 200

    assert _user_reads(captured) == []


def _deactivate(user):
    user.is_active = False
    user.save()


def _change_password_elsewhere(user):
    user = get_user_model().objects.get(pk=user.pk)  # another process's copy
    user.set_password("otra-clave-larga-y-segura")
    user.save()


@pytest.mark.parametrize(
    ("person", "page_name", "change"),
    [("luis", "portal:home", _deactivate), ("agente", "desk:home", _change_password_elsewhere)],
    ids=["deactivated", "password-changed-elsewhere"],
)
def test_a_change_to_the_account_signs_the_session_out_on_its_next_page(
    client, world, person, page_name, change
):
    user = getattr(world, person).user
    client.force_login(user)
    assert client.get(reverse(page_name)).status_code == 200  # kept now
    change(user)

    page = client.get(reverse(page_name))

    assert page.status_code == 302 and reverse("account_login") in page["Location"]


def test_an_engineer_removed_loses_the_desk_on_the_next_page(client, world):
    client.force_login(world.agente.user)
    assert client.get(reverse("desk:home")).status_code == 200
    world.agente.delete()

    assert client.get(reverse("desk:home")).status_code in {302, 403, 404}


def test_each_read_is_a_copy_of_its_own(world):
    users = get_user_model()._default_manager
    first = users.get(pk=world.luis.user.pk)
    first.full_name = "Cambiado en memoria"
    first.contact.phone = "+57 300 000 0000"

    second = users.get(pk=world.luis.user.pk)

    assert second is not first and second.full_name == "Luis Acme"
    assert second.contact is not first.contact and second.contact.phone != "+57 300 000 0000"


def test_signing_in_renews_what_a_password_reset_link_checks(world):
    users = get_user_model()._default_manager
    kept = users.get(pk=world.luis.user.pk)
    request = RequestFactory().get("/")
    request.session = SessionStore()

    login(
        request,
        get_user_model().objects.get(pk=world.luis.user.pk),
        backend=settings.AUTHENTICATION_BACKENDS[0],
    )

    after = users.get(pk=world.luis.user.pk)
    assert after.last_login is not None and after.last_login != kept.last_login
    assert after.last_login == get_user_model().objects.get(pk=world.luis.user.pk).last_login


def test_a_row_read_while_an_account_changes_is_not_kept(world, django_assert_num_queries):
    users = get_user_model()._default_manager
    queryset = users.get_queryset()
    real_get = queryset.get

    def get_while_changing(*args, **kwargs):
        found = real_get(*args, **kwargs)
        world.ana.user.save()  # another account changes after this row was read
        return found

    queryset.get = get_while_changing  # type: ignore[method-assign]
    signed_in.read(queryset, world.luis.user.pk)

    with django_assert_num_queries(1):  # read again: what was kept is of an older version
        users.get(pk=world.luis.user.pk)
    with django_assert_num_queries(0):
        users.get(pk=world.luis.user.pk)


def test_no_password_hash_reaches_the_shared_cache(client, world):
    client.force_login(world.luis.user)
    client.get(reverse("portal:home"))
    password = get_user_model().objects.get(pk=world.luis.user.pk).password

    stored = b"".join(value for value in cache._cache.values())  # type: ignore[attr-defined]

    assert password.encode() not in stored
