"""Units in bulk from a CSV, one invite per commune, and the hierarchy a province reads (tỉnh → xã, or a legacy
huyện in between), on SQLite and PostgreSQL."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from common.clock import VIETNAM
from common.errors import InvalidInput
from db import migrate
from db.models import Invite, Unit
from db.repo import people, reports
from db.repo import units as units_repo
from db.session import Database
from figures.types import FigureInput
from province.deadlines import last_ended
from province.overview import overview
from province.units_csv import create_units, read_units_csv

runner = CliRunner()

LEGACY = """code,name,level,parent,population
t,tỉnh Thử Nghiệm,tỉnh,,
h,huyện Cũ,huyện,t,
x1,xã Một,xã,h,5.200
x2,phường Hai,phường,t,8100
x3,xã Ba,xa,h,
"""


@pytest.fixture
def db(db_url):
    migrate.upgrade(db_url)
    d = Database(db_url)
    yield d
    d.dispose()


def test_a_legacy_district_is_seen_by_the_province_and_by_itself(db, clock):
    with db.session() as s:
        created = create_units(s, read_units_csv(LEGACY))
        assert [u.code for u in created] == ["t", "h", "x1", "x2", "x3"]
        t, h = people.unit_by_code(s, "t"), people.unit_by_code(s, "h")
        assert [u.code for u in units_repo.communes_of(s, t.id)] == ["x3", "x2", "x1"]  # Ba, Hai, Một
        assert [u.code for u in units_repo.communes_of(s, h.id)] == ["x3", "x1"]
        assert [u.code for u in units_repo.ancestors(s, people.unit_by_code(s, "x1"))] == ["h", "t"]
        assert people.unit_by_code(s, "x1").population == 5200
        assert "tong_hop" in units_repo.roles_for(s, h.id)  # invites offer the province role only above communes
        assert "tong_hop" not in units_repo.roles_for(s, people.unit_by_code(s, "x1").id)

        # the province sums its communes under the district too; the district only its own
        spec = last_ended("tuan", t, clock.now().date())
        period = reports.get_or_create_period(s, spec.kind, spec.start, spec.end, spec.label)
        for code, value in (("x1", 10), ("x2", 20), ("x3", 40)):
            r = reports.get_or_create_report(s, people.unit_by_code(s, code).id, period)
            reports.set_figure(s, r, "cccd.thu_nhan", value)
            r.status = "approved" if code != "x3" else "submitted"
        now = clock.now()
        assert overview(s, t, spec, now, VIETNAM).rollup().totals["cccd.thu_nhan"].value == 30
        ov = overview(s, h, spec, now, VIETNAM)
        assert ov.rollup().totals["cccd.thu_nhan"].units == ("x1",) and ov.rollup().coverage == "1/2"
        assert [r.status for r in ov.completeness.rows] == ["submitted", "approved"]
        assert ov.rollup(with_own=True).totals == ov.rollup().totals  # the district entered nothing itself
        own = reports.get_or_create_report(s, h.id, period)
        reports.set_figure(s, own, "cccd.thu_nhan", 5)
        assert overview(s, h, spec, now, VIETNAM).rollup(with_own=True).totals["cccd.thu_nhan"].value == 15
        assert overview(s, h, spec, now, VIETNAM).own_figures == [FigureInput("cccd.thu_nhan", 5.0)]


def test_new_units_take_their_parent_calendar(db):
    with db.session() as s:
        [t] = create_units(s, read_units_csv("code,name,level,parent\nt,tỉnh T,tinh,\n"))
        t.week_start_weekday, t.deadline_weekday, t.deadline_time = 3, 4, "09:30"
        [x] = create_units(s, read_units_csv("code,name,level,parent\nx,xã X,xa,t\n"))
        assert (x.week_start_weekday, x.deadline_weekday, x.deadline_time) == (3, 4, "09:30")


@pytest.mark.parametrize("text, problem", [
    ("code,name\nx,xã X\n", "thiếu cột: level, parent"),
    ("code,name,level,parent\nx,xã X,làng,\n", "dòng 2: cấp «làng» không hợp lệ"),
    ("code,name,level,parent\nx,xã X,xa,\nx,xã Y,xa,\n", "dòng 3: mã x bị trùng"),
    ("code,name,level,parent,population\nx,xã X,xa,,nhiều\n", "dòng 2: dân số «nhiều» không phải là số"),
    ("code,name,level,parent\n", "không có dòng dữ liệu"),
])
def test_a_bad_file_is_refused_with_its_lines(text, problem):
    with pytest.raises(InvalidInput) as e:
        read_units_csv(text)
    assert problem in e.value.message_vi


def test_nothing_is_created_when_one_row_cannot_be(db):
    text = "code,name,level,parent\na,xã A,xa,t\nb,xã B,xa,khong-co\n"
    with pytest.raises(InvalidInput) as e, db.session() as s:
        create_units(s, read_units_csv("code,name,level,parent\nt,tỉnh T,tinh,\n"))
        create_units(s, read_units_csv(text))
    assert "dòng 3: không có đơn vị cấp trên mã khong-co" in e.value.message_vi
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == 0  # the whole transaction was rolled back


def test_cli_imports_units_and_gives_one_invite_per_commune(data_dir, tmp_path):
    src = tmp_path / "units.csv"
    src.write_text("\ufeff" + LEGACY, encoding="utf-8")
    res = runner.invoke(app, ["admin", "import-units", str(src)])
    assert res.exit_code == 0 and "Đã tạo 5 đơn vị." in res.output, res.output
    again = runner.invoke(app, ["admin", "import-units", str(src)])
    assert again.exit_code == 2 and "đã có trong hệ thống" in again.output
    out = tmp_path / "invites.csv"
    res = runner.invoke(app, ["admin", "invite-all", "t", "--role", "reporter", "--out", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["ma_don_vi"] for r in rows] == ["x3", "x2", "x1"] and all(len(r["ma_moi"]) == 8 for r in rows)
    db = Database(f"sqlite:///{(data_dir / 'baocao.sqlite3').as_posix()}")
    with db.session() as s:
        invites = {i.code: i for i in s.scalars(select(Invite))}
        assert {s.get(Unit, invites[r["ma_moi"]].unit_id).code for r in rows} == {"x1", "x2", "x3"}
    db.dispose()
