"""The province in the console chat of the demo (demo-tinh: 30 communes, demo-hoa-an among them), end to end through
the real engine: completeness and totals, a commune's approval changing them, rates from sums, one commune's
report read-only, and the province draft through the ordinary review flow."""
from __future__ import annotations

import pytest
from docx import Document
from sqlalchemy import func, select

from bot.demo import DEMO_UNIT
from bot.demo_province import MISSING_COMMUNE, PROVINCE
from common import clock
from common.vnnum import fmt_int, fmt_pct
from db.models import Figure, Period, Report, Unit
from db.repo import channel_state, people
from figures.periods import previous_period
from province.deadlines import calendar_of, last_ended

pytestmark = pytest.mark.two_dates


def _week(db):
    with db.session() as s:
        return last_ended("tuan", people.unit_by_code(s, PROVINCE), clock.today())


def _approved(db, spec, indicator: str) -> list[tuple[float, float | None]]:
    """(value, denominator) of `indicator` in the province's approved commune reports: read independently."""
    with db.session() as s:
        province = people.unit_by_code(s, PROVINCE)
        rows = s.execute(select(Figure.value, Figure.denominator).join(Report, Report.id == Figure.report_id)
                         .join(Period, Period.id == Report.period_id).join(Unit, Unit.id == Report.unit_id)
                         .where(Unit.parent_id == province.id, Report.status == "approved", Period.kind == spec.kind,
                                Period.start == spec.start, Figure.indicator == indicator))
        return [(v, d) for v, d in rows]


def _approved_count(db, spec) -> int:
    with db.session() as s:
        province = people.unit_by_code(s, PROVINCE)
        return s.scalar(select(func.count()).select_from(Report).join(Period).join(Unit, Unit.id == Report.unit_id)
                        .where(Unit.parent_id == province.id, Report.status == "approved",
                               Period.kind == spec.kind, Period.start == spec.start))


def _point_chat(db, user: str, unit_code: str, spec) -> int:
    """Point an officer's chat at the unit's report of `spec`, as /baocao does for a reporter."""
    with db.session() as s:
        unit = people.unit_by_code(s, unit_code)
        report = s.scalar(select(Report).join(Period).where(Report.unit_id == unit.id, Period.kind == spec.kind,
                                                            Period.start == spec.start))
        channel_state.load_state(s, "console", user).data = {"unit_id": unit.id, "report_id": report.id}
        return report.id


def _cccd_line(db, spec) -> str:
    return f"Thu nhận hồ sơ cấp CCCD: {fmt_int(sum(v for v, _ in _approved(db, spec, 'cccd.thu_nhan')))} hồ sơ"


def test_province_officer_sees_completeness_and_totals(province_app, province_chat):
    db, _ = province_app
    week = _week(db)
    with db.session() as s:
        before = previous_period(week, calendar_of(people.unit_by_code(s, PROVINCE)))
    chat = province_chat("tong_hop")
    assert "tỉnh Minh Giang (cán bộ tổng hợp)" in chat.say("/start")

    reply = chat.say("/tonghop")
    assert f"Tổng hợp {week.label} — tỉnh Minh Giang (30 đơn vị cấp xã)." in reply
    assert f"Đã duyệt: {_approved_count(db, week)}/30" in reply
    assert _cccd_line(db, week) in reply

    # the week before: its deadline has passed; one commune never reported, the others were approved
    reply = chat.say(f"/tonghop {before.label}")
    assert "(đã qua)" in reply and "Đã duyệt: 29/30" in reply
    assert "Chưa trình duyệt, đã quá hạn: 1 — xã Tân Lập (chưa có báo cáo)" in reply
    assert "trễ hạn —" in reply  # some were approved after the deadline, and are named
    assert _cccd_line(db, before) in reply
    with db.session() as s:
        assert people.unit_by_code(s, MISSING_COMMUNE).name == "xã Tân Lập"


def test_a_commune_approval_changes_the_totals(province_app, province_chat):
    db, _ = province_app
    week = _week(db)
    tong_hop, can_bo, lanh_dao = province_chat("tong_hop"), province_chat("can_bo"), province_chat("lanh_dao")
    n = _approved_count(db, week)
    full = _cccd_line(db, week)
    assert full in tong_hop.say("/tonghop")

    _point_chat(db, "lanh_dao", DEMO_UNIT, week)
    assert "Đã mở lại" in lanh_dao.say("/molai cần bổ sung số liệu")
    reply = tong_hop.say("/tonghop")
    assert f"Đã duyệt: {n - 1}/30" in reply and "xã Hòa An (được trả lại để sửa)" in reply
    without = _cccd_line(db, week)
    assert without != full and without in reply  # Hòa An's figures left the total

    _point_chat(db, "can_bo", DEMO_UNIT, week)
    assert "Đã trình" in can_bo.say("/trinh")
    reply = tong_hop.say("/tonghop")
    assert "chờ lãnh đạo đơn vị duyệt: 1 — xã Hòa An" in reply and without in reply  # submitted is not approved

    assert "Đã duyệt" in lanh_dao.say("/duyet")
    reply = tong_hop.say("/tonghop")
    assert f"Đã duyệt: {n}/30" in reply and full in reply


