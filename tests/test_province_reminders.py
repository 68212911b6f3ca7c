"""Deadline reminders with a frozen clock, on SQLite and PostgreSQL: before the deadline each reporter of a commune
without a handed-in report gets one reminder; after it the province's tong_hop officer gets the late list; nothing
is lost or sent twice across restarts; muted officers get nothing."""
from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot import reminders
from bot.channels import outbox
from bot.channels.outbox import Outbox
from common.clock import VIETNAM
from db import migrate
from db.models import Officer, OutgoingMessage, ReminderSent
from db.repo import people, reports
from db.session import Database
from figures.periods import PeriodSpec
from province.deadlines import DeadlineRule, deadline, due_date, last_ended
from province.units_csv import create_units, read_units_csv

CSV = """code,name,level,parent
p,tỉnh Thử Nghiệm,tinh,
a,xã An,xa,p
b,xã Bình,xa,p
c,xã Châu,xa,p
"""
CHANNELS = ("telegram",)


@pytest.fixture
def province(db_url, today):
    """Three communes: a approved last week, b still drafting, c without a report; reporters on Telegram (c has a
    second one who muted reminders), a tong_hop officer at the province."""
    migrate.upgrade(db_url)
    db = Database(db_url)
    with db.session() as s:
        units = {u.code: u for u in create_units(s, read_units_csv(CSV))}

        def officer(name: str, unit: str, role: str, muted: bool = False) -> None:
            o = Officer(display_name=name, reminders_muted=muted)
            s.add(o)
            s.flush()
            people.link_identity(s, o, "telegram", f"tg-{name}")
            people.grant(s, o, units[unit], role)

        for code in "abc":
            officer(f"r{code}", code, "reporter")
        officer("rc2", "c", "reporter", muted=True)
        officer("th", "p", "tong_hop")
        week = last_ended("tuan", units["p"], today)
        period = reports.get_or_create_period(s, week.kind, week.start, week.end, week.label)
        reports.get_or_create_report(s, units["a"].id, period).status = "approved"
        reports.get_or_create_report(s, units["b"].id, period)
        due = deadline(DeadlineRule.of(units["p"]), week, VIETNAM)
    yield db, week, due
    db.dispose()


def rows(db) -> list[OutgoingMessage]:
    with db.session() as s:
        return list(s.scalars(select(OutgoingMessage).order_by(OutgoingMessage.id)))


def advance_to(clock, when: datetime) -> None:
    clock.advance(when - clock.now())


def test_deadlines_follow_the_unit_calendar():
    rule = DeadlineRule()  # weekly by Thursday 15:00, monthly by the 15th
    assert due_date(rule, PeriodSpec("tuan", date(2026, 11, 16), date(2026, 11, 22))) == date(2026, 11, 26)
    assert due_date(rule, PeriodSpec("tuan", date(2023, 8, 17), date(2023, 8, 23))) == date(2023, 8, 24)  # Thu-Wed
    assert due_date(rule, PeriodSpec("tuan", date(2026, 11, 13), date(2026, 11, 19))) == date(2026, 11, 26)  # Fri-Thu
    assert due_date(rule, PeriodSpec("thang", date(2026, 10, 1), date(2026, 10, 31))) == date(2026, 11, 15)
    assert due_date(rule, PeriodSpec("thang", date(2026, 10, 16), date(2026, 11, 15))) == date(2026, 11, 15)
    end_of_month = DeadlineRule(month_day=31)
    assert due_date(end_of_month, PeriodSpec("thang", date(2027, 1, 1), date(2027, 1, 31))) == date(2027, 1, 31)
    assert due_date(end_of_month, PeriodSpec("thang", date(2027, 1, 16), date(2027, 2, 15))) == date(2027, 2, 28)


