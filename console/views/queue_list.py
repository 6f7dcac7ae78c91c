"""The queue: the search field, the sort, the list of conversations and
the bulk bar shown while several are selected.

The list holds still while the pointer or the keyboard focus is on it
(docs/decisions.md): the model is told (``held``) and keeps rows where they
are until the person moves. Rows inserted above the visible ones do not
push the view. The window decides what a chosen row opens; this widget
only says which conversations are selected and which row comes next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.models.vocabulary import Status
from console.services.queue import search_words
from console.views import actions, queue_cells
from console.views.actions import ActionMenus
from console.views.hit_delegate import HitDelegate
from console.views.i18n import QT_TRANSLATE_NOOP
from console.views.ops.queue import SetStatus
from console.views.queue_cells import line
from console.views.queue_model import QueueModel
from console.views.tasks import Runner

SORT_LABELS = (
    ("waiting", QT_TRANSLATE_NOOP("MainWindow", "Longest waiting")),
    ("urgent", QT_TRANSLATE_NOOP("MainWindow", "Most urgent")),
    ("activity", QT_TRANSLATE_NOOP("MainWindow", "Last activity")),
    ("priority", QT_TRANSLATE_NOOP("MainWindow", "Priority")),
)

#: Where a search looks: the sidebar's view, or every conversation.
SCOPE_LABELS = (
    ("view", QT_TRANSLATE_NOOP("MainWindow", "This view")),
    ("all", QT_TRANSLATE_NOOP("MainWindow", "All")),
)

#: The search waits for a pause in the typing.
SEARCH_DEBOUNCE_MS = 250


def _tr(marked: str) -> str:
    """Translate a label marked with QT_TRANSLATE_NOOP("MainWindow", ...)."""
    return QCoreApplication.translate("MainWindow", marked)


def next_after(order: list[str], gone: set[str], leaving: Callable[[str], bool]) -> int | None:
    """The row to open after the rows of ``gone`` leave: the first one
    below the last of them that stays, else the nearest above; None when
    nothing stays. ``order`` is the conversation ids, row by row."""
    rows = [r for r, cid in enumerate(order) if cid in gone]
    if not rows:
        return None
    candidates: list[int] = [*range(rows[-1] + 1, len(order)), *range(rows[0] - 1, -1, -1)]
    for r in candidates:
        cid = order[r]
        if cid and cid not in gone and not leaving(cid):
            return r
    return None


class QueueList(QWidget):
    """The middle column (see module doc). ``search_timer`` fires when the
    search text settled; the window then applies the filter."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            QCoreApplication.translate(
                "MainWindow", "Search messages, names, subjects, notes  ( / )"
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.sort_box = QComboBox()
        for key, label in SORT_LABELS:
            self.sort_box.addItem(_tr(label), key)
        self.sort_box.setToolTip(QCoreApplication.translate("MainWindow", "Sort the queue"))
        self.scope_box = QComboBox()
        for key, label in SCOPE_LABELS:
            self.scope_box.addItem(_tr(label), key)
        self.scope_box.setToolTip(
            QCoreApplication.translate("MainWindow", "Search this view or all conversations")
        )

        self.model = QueueModel(runner, self)
        self.table = self._build_table()
        # While the pointer or the keyboard focus is on the list, rows hold still.
        self._pointer_on_list = False
        self._focus_on_list = False
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.hits = HitDelegate(lambda: search_words(self.model.filter.search), self.table)
        self.table.setItemDelegateForColumn(self.model.COLUMNS.index("message"), self.hits)

        #: The sidebar view's name, for the empty list's sentence (the window sets it).
        self.view_label = ""
        self.empty = EmptyState()
        self.empty.search_all.clicked.connect(lambda: self.scope_box.setCurrentIndex(1))
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._show_empty_state)

        self.bulk_menus = ActionMenus(self)
        #: The bulk bar's buttons by accessible name.
        self.bulk_buttons: dict[str, QToolButton | QPushButton] = {}
        self.bulk_bar, self.bulk_label = self._build_bulk_bar()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.scope_box)
        top.addWidget(self.sort_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.bulk_bar)
        layout.addWidget(self.list_stack, 1)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(30)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        # Fixed widths, not ResizeToContents: that re-measures every loaded
        # row on each update, which stalls the window during a big sync.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = table.fontMetrics()
        # Sized to their content (the translated words and titles), the
        # message column takes the rest: the row reads at 1366 px wide.
        words = {
            3: [queue_cells.priority_word(p) for p in queue_cells.PRIORITY_NAMES],
            4: [queue_cells.status_word(s) for s in queue_cells.STATUS_NAMES],
        }
        for col, samples in (
            (0, ["Wwwwwwwwww"]),  # narrower: the message column has the kind icon
            (2, ["Waiting__"]),
            (3, words[3]),
            (4, words[4]),
            (5, ["Who__"]),
            (6, ["#livraison"]),  # more tags elide; all in the tooltip
        ):
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(t) for t in [*samples, title])
            header.resizeSection(col, width + 14)
        header.setHighlightSections(False)
        return table

    def _build_bulk_bar(self) -> tuple[QWidget, QLabel]:
        """The bar shown while several conversations are selected."""
        menus = self.bulk_menus
        bar = QWidget()
        bulk = QHBoxLayout(bar)
        bulk.setContentsMargins(0, 0, 0, 0)
        label = QLabel()
        bulk.addWidget(label, 1)
        # (accessible name, label, menu): the names are the pane's verbs (a11y.py).
        builds: tuple[tuple[str, str, Callable[[], QMenu]], ...] = (
            ("Assign", _tr("Assign"), lambda: menus.assign_menu()),
            ("Snooze", _tr("Snooze"), menus.snooze_menu),
            ("Tags", _tr("Tag"), lambda: menus.tag_menu()),
            ("Priority", _tr("Priority"), lambda: menus.priority_menu()),
        )
        for name, text, build in builds:
            self.bulk_buttons[name] = actions.menu_button(text, build)
            bulk.addWidget(self.bulk_buttons[name])
        close = QPushButton(_tr("Close"))
        close.clicked.connect(lambda: menus.chosen.emit(SetStatus(Status.CLOSED)))
        self.bulk_buttons["Close"] = close
        bulk.addWidget(close)
        bar.hide()
        return bar, label

    def scope_all(self) -> bool:
        """The search looks at every conversation, not only the view's."""
        return bool(self.scope_box.currentData() == "all")

    def _show_empty_state(self, *_args: object) -> None:
        """An empty list says why, instead of showing a blank table."""
        if self.model.rowCount():
            self.list_stack.setCurrentWidget(self.table)
            return
        search = self.model.filter.search
        # The sidebar has no "all" view: a filter of every conversation is
        # the search's All scope.
        in_view = self.model.filter.view != "all"
        self.empty.show_for(search, self.view_label if in_view else "", can_widen=in_view)
        self.list_stack.setCurrentWidget(self.empty)

    # -- holding still -----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.table.viewport() and kind in (QEvent.Type.Enter, QEvent.Type.Leave):
            self._pointer_on_list = kind == QEvent.Type.Enter
            self._hold()
        elif watched is self.table and kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._focus_on_list = kind == QEvent.Type.FocusIn
            self._hold()
        return False

    def _hold(self) -> None:
        held = self._pointer_on_list or self._focus_on_list
        if held != self.model.held:
            self.model.held = held
        if self._pointer_on_list != self.model.pointer_held:
            self.model.pointer_held = self._pointer_on_list

    def _rows_inserted(
        self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int
    ) -> None:
        """Rows inserted above the visible ones must not push the view."""
        top = self.table.rowAt(0)
        bar = self.table.verticalScrollBar()
        if top >= 0 and first <= top and bar.value() > 0:
            bar.setValue(bar.value() + (last - first + 1))

    def tick(self) -> None:
        """Repaint the waiting times (the column that ages by the minute)."""
        count = self.model.rowCount()
        if count:
            self.model.dataChanged.emit(self.model.index(0, 2), self.model.index(count - 1, 2))

    # -- selection ---------------------------------------------------------------

    def _selection_changed(self, *_args: object) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.bulk_bar.setVisible(count > 1)
        self.bulk_label.setText(
            QCoreApplication.translate("MainWindow", "{0} selected").format(count)
        )

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.conversation_id(r))]

    def make_current(self, row: int) -> None:
        """Make ``row`` the current and only selected row."""
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def step(self, step: int) -> None:
        """j / k: the next or previous row, within the list."""
        current = self.table.currentIndex().row()
        self.make_current(max(0, min(self.model.rowCount() - 1, current + step)))

    def next_row_after(self, ids: list[str]) -> int | None:
        """The row to open once ``ids`` leave (see :func:`next_after`)."""
        order = [self.model.conversation_id(r) or "" for r in range(self.model.rowCount())]
        return next_after(order, set(ids), self.model.is_leaving)


class EmptyState(QWidget):
    """What the list area says when it has no rows: no match for a search
    (with a way to search everything), or nothing waiting in the view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # the search is a person's text
        self.search_all = QPushButton(
            QCoreApplication.translate("MainWindow", "Search all conversations")
        )
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.search_all, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_for(self, search: str | None, view: str, *, can_widen: bool) -> None:
        tr = QCoreApplication.translate
        if not search:
            self.label.setText(tr("MainWindow", "Nothing waiting here."))
        elif view:
            self.label.setText(
                tr("MainWindow", "No conversations match “{0}” in {1}.").format(
                    line(search, 100), view
                )
            )
        else:
            self.label.setText(
                tr("MainWindow", "No conversation matches “{0}”.").format(line(search, 100))
            )
        self.search_all.setVisible(bool(search) and can_widen)
        self.label.setAccessibleName(self.label.text())
