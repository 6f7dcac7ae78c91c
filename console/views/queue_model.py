"""The queue as a Qt table model: ids plus rows built in the background.

Pages arrive from the background (keyset paging: ``fetchMore`` asks for the
page after the last row). When the writer reports changed conversations,
only those rows are refetched and updated in place with ``dataChanged``;
rows that left the view are removed one by one. There is never a full reset
on a sync tick, so selection and scroll stay where the user left them.

Rows never move under the person (docs/decisions.md, "The open conversation
stays put"): the open conversation's row, when it leaves the view, stays
(dimmed) until the person moves to another one; and while the pointer or the
keyboard focus is on the list (``held``), leaving rows stay dimmed and new
rows wait, so a click never lands on a row that just moved. New rows wait
only under the pointer: with the keyboard, j/k and every action follow the
selected conversation, not a row number, so arrivals can enter (a person
working by keyboard would otherwise never see one). ``settle`` applies
what waited, when the person acts or the list is let go.
"""

from __future__ import annotations

import bisect
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.services import queue
from console.services.queue import QueueFilter, QueueRow
from console.views.queue_cells import cell
from console.views.tasks import Runner

PAGE = 100
Index = QModelIndex | QPersistentModelIndex


class _Desc:
    """Reverses the order of a value (a descending part of a sort key)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)


def _rank(sort: str, key: tuple[Any, ...]) -> tuple[Any, ...]:
    """An ascending-comparable form of a row's sort key, matching the SQL
    order of services.queue (activity newest first; priority highest first)."""
    none_last = tuple(-1 if v is None else v for v in key)
    if sort == "activity":
        return (_Desc(none_last[0]), _Desc(none_last[1]))
    if sort == "priority":
        return (_Desc(none_last[0]), *none_last[1:])
    if sort == "urgent":
        return (_Desc(none_last[0]), _Desc(none_last[1]), *none_last[2:])
    return none_last


class QueueModel(QAbstractTableModel):
    """Signals:
    loaded(): the first page of a new view arrived.
    """

    loaded = Signal()
    COLUMNS = ("contact", "message", "waiting", "priority", "status", "assignee", "tags")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, runner: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.filter = QueueFilter()
        self.me_id: str | None = None
        self._ids: list[str] = []
        self._rows: dict[str, QueueRow] = {}
        self._next_after: tuple[Any, ...] | None = None
        self._loading = False
        self._generation = 0
        #: The open conversation: its row stays until the person moves away.
        self.keep: str | None = None
        self._held = False
        self._pointer_held = False
        self._leaving: set[str] = set()  # shown dimmed, removed by settle()
        self._pending: dict[str, QueueRow] = {}  # new rows waiting for settle()
        self._leave_ok: set[str] = set()  # the person acted on these: they may go
        self._enter_ok: set[str] = set()  # the person undid on these: they may come back
        self.kept_open = False  # the last reset was not the person's: keep the pane

    # -- keeping rows still ----------------------------------------------------

    @property
    def held(self) -> bool:
        """True while the pointer or the keyboard focus is on the list."""
        return self._held

    @held.setter
    def held(self, value: bool) -> None:
        self._held = value
        if not value:
            self.settle()

    @property
    def pointer_held(self) -> bool:
        """True while the pointer is on the list: only then do new rows wait."""
        return self._pointer_held

    @pointer_held.setter
    def pointer_held(self, value: bool) -> None:
        self._pointer_held = value
        if not value:
            self._enter_waiting()

    def allow_leave(self, ids: list[str]) -> None:
        """The person acted on ``ids`` (closed them, assigned them...): their
        rows may leave at once even while the list is held, except the open
        conversation's."""
        self._leave_ok.update(ids)

    def allow_enter(self, ids: list[str]) -> None:
        """The person undid an action on ``ids``: their rows may come back
        at once even while the list is held."""
        self._enter_ok.update(ids)

    def is_leaving(self, conv_id: str) -> bool:
        """The row is no longer in the view and is shown dimmed until it goes."""
        return conv_id in self._leaving

    def settle(self) -> None:
        """Apply what waited: leaving rows go (except the open conversation's),
        new rows are inserted at their place."""
        for conv_id in [c for c in self._leaving if c != self.keep]:
            self._leaving.discard(conv_id)
            if conv_id in self._rows:
                self._remove(conv_id)
        self._enter_waiting()

    def _enter_waiting(self) -> None:
        """New rows that waited go in at their place."""
        if self._pending:
            waiting, self._pending = list(self._pending.values()), {}
            ranks = [_rank(self.filter.sort, self._rows[i].sort_key) for i in self._ids]
            for row in waiting:
                if row.id not in self._rows:
                    self._insert(row, ranks)

    def _leave(self, conv_id: str) -> bool:
        """A row no longer belongs: True when it goes now, False when it
        stays dimmed (the open conversation, or a held list)."""
        if conv_id == self.keep or (self._held and conv_id not in self._leave_ok):
            if conv_id not in self._leaving:
                self._leaving.add(conv_id)
                n = self._ids.index(conv_id)
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))
            return False
        self._leaving.discard(conv_id)
        self._leave_ok.discard(conv_id)
        return True

    # -- loading ------------------------------------------------------------

    def set_filter(self, flt: QueueFilter, me_id: str | None, *, keep_open: bool = False) -> None:
        """Switch view (a deliberate reset: the user asked for another list).

        ``keep_open``: not the person's doing (a reload after too much changed
        elsewhere): the open conversation's row stays, dimmed when it left."""
        self.filter, self.me_id = flt, me_id
        self._generation += 1
        generation = self._generation
        self._loading = True
        kept = self._rows.get(self.keep or "") if keep_open else None
        kept_at = self._ids.index(kept.id) if kept is not None else 0

        def load(session: Any) -> queue.Page:
            return queue.page(session, flt, me_id=me_id, limit=PAGE)

        def done(page: queue.Page) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._leaving.clear()
            self._pending.clear()
            self._leave_ok.clear()
            self._enter_ok.clear()
            self._ids = [r.id for r in page.rows]
            self._rows = {r.id: r for r in page.rows}
            if kept is not None and kept.id not in self._rows:
                self._ids.insert(min(kept_at, len(self._ids)), kept.id)
                self._rows[kept.id] = kept
                self._leaving.add(kept.id)
            self.kept_open = keep_open
            self._next_after = page.next_after
            self._loading = False
            self.endResetModel()
            self.loaded.emit()

        self.runner.read(load, done)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next_after is not None and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        flt, me_id, after = self.filter, self.me_id, self._next_after
        generation = self._generation

        def load(session: Any) -> queue.Page:
            return queue.page(session, flt, me_id=me_id, limit=PAGE, after=after)

        def done(page: queue.Page) -> None:
            if generation != self._generation:
                return
            fresh = [r for r in page.rows if r.id not in self._rows]
            if fresh:
                start = len(self._ids)
                self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
                self._ids.extend(r.id for r in fresh)
                self._rows.update({r.id: r for r in fresh})
                self.endInsertRows()
            self._next_after = page.next_after
            self._loading = False

        self.runner.read(load, done)

    def refresh_ids(self, ids: set[str]) -> None:
        """Bring the rows of conversations a write changed up to date.

        Rows already shown update in place (they do not move: the list stays
        calm under the user's eyes) or leave when they no longer belong;
        conversations new to this view are inserted at their place when that
        place is inside what is loaded (otherwise paging brings them).
        """
        if not ids:
            return
        generation, flt, me_id = self._generation, self.filter, self.me_id
        wanted = list(ids)

        def load(session: Any) -> dict[str, QueueRow]:
            return queue.rows_by_id(session, wanted, flt.sort)

        def done(fresh: dict[str, QueueRow]) -> None:
            if generation != self._generation:
                return
            ranks: list[Any] | None = None  # computed once, when a row is new
            for conv_id in wanted:
                row = fresh.get(conv_id)
                belongs = queue.matches(row, flt, me_id) if row is not None else False
                if conv_id in self._rows:
                    if row is None or belongs is False:
                        if self._leave(conv_id):
                            gone = self._remove(conv_id)
                            if ranks is not None:
                                del ranks[gone]
                        continue
                    assert row is not None
                    self._leaving.discard(conv_id)  # back in the view
                    self._rows[conv_id] = row
                    n = self._ids.index(conv_id)
                    self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))
                elif conv_id not in self._enter_ok and (
                    conv_id in self._pending or (self._pointer_held and row is not None and belongs)
                ):
                    # The pointer is on the list: a new row waits (updated while it waits).
                    if row is not None and belongs:
                        self._pending[conv_id] = row
                    else:
                        self._pending.pop(conv_id, None)
                elif row is not None and belongs:
                    self._enter_ok.discard(conv_id)
                    self._pending.pop(conv_id, None)
                    if ranks is None:
                        ranks = [_rank(flt.sort, self._rows[i].sort_key) for i in self._ids]
                    self._insert(row, ranks)

        self.runner.read(load, done)

    def _insert(self, row: QueueRow, ranks: list[Any]) -> None:
        """Insert at the row's place; ``ranks`` (the loaded rows' ranks, in
        order) is kept in step so a commit of many new rows sorts once."""
        rank = _rank(self.filter.sort, row.sort_key)
        n = bisect.bisect_left(ranks, rank)
        if n == len(self._ids) and self._next_after is not None:
            return  # beyond what is loaded: it comes with the next page
        ranks.insert(n, rank)
        self.beginInsertRows(QModelIndex(), n, n)
        self._ids.insert(n, row.id)
        self._rows[row.id] = row
        self.endInsertRows()

    def _remove(self, conv_id: str) -> int:
        n = self._ids.index(conv_id)
        self.beginRemoveRows(QModelIndex(), n, n)
        del self._ids[n]
        del self._rows[conv_id]
        self.endRemoveRows()
        return n

    # -- the model ----------------------------------------------------------

    def conversation_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, conv_id: str) -> int:
        try:
            return self._ids.index(conv_id)
        except ValueError:
            return -1

    def queue_row(self, conv_id: str) -> QueueRow | None:
        return self._rows.get(conv_id)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("From"),
            self.tr("Message"),
            self.tr("Waiting"),
            self.tr("Priority"),
            self.tr("Status"),
            self.tr("Who"),
            self.tr("Tags"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._rows[self._ids[index.row()]]
        column = self.COLUMNS[index.column()]
        if role == self.ID_ROLE:
            return row.id
        return cell(row, column, role, leaving=row.id in self._leaving)
