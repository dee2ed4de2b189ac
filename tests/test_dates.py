"""Dates the British way, whatever the system's language, and local days across clock changes."""

from datetime import UTC, date, datetime

from peerdesk.dates import show_date, show_datetime, utc_from_local


def test_dates_read_the_british_way() -> None:
    assert show_date(date(2026, 11, 26)) == "26 Nov 2026"
    assert show_date(date(2027, 1, 5)) == "5 Jan 2027"
    assert show_date(None) == ""


def test_local_wall_clock_time_across_the_clock_changes() -> None:
    assert utc_from_local(date(2026, 3, 28), 10, 0) == datetime(2026, 3, 28, 10, tzinfo=UTC)
    assert utc_from_local(date(2026, 3, 30), 10, 0) == datetime(2026, 3, 30, 9, tzinfo=UTC)
    assert utc_from_local(date(2026, 10, 26), 10, 0) == datetime(2026, 10, 26, 10, tzinfo=UTC)
    assert show_datetime(datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "1 Jul 2026 10:00"
