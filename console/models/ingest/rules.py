"""The per-message ingest rules, as functions over plain values.

They fold one stored message into a conversation's :class:`ConvState` and
settle a new conversation's arrival status; the workflow rules they apply
(waiting, due, reopen, arrival) are in console/models/workflow_rules.py.
No database here: tests/test_ingest_rules.py runs them on values.
"""

from __future__ import annotations

import re
from typing import Any

from console.models import workflow_rules
from console.models.ingest.state import ConvState
from console.models.vocabulary import Status

DAY_MS = 86_400_000

_LEADING_MENTIONS = re.compile(r"^(?:@[\w.@-]+[\s,:]+)+")


def preview_of(text: str, limit: int = 200) -> str:
    """First meaningful line of a message, for the queue row: not a quote,
    not a bare greeting such as "Bonjour," or "Hi team,", without the
    @mentions a public reply starts with."""
    for line in text.splitlines():
        line = _LEADING_MENTIONS.sub("", " ".join(line.split()))
        if not line or line.startswith(">"):
            continue
        if line.endswith(",") and len(line) <= 30:
            continue
        return line[:limit]
    return " ".join(text.split())[:limit]


def window_start(now: int, history_days: int) -> int:
    """The start of the history window the engine gave the provider: a
    message older than this neither reopens nor arrives open."""
    return now - history_days * DAY_MS


def fold_inbound(
    conv: ConvState, sent: int, text: str, author_id: str | None, window_start: int
) -> None:
    """An inbound message: the inbound times, the preview and contact (from
    the newest), waiting_since, and a reopen when it makes someone wait."""
    # Only a message newer than every inbound one already known makes
    # someone wait again: a late old one, or one fetched again after a
    # cache rebuild (docs/decisions.md), leaves the status alone.
    newest_in = conv.last_in is None or sent > conv.last_in
    if conv.new:
        conv.inbound.append(sent)
    if conv.first_in is None or sent < conv.first_in:
        conv.first_in = sent
    if conv.last_in is None or sent >= conv.last_in:
        conv.last_in = sent
        conv.preview_text = text
        if author_id is not None:
            conv.contact_id = author_id
    if conv.last_out is None or sent > conv.last_out:
        if conv.waiting_since is None or sent < conv.waiting_since:
            conv.waiting_since = sent
        conv.unread = True
        if not conv.new and workflow_rules.reopens(
            conv.status, newest_inbound=newest_in, sent=sent, window_start=window_start
        ):
            conv.status = Status.OPEN
            conv.snoozed_until = None
            conv.reopened = True


def fold_outbound(conv: ConvState, sent: int) -> None:
    """An outbound message (ours, or sent outside Parloir): a reply newer
    than the waiting time ends the wait, so waiting_since is recomputed."""
    if conv.last_out is None or sent > conv.last_out:
        conv.last_out = sent
        if conv.waiting_since is not None and conv.waiting_since <= sent:
            conv.recompute = True


def fold_message(
    conv: ConvState,
    *,
    inbound: bool,
    sent: int,
    text: str,
    subject: str | None,
    author_id: str | None,
    window_start: int,
) -> None:
    """Fold one newly stored, live message into its conversation's aggregates."""
    conv.dirty = True
    conv.message_count += 1
    if conv.last_activity is None or sent > conv.last_activity:
        conv.last_activity = sent
    if conv.subject is None and subject:
        conv.subject = subject
    if inbound:
        fold_inbound(conv, sent, text, author_id, window_start)
    else:
        fold_outbound(conv, sent)


def settle_arrival(conv: ConvState, window_start: int) -> None:
    """A conversation seen for the first time: its waiting_since from the
    inbound times of this chunk, then open (and unread) or closed."""
    if conv.recompute:
        conv.waiting_since = workflow_rules.first_waiting(conv.inbound, conv.last_out)
        conv.recompute = False
    conv.status = workflow_rules.arrival_status(conv.waiting_since, conv.last_in, window_start)
    conv.unread = conv.status == Status.OPEN


def current_preview(conv: ConvState) -> str:
    """The queue row's preview: of the newest inbound message folded in,
    else the one stored. Made here, once per conversation and chunk, rather
    than for every inbound message (a tenth of ingest's Python time)."""
    if conv.preview_text is None:
        return conv.preview
    return preview_of(conv.preview_text)


def aggregates(conv: ConvState, due_seconds: int, now: int) -> tuple[Any, ...]:
    """The aggregate columns written for a conversation, in the order of
    the INSERT and UPDATE statements (conversations.py)."""
    return (
        conv.subject,
        current_preview(conv),
        conv.first_in,
        conv.last_in,
        conv.last_out,
        conv.last_activity if conv.last_activity is not None else now,
        conv.waiting_since,
        workflow_rules.due_at(conv.waiting_since, due_seconds),
        workflow_rules.sort_wait_key(conv.waiting_since, conv.last_activity),
        int(conv.unread),
        conv.message_count,
        now,
    )
