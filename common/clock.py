"""The project's one clock: everything that needs "now" or "today" asks here, so tests can set the time.

    now()        timezone-aware UTC datetime
    today(tz)    the calendar date in `tz` (Vietnam by default), not the server's local date
    timestamp()  seconds since the epoch, for signed links

`set_clock(clock)` swaps the process's clock (tests install a `StartedClock` at a fixed instant through an
autouse fixture); `use_clock(clock)` does it for a `with` block.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VIETNAM = "Asia/Ho_Chi_Minh"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class StartedClock:
    """Starts at a chosen instant and then runs at real speed, so a test's date is fixed while retry delays
    and timeouts still elapse. `advance` jumps ahead (e.g. past a deadline)."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("StartedClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def advance(self, delta: timedelta) -> None:
        self._start += delta


def local_instant(day: date, hour: int = 9, minute: int = 0, tz: str = VIETNAM) -> datetime:
    """`day` at hh:mm in `tz`, as an aware datetime (for setting a clock or a deadline)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))


_clock: Clock = SystemClock()


def now() -> datetime:
    return _clock.now()


def today(tz: str = VIETNAM) -> date:
    return now().astimezone(ZoneInfo(tz)).date()


def timestamp() -> float:
    return now().timestamp()


def set_clock(clock: Clock) -> Clock:
    """Install `clock` for the whole process; returns the previous one."""
    global _clock
    previous, _clock = _clock, clock
    return previous


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
