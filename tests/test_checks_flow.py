"""Resolving findings in the conversation, through the real engine and the demo unit (8 weeks of history).

Figures are stored by a test-only command standing in for the intake flow: it writes them with
reports.set_figure and calls checks.after_figures_changed, exactly as the intake does.
"""
import pytest
from sqlalchemy import select

from bot.current_report import open_report
from bot.engine import router
from bot.flows import checks
from bot.messages import BUTTON, Incoming
from common import clock
from db.models import ConversationState, Figure, FigureRevision, Finding, Report
from db.repo import reports
from figures.periods import current_period
from reporting import findings

pytestmark = pytest.mark.two_dates


def _week():
    """This week: the one after the demo's history."""
    return current_period("tuan", clock.today())


def _store_figures(ctx):
    """/thuso ind=value[/denominator][@rate]; ... — store figures in this week's report, then re-check."""
    report = open_report(ctx, ctx.require_role("reporter"), _week())
    for item in filter(None, (p.strip() for p in ctx.text.partition(" ")[2].split(";"))):
        ind, _, rest = item.partition("=")
        rest, _, rate = rest.partition("@")
        value, _, den = rest.partition("/")
        reports.set_figure(ctx.s, report, ind.strip(), float(value), denominator=float(den) if den else None,
                           stated_rate=float(rate) if rate else None, officer_id=ctx.officer.id)
    checks.after_figures_changed(ctx, report)


@pytest.fixture
def chat(officer_chat, monkeypatch):
    monkeypatch.setitem(router.commands, "thuso", _store_figures)
    return officer_chat()


def _labels(replies):
    return [b.label for r in replies for b in r.buttons]


def _report(s):
    return s.scalar(select(Report).join(Report.period).where(Report.period.has(start=_week().start, kind="tuan")))


def _findings(db):
    with db.session() as s:
        return [(f.rule, f.status, f.resolution_note) for f in
                s.scalars(select(Finding).where(Finding.report_id == _report(s).id).order_by(Finding.id))]


def test_a_consistent_week_has_nothing_to_check(demo_app, chat):
    db, _ = demo_app
    with db.session() as s:
        last = reports.prior_reports(s, 1, "tuan", _week().start, 1)[0]
        figs = [(f.indicator, f.value, f.denominator) for f in reports.figures_of(s, last.id)]
    assert chat.say("/thuso " + "; ".join(f"{i}={v:g}" + (f"/{d:g}" if d is not None else "") for i, v, d in figs)) == ""
    assert "không có điểm nào cần kiểm tra lại" in chat.say("/kiemtra")


def test_a_slip_is_reported_at_once_and_fixed_with_a_revision(demo_app, chat):
    db, _ = demo_app
    replies = chat.send("/thuso cccd.thu_nhan=60; cccd.cap_moi=33; cccd.cap_doi=11; cccd.cap_lai=15")
    assert "33 + 11 + 15 = 59, không phải 60" in replies[-1].text
    assert _labels(replies) == ["Sửa", "Giữ nguyên và ghi lý do"]  # an error cannot just be confirmed
    replies = chat.send("Sửa")
    assert "Cấp lại CCCD (15)" in _labels(replies)
    assert "Cấp lại CCCD" in chat.say("Cấp lại CCCD (15)")
    assert "Vui lòng nhập một số" in chat.say("mười sáu")
    assert "Đã sửa Cấp lại CCCD: 16" in chat.say("16")
    assert _findings(db) == [("sum.mismatch", "fixed", "")]
    with db.session() as s:
        fig = s.scalar(select(Figure).where(Figure.indicator == "cccd.cap_lai", Figure.report_id == _report(s).id))
        assert fig.value == 16
        rev = s.scalars(select(FigureRevision).where(FigureRevision.indicator == "cccd.cap_lai")
                        .order_by(FigureRevision.id.desc())).first()
        assert (rev.old_value, rev.new_value, rev.officer_id) == (15, 16, fig.updated_by)
        assert findings.open_errors(s, _report(s)) == []


def test_figures_typed_in_the_intake_dialogue_are_checked_at_once(demo_app, officer_chat):
    db, _ = demo_app
    chat = officer_chat()
    chat.send("/baocao")
    replies = chat.send("cấp CCCD 60, mới 33, đổi 11, lại 15")
    assert "33 + 11 + 15 = 59, không phải 60" in replies[-1].text
    chat.send("Sửa")
    chat.send("Cấp lại CCCD (15)")
    assert "Đã sửa Cấp lại CCCD: 16" in chat.say("16")
    with db.session() as s:
        assert [(f.rule, f.status) for f in s.scalars(select(Finding))] == [("sum.mismatch", "fixed")]
        state = s.scalar(select(ConversationState).where(ConversationState.chat_id == "can_bo"))
        assert state.flow == "intake"  # the dialogue that was interrupted goes on


