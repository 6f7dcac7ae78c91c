"""The activity history in words: one short line per HistoryView, as the
thread shows it between the messages ("Camille Martin assigned to Ana
Souza", "closed", "tagged #bug", "reply sent", "undid: closed" …).

The words are the pane's (``tr`` is the ConversationPane's, as for
thread_html). The line is plain text: the caller tames and escapes it, as
every value in it (names, tags) comes from the cache.
"""

from __future__ import annotations

from collections.abc import Callable

from console.services.conversation_view import HistoryView
from console.views import queue_cells
from console.views.i18n import QT_TRANSLATE_NOOP

WHO = QT_TRANSLATE_NOOP("ConversationPane", "{0} {1}")
ASSIGNED = QT_TRANSLATE_NOOP("ConversationPane", "assigned to {0}")
UNASSIGNED = QT_TRANSLATE_NOOP("ConversationPane", "unassigned")
CLOSED = QT_TRANSLATE_NOOP("ConversationPane", "closed")
REOPENED = QT_TRANSLATE_NOOP("ConversationPane", "reopened")
PENDING = QT_TRANSLATE_NOOP("ConversationPane", "marked pending")
STATUS = QT_TRANSLATE_NOOP("ConversationPane", "status {0}")
SNOOZED = QT_TRANSLATE_NOOP("ConversationPane", "snoozed until {0}")
TAGGED = QT_TRANSLATE_NOOP("ConversationPane", "tagged #{0}")
UNTAGGED = QT_TRANSLATE_NOOP("ConversationPane", "removed tag #{0}")
PRIORITY = QT_TRANSLATE_NOOP("ConversationPane", "priority {0}")
NOTE = QT_TRANSLATE_NOOP("ConversationPane", "added a note")
QUEUED = QT_TRANSLATE_NOOP("ConversationPane", "reply queued")
SENT = QT_TRANSLATE_NOOP("ConversationPane", "reply sent")
MERGED = QT_TRANSLATE_NOOP("ConversationPane", "merged another conversation into this one")
UNDID = QT_TRANSLATE_NOOP("ConversationPane", "undid: {0}")
UNDID_SOMETHING = QT_TRANSLATE_NOOP("ConversationPane", "undid a change")
REASON = QT_TRANSLATE_NOOP("ConversationPane", "{0} ({1})")
INBOUND = QT_TRANSLATE_NOOP("ConversationPane", "a new message came in")

#: Known reasons for automatic changes, in words.
REASONS = {"inbound": INBOUND}


def history_line(entry: HistoryView, tr: Callable[[str], str], when: Callable[[str], str]) -> str:
    """The entry as one line of plain text (not escaped); ``when`` turns an
    ISO time into the local time people read."""
    what = _what(entry, tr, when)
    if entry.reason:
        what = tr(REASON).format(what, tr(REASONS.get(entry.reason, entry.reason)))
    return tr(WHO).format(entry.actor, what) if entry.actor else what


def _what(entry: HistoryView, tr: Callable[[str], str], when: Callable[[str], str]) -> str:
    value = entry.value or ""
    match entry.op:
        case "assign":
            return tr(ASSIGNED).format(value or "?")
        case "unassign":
            return tr(UNASSIGNED)
        case "status":
            plain = {"closed": CLOSED, "open": REOPENED, "pending": PENDING}.get(value)
            return tr(plain) if plain else tr(STATUS).format(queue_cells.status_word(value))
        case "snooze":
            return tr(SNOOZED).format(when(value) if value else "?")
        case "tag":
            return tr(TAGGED).format(value)
        case "untag":
            return tr(UNTAGGED).format(value)
        case "priority":
            return tr(PRIORITY).format(queue_cells.priority_word(value))
        case "note":
            return tr(NOTE)
        case "send":
            return tr(QUEUED) if value == "queued" else tr(SENT)
        case "merge":
            return tr(MERGED)
        case "undo":
            # The value is the line undone, "op value" (services/history.py).
            op, _, undone = value.partition(" ")
            if not op or op == "undo":
                return tr(UNDID_SOMETHING)
            inner = HistoryView(entry.at, None, op, undone or None)
            return tr(UNDID).format(_what(inner, tr, when))
    return f"{entry.op} {value}".strip()