def test_rates_shown_are_computed_from_the_summed_parts(province_app, province_chat):
    db, _ = province_app
    week = _week(db)
    online = [v for v, _ in _approved(db, week, "tthc.tiep_nhan_truc_tuyen")]
    received = [v for v, _ in _approved(db, week, "tthc.tiep_nhan")]
    pooled = 100 * sum(online) / sum(received)
    averaged = sum(100 * o / r for o, r in zip(online, received)) / len(received)
    assert fmt_pct(pooled) != fmt_pct(averaged)  # the demo's communes differ enough for the test to tell
    reply = province_chat("tong_hop").say("/tonghop")
    assert f"Tỷ lệ hồ sơ TTHC trực tuyến: {fmt_pct(pooled)}" in reply


def test_one_commune_is_shown_read_only(province_app, province_chat):
    db, _ = province_app
    chat = province_chat("tong_hop")
    reply = chat.say("/donvi Hòa An")
    assert reply.startswith(f"xã Hòa An — báo cáo {_week(db).label}: đã duyệt (trình ") and "đúng hạn" in reply
    assert "Thu nhận hồ sơ cấp CCCD" in reply
    assert "Không tìm thấy đơn vị" in chat.say("/donvi Không Có")
    # the province never edits a commune's report: figures typed by the tong_hop officer are refused
    with db.session() as s:
        revisions_before = s.scalar(select(func.count()).select_from(Figure))
    assert "không có quyền" in chat.say("cấp CCCD 60, mới 33, đổi 11, lại 16")
    assert "không có quyền" in chat.say("/duyet")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Figure)) == revisions_before
    # a commune officer cannot see the province view
    assert "không có đơn vị cấp dưới" in province_chat("can_bo").say("/tonghop")


def test_province_draft_with_the_communes_table_through_review(province_app, province_chat):
    db, _ = province_app
    week = _week(db)
    can_bo_tinh, lanh_dao_tinh = province_chat("can_bo_tinh"), province_chat("lanh_dao_tinh")
    assert "Báo cáo tuần" in can_bo_tinh.say("/baocao tuần trước")
    reply = can_bo_tinh.say("/duthao")
    for _ in range(4):  # the narrative parts: write the first, skip the rest
        if "(1/4)" in reply:
            reply = can_bo_tinh.say("Chỉ đạo 30/30 xã hoàn thành làm sạch dữ liệu trước ngày 30/11.")
        elif "/4)" in reply:
            reply = can_bo_tinh.say("Bỏ qua phần này")
    [answer] = [r for r in can_bo_tinh.send("/phienban 1") if r.files]
    doc = Document(str(answer.files[0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(c.text for c in doc.tables[0]._cells)
    assert "ỦY BAN NHÂN DÂN\nTỈNH MINH GIANG" in header and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "UBND HUYỆN" not in header
    assert "trên địa bàn tỉnh Minh Giang./." in text
    n = _approved_count(db, week)
    assert f"Số liệu tổng hợp từ báo cáo đã được duyệt của {n}/30 đơn vị cấp xã" in text
    assert "1. Nhóm tiện ích phục vụ giải quyết TTHC và cung cấp dịch vụ công trực tuyến" in text
    cccd = sum(v for v, _ in _approved(db, week, "cccd.thu_nhan"))
    assert f"Thu nhận {fmt_int(cccd)} hồ sơ cấp CCCD" in text
    # the province's own figures (sở, ngành) are on top of the communes'
    kcb = sum(v for v, _ in _approved(db, week, "kcb.cccd_luot")) + 3315
    assert fmt_int(kcb) in text
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:3] == ["TT", "Đơn vị", "Báo cáo"] and len(rows) == 1 + 30 + 1
    assert any(r[1] == "xã Hòa An" and r[2].startswith("Đã duyệt") for r in rows)
    assert rows[-1][0].startswith(f"Tổng ({n}/30 đơn vị đã duyệt)")
    assert rows[-1][3] == fmt_int(sum(v for v, _ in _approved(db, week, "cccd.thu_nhan")))

    # the same review flow as a commune's
    assert "Đã trình" in can_bo_tinh.say("/trinh")
    assert "Đã duyệt" in lanh_dao_tinh.say("/duyet")
    with db.session() as s:
        province = people.unit_by_code(s, PROVINCE)
        statuses = set(s.scalars(select(Report.status).where(Report.unit_id == province.id)))
        assert statuses == {"approved"}


def test_a_province_is_not_asked_its_communes_checklist(province_app, province_chat):
    chat = province_chat("can_bo_tinh")
    opened = chat.say("/baocao")
    assert "tổng hợp tự động" in opened and "còn thiếu" not in opened
    stored = chat.say("khám chữa bệnh bằng CCCD 3315 lượt")  # the province's own figure (sở, ngành)
    assert "Khám chữa bệnh bằng CCCD gắn chíp: 3.315 lượt" in stored
    assert "còn thiếu" not in stored and "Thu nhận hồ sơ cấp CCCD" not in stored
