"""A unit's own indicators ("chỉ tiêu riêng") added in chat by its admin (/chitieu), on SQLite and PostgreSQL: read
from the reporter's words, listed by /tiendo and /mau, checked against the unit's own history, written in the draft;
unseen by another unit; bad input changes nothing."""
import pytest
from docx import Document
from sqlalchemy import func, select

from bot.app import build
from bot.demo import grant_console_officers
from common import clock
from common.errors import Conflict, InvalidInput, NotFound
from common.settings import Settings
from db.models import AuditEvent, Figure, Unit, UnitIndicator
from db.repo import access, indicators, people, reports
from figures.checks import check_report
from figures.periods import current_period
from figures.report_data import history_of, period_figures
from figures.unit_catalogue import unit_catalogue
from knowledge.catalogue import load_catalogue
from reporting import own_indicators
from tests.conftest import ChatDriver

OWN = "rieng.so_ho_gia_dinh_duoc_tuyen_truyen"
ADD = "/chitieu thêm Số hộ gia đình được tuyên truyền | hộ | Tuyên truyền | gọi tắt: hộ được tuyên truyền"


@pytest.fixture
def units(db_url, data_dir):
    """Two communes on a fresh database (SQLite, then PostgreSQL): xã Hòa Bình (an admin, a reporter) and xã An
    Phú (a reporter)."""
    db, engine = build(Settings(_env_file=None, data_dir=data_dir, database_url=db_url))
    with db.session() as s:
        for code, name, users in (("xa-hoa-binh", "xã Hòa Bình", (("quan_tri", "admin"), ("can_bo", "reporter"))),
                                  ("xa-an-phu", "xã An Phú", (("can_bo_ap", "reporter"),))):
            grant_console_officers(s, access.create_unit(s, code, name), [(u, u, role) for u, role in users])
    yield db, engine
    db.dispose()


def _unit_id(db, code: str) -> int:
    with db.session() as s:
        return people.unit_by_code(s, code).id


def _own_rows(db) -> list[tuple]:
    with db.session() as s:
        return [(r.unit_id, r.code, r.name, r.measure, r.section, r.parent)
                for r in s.scalars(select(UnitIndicator).order_by(UnitIndicator.id))]


