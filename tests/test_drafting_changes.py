"""What changed between two draft versions: the pure comparison, and the summary sent with each new version."""
import copy

import pytest
from docx import Document
from sqlalchemy import select

from bot.demo import DEMO_UNIT
from db.models import Draft, Report
from db.repo import people, reports
from drafting.changes import Part, Snapshot, changes, snapshot, summary_lines
from drafting.inputs import DraftInput
from drafting.sections import build_body
from knowledge.catalogue import load_catalogue
from tests.test_drafting_chat import _fill_week
from tests.test_drafting_document import WEEK

pytestmark = pytest.mark.two_dates


def _snap(data: dict) -> Snapshot:
    inp = DraftInput.from_json(copy.deepcopy(data))
    return snapshot(inp, build_body(inp, load_catalogue()))


def test_changes_between_two_renderings():
    old = _snap(WEEK)
    figures = [f for f in WEEK["figures"] if f["indicator"] != "dinh_danh.ho_so"]
    figures = [{**f, "value": 61} if f["indicator"] == "cccd.thu_nhan" else f for f in figures]
    figures.append({"indicator": "lam_sach.chu_ho", "value": 3, "denominator": 5})
    new = _snap({**WEEK, "figures": figures,
                 "narrative": {"nhiem_vu": "Tiếp tục thu nhận hồ sơ CCCD.", "kien_nghi": "Đề nghị cấp máy đọc QR."}})
    lines = summary_lines(changes(old, new), load_catalogue(), 1)
    assert lines == [
        "Thay đổi so với phiên bản 1:",
        "• Số liệu mới: Điều chỉnh thông tin chủ hộ 03/05",
        "• Số liệu sửa: Thu nhận hồ sơ cấp CCCD 60 → 61",
        "• Số liệu bỏ: Thu nhận hồ sơ định danh điện tử (trước là 654)",
        "• Mục mới: III. Kiến nghị, đề xuất",
        "• Mục sửa nội dung: II. Nhiệm vụ trọng tâm tuần tới",
    ]


def test_a_part_renumbered_by_a_new_one_is_not_changed():
    old = _snap({**WEEK, "narrative": {"kien_nghi": "Đề nghị A."}})
    new = _snap({**WEEK, "narrative": {"kien_nghi": "Đề nghị A.", "chi_dao": "Ban hành kế hoạch."}})
    c = changes(old, new)
    assert [p.heading for p in c.parts_added] == ["I. Công tác chỉ đạo, triển khai"]
    assert c.parts_changed == [] and not c.figures_changed


def test_nothing_changed_and_long_lists_stay_on_one_screen():
    same = _snap(WEEK)
    assert summary_lines(changes(same, same), load_catalogue(), 3) == \
        ["Không có thay đổi về số liệu và nội dung so với phiên bản 3."]
    empty = Snapshot()
    lines = summary_lines(changes(empty, same), load_catalogue(), 1)
    assert lines[1].startswith("• Số liệu mới: ") and lines[1].endswith("; … và 10 số liệu khác")
    assert len(lines) == 3  # figures and parts, one line each


def test_snapshot_round_trips_through_json():
    snap = Snapshot({"a": (1.0, None), "b": (2.0, 3.0)}, [Part("k", "I. X", "X", "t")])
    assert Snapshot.from_dict(snap.as_dict()) == snap
    assert Snapshot.from_dict({}) is None


def test_each_new_version_says_what_changed(demo_app, officer_chat):
    db, _ = demo_app
    rid = _fill_week(db)
    chat = officer_chat("can_bo")
    chat.say("/duthao")
    for _ in range(4):
        reply = chat.send("Bỏ qua phần này")
    assert reply[-1].text.startswith("Dự thảo phiên bản 1.") and "Thay đổi so với" not in reply[-1].text
    with db.session() as s:
        report = s.get(Report, rid)
        reports.set_figure(s, report, "cccd.thu_nhan", 61, source="test")
        reports.set_figure(s, report, "cccd.cap_moi", 34, source="test")
        assert reports.delete_figure(s, report, "dinh_danh.ho_so", source="test")
    [reply] = chat.send("thêm vào kiến nghị: Đề nghị cấp thêm máy đọc mã QR.")
    assert "Dự thảo phiên bản 2." in reply.text
    assert "Thay đổi so với phiên bản 1:\n" in reply.text
    assert "• Số liệu sửa: Cấp mới CCCD 33 → 34; Thu nhận hồ sơ cấp CCCD 60 → 61" in reply.text
    assert "• Số liệu bỏ: Thu nhận hồ sơ định danh điện tử (trước là 54)" in reply.text
    assert "• Mục mới: II. Kiến nghị, đề xuất" in reply.text
    text = "\n".join(p.text for p in Document(str(reply.files[0])).paragraphs)
    assert "định danh điện tử" not in text.split("Cấp CCCD và định danh điện tử")[1]  # removed, not printed as 0
    [again] = chat.send("/duthao")
    assert "Không có thay đổi về số liệu và nội dung so với phiên bản 2." in again.text
    with db.session() as s:
        unit = people.unit_by_code(s, DEMO_UNIT)
        drafts = s.scalars(select(Draft).join(Report).where(Report.unit_id == unit.id)).all()
        assert [d.version for d in drafts] == [1, 2, 3] and all(d.content["figures"] for d in drafts)
