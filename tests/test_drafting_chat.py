"""Drafts and review in the console chat of the demo commune, end to end through the real engine.

The week's figures are stored with db.repo.reports.set_figure (what intake does), then everything else
happens in the chat: /duthao with the narrative questions, edits, /phienban, /trinh, /duyet, /tralai, /molai.
"""
import pytest
from docx import Document
from sqlalchemy import select

from bot.demo import DEMO_UNIT
from common import clock
from common.errors import ReportLocked
from db.models import AuditEvent, Draft, Finding, Report
from db.repo import channel_state, people, reports
from figures.periods import current_period, previous_period

pytestmark = pytest.mark.two_dates

WEEK_FIGURES = [("cccd.thu_nhan", 60, None), ("cccd.cap_moi", 33, None), ("cccd.cap_doi", 11, None),
                ("cccd.cap_lai", 16, None), ("dinh_danh.ho_so", 54, None), ("lam_sach.cmnd_9_so", 4, 4),
                ("tuyen_truyen.luot_nguoi", 500, None), ("dvc.thuong_tru.tiep_nhan", 12, None),
                ("dvc.thuong_tru.truc_tuyen", 11, None)]


def _fill_week(db, figures=WEEK_FIGURES) -> int:
    """Store this week's figures and point the reporter's chat at the report, as /baocao does."""
    spec = current_period("tuan", clock.today())
    with db.session() as s:
        unit = people.unit_by_code(s, DEMO_UNIT)
        period = reports.get_or_create_period(s, spec.kind, spec.start, spec.end, spec.label)
        report = reports.get_or_create_report(s, unit.id, period)
        report.request = ("Công văn số 123/UBND-CA ngày 02/01/2026 của UBND huyện Minh Giang về việc báo cáo "
                          "định kỳ kết quả thực hiện Đề án 06")
        for ind, v, d in figures:
            reports.set_figure(s, report, ind, v, denominator=d, source="test")
        last_week = previous_period(spec)
        prior = s.scalar(select(Report).join(Report.period).where(
            Report.unit_id == unit.id, Report.period.has(start=last_week.start, kind="tuan")))
        prior.narrative = {"ton_tai": "Một số hộ dân chưa có điện thoại thông minh."}
        state = channel_state.load_state(s, "console", "can_bo")
        state.data = {"unit_id": unit.id, "report_id": report.id}
        return report.id


def _answer_narrative(chat):
    """/duthao asks the four narrative parts; answer, reuse last week's text, skip, answer."""
    r = chat.say("/duthao")
    assert "Công tác chỉ đạo" in r and "(1/4)" in r
    r = chat.say("Ban hành Kế hoạch số 12/KH-UBND về cao điểm cấp CCCD cho học sinh.")
    assert "Tồn tại" in r and "Một số hộ dân chưa có điện thoại thông minh." in r  # last period offered
    r = chat.say("Dùng lại nội dung kỳ trước")
    assert "Nhiệm vụ trọng tâm" in r
    r = chat.say("Bỏ qua phần này")
    assert "Kiến nghị" in r
    return chat.send("Đề nghị cấp thêm máy đọc mã QR.")


def _doc_text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_draft_edit_submit_approve_end_to_end(demo_app, officer_chat):
    db, _ = demo_app
    rid = _fill_week(db)
    with db.session() as s:
        s.add(Finding(report_id=rid, fingerprint="test-kept", rule="history.outlier", severity="warning",
                      indicators=["dinh_danh.ho_so"], message="cao bất thường", status="kept",
                      resolution_note="do tổ chức thu nhận lưu động tại trường học"))
    can_bo, lanh_dao = officer_chat("can_bo"), officer_chat("lanh_dao")

    [reply] = _answer_narrative(can_bo)
    assert reply.text.startswith("Dự thảo phiên bản 1.")
    assert len(reply.text.splitlines()[:3]) == 3 and "9 số liệu" in reply.text
    assert [p.suffix for p in reply.files] == [".docx"] and [p.suffix for p in reply.photos] == [".png"]
    text = _doc_text(reply.files[0])
    assert "Ban hành Kế hoạch số 12/KH-UBND" in text and "Một số hộ dân chưa có điện thoại thông minh." in text
    assert "Thu nhận 60 hồ sơ cấp CCCD (cấp mới 33, cấp đổi 11, cấp lại 16)" in text
    assert "do tổ chức thu nhận lưu động tại trường học" in text  # the kept reason, where it belongs
    assert "NHIỆM VỤ TRỌNG TÂM" not in text  # skipped part left out

    # edits: each one is a new version
    r = can_bo.send("sửa mục 1: Ban hành Kế hoạch số 15/KH-UBND về tổng kiểm tra cư trú.")
    assert "phiên bản 2" in r[-1].text
    text = _doc_text(r[-1].files[0])
    assert "15/KH-UBND" in text and "12/KH-UBND" not in text
    r = can_bo.send("thêm vào kiến nghị: Đề nghị hỗ trợ kinh phí in tờ rơi.")
    text = _doc_text(r[-1].files[0])
    assert "Đề nghị cấp thêm máy đọc mã QR." in text and "Đề nghị hỗ trợ kinh phí in tờ rơi." in text
    r = can_bo.send("bỏ phụ lục")
    assert "PHỤ LỤC" not in _doc_text(r[-1].files[0])
    listing = can_bo.say("/phienban")
    assert all(f"v{n}" in listing for n in range(1, 5)) and "bỏ phụ lục" in listing and "sửa mục I" in listing
    [again] = can_bo.send("/phienban 2")
    assert again.files[0].name.endswith("-v2.docx") and again.photos

    # submit: the approver gets the draft in their own chat
    replies = can_bo.send("/trinh")
    to_leader = [r for r in replies if r.to_chat == "lanh_dao"]
    assert len(to_leader) == 1 and to_leader[0].files and "/duyet" in to_leader[0].text
    assert "Trần Văn Hùng" in replies[-1].text
    assert "đang chờ" in can_bo.say("sửa mục 1: đổi ý")  # no edits while waiting for approval

    # approve as the leader: figures locked, audited, the submitter told
    replies = lanh_dao.send("/duyet")
    assert "Đã duyệt" in replies[0].text
    assert any(r.to_chat == "can_bo" and "đã duyệt" in r.text for r in replies)
    with db.session() as s:
        report = s.get(Report, rid)
        assert report.status == "approved" and report.approved_by is not None
        assert report.narrative["kien_nghi"].count("Đề nghị") == 2 and report.options["appendix"] is False
        assert [d.version for d in s.scalars(select(Draft).where(Draft.report_id == rid))] == [1, 2, 3, 4, 5]
        actions = [a.action for a in s.scalars(select(AuditEvent).where(AuditEvent.report_id == rid))]
        assert actions == ["report.submit", "report.approve"]
        with pytest.raises(ReportLocked):
            reports.set_figure(s, report, "cccd.thu_nhan", 61)

    # reopening is explicit and audited
    assert "lý do" in lanh_dao.say("/molai")
    assert "Đã mở lại" in lanh_dao.say("/molai cần bổ sung số liệu định danh")
    with db.session() as s:
        assert s.get(Report, rid).status == "returned"
        reopen = s.scalar(select(AuditEvent).where(AuditEvent.action == "report.reopen"))
        assert reopen.detail == "cần bổ sung số liệu định danh"