@pytest.mark.two_dates
def test_sent_once_before_the_deadline_to_exactly_the_reporters_missing_a_report(province, clock):
    db, week, due = province
    advance_to(clock, due - timedelta(hours=25))
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 0  # not yet: 24 hours before
    advance_to(clock, due - timedelta(hours=5))
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 2
    sent = rows(db)
    assert sorted(r.chat_id for r in sent) == ["tg-rb", "tg-rc"]  # a handed in; rc2 muted reminders
    text = next(r.payload["text"] for r in sent if r.chat_id == "tg-rb")
    assert f"báo cáo {week.label} của xã Bình" in text and "15:00 thứ Năm" in text and "còn khoảng 5 giờ" in text
    assert "/baocao tuần trước" in text and "/nhacnho tắt" in text

    assert reminders.send_due(db, CHANNELS, VIETNAM) == 0  # the next pass sends nothing again
    clock.advance(timedelta(hours=2))
    db.dispose()  # restart: a new process, a new connection pool
    restarted = Database(db.url)
    assert reminders.send_due(restarted, CHANNELS, VIETNAM) == 0
    assert len(rows(restarted)) == 2
    restarted.dispose()


def test_a_pass_that_fails_before_its_commit_loses_no_reminder(province, clock, monkeypatch):
    db, _, due = province
    advance_to(clock, due - timedelta(hours=3))
    real = outbox.enqueue

    def crash(*a, **k):
        raise RuntimeError("process killed")

    monkeypatch.setattr(reminders, "enqueue", crash)
    with pytest.raises(RuntimeError):
        reminders.send_due(db, CHANNELS, VIETNAM)
    with db.session() as s:  # neither the record nor the message was kept ...
        assert s.scalar(select(func.count()).select_from(ReminderSent)) == 0
    monkeypatch.setattr(reminders, "enqueue", real)
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 2  # ... so the next pass sends both


def test_after_the_deadline_the_province_gets_the_late_list_once(province, clock):
    db, week, due = province
    advance_to(clock, due + timedelta(minutes=30))
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 1  # too late for reminders: only the late list
    [late] = rows(db)
    assert late.chat_id == "tg-th"
    text = late.payload["text"]
    assert f"Quá hạn nộp báo cáo {week.label}" in text and "2/3 đơn vị của tỉnh Thử Nghiệm" in text
    assert "xã Bình (đang soạn)" in text and "xã Châu (chưa có báo cáo)" in text and "xã An" not in text
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 0
    advance_to(clock, due + timedelta(days=4))  # a bot down for days does not send stale lists
    with db.session() as s:
        s.execute(ReminderSent.__table__.delete())
    assert reminders.send_due(db, CHANNELS, VIETNAM) == 0


class FakeSender:
    channel = "telegram"

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id: str, part: dict) -> None:
        self.sent.append((chat_id, part["text"]))


def test_queued_reminders_are_delivered_once_across_a_restart(province, clock):
    db, _, due = province
    advance_to(clock, due - timedelta(hours=1))
    reminders.send_due(db, CHANNELS, VIETNAM)
    first = FakeSender()
    assert asyncio.run(Outbox(db, first).deliver_due()) == 2
    db.dispose()
    restarted, again = Database(db.url), FakeSender()
    assert reminders.send_due(restarted, CHANNELS, VIETNAM) == 0
    assert asyncio.run(Outbox(restarted, again).deliver_due()) == 0
    assert sorted(c for c, _ in first.sent) == ["tg-rb", "tg-rc"] and again.sent == []
    restarted.dispose()


def test_officers_mute_and_unmute_reminders_in_chat(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat("can_bo")
    assert "đang tắt" in chat.say("/nhacnho tắt")
    with db.session() as s:
        assert people.officer_by_identity(s, "console", "can_bo").reminders_muted
    assert "đang bật" in chat.say("/nhacnho bật")
    assert "đang bật" in chat.say("/nhacnho")
    with db.session() as s:
        assert not people.officer_by_identity(s, "console", "can_bo").reminders_muted
