"""The Settings dialog's Notifications tab: which desktop notifications come
(console/views/notifier.py), only for my conversations or not, and quiet
hours. Generated from the registry's "notifications" group: an on/off
setting is a check box, an hour a spin box. It holds values only; the
dialog saves them on OK / Apply.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from console.models import settings_registry as registry
from console.views.i18n import QT_TRANSLATE_NOOP

#: The words of each setting, by key.
LABELS = {
    "notify_assigned": QT_TRANSLATE_NOOP("NotificationsTab", "A conversation is assigned to me"),
    "notify_inbound": QT_TRANSLATE_NOOP("NotificationsTab", "A new message on my conversations"),
    "notify_mentions": QT_TRANSLATE_NOOP("NotificationsTab", "A note mentions me"),
    "notify_due": QT_TRANSLATE_NOOP("NotificationsTab", "A time to answer is about to pass"),
    "notify_only_mine": QT_TRANSLATE_NOOP(
        "NotificationsTab", "Only about conversations assigned to me"
    ),
    "quiet_start": QT_TRANSLATE_NOOP("NotificationsTab", "Do not disturb from:"),
    "quiet_end": QT_TRANSLATE_NOOP("NotificationsTab", "Until:"),
}


class NotificationsTab(QWidget):
    """Check boxes for the on/off settings, spin boxes for the quiet hours."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, QCheckBox] = {}
        self.hours: dict[str, QSpinBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Tell me on the desktop when:")))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for setting in registry.NOTIFICATION_SETTINGS:
            label = self.tr(LABELS[setting.key])
            if setting.type is registry.Type.CHOICE:
                box = self.checks[setting.key] = QCheckBox(label)
                layout.addWidget(box)
            else:
                spin = self.hours[setting.key] = QSpinBox()
                spin.setRange(setting.minimum or 0, setting.maximum or 0)
                spin.setSuffix(self.tr(" h"))
                form.addRow(label, spin)
        layout.addLayout(form)
        note = QLabel(self.tr("The same hour twice: never quiet. Nothing about my own actions."))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addStretch()

    def show_values(self, values: dict[str, Any]) -> None:
        for key, box in self.checks.items():
            box.setChecked(values.get(key) == "on")
        for key, spin in self.hours.items():
            spin.setValue(int(values.get(key) or 0))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: "on" if b.isChecked() else "off" for k, b in self.checks.items()}
        out.update({k: spin.value() for k, spin in self.hours.items()})
        return out