def test_a_kept_value_stores_the_reason_and_is_not_raised_again(demo_app, chat):
    db, _ = demo_app
    replies = chat.send("/thuso tuyen_truyen.luot_nguoi=6200")
    assert "cao gấp" in replies[-1].text and "tuần trước" in replies[-1].text
    assert _labels(replies) == ["Sửa", "Giữ nguyên và ghi lý do", "Xác nhận"]
    assert "lý do" in chat.say("Giữ nguyên và ghi lý do")
    reason = "tăng do tổ chức tuyên truyền lưu động tại chợ phiên"
    assert "Đã ghi lý do" in chat.say(reason)
    assert _findings(db) == [("outlier.high", "kept", reason)]
    with db.session() as s:
        assert [f.resolution_note for f in findings.kept_findings(s, _report(s))] == [reason]
    assert chat.say("/thuso tuyen_truyen.luot_nguoi=6200") == ""  # same number: already explained
    assert "cao gấp" not in chat.say("/kiemtra")
    assert "cao gấp" in chat.say("/thuso tuyen_truyen.luot_nguoi=9000")  # a new number is checked again


def test_a_warning_can_be_confirmed(demo_app, chat):
    db, _ = demo_app
    chat.send("/thuso tuyen_truyen.luot_nguoi=6200")
    assert "Đã xác nhận" in chat.say("Xác nhận")
    assert _findings(db) == [("outlier.high", "confirmed", "")]


def test_open_errors_block_and_cannot_be_confirmed(demo_app, chat):
    db, engine = demo_app
    chat.send("/thuso lam_sach.cmnd_9_so=8/4")
    with db.session() as s:
        [err] = findings.open_errors(s, _report(s))
        assert err.rule == "pair.exceeds_denominator"
        err_id = err.id
    [r] = engine.handle(Incoming(channel="console", chat_id="can_bo", user_id="can_bo", kind=BUTTON,
                                 payload=f"check:ok:{err_id}", text="Xác nhận"))
    assert "cần sửa" in r.text
    chat.send("Giữ nguyên và ghi lý do")
    chat.send("danh sách được bổ sung sau ngày chốt")
    with db.session() as s:
        assert findings.open_errors(s, _report(s)) == []


def test_a_wrong_rate_is_corrected(demo_app, chat):
    db, _ = demo_app
    replies = chat.send("/thuso dvc.bien_dong_dat_dai.tiep_nhan=366; dvc.bien_dong_dat_dai.truc_tuyen=251@58.7")
    assert "251/366 = 68,6%, không phải 58,7%" in replies[-1].text
    chat.send("Sửa")
    chat.send("Tỷ lệ (58,7%)")
    assert "68,6%" in chat.say("68,6")
    with db.session() as s:
        fig = s.scalar(select(Figure).where(Figure.indicator == "dvc.bien_dong_dat_dai.truc_tuyen"))
        assert (fig.value, fig.stated_rate) == (251, 68.6)
    assert _findings(db) == [("rate.mismatch", "fixed", "")]


def test_kiemtra_groups_absent_figures_and_they_can_be_confirmed_at_once(demo_app, chat):
    db, _ = demo_app
    chat.send("/thuso cccd.thu_nhan=60; cccd.cap_moi=33; cccd.cap_doi=11; cccd.cap_lai=16")
    text = chat.say("/kiemtra")
    assert "chỉ tiêu chưa có số liệu" in text and "Thu nhận hồ sơ định danh điện tử" in text
    chat.send("/thuso dinh_danh.ho_so=50")  # given after /kiemtra: no longer absent
    with db.session() as s:
        assert "dinh_danh.ho_so" not in {i for f in findings.open_findings(s, _report(s)) for i in f.indicators}
    assert "Đã xác nhận" in chat.say("Xác nhận kỳ này không có")
    assert {status for rule, status, _ in _findings(db)} == {"confirmed", "fixed"}
    assert "không có điểm nào" in chat.say("/kiemtra")


def test_a_stale_or_foreign_button_changes_nothing(demo_app, chat):
    db, engine = demo_app
    chat.send("/thuso tuyen_truyen.luot_nguoi=6200")
    [r] = engine.handle(Incoming(channel="console", chat_id="can_bo", user_id="can_bo", kind=BUTTON,
                                 payload="check:keep:99999", text="Giữ nguyên và ghi lý do"))
    assert "Không tìm thấy" in r.text
    assert _findings(db) == [("outlier.high", "open", "")]


def test_an_approver_cannot_resolve(demo_app, chat, officer_chat):
    chat.send("/thuso tuyen_truyen.luot_nguoi=6200")
    db, engine = demo_app
    with db.session() as s:
        fid = s.scalar(select(Finding.id))
    [r] = engine.handle(Incoming(channel="console", chat_id="lanh_dao", user_id="lanh_dao", kind=BUTTON,
                                 payload=f"check:ok:{fid}", text="Xác nhận"))
    assert "không có quyền" in r.text
    assert _findings(db) == [("outlier.high", "open", "")]


def test_typing_the_start_of_a_choice_picks_it(officer_chat):
    chat = officer_chat()
    chat.say("cấp CCCD 60, mới 33, đổi 11, lại 15")
    assert "Anh/chị muốn sửa số nào?" in chat.say("Sửa")
    assert "Cấp lại CCCD" in chat.say("Cấp lại CCCD")  # the label is "Cấp lại CCCD (15)"
    assert "Đã sửa Cấp lại CCCD: 16" in chat.say("16")
