"""Office hours (what the user is told about when staff answer) and staff destinations."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.core.handover import OfficeHours, staff_addresses

WIB = ZoneInfo("Asia/Jakarta")
HOURS = OfficeHours.parse("08:00-16:00", "1-5")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026: the 7th is a Monday."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def test_parse() -> None:
    assert HOURS.opens == time(8) and HOURS.closes == time(16)
    assert HOURS.days == frozenset({1, 2, 3, 4, 5})
    assert OfficeHours.parse("07:30-12:00", "1-5,6").days == frozenset(range(1, 7))
    for hours, days in (("16:00-08:00", "1-5"), ("08:00-16:00", "0-5"), ("8-16", "1-5")):
        with pytest.raises(ValueError):
            OfficeHours.parse(hours, days)


def test_open_during_hours_on_working_days_only() -> None:
    assert HOURS.is_open(at(7, 8))  # Monday, opening time
    assert HOURS.is_open(at(11, 15, 59))  # Friday
    assert not HOURS.is_open(at(7, 16))  # closing time
    assert not HOURS.is_open(at(7, 7, 59))
    assert not HOURS.is_open(at(12, 10))  # Saturday


def test_next_opening() -> None:
    assert HOURS.next_opening(at(7, 10)) == at(7, 10)  # open now
    assert HOURS.next_opening(at(7, 6)) == at(7, 8)  # later today
    assert HOURS.next_opening(at(7, 17)) == at(8, 8)  # tomorrow
    assert HOURS.next_opening(at(11, 17)) == at(14, 8)  # Friday evening → Monday
    assert HOURS.next_opening(at(12, 9)) == at(14, 8)  # Saturday → Monday


def test_staff_addresses_from_settings() -> None:
    settings = Settings(
        staff_chat="telegram:-1001",
        staff_direct=("telegram:5", "whatsapp:62811", "telegram:-1001", "fax:1", "telegram:"),
    )
    assert staff_addresses(settings) == [
        ("telegram", "-1001"),
        ("telegram", "5"),
        ("whatsapp", "62811"),
    ]
    assert staff_addresses(Settings()) == []


def test_staff_direct_reads_a_comma_separated_environment_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JAMSOS_STAFF_DIRECT", "telegram:5, whatsapp:62811")
    monkeypatch.setenv("JAMSOS_OFFICE_HOURS", "07:30-15:00")
    settings = Settings()
    assert settings.staff_direct == ("telegram:5", "whatsapp:62811")
    assert OfficeHours.of(settings).opens == time(7, 30)


def test_office_hours_setting_is_checked_at_start() -> None:
    from pydantic import ValidationError

    for wrong in ("16:00-08:00", "08:00-08:00", "8:00-16:00", "08:70-16:00"):
        with pytest.raises(ValidationError):
            Settings(office_hours=wrong)
    with pytest.raises(ValidationError):
        Settings(office_days="0-5")
