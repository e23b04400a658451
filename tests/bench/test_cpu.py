"""The server meter adds up the CPU its server's worker processes spent during a block."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.cpu import ServerMeter, children

BURN = (
    "import sys, time\nwhile time.process_time() < 0.3: pass\nprint('burnt', flush=True)\nsys.stdin.read()\n"
)


@pytest.mark.django_db  # on PostgreSQL the meter also reads the database's processes
def test_the_cpu_of_a_child_process_is_counted_while_it_lives() -> None:
    with ServerMeter(os.getpid()) as meter:
        worker = subprocess.Popen(
            [sys.executable, "-c", BURN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "burnt"  # waits on the child, not on a clock
        assert worker.pid in children(os.getpid())
    worker.communicate("")

    assert meter.seconds >= 0.25  # 0.3 s burnt, read in clock ticks
