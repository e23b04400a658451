"""New tickets flagged when they report what an earlier one did."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from atiende.incidents import actions, tasks
from atiende.incidents.models import SimilarTicket
from tests.factories import open_ticket as open_now

MAIL = "El correo no llega a Outlook"
MAIL_TEXT = "Desde las 9:10 el correo de Outlook no recibe mensajes en toda la oficina."


def test_a_ticket_of_the_same_company_with_the_same_words_is_flagged(world, open_checked):
    first = open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    second = open_checked(world.ana, world.soporte, subject="Outlook: el correo no llega", text=MAIL_TEXT)
    flag = SimilarTicket.objects.get(ticket=second)
    assert flag.similar_to == first
    assert flag.score >= 0.4


def test_a_ticket_about_something_else_is_not_flagged(world, open_checked):
    open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    other = open_checked(
        world.ana, world.soporte, subject="La impresora del piso 2 no imprime", text="Atasco de papel."
    )
    assert not SimilarTicket.objects.filter(ticket=other).exists()


def test_another_company_counts_only_within_the_short_window(world, open_checked, settings):
    settings.ATIENDE_INCIDENT_CROSS_COMPANY_MINUTES = 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        near = open_checked(world.carla, world.soporte, subject=MAIL, text=MAIL_TEXT)
    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        late = open_checked(world.carla, world.redes, subject="Correo de Outlook no llega", text=MAIL_TEXT)
    assert SimilarTicket.objects.get(ticket=near).similar_to == first
    # Three hours on, Acme's ticket is out of reach; Globex's own earlier one is not.
    assert SimilarTicket.objects.get(ticket=late).similar_to == near


def test_the_flag_names_the_incident_a_similar_ticket_belongs_to(world, open_checked):
    parent = open_checked(world.ana, world.soporte, subject="Caída general de servicios", text="Todo caído.")
    incident = actions.declare_incident(world.agente.user, parent, title="Caída general")
    child = open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    actions.attach_ticket(world.agente.user, incident, child)
    newcomer = open_checked(world.ana, world.soporte, subject=MAIL, text=MAIL_TEXT)
    assert SimilarTicket.objects.get(ticket=newcomer).similar_to == parent


def test_the_threshold_is_a_setting(world, open_checked, settings):
    settings.ATIENDE_INCIDENT_SIMILARITY = 0.99
    open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    second = open_checked(world.ana, world.soporte, subject="Outlook: el correo no llega", text="Nada.")
    assert not SimilarTicket.objects.filter(ticket=second).exists()


def test_the_check_runs_after_the_ticket_commits_never_inside_its_transaction(
    world, django_capture_on_commit_callbacks
):
    open_now(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = open_now(world.ana, world.soporte, subject="Outlook: el correo no llega", text=MAIL_TEXT)
        assert not SimilarTicket.objects.filter(ticket=second).exists()
    assert callbacks  # the check waits for the commit
    for callback in callbacks:
        callback()
    assert SimilarTicket.objects.filter(ticket=second).exists()


def test_running_the_check_twice_keeps_one_flag(world, open_checked):
    open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    second = open_checked(world.ana, world.soporte, subject="Outlook: el correo no llega", text=MAIL_TEXT)
    assert tasks.flag_similar(second.pk) is True  # a redelivered task
    assert SimilarTicket.objects.filter(ticket=second).count() == 1
    assert tasks.flag_similar(10**9) is False  # a ticket that is gone
