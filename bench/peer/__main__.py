"""Atiende and django-helpdesk side by side: the same tickets, the same pages, one run.

    DATABASE_URL=postgres://…/atiende_bench python -m bench.peer [--seconds 10] [--workers 4]

Installs django-helpdesk from PyPI into var/peer/venv (never into Atiende's environment),
creates and migrates its database (`atiende_peer`, or PEER_DATABASE), loads our benchmark
data into it with its own models, then measures each pair of pages through gunicorn with
wrk: Atiende first, then django-helpdesk. Prints CPU per page for both and the ratio.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, the same on both sides")
    parser.add_argument("--reload", action="store_true", help="load the data into the peer again")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    from bench.run import production_environment

    production_environment()
    setup_django()
    from bench.peer.runner import run

    print(run(args.seconds, args.workers, args.reload, args.json))


if __name__ == "__main__":
    main()
