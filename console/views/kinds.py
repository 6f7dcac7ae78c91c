"""Who can see a thread: public, private message (DM), e-mail, comment.

One place for the mark the queue row and the pane header show, so a reply
is never written without knowing who will read it. The label and the
sentence are translated in the "Kinds" context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon

from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.icons import icon

LABELS = {
    "public": QT_TRANSLATE_NOOP("Kinds", "Public"),
    "direct": QT_TRANSLATE_NOOP("Kinds", "Private message"),
    "email": QT_TRANSLATE_NOOP("Kinds", "E-mail"),
    "comment": QT_TRANSLATE_NOOP("Kinds", "Comment"),
}
SENTENCES = {
    "public": QT_TRANSLATE_NOOP(
        "Kinds", "Public thread: everyone can read it, and your reply is public too."
    ),
    "direct": QT_TRANSLATE_NOOP(
        "Kinds",
        "Private message (DM): only the people in it read your reply; an @name you add joins them.",
    ),
    "email": QT_TRANSLATE_NOOP(
        "Kinds", "E-mail: your reply goes by mail to the recipients it names."
    ),
    "comment": QT_TRANSLATE_NOOP("Kinds", "Comment: public on the page it was left on."),
}


def label(kind: str) -> str:
    """The short mark: "Public", "Private message", "E-mail", "Comment"."""
    return QCoreApplication.translate("Kinds", LABELS.get(kind, LABELS["public"]))


def sentence(kind: str) -> str:
    """Who reads this thread and a reply to it, in one sentence."""
    return QCoreApplication.translate("Kinds", SENTENCES.get(kind, SENTENCES["public"]))


def kind_icon(kind: str) -> QIcon:
    return icon(f"kind-{kind if kind in LABELS else 'public'}")