def _docx_text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_an_admin_adds_an_indicator_and_it_is_reported_checked_and_drafted(units):
    db, engine = units
    admin, can_bo, other = (ChatDriver(engine, u) for u in ("quan_tri", "can_bo", "can_bo_ap"))
    shown = admin.say("/chitieu")
    assert "xã Hòa Bình chưa có chỉ tiêu riêng." in shown and "/chitieu thêm <tên> | <đơn vị tính>" in shown
    assert "2. Công tác tuyên truyền" in shown  # the sections an admin may name
    added = admin.say(ADD)
    assert added.startswith("Đã thêm chỉ tiêu riêng «Số hộ gia đình được tuyên truyền» (hộ), mục «Công tác tuyên "
                            "truyền»") and "«hộ được tuyên truyền 12»" in added
    assert "1. «Số hộ gia đình được tuyên truyền» (hộ)" in admin.say("/chitieu")

    # the reporter types it as they say it: last week's (history), then this week's, ten times as many
    r = can_bo.say("tuần trước: hộ được tuyên truyền 12")
    assert "Đã ghi vào báo cáo tuần 16/11 - 22/11/2026:\n• Số hộ gia đình được tuyên truyền: 12 hộ" in r
    r = can_bo.say("tuần này: hộ được tuyên truyền 120")
    assert "• Số hộ gia đình được tuyên truyền: 120 hộ" in r
    assert "Số hộ gia đình được tuyên truyền: 120, cao gấp 10 lần tuần trước (12)." in r  # its own history
    with db.session() as s:
        unit_id = people.unit_by_code(s, "xa-hoa-binh").id
        assert s.scalar(select(func.count(Figure.id)).where(Figure.indicator == OWN)) == 2
        assert not s.scalar(select(func.count(Figure.id)).where(Figure.indicator.like("tuyen_truyen.%")))

    progress = can_bo.say("/tiendo")
    assert "Báo cáo tuần 23/11 - 29/11/2026 — xã Hòa Bình" in progress
    assert "Công tác tuyên truyền:\n• Số hộ gia đình được tuyên truyền: 120 hộ" in progress
    assert "Đã có 1/21 chỉ tiêu theo mẫu." in progress  # the unit's own indicator counts in its template

    form = can_bo.send("/mau")[-1].text
    assert "Số hộ gia đình được tuyên truyền: 120 hộ (kỳ trước 12)" in form.splitlines()
    filled = form.replace("Số hộ gia đình được tuyên truyền: 120 hộ", "Số hộ gia đình được tuyên truyền: 2.291 hộ")
    r = can_bo.say(filled)
    assert "Đã nhận mẫu báo cáo tuần 23/11 - 29/11/2026: 1 số liệu, 1 mới hoặc thay đổi" in r
    assert "• Số hộ gia đình được tuyên truyền: 2.291 hộ" in r and "cao gấp 191 lần tuần trước (12)" in r

    r = can_bo.send("/duthao")
    while not any(reply.files for reply in r):
        assert "anh/chị gõ nội dung kỳ này" in r[-1].text
        r = can_bo.send("Bỏ qua phần này")
    draft = next(reply for reply in r if reply.files)
    assert "1 số liệu trong 1 mục" in draft.text
    text = _docx_text(draft.files[0])
    assert "1. Công tác tuyên truyền\n- Số hộ gia đình được tuyên truyền: 2.291 hộ, tăng 2.279 hộ" in text

    # another unit knows nothing of it
    for reply in (other.say("/tiendo"), other.send("/mau")[-1].text):
        assert "hộ gia đình" not in reply
    with db.session() as s:
        assert OWN not in unit_catalogue(s, people.unit_by_code(s, "xa-an-phu").id)
        assert OWN in unit_catalogue(s, unit_id) and OWN not in load_catalogue()
        actions = [a.action for a in s.scalars(select(AuditEvent).where(AuditEvent.unit_id == unit_id))]
        assert "indicator.add" in actions

    # it has figures now: kept
    r = admin.say("/chitieu xóa Số hộ gia đình được tuyên truyền")
    assert r.startswith("Không xóa được «Số hộ gia đình được tuyên truyền» vì đã có số liệu trong 2 báo cáo")
    assert len(_own_rows(db)) == 1


@pytest.mark.parametrize("message, answer", [
    ("/chitieu thêm Lớp học VNeID | buổi | Văn hóa", "Không có mục số liệu «Văn hóa». Các mục: 1. Công tác chỉ đạo"),
    ("/chitieu thêm Tin bài tuyên truyền | bài | Tuyên truyền", "Đã có chỉ tiêu «Tin bài tuyên truyền»."),
    ("/chitieu thêm Hộ được tuyên truyền | hộ | Tuyên truyền", "trùng với tên gọi của chỉ tiêu «Số hộ gia đình"),
    ("/chitieu thêm Lớp học VNeID | buổi | Tuyên truyền | Lớp học", "Không có chỉ tiêu cha «Lớp học»."),
    ("/chitieu thêm Lớp học VNeID | buổi", "Anh/chị gõ đủ tên, đơn vị tính và mục số liệu"),
    ("/chitieu thêm Lớp học 2 buổi | buổi | Tuyên truyền", "không được có chữ số"),
    ("/chitieu sửa Lớp học", "Chưa rõ yêu cầu."),
    ("/chitieu xóa Lớp học", "Đơn vị chưa có chỉ tiêu riêng «Lớp học»."),
])
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(units, message, answer):
    db, engine = units
    admin = ChatDriver(engine, "quan_tri")
    admin.say(ADD)
    before = _own_rows(db)
    assert answer in admin.say(message)
    assert _own_rows(db) == before


def test_only_an_admin_manages_own_indicators(units):
    db, engine = units
    for user in ("can_bo", "can_bo_ap"):
        for message in ("/chitieu", ADD):
            assert ChatDriver(engine, user).say(message) == "Anh/chị không có quyền thực hiện thao tác này trong đơn vị."
    assert _own_rows(db) == []


