"""Does every text a widget shows fit in it? The French width test's eye.

For each visible label, button, check box, radio button, group box title,
tab and combo box under a top-level widget, the width (and, for one line,
the height) the displayed text needs in the widget's font is compared with
what the widget has. Word-wrapped labels need their wrapped height and room
for their longest word. Item views (tables, lists: their cells elide by
design) are not looked into.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QTabBar,
    QToolButton,
    QWidget,
)

#: Pixels of rounding a layout may leave.
SLACK = 1


@dataclass(frozen=True)
class Offender:
    where: str
    text: str
    needs: int
    has: int
    what: str = "wide"

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} needs {self.needs}px {self.what}, has {self.has}px"


def _name(widget: QWidget) -> str:
    parts: list[str] = []
    w: QWidget | None = widget
    while w is not None and len(parts) < 3:
        parts.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(parts))


def _plain(text: str) -> str:
    """A button's text as drawn: "&Save" shows "Save", "&&" one "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _lines_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def _inside_item_view(widget: QWidget) -> bool:
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QAbstractItemView):
            return True
        w = w.parentWidget()
    return False


def _label(label: QLabel) -> list[Offender]:
    text = label.text()
    if not text or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    where = _name(label)
    room = label.contentsRect().width() - 2 * max(label.margin(), 0)
    if label.wordWrap():
        out = []
        needs = label.heightForWidth(label.width())
        if needs > label.height() + SLACK:
            out.append(Offender(where, text[:60], needs, label.height(), "high (wrapped)"))
        if not _rich(label):
            metrics = label.fontMetrics()
            longest = max(text.split(), key=metrics.horizontalAdvance, default="")
            if metrics.horizontalAdvance(longest) > room + SLACK:
                out.append(Offender(where, longest, metrics.horizontalAdvance(longest), room))
        return out
    hint = label.sizeHint()
    out = []
    if hint.width() > label.width() + SLACK:
        out.append(Offender(where, _short(text), hint.width(), label.width()))
    if hint.height() > label.height() + SLACK:
        out.append(Offender(where, _short(text), hint.height(), label.height(), "high"))
    return out


def _rich(label: QLabel) -> bool:
    return "<" in label.text() and ">" in label.text()


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def _button(button: QAbstractButton) -> list[Offender]:
    text = _plain(button.text())
    if not text:
        return []
    where = _name(button)
    if isinstance(button, (QCheckBox, QRadioButton, QToolButton)):
        hint = button.sizeHint()  # indicator or arrow, spacing and text: tight
        needs, has = hint.width(), button.width()
    else:
        style = button.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
        icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
        menu = 12 if isinstance(button, QPushButton) and button.menu() is not None else 0
        needs = _lines_width(button.fontMetrics(), text) + margin + icon + menu
        has = button.width()
    out = []
    if needs > has + SLACK:
        out.append(Offender(where, text, needs, has))
    if button.fontMetrics().height() > button.height() + SLACK:
        out.append(Offender(where, text, button.fontMetrics().height(), button.height(), "high"))
    return out


def _tabs(bar: QTabBar) -> list[Offender]:
    out = []
    for i in range(bar.count()):
        text = _plain(bar.tabText(i))
        rect = bar.tabRect(i)
        hint = bar.tabSizeHint(i)
        where = f"{_name(bar)}[{i}]"
        if hint.width() > rect.width() + SLACK:
            out.append(Offender(where, text, hint.width(), rect.width()))
        if _accent_clipped(bar, i):
            out.append(Offender(where, text, rect.height() + 4, rect.height(), "high (accent cut)"))
    return out


#: Accented capitals and the letter they would read as without the accent.
ACCENTS = {"É": "E", "È": "E", "Ê": "E", "À": "A", "Â": "A", "Ç": "C", "Î": "I", "Ô": "O"}


def _accent_clipped(bar: QTabBar, index: int) -> bool:
    """Tab ``index`` draws the same with its capitals' accents as without:
    the accent is cut off ("Équipe" reads "Equipe")."""
    text = bar.tabText(index)
    bare = "".join(ACCENTS.get(ch, ch) for ch in text)
    if bare == text:
        return False
    rect = bar.tabRect(index)
    shown = bar.grab(rect).toImage()
    bar.setTabText(index, bare)
    try:
        return bar.grab(rect).toImage() == shown
    finally:
        bar.setTabText(index, text)


def _combo(combo: QComboBox) -> list[Offender]:
    """Each item, when chosen, shows whole in the closed combo."""
    out = []
    metrics = combo.fontMetrics()
    frame = combo.sizeHint().width() - max(
        (metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0
    )
    for i in range(combo.count()):
        text = combo.itemText(i)
        needs = metrics.horizontalAdvance(text) + max(frame, 0)
        if needs > combo.width() + SLACK:
            out.append(Offender(f"{_name(combo)}[{i}]", text, needs, combo.width()))
    return out


def _header(header: QHeaderView) -> list[Offender]:
    """A table's column titles: elided ("Tentati", "Repor…à") they say nothing."""
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    out = []
    metrics = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        if not text:
            continue
        sort = 12 if header.isSortIndicatorShown() else 0
        needs = metrics.horizontalAdvance(text) + 2 * margin + sort
        has = header.sectionSize(section)
        if needs > has + SLACK:
            out.append(Offender(f"{_name(header)}[{section}]", text, needs, has))
    return out


#: A title bar's own buttons and margins, beside the title (a desktop's
#: window manager elides a longer title: "Repor…usqu'à").
TITLE_BAR = 120


def _title(top: QWidget) -> list[Offender]:
    title = top.windowTitle()
    if not title or not top.isWindow():
        return []
    needs = top.fontMetrics().horizontalAdvance(title) + TITLE_BAR
    if needs > top.width() + SLACK:
        return [Offender(f"{_name(top)} title", title, needs, top.width())]
    return []


def _group(box: QGroupBox) -> list[Offender]:
    title = _plain(box.title())
    if not title:
        return []
    needs = box.fontMetrics().horizontalAdvance(title) + 16
    return [Offender(_name(box), title, needs, box.width())] if needs > box.width() + SLACK else []


def offenders(top: QWidget) -> list[Offender]:
    """Every text under ``top`` (and ``top``'s own) that does not fit."""
    found: list[Offender] = _title(top)
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) and widget is not top:
            continue
        if isinstance(widget, QHeaderView) and widget.width() > 0:
            found += _header(widget)
            continue
        if widget.width() <= 0 or _inside_item_view(widget):
            continue
        if isinstance(widget, QLabel):
            found += _label(widget)
        elif isinstance(widget, QAbstractButton):
            found += _button(widget)
        elif isinstance(widget, QTabBar):
            found += _tabs(widget)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            found += _combo(widget)
        if isinstance(widget, QGroupBox):
            found += _group(widget)
    return found


def report(parts: dict[str, list[Offender]]) -> str:
    lines = [f"{part}: {o}" for part, found in parts.items() for o in found]
    return f"{len(lines)} texts do not fit in French:\n" + "\n".join(lines)
