"""The collection dialogue through the real engine, parser and catalogue, on the demo commune."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.engine import Engine
from bot.messages import BUTTON, Incoming
from db.models import FigureRevision, Report
from db.repo import access, channel_state, people, reports
from tests.conftest import ChatDriver

pytestmark = pytest.mark.two_dates

CCCD = "cấp CCCD 60, mới 33, đổi 11, lại 16"


def press(chat: ChatDriver, payload: str) -> str:
    """Presses a dialogue button by its payload (other flows' buttons may follow ours in the replies)."""
    inc = Incoming(channel="console", chat_id=chat.chat.user, user_id=chat.chat.user, kind=BUTTON,
                   payload=payload, text=payload)
    return "\n".join(r.text for r in chat.chat.engine.handle(inc))


def state(db, user: str = "can_bo"):
    with db.session() as s:
        st = channel_state.load_state(s, "console", user)
        return st.flow, st.step, dict(st.data or {})


def open_figures(db, user: str = "can_bo") -> dict[str, tuple]:
    """Figures of the report this officer's chat has open."""
    rid = state(db, user)[2]["report_id"]
    with db.session() as s:
        return {f.indicator: (f.value, f.denominator) for f in reports.figures_of(s, rid)}


def revision_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(FigureRevision))


def test_open_send_figures_answer_correct_and_see_progress(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    reply = chat.say("/baocao")
    assert "Báo cáo tuần" in reply and "xã Hòa An" in reply
    # the first template section with something missing is asked first, alone: a bare number answers it
    assert "Mục «Công tác tuyên truyền» còn thiếu" in reply and "Tuyên truyền cho người dân (lượt)" in reply
    assert state(db)[:2] == ("intake", "ask")

    reply = chat.say("514")
    assert "Tuyên truyền cho người dân: 514 lượt" in reply

    reply = chat.say(CCCD)
    for line in ["Thu nhận hồ sơ cấp CCCD: 60 hồ sơ", "Cấp mới CCCD: 33 hồ sơ", "Cấp đổi CCCD: 11 hồ sơ",
                 "Cấp lại CCCD: 16 hồ sơ"]:
        assert line in reply
    assert "đúng chưa" not in reply  # a reading is stated, not asked: no confirmation to spend a message on
    reply = chat.say("định danh 54")
    assert "Thu nhận hồ sơ định danh điện tử: 54 hồ sơ" in reply
    # the bot moves on by itself; a bare number answers the single indicator asked
    assert "Kích hoạt tài khoản định danh điện tử (tài khoản)" in reply
    assert "Kích hoạt tài khoản định danh điện tử: 45 tài khoản" in chat.say("45")

    reply = chat.say("sửa cấp mới thành 35")
    assert "Cấp mới CCCD: 35 hồ sơ (trước: 33 hồ sơ)" in reply
    figs = open_figures(db)
    assert figs["cccd.cap_moi"] == (35, None) and figs["tuyen_truyen.luot_nguoi"] == (514, None)
    assert figs["dinh_danh.ho_so"] == (54, None) and figs["dinh_danh.kich_hoat"] == (45, None)

    with db.session() as s:
        revs = [r for r in reports.revisions_of(s, state(db)[2]["report_id"]) if r.indicator == "cccd.cap_moi"]
    assert [(r.old_value, r.new_value) for r in revs] == [(None, 33), (33, 35)]
    assert revs[-1].source_text == "sửa cấp mới thành 35" and revs[-1].source.startswith("console:")
    assert revs[-1].officer_id is not None

    progress = chat.say("/tiendo")
    assert "Đã có 7/20 chỉ tiêu theo mẫu." in progress
    assert "Cấp mới CCCD: 35 hồ sơ" in progress and "Còn thiếu (13):" in progress
    assert "Giải quyết TTHC và dịch vụ công trực tuyến:" in progress


def test_figures_without_baocao_go_to_this_weeks_report(demo_app, officer_chat):
    db, _ = demo_app
    reply = officer_chat().say("tuyên truyền 514 lượt, định danh 54")
    assert "Đã ghi vào báo cáo tuần" in reply
    assert open_figures(db) == {"tuyen_truyen.luot_nguoi": (514, None), "dinh_danh.ho_so": (54, None)}
    assert state(db)[:2] == ("intake", "ask")  # stored, and the next missing group asked


def test_nothing_happened_stores_zero_and_skip_leaves_missing(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao")
    reply = press(chat, "intake:none")  # tuyên truyền: không phát sinh
    assert "Tuyên truyền cho người dân: 0 lượt" in reply
    assert "Mục «Cấp CCCD và định danh điện tử» còn thiếu" in reply  # and the next section is asked
    reply = press(chat, "intake:skip")
    assert "Đã bỏ qua" in reply and "Giải quyết TTHC" in reply
    figs = open_figures(db)
    assert figs == {"tuyen_truyen.luot_nguoi": (0, None)}

    # skip on to the làm giàu section: a lũy kế that did not grow keeps last week's level, not 0
    for _ in range(5):
        if "Làm giàu" in reply:
            break
        reply = press(chat, "intake:skip")
    assert "Mục «Làm giàu dữ liệu dân cư» còn thiếu" in reply
    reply = press(chat, "intake:none")
    with db.session() as s:
        report = s.get(Report, state(db)[2]["report_id"])
        last_week = reports.prior_reports(s, report.unit_id, "tuan", report.period.start, limit=1)[0]
        before = {f.indicator: f.value for f in reports.figures_of(s, last_week.id)}
    assert open_figures(db)["lam_giau.hoi_nong_dan"] == (before["lam_giau.hoi_nong_dan"], None) != (0, None)
    assert "Đã hỏi hết các mục" in reply  # every other section was skipped
    assert state(db)[0] == ""

    progress = chat.say("/tiendo")
    assert "(đã bỏ qua)" not in progress  # skipping holds for that round of questions only
    assert "Cấp CCCD và định danh điện tử: Thu nhận hồ sơ cấp CCCD" in progress


def test_pair_indicator_nothing_happened_is_zero_of_zero(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    reply = chat.say("/baocao")
    while "Làm sạch" not in reply:
        reply = press(chat, "intake:skip")
    press(chat, "intake:none")
    figs = open_figures(db)
    assert figs["lam_sach.cmnd_9_so"] == (0, 0) and figs["lam_sach.sai_lech_cccd"] == (0, 0)


def test_restart_resumes_where_the_officer_was(demo_app, officer_chat):
    db, engine = demo_app
    officer_chat().say("/baocao")  # asks for tuyên truyền
    fresh = ChatDriver(Engine(db, engine.settings), "can_bo")  # a new process, the next day
    reply = fresh.say("530")
    assert "Tuyên truyền cho người dân: 530 lượt" in reply
    assert open_figures(db)["tuyen_truyen.luot_nguoi"] == (530, None)
    assert "Cấp CCCD và định danh điện tử" in reply
    assert "tiếp tục: đã có 1/20" in fresh.say("/baocao")


def test_a_different_value_is_never_stored_over_a_figure_without_asking(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("định danh 54")
    revs = revision_count(db)
    reply = chat.say("định danh 56")
    assert "54 hồ sơ → 56 hồ sơ?" in reply and state(db)[1] == "pending"
    assert open_figures(db)["dinh_danh.ho_so"] == (54, None) and revision_count(db) == revs
    assert "(trước: 54 hồ sơ)" in chat.say("Thay")  # typed button words press the button
    assert open_figures(db)["dinh_danh.ho_so"] == (56, None)
    chat.say("định danh 58")
    assert "Đã giữ nguyên" in press(chat, "intake:keep")
    assert open_figures(db)["dinh_danh.ho_so"] == (56, None)
    # an explicit correction is the officer's word already
    assert "(trước: 56 hồ sơ)" in chat.say("sửa định danh thành 60")
    assert open_figures(db)["dinh_danh.ho_so"] == (60, None)


def test_a_guessed_name_waits_for_a_yes(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    reply = chat.say("dinh danhh 54")  # a typo: the indicator is a guess
    assert "Thu nhận hồ sơ định danh điện tử (tôi đoán" in reply and "dinh_danh.ho_so" not in open_figures(db)
    chat.say("Ghi")
    assert open_figures(db)["dinh_danh.ho_so"] == (54, None)


def test_a_figure_is_deleted_by_name_as_a_revision(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say(CCCD)
    assert "Đã xóa «Cấp mới CCCD»" in chat.say("xóa cấp mới")
    assert "cccd.cap_moi" not in open_figures(db)
    with db.session() as s:
        [rev] = [r for r in reports.revisions_of(s, state(db)[2]["report_id"])
                 if r.indicator == "cccd.cap_moi" and r.action == "delete"]
        assert rev.old_value == 33
    assert "chưa có số liệu «Cấp mới CCCD»" in chat.say("bỏ cấp mới")


def test_a_request_after_opening_a_period_never_changes_the_period(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao tháng 02/2024")
    rid = state(db)[2]["report_id"]
    reply = chat.say("văn bản yêu cầu: Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt "
                     "Đề án, tầm nhìn đến năm 2030")
    assert "Đã ghi văn bản yêu cầu" in reply and state(db)[2]["report_id"] == rid
    with db.session() as s:
        assert s.get(Report, rid).request.startswith("Quyết định số 06/QĐ-TTg")


def test_a_year_mentioned_in_passing_is_asked_about_not_filed(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao")
    rid = state(db)[2]["report_id"]
    reply = chat.say("Trong năm 2024 xã đã tổ chức nhiều hội nghị tuyên truyền, cấp 1.200 CCCD")
    assert "nhắc năm 2024" in reply and state(db)[2]["report_id"] == rid
    chat.say("Không ghi")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Report).join(Report.period)
                        .where(Report.period.has(kind="nam"))) == 0


def test_malformed_number_is_explained_and_loses_nothing(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao")
    chat.say(CCCD)
    before, revs = open_figures(db), revision_count(db)
    reply = chat.say("cấp mới 33,5")
    assert "số nguyên" in reply and "vẫn được giữ nguyên" in reply
    assert open_figures(db) == before and revision_count(db) == revs
    assert state(db)[0] == "intake"
    reply = chat.say("định danh 1.2.3")
    assert "chưa xác định được số liệu" in reply and "«định danh 1.2.3»" in reply
    assert open_figures(db) == before and revision_count(db) == revs


def test_duplicate_update_changes_nothing(demo_app):
    db, engine = demo_app
    msg = lambda: Incoming(channel="console", chat_id="can_bo", user_id="can_bo",  # noqa: E731
                           text="định danh 54", update_id="dup-1")
    assert "Đã ghi" in engine.handle(msg())[0].text
    revs = revision_count(db)
    assert engine.handle(msg()) == []
    assert revision_count(db) == revs
    with db.session() as s:
        rid = channel_state.load_state(s, "console", "can_bo").data["report_id"]
        assert [f.source for f in reports.figures_of(s, rid)] == ["console:dup-1"]


def test_another_unit_cannot_see_or_touch_this_units_report(demo_app, officer_chat):
    db, _ = demo_app
    officer_chat().say(CCCD)
    hoa_an_report = state(db)[2]["report_id"]
    with db.session() as s:
        other = access.create_unit(s, "xa-khac", "xã Bình Minh")
        code = people.create_invite(s, other, "reporter", None).code
    stranger = officer_chat("can_bo_khac")
    assert "xã Bình Minh" in stranger.say(f"/start {code}")
    # even with the other unit's report id planted in its chat state
    with db.session() as s:
        st = channel_state.load_state(s, "console", "can_bo_khac")
        st.data = {**st.data, "report_id": hoa_an_report}
    reply = stranger.say("/tiendo")
    assert "Chưa có báo cáo" in reply and "Hòa An" not in reply and "60 hồ sơ" not in reply
    stranger.say("định danh 12")
    assert state(db, "can_bo_khac")[2]["report_id"] != hoa_an_report
    assert "dinh_danh.ho_so" not in open_figures(db)  # Hòa An's report is untouched


def test_approver_sees_progress_but_does_not_enter_figures(demo_app, officer_chat):
    db, _ = demo_app
    officer_chat().say(CCCD)
    boss = officer_chat("lanh_dao")
    progress = boss.send("/tiendo")
    assert "Thu nhận hồ sơ cấp CCCD: 60 hồ sơ" in progress[0].text and "Đã có 4/20" in progress[0].text
    assert progress[0].buttons == []
    assert "không có quyền" in boss.say("định danh 54")
    assert "dinh_danh.ho_so" not in open_figures(db)


def test_approved_report_is_locked(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    assert "đã được duyệt" in chat.say("/baocao tuần trước")
    revs = revision_count(db)
    assert "đã được duyệt nên không sửa được" in chat.say("định danh 54")
    assert revision_count(db) == revs


def test_report_opened_with_plain_words_and_named_periods(demo_app, officer_chat):
    chat = officer_chat()
    assert "Báo cáo tuần" in chat.say("làm báo cáo tuần này")
    assert "Báo cáo tháng 10/" in chat.say("bao cao thang 10")
    assert "Báo cáo tháng 02/2024" in chat.say("/baocao tháng 02/2024")
    assert "chưa hiểu kỳ báo cáo" in chat.say("/baocao hôm kia nữa")


def test_question_during_intake_is_left_to_other_flows(demo_app, library, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao")
    revs = revision_count(db)
    reply = chat.say("Chỉ thị 04 yêu cầu gì về định danh điện tử?")
    assert "Đã ghi" not in reply and "Chưa xác định được" not in reply
    assert "04/CT-TTg" in reply  # answered by the Q&A flow
    assert revision_count(db) == revs
    assert state(db)[:2] == ("intake", "ask")


def test_checks_speak_at_once_and_typed_labels_still_drive_the_dialogue(demo_app, officer_chat):
    chat = officer_chat()
    reply = chat.say("cấp CCCD 60, mới 33, đổi 11, lại 15")
    assert "Cấp lại CCCD: 15 hồ sơ" in reply
    assert "59" in reply  # the checks hook: 33 + 11 + 15 is not 60
    # the finding is answered first; /baocao goes on, and typed button words drive the dialogue
    assert "Mục «Công tác tuyên truyền» còn thiếu" in chat.say("/baocao")
    assert "Tuyên truyền cho người dân: 0 lượt" in chat.say("không phát sinh")


def test_numbers_in_vietnamese_style_and_a_bare_number_without_a_question(demo_app, officer_chat):
    chat = officer_chat()
    assert "Tuyên truyền cho người dân: 1.514 lượt" in chat.say("tuyên truyền 1.514 lượt")
    assert "là của chỉ tiêu nào" in chat.say("45")  # nothing was asked: the bot does not guess


def test_a_period_named_with_the_figures_selects_that_report(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.say("/baocao")
    reply = chat.say("tháng này: cấp CCCD 200, mới 110, đổi 40, lại 50")
    assert "Đã ghi vào báo cáo tháng " in reply
    with db.session() as s:
        assert s.get(Report, state(db)[2]["report_id"]).period.kind == "thang"
    assert open_figures(db)["cccd.thu_nhan"] == (200, None)


def test_a_labelled_period_in_a_new_chat_opens_only_that_report(demo_app, officer_chat):
    db, _ = demo_app
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(Report))
    assert "Đã ghi vào báo cáo tháng 01/2024" in officer_chat().say("tháng 01/2024: cấp CCCD 60, mới 33, đổi 11, lại 16")
    with db.session() as s:  # no empty report of this week made on the way
        assert s.scalar(select(func.count()).select_from(Report)) == before + 1


def test_approver_asking_for_the_report_sees_progress(demo_app, officer_chat):
    officer_chat().say("định danh 54")
    reply = officer_chat("lanh_dao").say("/baocao")
    assert "Thu nhận hồ sơ định danh điện tử: 54 hồ sơ" in reply and "Còn thiếu" in reply


def test_a_long_section_is_asked_a_few_indicators_at_a_time(demo_app, officer_chat):
    chat = officer_chat()
    chat.say("/baocao")
    press(chat, "intake:skip")  # tuyên truyền
    first = press(chat, "intake:skip")  # CCCD and định danh -> the public services
    assert "Hồ sơ TTHC tiếp nhận mới" in first and "Đăng ký thường trú: hồ sơ tiếp nhận" in first
    assert "Đăng ký tạm trú" not in first  # a phone screen at a time, never half a service
    second = press(chat, "intake:skip")
    assert "Mục «Giải quyết TTHC và dịch vụ công trực tuyến» còn thiếu" in second
    assert "Đăng ký tạm trú: hồ sơ tiếp nhận" in second and "Đăng ký tạm trú: hồ sơ qua dịch vụ công" in second


def test_a_named_month_follows_the_units_reporting_calendar(demo_app, officer_chat):
    db, _ = demo_app
    with db.session() as s:
        people.unit_by_code(s, "demo-hoa-an").month_start_day = 16  # months run 16th to 15th
    reply = officer_chat().say("/baocao tháng 10")
    assert "Báo cáo tháng 10/" in reply and "(16/9/" in reply and " - 15/10/" in reply