def test_return_with_a_comment_by_button(demo_app, officer_chat):
    db, _ = demo_app
    rid = _fill_week(db)
    can_bo, lanh_dao = officer_chat("can_bo"), officer_chat("lanh_dao")
    _answer_narrative(can_bo)
    can_bo.send("/trinh")
    lanh_dao.send("/duyet")  # not pressed yet: the buttons come with the notification in Telegram
    with db.session() as s:
        s.get(Report, rid).status = "submitted"  # undo: this test is about returning
    assert "lý do" in lanh_dao.say("/tralai")
    replies = lanh_dao.send("Số liệu định danh thấp, đề nghị kiểm tra lại.")
    assert any(r.to_chat == "can_bo" and "Số liệu định danh thấp" in r.text for r in replies)
    with db.session() as s:
        assert s.get(Report, rid).status == "returned"
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "report.return"))
        assert ev.detail == "Số liệu định danh thấp, đề nghị kiểm tra lại."
    assert "Đã trình" in can_bo.send("/trinh")[-1].text  # returned reports can be submitted again


def test_open_check_errors_block_submission(demo_app, officer_chat):
    db, _ = demo_app
    figures = [f if f[0] != "cccd.thu_nhan" else ("cccd.thu_nhan", 59, None) for f in WEEK_FIGURES]  # 33+11+16=60
    rid = _fill_week(db, figures)
    reply = officer_chat("can_bo").say("/trinh")
    assert "Chưa trình được" in reply and "/kiemtra" in reply
    with db.session() as s:
        assert s.get(Report, rid).status == "draft"
        assert s.scalar(select(AuditEvent).where(AuditEvent.report_id == rid)) is None


def test_roles_are_enforced(demo_app, officer_chat):
    db, _ = demo_app
    _fill_week(db)
    assert "không có quyền" in officer_chat("can_bo").say("/duyet")
    assert "Không có báo cáo nào đang chờ duyệt" in officer_chat("lanh_dao").say("/duyet")


def test_wrong_citation_in_narrative_is_refused(demo_app, officer_chat):
    db, _ = demo_app
    _fill_week(db)
    chat = officer_chat("can_bo")
    chat.say("/duthao")
    reply = chat.say("Thực hiện Quyết định số 06/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ.")
    assert "06/01/2022" in reply and "(1/4)" not in reply
    assert "Tồn tại" in chat.say("Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ.")


def test_draft_needs_figures(demo_app, officer_chat):
    db, _ = demo_app
    _fill_week(db, [])
    assert "chưa có số liệu" in officer_chat("can_bo").say("làm dự thảo")


def test_typed_skip_words_are_not_stored_as_report_text(demo_app, officer_chat):
    """Where buttons are not tappable the officer types their words; they must not end up in the draft."""
    db, engine = demo_app
    rid = _fill_week(db)
    chat = officer_chat()
    chat.say("/duthao")
    fresh = officer_chat()  # a new console process remembers no buttons, so this arrives as plain text
    assert "(2/4)" in fresh.say("Bỏ qua phần này")
    with db.session() as s:
        assert s.get(Report, rid).narrative.get("chi_dao") == ""


def test_officer_sets_the_request_the_report_answers(demo_app, officer_chat):
    db, _ = demo_app
    rid = _fill_week(db)
    with db.session() as s:
        s.get(Report, rid).request = ""
    chat = officer_chat()
    reply = chat.say("Văn bản yêu cầu: Thực hiện Công văn số 877/TCT-CAT ngày 02/6/2023 của Tổ công tác Đề án 06 tỉnh "
                     "về việc báo cáo định kỳ")
    assert "Câu mở đầu của dự thảo: «Thực hiện Công văn số 877/TCT-CAT" in reply
    with db.session() as s:
        assert s.get(Report, rid).request.startswith("Công văn số 877/TCT-CAT ngày 02/6/2023")
