"""Dates and times the British way: shown as '26 Nov 2026' in the organisation's local time,
stored as UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from peerdesk.wording import SHORT_MONTHS

DEFAULT_ZONE = "Europe/London"


def show_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


def local(value: datetime, zone: str = DEFAULT_ZONE) -> datetime:
    return value.astimezone(ZoneInfo(zone))


def show_datetime(value: datetime | None, zone: str = DEFAULT_ZONE) -> str:
    if value is None:
        return ""
    here = local(value, zone)
    return f"{show_date(here.date())} {here:%H:%M}"


def show_time(value: datetime | None, zone: str = DEFAULT_ZONE) -> str:
    return "" if value is None else f"{local(value, zone):%H:%M}"


def utc_from_local(day: date, hour: int, minute: int, zone: str = DEFAULT_ZONE) -> datetime:
    """The UTC instant of a local wall-clock time (clock changes handled by zoneinfo)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(
        UTC
    )
