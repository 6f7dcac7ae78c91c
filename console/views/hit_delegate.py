"""The queue's message column with the search's words highlighted.

The row's preview is already one line of text: the delegate lets Qt paint
the cell without its text, then draws the text (elided as Qt would) over
a highlight behind each match (search_marks.spans); when the first match
is beyond what fits, the text starts a few words before it, after "…".
No rich text, no document per row: painting a row costs a few font
measurements more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from console.views.search_marks import MARK_COLOUR, spans

Index = QModelIndex | QPersistentModelIndex


#: Characters kept before a match that is cut from the row's start.
LEAD_IN = 24


def lead_in(text: str, at: int) -> str:
    """``text`` from a word start about LEAD_IN characters before ``at``,
    after an ellipsis (the whole text when ``at`` is near its start)."""
    if at <= LEAD_IN:
        return text
    start = text.rfind(" ", 0, at - LEAD_IN) + 1 or at - LEAD_IN
    return "…" + text[start:]


class HitDelegate(QStyledItemDelegate):
    """Paints matches of ``words()`` (the current search) in the cell's text."""

    def __init__(self, words: Callable[[], Sequence[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words = words

    def hits(self, index: Index) -> list[tuple[int, int]]:
        """Where the search's words are in the cell's text."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        words = self._words()
        return spans(text, words) if words and isinstance(text, str) else []

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not self.hits(index):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        full, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect = rect.adjusted(margin, 0, -margin, 0)
        metrics = QFontMetrics(opt.font)
        shown = metrics.elidedText(full, Qt.TextElideMode.ElideRight, rect.width())
        at = self.hits(index)[0][0]
        for cut in (lead_in(full, at), "…" + full[at:]):
            if spans(shown, self._words()):
                break
            # The first match is beyond what fits: show the text from a few
            # words before it (or from the match), so the row says why it matched.
            shown = metrics.elidedText(cut, Qt.TextElideMode.ElideRight, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role)
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        painter.save()
        painter.setFont(opt.font)
        marks = []
        for start, end in spans(shown, self._words()):
            x = rect.x() + metrics.horizontalAdvance(shown[:start])
            width = metrics.horizontalAdvance(shown[start:end])
            marks.append(QRect(x, rect.y() + 3, width, rect.height() - 6))
        for mark in marks:
            painter.fillRect(mark, QColor(MARK_COLOUR))
        painter.setPen(colour)
        painter.drawText(rect, flags, shown)
        painter.setPen(QColor("#000000"))  # dark text on the light highlight
        for mark in marks:
            painter.setClipRect(mark)
            painter.drawText(rect, flags, shown)
        painter.restore()
