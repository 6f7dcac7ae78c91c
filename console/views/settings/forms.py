"""The Settings dialog's forms, generated from the settings registry
(console/models/settings_registry.py): the Workflow tab (every workspace
setting of a group in GROUPS) and the Language tab (the registry's
choices). They hold values only; the dialog loads and saves them on
OK / Apply.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.models import settings_registry as registry
from console.views.i18n import QT_TRANSLATE_NOOP

#: The forms' settings (saved on OK / Apply): every setting of the registry.
FORM_KEYS = tuple(registry.REGISTRY)
#: The spin boxes step in quarter hours, so that is their smallest value too.
QUARTER_HOUR = 0.25


#: The Workflow tab's boxes, by the registry's group, in this order.
GROUPS = {
    "answer": QT_TRANSLATE_NOOP("WorkflowTab", "Answer within"),
    "sync": QT_TRANSLATE_NOOP("WorkflowTab", "Sync"),
}
#: Field labels by setting key, or by kind in a per-kind setting; a setting
#: without one shows the registry's label.
LABELS = {
    "direct": QT_TRANSLATE_NOOP("WorkflowTab", "Direct messages:"),
    "email": QT_TRANSLATE_NOOP("WorkflowTab", "E-mails:"),
    "public": QT_TRANSLATE_NOOP("WorkflowTab", "Public mentions and replies:"),
    "comment": QT_TRANSLATE_NOOP("WorkflowTab", "Blog comments:"),
    "history_days": QT_TRANSLATE_NOOP("WorkflowTab", "A new account's first sync looks back:"),
    "poll_interval": QT_TRANSLATE_NOOP("WorkflowTab", "Check each account for news every:"),
}
#: Spin box suffixes by the registry's unit.
UNITS = {
    "days": QT_TRANSLATE_NOOP("WorkflowTab", " days"),
    "s": QT_TRANSLATE_NOOP("WorkflowTab", " s"),
}


def _whole_box(setting: registry.SettingSpec[int]) -> QSpinBox:
    """A spin box within the setting's bounds (the registry's)."""
    box = QSpinBox()
    box.setRange(setting.minimum or 0, setting.maximum or 0)
    box.setSingleStep(setting.step)
    return box


class HoursBox(QDoubleSpinBox):
    """Hours written as people write them, in the locale: "1 h", "1,5 h",
    "0,25 h" under French (not "1.00 h"): no trailing zeros."""

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").removesuffix(point)
        return text


def _hours_box(setting: registry.SettingSpec[Any]) -> QDoubleSpinBox:
    """Seconds shown in hours, in quarter-hour steps, within the bounds."""
    spin = HoursBox()
    spin.setRange(max(QUARTER_HOUR, (setting.minimum or 0) / 3600), (setting.maximum or 0) / 3600)
    spin.setDecimals(2)
    spin.setSingleStep(0.5)
    return spin


class WorkflowTab(QWidget):
    """Generated from the registry: every workspace setting of a group in
    GROUPS, a spin box per whole number and one per kind of a per-kind
    mapping (seconds shown in hours)."""

    def __init__(self) -> None:
        super().__init__()
        self.specs = [
            s
            for s in registry.REGISTRY.values()
            if s.base is registry.Scope.WORKSPACE and s.group in GROUPS
        ]
        self.whole: dict[str, QSpinBox] = {}
        self.kinds: dict[str, dict[str, QDoubleSpinBox]] = {}
        self.stored: dict[str, dict[str, Any]] = {}  # as in the table: kinds may be missing
        self.shown: dict[str, dict[str, float]] = {}  # what each box showed after loading
        forms: dict[str, QFormLayout] = {}
        layout = QVBoxLayout(self)
        for group, title in GROUPS.items():
            form = forms[group] = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
            if any(s.group == group for s in self.specs):
                frame = QGroupBox(self.tr(title))
                frame.setLayout(form)
                layout.addWidget(frame)
        for setting in self.specs:
            form = forms[setting.group]
            if setting.type is registry.Type.SECONDS_BY_KIND:
                spins = self.kinds[setting.key] = {}
                for kind in setting.parts:
                    spin = spins[kind] = _hours_box(setting)
                    spin.setSuffix(self.tr(" h"))
                    form.addRow(self._label(kind, kind), spin)
            elif setting.type is registry.Type.WHOLE:
                box = self.whole[setting.key] = _whole_box(setting)
                box.setSuffix(self.tr(UNITS.get(setting.unit, f" {setting.unit}")))
                form.addRow(self._label(setting.key, setting.label), box)
        layout.addStretch()

    def _label(self, key: str, fallback: str) -> str:
        return self.tr(LABELS[key]) if key in LABELS else f"{fallback}:"

    @property
    def due(self) -> dict[str, QDoubleSpinBox]:
        return self.kinds[registry.DUE_TARGETS.key]

    @property
    def history_days(self) -> QSpinBox:
        return self.whole[registry.HISTORY_DAYS.key]

    @property
    def poll_interval(self) -> QSpinBox:
        return self.whole[registry.POLL_INTERVAL.key]

    def show_values(self, values: dict[str, Any]) -> None:
        for setting in self.specs:
            if setting.key in self.kinds:
                stored = self.stored[setting.key] = dict(values[setting.key])
                shown = self.shown[setting.key] = {}
                for kind, spin in self.kinds[setting.key].items():
                    spin.setValue(setting.merged(stored)[kind] / 3600)
                    shown[kind] = spin.value()
            elif setting.key in self.whole:
                self.whole[setting.key].setValue(int(values[setting.key]))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: box.value() for key, box in self.whole.items()}
        for key, spins in self.kinds.items():
            targets = dict(self.stored.get(key, {}))
            for kind, spin in spins.items():
                # An untouched field keeps its exact seconds (the spin box rounds and
                # clamps); a kind missing from a stored dict stays missing.
                if spin.value() != self.shown.get(key, {}).get(kind):
                    targets[kind] = round(spin.value() * 3600)
            out[key] = targets
        return out


#: The registry's language choices by name ("" follows the system).
LANGUAGE_NAMES = {
    "": QT_TRANSLATE_NOOP("LanguageTab", "System default"),
    "en": "English",
    "fr": "Français",
}


#: The registry's appearance choices, in words.
APPEARANCE_NAMES = {
    "system": QT_TRANSLATE_NOOP("AppearanceTab", "System"),
    "light": QT_TRANSLATE_NOOP("AppearanceTab", "Light"),
    "dark": QT_TRANSLATE_NOOP("AppearanceTab", "Dark"),
}


class AppearanceTab(QWidget):
    """Light, dark, or as the desktop is (console/views/theme.py applies it)."""

    def __init__(self) -> None:
        super().__init__()
        self.combo = QComboBox()
        for code in registry.APPEARANCE.choices:
            self.combo.addItem(self.tr(APPEARANCE_NAMES.get(code, code)), code)
        note = QLabel(self.tr("System follows the light or dark setting of the desktop."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Appearance:"), self.combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch()

    def show_value(self, mode: str) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(mode)))

    def value(self) -> str:
        return str(self.combo.currentData())


class LanguageTab(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.combo = QComboBox()
        for code in registry.LANGUAGE.choices:  # each language by its own name
            name = LANGUAGE_NAMES.get(code, code)
            self.combo.addItem(self.tr(name) if not code else name, code)
        note = QLabel(self.tr("Takes effect at the next start."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Language:"), self.combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch()

    def show_value(self, language: str) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(language)))

    def value(self) -> str:
        return str(self.combo.currentData())
