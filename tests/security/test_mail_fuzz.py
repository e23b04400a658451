"""Email parser fuzzing: real messages from the corpus, mutated by hypothesis (bytes
flipped, inserted and cut, headers duplicated or truncated, boundaries broken). Parsing
never raises, and every message stored is then processed or quarantined, never lost or
left half-done."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atiende.mail.inbound import process, store
from atiende.mail.models import InboundStatus
from atiende.mail.parse import parse

CORPUS = sorted((Path(__file__).parents[1] / "mail" / "corpus").glob("*.eml"))
FINAL = {InboundStatus.PROCESSED, InboundStatus.IGNORED, InboundStatus.QUARANTINED}
# Examples run per property; tests/security's count in docs/security.md comes from here.
PARSE_EXAMPLES = 400
PROCESS_EXAMPLES = 120


@st.composite
def mutated_messages(draw: st.DrawFn) -> bytes:
    raw = bytearray(CORPUS[draw(st.integers(0, len(CORPUS) - 1))].read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "cut", "truncate", "duplicate_line", "drop_line"]))
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        if kind == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[at:at] = draw(
                st.sampled_from(
                    [b"\r\n", b"\n\n", b"=?utf-8?B?", b"--", b"\x00", b"\xff\xfe", b":", b'boundary="']
                )
                | st.binary(max_size=40)
            )
        elif kind == "cut":
            del raw[at : at + draw(st.integers(1, 200))]
        elif kind == "truncate":
            del raw[at:]
        else:
            lines = bytes(raw).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate_line":
                lines.insert(index, lines[index])
            else:
                del lines[index]
            raw = bytearray(b"\n".join(lines))
    return bytes(raw)


@settings(max_examples=PARSE_EXAMPLES, deadline=None, derandomize=True)
@given(raw=mutated_messages())
def test_parsing_never_raises(raw: bytes) -> None:
    parsed = parse(raw)
    assert isinstance(parsed.text, str) and isinstance(parsed.subject, str)
    assert all(isinstance(upload.content, bytes) for upload in parsed.uploads)


@pytest.mark.django_db
@settings(
    max_examples=PROCESS_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=mutated_messages())
def test_every_stored_message_ends_processed_ignored_or_quarantined(world, raw: bytes) -> None:
    record, new = store(raw, source="fuzz")
    outcome = process(record)
    record.refresh_from_db()
    assert record.status in FINAL, (record.status, outcome.text)
    if new:  # else a mutation kept the Message-ID of an earlier one: the same message
        assert bytes(record.raw) == raw
    if record.status == InboundStatus.QUARANTINED:
        assert record.outcome.startswith("quarantined:")
