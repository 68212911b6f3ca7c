"""Onboarding and access control: invites (chat and `baocao admin`), members, revocation, leaving, and one
officer with a Telegram and a Zalo account."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from bot.messages import BUTTON, Incoming
from db.models import AuditEvent, Invite, Membership
from db.repo import access, people

UNIT = "demo-hoa-an"


def code_in(text: str) -> str:
    return re.search(r"/(?:start|lienket) ([0-9A-F]{8})", text).group(1)


class Person:
    """One channel account talking to the engine directly (what the channels hand it)."""

    def __init__(self, engine, channel: str, user_id: str, name: str = ""):
        self.engine, self.channel, self.user_id, self.name = engine, channel, user_id, name or user_id
        self.last = []

    def send(self, text: str) -> str:
        self.last = self.engine.handle(Incoming(self.channel, self.user_id, self.user_id, text=text,
                                                display_name=self.name))
        return "\n".join(r.text for r in self.last)

    def press(self, label: str) -> str:
        b = next(b for r in self.last for b in r.buttons if b.label == label)
        self.last = self.engine.handle(Incoming(self.channel, self.user_id, self.user_id, kind=BUTTON,
                                                payload=b.payload, text=b.label))
        return "\n".join(r.text for r in self.last)


def test_admin_creates_invite_in_chat_and_a_new_officer_joins_once(demo_app, officer_chat):
    _, engine = demo_app
    reply = officer_chat("quan_tri").say("/moi báo cáo")
    code = code_in(reply)
    assert "cán bộ báo cáo" in reply and "xã Hòa An" in reply
    newcomer = Person(engine, "telegram", "9001", "Vũ Thị Hoa")
    assert "Chào mừng" in newcomer.send(f"/start {code}")
    assert "cán bộ báo cáo" in newcomer.send("/start")
    assert "hết hạn" in Person(engine, "telegram", "9002").send(f"/start {code}")  # single use


def test_invite_role_menu_and_unknown_role(demo_app, officer_chat):
    _, engine = demo_app
    admin = Person(engine, "console", "quan_tri")
    admin.send("/moi")
    assert [b.label for r in admin.last for b in r.buttons] == ["Cán bộ báo cáo", "Lãnh đạo duyệt", "Quản trị"]
    assert "lãnh đạo duyệt" in admin.press("Lãnh đạo duyệt")
    assert "Vai trò chưa đúng" in admin.send("/moi thủ quỹ")


def test_only_admins_manage_access(officer_chat):
    for cmd in ("/moi báo cáo", "/thanhvien"):
        assert "không có quyền" in officer_chat("can_bo").say(cmd)
        assert "không có quyền" in officer_chat("lanh_dao").say(cmd)
    assert "chưa được cấp quyền" in officer_chat("nguoi_la").say("/thanhvien")


def test_members_listed_and_revoked_member_loses_access(demo_app):
    db, engine = demo_app
    admin = Person(engine, "console", "quan_tri")
    listing = admin.send("/thanhvien")
    assert "Nguyễn Văn An — cán bộ báo cáo (console)" in listing and "Lê Thị Quản" in listing
    assert "Thu hồi: Lê Thị Quản" not in [b.label for r in admin.last for b in r.buttons]  # not oneself
    admin.press("Thu hồi: Nguyễn Văn An")
    assert "Đã thu hồi" in admin.press("Thu hồi")
    reporter = Person(engine, "console", "can_bo")
    assert "chưa thuộc đơn vị" in reporter.send("/roidonvi")
    assert "Nguyễn Văn An" not in admin.send("/thanhvien")
    with db.session() as s:
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "member.revoke")) is not None


def test_forged_revoke_button_cannot_reach_another_unit(demo_app):
    db, engine = demo_app
    from db.repo import access

    with db.session() as s:
        other = access.create_unit(s, "xa-khac", "xã Khác")
        outsider = people.create_invite(s, other, "reporter", None).code
    Person(engine, "zalo", "z-out", "Người Xã Khác").send(f"/start {outsider}")
    with db.session() as s:
        oid = people.officer_by_identity(s, "zalo", "z-out").id
    r = engine.handle(Incoming("console", "quan_tri", "quan_tri", kind=BUTTON, payload=f"onb:rvok:{oid}"))
    assert "không còn là thành viên" in r[0].text
    with db.session() as s:
        assert people.roles_in_unit(s, oid, other.id) == {"reporter"}


def test_leaving_revokes_access_but_the_last_admin_must_stay(demo_app):
    _, engine = demo_app
    approver = Person(engine, "console", "lanh_dao")
    approver.send("/roidonvi")
    assert "Đã hủy" in approver.press("Không")
    approver.send("/roidonvi")
    assert "đã rời xã Hòa An" in approver.press("Rời đơn vị")
    assert "chưa thuộc đơn vị" in approver.send("/roidonvi")
    admin = Person(engine, "console", "quan_tri")
    admin.send("/roidonvi")
    assert "quản trị viên duy nhất" in admin.press("Rời đơn vị")


def test_one_officer_links_telegram_and_zalo(demo_app):
    db, engine = demo_app
    tg = Person(engine, "telegram", "5001", "Hoàng Văn Tâm")
    tg.send(f"/start {_invite(db, 'approver')}")
    code = code_in(tg.send("/lienket"))
    zl = Person(engine, "zalo", "zalo-5001", "Tâm Zalo")
    assert "mã mời" in zl.send("/start")  # a stranger until linked
    reply = zl.send(f"/lienket {code.lower()}")
    assert "Hoàng Văn Tâm" in reply and "xã Hòa An" in reply
    assert "lãnh đạo duyệt" in zl.send("/start")
    assert "không đúng hoặc đã hết hạn" in Person(engine, "zalo", "zalo-other").send(f"/lienket {code}")
    with db.session() as s:
        a = people.officer_by_identity(s, "telegram", "5001")
        b = people.officer_by_identity(s, "zalo", "zalo-5001")
        assert a.id == b.id and {i.channel for i in a.identities} == {"telegram", "zalo"}


def test_link_code_expires_and_cannot_steal_another_officers_account(demo_app, clock):
    db, engine = demo_app
    tg = Person(engine, "telegram", "5002", "A")
    tg.send(f"/start {_invite(db, 'reporter')}")
    code = code_in(tg.send("/lienket"))
    clock.advance(timedelta(minutes=access.LINK_CODE_MINUTES + 1))
    assert "hết hạn" in Person(engine, "zalo", "z-5002").send(f"/lienket {code}")
    code = code_in(tg.send("/lienket"))
    assert "cán bộ khác" in Person(engine, "console", "can_bo").send(f"/lienket {code}")


def test_cli_admin_creates_unit_invites_lists_and_revokes(app, data_dir, monkeypatch):
    from bot.cli import app as cli

    db, engine = app
    runner = CliRunner()
    env = {"DATA_DIR": str(data_dir)}
    r = runner.invoke(cli, ["admin", "create-unit", "xa-hoang-trung", "xã Hoằng Trung"], env=env)
    assert r.exit_code == 0 and "xã Hoằng Trung" in r.stdout
    assert runner.invoke(cli, ["admin", "create-unit", "xa-hoang-trung", "lặp"], env=env).exit_code != 0
    r = runner.invoke(cli, ["admin", "invite", "xa-hoang-trung", "--role", "admin"], env=env)
    assert r.exit_code == 0
    code = r.stdout.split()[0]
    assert "Chào mừng" in Person(engine, "telegram", "6001", "Trịnh Văn Long").send(f"/start {code}")
    r = runner.invoke(cli, ["admin", "members", "xa-hoang-trung", "--json"], env=env)
    rows = json.loads(r.stdout)
    assert [(m["name"], m["roles"], m["channels"]) for m in rows] == [("Trịnh Văn Long", ["admin"], ["telegram"])]
    assert runner.invoke(cli, ["admin", "invite", "khong-co"], env=env).exit_code != 0
    assert runner.invoke(cli, ["admin", "invite", "xa-hoang-trung", "--role", "boss"], env=env).exit_code != 0
    r = runner.invoke(cli, ["admin", "revoke", "xa-hoang-trung", str(rows[0]["officer_id"])], env=env)
    assert r.exit_code == 0
    with db.session() as s:
        assert not s.scalars(select(Membership).where(Membership.active.is_(True),
                                                      Membership.officer_id == rows[0]["officer_id"])).all()
        assert s.scalar(select(Invite).where(Invite.code == code)).used_at is not None


def _invite(db, role: str) -> str:
    with db.session() as s:
        return people.create_invite(s, people.unit_by_code(s, UNIT), role, None).code
