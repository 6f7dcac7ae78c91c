"""Desktop notifications: the freedesktop notification service over D-Bus
(org.freedesktop.Notifications), and a tray icon when the desktop has one.

After each change set the window hears of (its own writes, the engine
process's, another terminal's) the notifier asks the Qt-free service
(console/services/notifications.py) what is new for me, off the GUI
thread, and once a minute which targets are about to pass. What arrives
within GROUP_MS is sent as one notification ("12 new messages on your
conversations"); nothing is sent about the conversation on screen while
the window is active, nor within the quiet hours. Clicking a notification
(its "default" action) opens that conversation in this window.

No notification service on the bus (another desktop, a bare session):
the calls fail quietly, and the tray icon's balloon says it when there is
a tray. The D-Bus calls are asynchronous: the GUI thread never waits on
the bus. The headless ``parloir sync`` has no notifier at all.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SLOT, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import (
    QDBusConnection,
    QDBusMessage,
    QDBusPendingCallWatcher,
    QDBusVariant,
)
from PySide6.QtWidgets import QSystemTrayIcon
from sqlalchemy.orm import Session

from console.models.types import utcnow
from console.models.writer import ChangeSet
from console.services import notifications as found
from console.services.notifications import ASSIGNED, DUE, INBOUND, MENTION, Notice

if TYPE_CHECKING:
    from console.views.main_window import MainWindow

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
#: What arrives within this many milliseconds is one notification.
GROUP_MS = 1500
#: How often the answer-within targets are looked at.
DUE_MS = 60_000
#: The freedesktop categories, so a desktop can sort or sound them.
CATEGORIES = {INBOUND: "im.received", ASSIGNED: "im", MENTION: "im", DUE: "im"}


class Notifier(QObject):
    """Finds, groups and sends the notifications of one window.

    Signals:
    looked(int): one look at the cache ended, with this many notices to send.
    """

    looked = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = window.runner
        self.group_ms = GROUP_MS
        self.seen: found.Seen | None = None
        self.waiting: list[Notice] = []
        #: Notification id (the service's) → the conversation it opens.
        self.sent: dict[int, str] = {}
        self._looking = False
        self._again = False
        self._watchers: set[QDBusPendingCallWatcher] = set()
        self.bus = QDBusConnection.sessionBus()
        self.bus.connect(
            SERVICE,
            PATH,
            IFACE,
            "ActionInvoked",
            self,
            _slot("action_invoked(QDBusMessage)"),
        )
        self.bus.connect(
            SERVICE, PATH, IFACE, "NotificationClosed", self, _slot("closed(QDBusMessage)")
        )
        self._group = QTimer(self)
        self._group.setSingleShot(True)
        self._group.timeout.connect(self.send_waiting)
        self._due = QTimer(self)
        self._due.setInterval(DUE_MS)
        self._due.timeout.connect(self.look_due)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(window.windowIcon(), self)
            self.tray.setToolTip(window.windowTitle())
            self.tray.activated.connect(lambda _reason: self._open(""))
            self.tray.messageClicked.connect(self._tray_clicked)
            self.tray.show()
        # The title counts what waits for me ("Parloir — 3 mine, 5 unassigned").
        window.windowTitleChanged.connect(self._title_changed)
        self._last_tray = ""
        self.runner.read(lambda s: found.start(s.connection()), self._started)
        self.runner.changed.connect(self.changed)

    # -- looking -------------------------------------------------------------

    def _started(self, seen: found.Seen) -> None:
        self.seen = seen
        self._due.start()
        self.look_due()

    def changed(self, changes: ChangeSet) -> None:
        if self.seen is None or not (changes.conversations or changes.everything):
            return
        if self._looking:
            self._again = True  # one look after this one covers it
            return
        self._looking = True
        seen, me = self.seen, self.window.me_id
        self.runner.read(lambda s: _look(s, me, seen, None), self._looked)

    def look_due(self) -> None:
        if self.seen is None or self.window.me_id is None:
            return
        seen, me, lead = self.seen, self.window.me_id, self.window.me_role == "lead"
        self.runner.read(lambda s: _look(s, me, seen, lead), self._found)

    def _looked(self, look: list[Notice]) -> None:
        self._looking = False
        self._found(look)
        if self._again:
            self._again = False
            self.changed(ChangeSet(everything=True))

    def _found(self, look: list[Notice]) -> None:
        shown = self.window.pane.conv_id if self.window.isActiveWindow() else None
        new = [n for n in look if n.conversation_id != shown]
        self.looked.emit(len(new))
        if not new:
            return
        self.waiting.extend(new)
        if not self._group.isActive():
            self._group.start(self.group_ms)

    # -- sending -------------------------------------------------------------

    def send_waiting(self) -> None:
        notices, self.waiting = self.waiting, []
        if not notices:
            return
        summary, body = self.words(notices)
        first = notices[0]
        self.notify(summary, body, first.conversation_id, CATEGORIES[first.kind])

    def words(self, notices: list[Notice]) -> tuple[str, str]:
        """The summary and body of one notification for ``notices``."""
        if len(notices) > 1:
            people = sorted({n.who for n in notices if n.who})
            body = ", ".join(people[:5]) + ("…" if len(people) > 5 else "")
            if all(n.kind == INBOUND for n in notices):
                return self.tr("{0} new messages on your conversations").format(len(notices)), body
            return self.tr("{0} updates on your conversations").format(len(notices)), body
        n = notices[0]
        if n.kind == ASSIGNED:
            by = self.tr("By {0}").format(n.by) if n.by else ""
            return self.tr("Assigned to you: {0}").format(n.who), by
        if n.kind == MENTION:
            return self.tr("{0} mentioned you").format(n.by or self.tr("A colleague")), n.text
        if n.kind == DUE:
            return self.tr("Answer soon: {0}").format(n.who), n.text
        return self.tr("New message from {0}").format(n.who), n.text

    def notify(self, summary: str, body: str, conv_id: str, category: str) -> None:
        """One Notify call, answered asynchronously with the notification's id."""
        msg = QDBusMessage.createMethodCall(SERVICE, PATH, IFACE, "Notify")
        hints = {
            "category": QDBusVariant(category),
            "desktop-entry": QDBusVariant("org.parloir.Parloir"),
        }
        actions = ["default", self.tr("Open")]
        msg.setArguments(["Parloir", 0, "", summary, html.escape(body), actions, hints, -1])
        watcher = QDBusPendingCallWatcher(self.bus.asyncCall(msg), self)
        self._watchers.add(watcher)

        def answered(w: QDBusPendingCallWatcher) -> None:
            self._watchers.discard(w)
            w.deleteLater()
            if w.isError():
                self._balloon(summary, body, conv_id)  # no service: the tray, or nothing
                return
            args = w.reply().arguments()
            if args:
                self.sent[int(args[0])] = conv_id

        watcher.finished.connect(answered)

    def _balloon(self, summary: str, body: str, conv_id: str) -> None:
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self._last_tray = conv_id
            self.tray.showMessage(summary, body)

    # -- answers from the desktop ---------------------------------------------

    @Slot(QDBusMessage)
    def action_invoked(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if len(args) == 2 and int(args[0]) in self.sent and args[1] in ("default", "open"):
            self._open(self.sent[int(args[0])])

    @Slot(QDBusMessage)
    def closed(self, message: QDBusMessage) -> None:
        args = message.arguments()
        if args:
            self.sent.pop(int(args[0]), None)

    def _tray_clicked(self) -> None:
        self._open(self._last_tray)

    def _open(self, conv_id: str) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        if conv_id:
            window.open_conversation(conv_id)
        else:
            window.raise_()
            window.activateWindow()

    def _title_changed(self, title: str) -> None:
        if self.tray is not None:
            self.tray.setToolTip(title)


def _slot(signature: str) -> Any:
    """A slot by name as QDBusConnection.connect takes it at run time (a
    str; its stubs say bytes, which it refuses)."""
    return SLOT(signature)


def _look(session: Session, me: str | None, seen: found.Seen, lead: bool | None) -> list[Notice]:
    """On the pool: the news (``lead`` None) or the targets about to pass,
    filtered by the personal settings."""
    conn = session.connection()
    if lead is None:
        notices = found.news(conn, me, seen)
    else:
        notices = found.due_soon(conn, me, lead, utcnow(), seen)
    if not notices:
        return []
    prefs = found.prefs(conn)
    mine = found.mine(conn, me, {n.conversation_id for n in notices}) if prefs.only_mine else set()
    return found.keep(notices, prefs, mine, datetime.now().hour)


def install_notifier(window: MainWindow) -> Notifier:
    """Notify the desktop of what is new for the person at ``window``."""
    return Notifier(window)  # the window, its parent, keeps it
