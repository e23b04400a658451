"""The domain functions: every change to a ticket, from any channel, happens here.

`core` opens, replies, notes, changes, assigns, closes, links and attaches; `merge` merges
duplicates and splits messages off; `work` records time and what each person has seen.
"""

from atiende.tickets.actions.core import (
    REQUESTER_EDITABLE,
    UNSET,
    add_note,
    add_reply,
    assign_ticket,
    attach_files,
    change_status,
    change_ticket,
    close_ticket,
    default_status,
    default_type,
    link_tickets,
    open_ticket,
    take_ticket,
)
from atiende.tickets.actions.merge import merge_tickets, split_message
from atiende.tickets.actions.senders import accept_message
from atiende.tickets.actions.system import record_delivery_failure
from atiende.tickets.actions.work import LastSeen, add_time_entry, mark_seen, render_canned_reply

__all__ = [
    "REQUESTER_EDITABLE",
    "UNSET",
    "LastSeen",
    "accept_message",
    "add_note",
    "add_reply",
    "add_time_entry",
    "assign_ticket",
    "attach_files",
    "change_status",
    "change_ticket",
    "close_ticket",
    "default_status",
    "default_type",
    "link_tickets",
    "mark_seen",
    "merge_tickets",
    "open_ticket",
    "record_delivery_failure",
    "render_canned_reply",
    "split_message",
    "take_ticket",
]
