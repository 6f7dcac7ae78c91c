"""The time bounds every remote time and every typed time passes through."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from console.models.timebounds import (
    EARLIEST,
    FUTURE_SKEW,
    bound_optional_time,
    bound_remote_time,
    in_bounds_ms,
    parse_remote_time,
    user_time_problem,
)
from console.models.types import to_ms

RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1969-12-31T23:59:59Z",
        "Fri, 31 Dec 9999 23:59:59 +0000",
        "Mon, 1 Jan 1001 00:00:00 -1200",
        "not a date",
        "",
        None,
        12,
        float("nan"),
        "2026-03-03T12:00:00Z",  # two days ahead: beyond the skew
        "x" * 10_000,
        "2026-02-30T00:00:00Z",
    ],
)
def test_out_of_bounds_or_garbage_is_the_received_time(value: object) -> None:
    assert bound_remote_time(value, RECEIVED) == RECEIVED


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-28T10:00:00Z", datetime(2026, 2, 28, 10, tzinfo=UTC)),
        ("2026-02-28T10:00:00.123+02:00", datetime(2026, 2, 28, 8, 0, 0, 123000, tzinfo=UTC)),
        ("Sat, 28 Feb 2026 10:00:00 +0100", datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2026, 2, 28, 10), datetime(2026, 2, 28, 10, tzinfo=UTC)),
        ("1970-01-01T00:00:00Z", EARLIEST),
    ],
)
def test_good_times_are_kept_in_utc(value: object, expected: datetime) -> None:
    when = bound_remote_time(value, RECEIVED)
    assert when == expected
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0)


def test_ordinary_clock_skew_is_kept() -> None:
    ahead = RECEIVED + FUTURE_SKEW - timedelta(minutes=1)
    assert bound_remote_time(ahead, RECEIVED) == ahead


def test_a_bad_received_time_falls_back_to_now() -> None:
    when = bound_remote_time("0001-01-01T00:00:00Z", datetime(1, 1, 1, tzinfo=UTC))
    assert abs(when - datetime.now(UTC)) < timedelta(days=1)
    assert in_bounds_ms(to_ms(when))


def test_optional_time() -> None:
    assert bound_optional_time(None, RECEIVED) is None
    assert bound_optional_time("", RECEIVED) is None
    assert bound_optional_time("9999-01-01T00:00:00Z", RECEIVED) == RECEIVED


def test_parse_never_raises() -> None:
    for value in ("+99999-01-01", "Thu, 99 Foo 99999999999999999 99:99:99", object(), b"2026"):
        assert parse_remote_time(value) is None or parse_remote_time(value) is not None


def test_in_bounds_ms() -> None:
    assert in_bounds_ms(0)
    assert in_bounds_ms(to_ms(RECEIVED))
    assert not in_bounds_ms(-1)
    assert not in_bounds_ms(to_ms(datetime(9999, 12, 31, tzinfo=UTC)))
    assert not in_bounds_ms("12")
    assert not in_bounds_ms(True)


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, tzinfo=UTC),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(2100, 1, 1, tzinfo=UTC),
        datetime(1, 1, 1, 0, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
    ],
)
def test_user_time_problem_refuses_in_one_sentence(value: datetime) -> None:
    problem = user_time_problem(value)
    assert problem is not None
    assert problem.endswith(".") and "\n" not in problem


def test_user_time_problem_accepts_ordinary_times() -> None:
    assert user_time_problem(datetime(2026, 5, 1, 9, tzinfo=UTC)) is None
    assert user_time_problem(datetime(2099, 12, 31, 23, 59)) is None


def test_a_received_time_past_this_clock_cannot_widen_the_bounds() -> None:
    server_says = datetime(8999, 1, 1, tzinfo=UTC)
    when = bound_remote_time("8999-01-01T00:00:00Z", server_says)
    assert abs(when - datetime.now(UTC)) < timedelta(minutes=5)


def test_bound_and_keep_records_the_original() -> None:
    from console.models.timebounds import bound_and_keep

    raw: dict[str, object] = {"mentions": ["a"]}
    assert bound_and_keep("2026-02-28T10:00:00Z", RECEIVED, raw, "sent_at") < RECEIVED
    assert raw == {"mentions": ["a"]}
    assert bound_and_keep("9999-12-31T23:59:59Z", RECEIVED, raw, "sent_at") == RECEIVED
    assert raw["original_times"] == {"sent_at": "9999-12-31T23:59:59Z"}
