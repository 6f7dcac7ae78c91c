"""Dates and times as people read them, in their locale (QLocale): the
window's one way to write a time.

strftime writes English day and month names whatever the language ("Wed
09:00", "30 Nov" in a French window) and the C library's order; QLocale
writes "mer. 09:00", "30 nov." under French and the hour the locale's way.
The services hand the views datetimes; only the views turn them into words
(the CLI's output is not localised and keeps its own formats).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime


def _local(when: datetime) -> QDateTime:
    """``when`` (aware, or naive local) as a local QDateTime."""
    local = when.astimezone() if when.tzinfo is not None else when
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
    )


def _time_format(locale: QLocale) -> str:
    return locale.timeFormat(QLocale.FormatType.ShortFormat)


def short_time(when: datetime) -> str:
    """The hour, the locale's way: "09:00", "9:00 AM"."""
    locale = QLocale()
    return locale.toString(_local(when).time(), QLocale.FormatType.ShortFormat)


def day_time(when: datetime) -> str:
    """The day of the week and the hour: "Wed 09:00", "mer. 09:00"."""
    locale = QLocale()
    return locale.toString(_local(when), f"ddd {_time_format(locale)}")


def day_month(when: datetime, now: datetime | None = None) -> str:
    """The date, short: "30 Nov", "30 nov." (the year too when it is not this one)."""
    locale = QLocale()
    local = _local(when)
    this_year = (now or datetime.now().astimezone()).astimezone().year
    pattern = "d MMM" if local.date().year() == this_year else "d MMM yyyy"
    return locale.toString(local.date(), pattern)


def date_time(when: datetime, now: datetime | None = None) -> str:
    """Date and hour: "30 Nov 09:00", "30 nov. 09:00"."""
    return f"{day_month(when, now)} {short_time(when)}"


def today_or_date_time(when: datetime, now: datetime | None = None) -> str:
    """The hour alone today, else the date and hour."""
    current = (now or datetime.now().astimezone()).astimezone()
    if when.astimezone().date() == current.date():
        return short_time(when)
    return date_time(when, now)


def from_iso(iso: str) -> datetime:
    """A stored ISO time ("...Z" or with an offset); ValueError when unreadable."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))
