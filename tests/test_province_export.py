"""Export of a period's table (baocao export, /xuat): read back with openpyxl and csv, and compared with the stored
figures: one row per commune, a last row "Tổng" summing exactly the approved communes."""
from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.demo_province import PROVINCE
from common import clock
from db.models import Period, Report, Unit
from db.repo import people
from province.deadlines import last_ended

runner = CliRunner()
pytestmark = pytest.mark.two_dates


def _stored(db, spec) -> dict[str, tuple[str, dict[str, tuple[float, float | None]]]]:
    """unit code -> (status, {indicator: (value, denominator)}) for the province's communes, read from the ORM."""
    out = {}
    with db.session() as s:
        province = people.unit_by_code(s, PROVINCE)
        for unit in s.scalars(select(Unit).where(Unit.parent_id == province.id)):
            r = s.scalar(select(Report).join(Period).where(Report.unit_id == unit.id, Period.kind == spec.kind,
                                                           Period.start == spec.start))
            out[unit.code] = (r.status if r else "", {f.indicator: (f.value, f.denominator) for f in r.figures}
                              if r else {})
    return out


def _week(db):
    with db.session() as s:
        return last_ended("tuan", people.unit_by_code(s, PROVINCE), clock.today())


def _check_table(ids: list[str], rows: list[list], stored) -> None:
    assert ids[:3] == ["ma_don_vi", "ten_don_vi", "trang_thai"]
    assert len(rows) == 31 and rows[-1][0] == "Tổng"
    approved = [c for c, (st, _) in stored.items() if st == "approved"]
    assert rows[-1][2] == f"Cộng {len(approved)}/30 xã đã duyệt"
    by_code = {r[0]: r for r in rows[:-1]}
    assert set(by_code) == set(stored)
    for n, col in enumerate(ids[3:], 3):
        indicator, _, part = col.partition("__")
        pick = 1 if part == "mau_so" else 0
        for code, (_, figs) in stored.items():  # each commune's cell is its stored figure
            want = figs[indicator][pick] if indicator in figs else None
            assert (by_code[code][n] in ("", None) and want is None) or float(by_code[code][n]) == want, (code, col)
        values = [figs[indicator][pick] for c in approved for figs in [stored[c][1]] if indicator in figs]
        total = rows[-1][n]
        if values and all(v is not None for v in values):  # "Tổng" sums exactly the approved communes
            assert float(total) == sum(values), col
    assert "lam_giau.hoi_nong_dan" in ids and "lam_sach.cmnd_9_so__mau_so" in ids  # cumulative and x/y columns


def _export(unit: str, period: str, fmt: str, out):
    res = runner.invoke(app, ["export", "--unit", unit, "--period", period, "--format", fmt, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_cli_xlsx_export_reads_back_and_matches_the_stored_figures(province_app, tmp_path):
    db, _ = province_app
    week = _week(db)
    out = _export(PROVINCE, week.label, "xlsx", tmp_path / "tinh.xlsx")
    ws = load_workbook(out).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Mã đơn vị", "Tên đơn vị", "Trạng thái báo cáo"]
    assert "Thu nhận hồ sơ cấp CCCD (hồ sơ)" in headers
    assert ws.freeze_panes == "D3" and ws["A3"].value
    ids = [c.value for c in ws[2]]
    rows = [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]
    _check_table(ids, rows, _stored(db, week))
    col = ids.index("cccd.thu_nhan") + 1
    assert ws.cell(row=ws.max_row, column=col).number_format == "#,##0"
    assert ws.cell(row=ws.max_row, column=1).font.b  # the "Tổng" row in bold


def test_cli_csv_export_has_a_bom_and_the_same_table(province_app, tmp_path):
    db, _ = province_app
    week = _week(db)
    out = _export(PROVINCE, week.label, "csv", tmp_path / "tinh.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        ids, *rows = list(csv.reader(fh))
    _check_table(ids, rows, _stored(db, week))
    assert any(r[1] == "xã Hòa An" for r in rows)


def test_a_commune_exports_its_own_row_and_bad_arguments_are_refused(province_app, tmp_path):
    out = _export("demo-hoa-an", "tháng 10/2026", "csv", tmp_path / "xa.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        ids, *rows = list(csv.reader(fh))
    assert len(rows) == 1 and rows[0][:3] == ["demo-hoa-an", "xã Hòa An", "đã duyệt"]
    assert rows[0][ids.index("cccd.thu_nhan")]
    bad = runner.invoke(app, ["export", "--unit", "demo-hoa-an", "--period", "tháng 10/2026", "--format", "pdf",
                              "--out", str(out)])
    assert bad.exit_code == 2 and "xlsx" in bad.output
    unknown = runner.invoke(app, ["export", "--unit", "khong-co", "--period", "tháng 10/2026", "--out", str(out)])
    assert unknown.exit_code == 2 and "Không có đơn vị" in unknown.output


def test_export_in_chat_sends_the_file(province_app, province_chat):
    db, _ = province_app
    [reply] = province_chat("tong_hop").send("/xuat")
    assert reply.files[0].suffix == ".xlsx" and "30 đơn vị và dòng Tổng" in reply.text
    ws = load_workbook(reply.files[0]).active
    assert ws.max_row == 2 + 31
    [reply] = province_chat("can_bo").send("/xuat csv tháng 10")
    assert reply.files[0].suffix == ".csv" and "một dòng" in reply.text


def test_exports_can_be_downloaded_by_signed_link(province_app, province_chat, settings):
    from bot.channels import links

    settings = settings.model_copy(update={"public_base_url": "https://bot.example.vn"})
    for command in ("/xuat", "/xuat csv"):
        [reply] = province_chat("tong_hop").send(command)
        url = links.make_link(settings, reply.files[0])
        expires, sig, rel = url.split("/dl/", 1)[1].split("/", 2)
        assert links.resolve_link(settings, expires, sig, rel) == reply.files[0].resolve()
