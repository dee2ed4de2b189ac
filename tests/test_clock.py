"""The one clock: every layer asks peerdesk.clock for now and today, the group's day."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from peerdesk import clock

PACKAGE = Path(clock.__file__).parent
# Ways of reading the computer's clock directly, which would escape the one clock.
OTHER_CLOCKS = re.compile(
    r"date\.today\(|datetime\.(now|utcnow|today)\(|QDate(Time)?\.current|QTime\.currentTime"
)


def test_nothing_reads_the_computer_clock_but_the_clock_module() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OTHER_CLOCKS.search(line)
    ]
    assert found == []


def test_today_is_the_groups_day_not_the_computers() -> None:
    # 23:30 UTC on Sunday 28 March 2027 is 00:30 on Monday in London (summer time began that day).
    with time_machine.travel(datetime(2027, 3, 28, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2027, 3, 29)
        assert clock.today("UTC") == date(2027, 3, 28)
        assert clock.start_of_today() == datetime(2027, 3, 28, 23, 0, tzinfo=UTC)
        assert clock.now() == datetime(2027, 3, 28, 23, 30, tzinfo=UTC)


def test_new_years_eve_late_is_still_the_old_year_in_winter() -> None:
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 12, 31)
        assert clock.start_of_today() == datetime(2026, 12, 31, 0, 0, tzinfo=UTC)
