"""A client generated from our schema works: openapi-python-client turns the schema a live
server serves into a Python package, and that package files a ticket with a file on a
contact's behalf (multipart), replies, lists and closes it, as an agent with a token."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from atiende.tickets.models import Attachment, Channel, MessageKind, StatusKind, Ticket
from tests.api.conftest import TokenFor
from tests.conftest import World

pytestmark = pytest.mark.server

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "atiende_client"


@pytest.fixture
def live_api(
    transactional_db: None, django_db_serialized_rollback: None, live_server: LiveServer
) -> Iterator[LiveServer]:
    with override_settings(ATIENDE_API_RATE="100000/min"):
        yield live_server


def work_around_unset_import(package: Path) -> None:
    """openapi-python-client 0.29 names `Unset` without importing it in an operation whose
    required body has two content types (our writes take JSON or multipart): its issue
    #1451, fixed by its pull request #1478. Until a release has it, the import is added."""
    for module in (package / "api").rglob("*.py"):
        source = module.read_text()
        if "| Unset" in source and "import Response, UNSET, Unset" not in source:
            module.write_text(
                source.replace(
                    "from ...types import Response, UNSET", "from ...types import Response, UNSET, Unset", 1
                )
            )


@pytest.fixture
def generated(live_api: LiveServer, tmp_path: Path) -> Iterator[ModuleType]:
    schema = httpx.get(f"{live_api.url}/api/schema/?format=json", timeout=30)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "schema.json",
            "--output-path",
            PACKAGE,
            "--meta",
            "none",
            "--overwrite",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / PACKAGE / "api" / "v1" / "tickets_create.py").exists(), result.stdout
    work_around_unset_import(tmp_path / PACKAGE)
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_a_generated_client_files_replies_lists_and_closes(
    generated: ModuleType, live_api: LiveServer, world: World, token_for: TokenFor
) -> None:
    def module(name: str) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{name}")

    models = module("models")
    types = module("types")
    client = generated.AuthenticatedClient(
        base_url=live_api.url, token=token_for(world.agente.user), raise_on_unexpected_status=True
    )

    body = models.TicketCreateRequest(
        subject="La impresora no imprime",
        queue=world.soporte.pk,
        requester=world.luis.pk,
        text="Llamó Luis: la impresora del piso 2 no imprime.",
        files=[
            types.File(
                payload=io.BytesIO(b"%PDF-1.4 error"), file_name="error.pdf", mime_type="application/pdf"
            )
        ],
    )
    created = module("api.v1.tickets_create").sync(client=client, body=body)
    assert isinstance(created, models.TicketOut), created
    assert created.subject == "La impresora no imprime"

    ticket = Ticket.objects.get(number=created.number)
    assert ticket.requester == world.luis
    assert ticket.channel == Channel.API
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.filename == "error.pdf"
    assert attachment.file.read() == b"%PDF-1.4 error"

    reply = module("api.v1.tickets_replies_create").sync(
        created.number, client=client, body=models.MessageCreateRequest(text="Ya vamos para allá.")
    )
    assert isinstance(reply, models.MessageOut), reply
    assert ticket.messages.filter(kind=MessageKind.PUBLIC, body_text="Ya vamos para allá.").exists()

    listed = module("api.v1.tickets_list").sync(client=client)
    assert isinstance(listed, models.PaginatedTicketOutList), listed
    assert created.number in [item.number for item in listed.results]

    closed = module("api.v1.tickets_close").sync(created.number, client=client)
    assert isinstance(closed, models.TicketOut), closed
    ticket.refresh_from_db()
    assert ticket.status.kind == StatusKind.CLOSED
    assert ticket.closed_at is not None
