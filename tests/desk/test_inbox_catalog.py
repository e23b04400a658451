"""The inbox's lists of stages, queues, agents… are kept between requests and read again
after a change."""

from __future__ import annotations

from atiende.desk.inbox import catalog


def test_the_catalog_is_read_again_after_a_change(world, django_assert_num_queries):

    first = catalog.load()
    with django_assert_num_queries(0):
        assert catalog.load() is first

    world.redes.name = "Redes y comunicaciones"
    world.redes.save()
    again = catalog.load()

    assert again is not first
    assert "Redes y comunicaciones" in {queue.name for queue in again.queues}
    world.agente.user.save(update_fields=["last_login"])
    assert catalog.load() is again  # signing in changes nothing listed
