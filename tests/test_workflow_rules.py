"""The workflow rules as functions over values: no database, no writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.models import workflow_rules as rules

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_waiting_since_is_the_first_inbound_after_the_last_reply() -> None:
    assert rules.first_waiting([10, 20, 30], last_out=15) == 20
    assert rules.first_waiting([10, 20], last_out=None) == 10
    assert rules.first_waiting([10, 20], last_out=20) is None
    assert rules.first_waiting([], last_out=None) is None


def test_due_time_adds_the_kind_target_in_seconds() -> None:
    assert rules.due_at(1_000, 60) == 61_000
    assert rules.due_at(None, 60) is None


def test_sort_key_puts_waiting_conversations_first() -> None:
    assert rules.sort_wait_key(5, 100) == 5
    assert rules.sort_wait_key(None, 100) == rules.SORT_BIG - 100
    assert rules.sort_wait_key(None, None) == rules.SORT_BIG
    assert rules.sort_wait_key(10**12, None) < rules.sort_wait_key(None, 10**12)


def test_a_new_conversation_arrives_open_only_when_waiting_inside_the_window() -> None:
    assert rules.arrival_status(100, last_in=100, window_start=50) == "open"
    assert rules.arrival_status(100, last_in=40, window_start=50) == "closed"
    assert rules.arrival_status(None, last_in=100, window_start=50) == "closed"
    assert rules.arrival_status(None, last_in=None, window_start=50) == "closed"


def test_only_a_newest_inbound_inside_the_window_reopens() -> None:
    for status in ("closed", "pending", "snoozed"):
        assert rules.reopens(status, newest_inbound=True, sent=100, window_start=50)
    assert not rules.reopens("open", newest_inbound=True, sent=100, window_start=50)
    assert not rules.reopens("closed", newest_inbound=False, sent=100, window_start=50)
    assert not rules.reopens("closed", newest_inbound=True, sent=40, window_start=50)


def test_a_merge_stays_open_when_either_side_was_open() -> None:
    assert rules.merged_status("closed", "open") == "open"
    assert rules.merged_status("open", "pending") == "open"
    assert rules.merged_status("pending", "closed") == "pending"
    assert rules.merged_status("snoozed", "closed") == "snoozed"


def test_a_passed_snooze_reads_as_open() -> None:
    past, future = NOW - timedelta(minutes=1), NOW + timedelta(minutes=1)
    assert rules.effective_status("snoozed", past, NOW) == "open"
    assert rules.effective_status("snoozed", NOW, NOW) == "open"
    assert rules.effective_status("snoozed", future, NOW) == "snoozed"
    assert rules.effective_status("snoozed", None, NOW) == "snoozed"
    assert rules.effective_status("closed", past, NOW) == "closed"
