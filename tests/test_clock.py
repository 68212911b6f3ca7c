"""The project clock: Vietnam's date, settable by tests, and the only place that reads the real time."""
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from common import clock
from common.clock import StartedClock, use_clock

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["bot", "common", "db", "drafting", "figures", "knowledge", "retrieval", "reporting"]
REAL_CLOCK = re.compile(r"date\.today\(\)|datetime\.(now|utcnow)\(|time\.time\(\)")


def test_today_is_the_date_in_vietnam_not_on_the_server():
    late_evening_utc = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)  # 01:30 on 2 Dec in Hà Nội
    with use_clock(StartedClock(late_evening_utc)):
        assert clock.today() == date(2026, 12, 2)
        assert clock.today("UTC") == date(2026, 12, 1)


def test_a_started_clock_keeps_running_and_can_jump_ahead():
    c = StartedClock(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    first = c.now()
    assert c.now() >= first
    c.advance(timedelta(days=2))
    assert c.now().date() == date(2026, 11, 27)
    with pytest.raises(ValueError):
        StartedClock(datetime(2026, 11, 25))


def test_tests_run_on_the_frozen_date(today):
    assert clock.today() == today


def test_nothing_reads_the_real_clock_but_the_clock_module():
    offenders = [f"{p.relative_to(REPO)}:{n}" for pkg in PACKAGES if (REPO / pkg).is_dir()
                 for p in (REPO / pkg).rglob("*.py") if p.name != "clock.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if REAL_CLOCK.search(line)]
    assert not offenders, offenders