def test_a_part_of_another_indicator_is_checked_against_it_and_removed_while_unused(units):
    db, engine = units
    admin = ChatDriver(engine, "quan_tri")
    r = admin.say("/chitieu thêm Hồ sơ CCCD cho học sinh | hồ sơ | CCCD | Thu nhận hồ sơ cấp CCCD")
    assert "mục «Cấp CCCD và định danh điện tử», thuộc «Thu nhận hồ sơ cấp CCCD»" in r
    unit_id = _unit_id(db, "xa-hoa-binh")
    with db.session() as s:
        cat = unit_catalogue(s, unit_id)
        part = "rieng.ho_so_cccd_cho_hoc_sinh"
        assert cat.indicators[part].at_most == "cccd.thu_nhan"
        unit = people.unit_by_code(s, "xa-hoa-binh")
        period = reports.get_or_create_period(s, "tuan", *_this_week(), "tuần này")
        report = reports.get_or_create_report(s, unit.id, period)
        reports.set_figure(s, report, "cccd.thu_nhan", 20)
        reports.set_figure(s, report, part, 25)
        found = check_report(period_figures(s, report), history_of(s, report), catalogue=cat)
        assert any(part in f.indicators and "cccd.thu_nhan" in f.indicators for f in found)
        reports.delete_figure(s, report, part)
    assert "1. «Hồ sơ CCCD cho học sinh» (hồ sơ)" in admin.say("/chitieu")
    assert admin.say("/chitieu xóa hồ sơ cccd cho học sinh") == \
        "Đã xóa chỉ tiêu riêng «Hồ sơ CCCD cho học sinh» của xã Hòa Bình."
    assert _own_rows(db) == []


def _this_week():
    spec = current_period("tuan", clock.today())
    return spec.start, spec.end


def test_the_service_refuses_a_parent_in_use_and_reads_rows_once_per_session(units):
    db, _ = units
    unit_id, elsewhere = _unit_id(db, "xa-hoa-binh"), _unit_id(db, "xa-an-phu")
    with db.session() as s:
        whole = own_indicators.add(s, unit_id, name="Lớp tập huấn VNeID", measure="buổi", section="tuyên truyền")
        own_indicators.add(s, unit_id, name="Lớp tập huấn cho người cao tuổi", measure="buổi",
                           section="2", parent="Lớp tập huấn VNeID")
        assert unit_catalogue(s, unit_id) is unit_catalogue(s, unit_id)
        with pytest.raises(Conflict, match="đang là chỉ tiêu cha của «Lớp tập huấn cho người cao tuổi»"):
            own_indicators.remove(s, unit_id, "Lớp tập huấn VNeID")
        with pytest.raises(NotFound):
            own_indicators.remove(s, elsewhere, "Lớp tập huấn VNeID")
        with pytest.raises(InvalidInput, match="Đơn vị tính dài quá 30 ký tự"):
            own_indicators.add(s, unit_id, name="Buổi sinh hoạt", measure="x" * 31, section="2")
    with db.session() as s:
        assert [i.indicator.id for i in own_indicators.listing(s, unit_id)] == [
            whole.id, "rieng.lop_tap_huan_cho_nguoi_cao_tuoi"]
        assert own_indicators.remove(s, unit_id, "Lớp tập huấn cho người cao tuổi").name == \
            "Lớp tập huấn cho người cao tuổi"
        assert "rieng.lop_tap_huan_cho_nguoi_cao_tuoi" not in unit_catalogue(s, unit_id)


def test_a_change_made_elsewhere_is_seen_on_the_next_update(units):
    """The process keeps a unit's rows while its revision is unchanged: another process's change is read."""
    db, _ = units
    unit_id = _unit_id(db, "xa-hoa-binh")
    with db.session() as s:
        assert unit_catalogue(s, unit_id) is load_catalogue()
    with db.session() as s:  # as another bot process would
        indicators.add(s, unit_id, code="lop_hoc", name="Lớp học kỹ năng số", measure="lớp", section="tuyen_truyen")
    with db.session() as s:
        assert unit_catalogue(s, unit_id).indicators["rieng.lop_hoc"].unit == "lớp"
        assert s.get(Unit, unit_id).indicators_revision == 1
