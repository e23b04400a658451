"""Mail-in's periodic job: poll the IMAP mailboxes (the schedule runs it by name)."""

from __future__ import annotations

from celery import shared_task

from atiende.mail import imap


@shared_task(name="atiende.mail.poll")
def poll() -> int:
    """Fetch new mail from every active mailbox and process anything left unprocessed;
    returns how many new messages were stored."""
    return imap.poll_all()
