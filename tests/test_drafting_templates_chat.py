"""The unit's report structure as data the unit changes: storage (SQLite and PostgreSQL), /maubaocao in chat,
`baocao admin template`, and drafts and narrative questions that follow it."""
import pytest
from docx import Document
from sqlalchemy import select
from typer.testing import CliRunner

from bot.demo import DEMO_UNIT
from db.models import Report, UnitTemplate
from drafting import unit_structures
from drafting.structure import parse_outline, to_outline
from tests import test_figure_storage
from tests.test_drafting_chat import _fill_week
from tests.test_drafting_structure import COMMUNE_WEEKLY

store = test_figure_storage.store  # the unit u1 on SQLite and PostgreSQL

WEEKLY_WITH_DIRECTIONS = """\
1. Công tác tham mưu, chỉ đạo, triển khai | hỏi | số liệu: chỉ đạo
2. Kết quả thực hiện nhiệm vụ {trong kỳ} | số liệu còn lại
3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên | hỏi
4. Phương hướng, nhiệm vụ trọng tâm {kỳ tới} | hỏi"""


def test_unit_structures_are_kept_per_kind_with_a_fallback(store):
    with store.session() as s:
        assert unit_structures.current(s, 1, "tuan").source == ""  # the built-in default
        unit_structures.save(s, 1, "tuan", COMMUNE_WEEKLY, source="cli")
        unit_structures.save(s, 1, "", WEEKLY_WITH_DIRECTIONS, source="chat", officer_id=None)
    with store.session() as s:
        weekly = unit_structures.current(s, 1, "tuan")
        assert weekly.source == "cli" and weekly.kind == "tuan"
        assert [p.key for p in weekly.structure.parts][2] == "tien_do_chi_dao"
        monthly = unit_structures.current(s, 1, "thang")  # no monthly one: the unit's all-kinds structure
        assert monthly.kind == "" and len(monthly.structure.parts) == 4
        with pytest.raises(Exception, match="Không rõ mục số liệu"):
            unit_structures.save(s, 1, "tuan", "1. Kết quả | số liệu: không có", source="chat")
    with store.session() as s:  # a bad outline changed nothing
        assert unit_structures.current(s, 1, "tuan").outline == to_outline(unit_structures.structure_for(s, 1, "tuan"))
        assert unit_structures.current(s, 1, "tuan").source == "cli"
        assert unit_structures.reset(s, 1, "tuan") and not unit_structures.reset(s, 1, "tuan")
        assert s.scalar(select(UnitTemplate.period_kind)) == ""


def test_admin_changes_the_structure_in_chat_and_the_draft_asks_only_its_parts(demo_app, officer_chat):
    db, _ = demo_app
    rid = _fill_week(db)
    admin, can_bo = officer_chat("quan_tri"), officer_chat("can_bo")
    shown = admin.say("/maubaocao")
    assert "Mẫu báo cáo tuần của xã Hòa An (mẫu chung):" in shown
    assert "III. Tồn tại, hạn chế, nguyên nhân | hỏi" in shown and "Khi làm dự thảo, trợ lý sẽ hỏi:" in shown
    saved = admin.say(WEEKLY_WITH_DIRECTIONS)  # after /maubaocao the outline alone is the new structure
    assert "Đã lưu mẫu báo cáo tuần" in saved and "Tiến độ thực hiện ý kiến chỉ đạo của cấp trên" in saved

    r = can_bo.say("/duthao")
    assert "(1/3)" in r and "Công tác chỉ đạo" in r
    r = can_bo.say("Ban hành Kế hoạch số 12/KH-UBND.")
    assert "(2/3)" in r and "Tiến độ thực hiện ý kiến chỉ đạo của cấp trên" in r
    r = can_bo.say("Tiếp tục thực hiện Công văn số 761/VPCP-KSTT.")
    assert "(3/3)" in r and "Nhiệm vụ trọng tâm" in r
    [reply] = can_bo.send("Đẩy mạnh dịch vụ công trực tuyến.")
    assert reply.text.startswith("Dự thảo phiên bản 1.")
    assert "Tồn tại" not in reply.text and "Kiến nghị" not in reply.text  # not in the unit's structure: not asked
    doc = Document(str(reply.files[0]))
    heads = [p.text for p in doc.paragraphs if p.style.name == "BC Heading 1"]
    assert heads[0] == "1. Công tác tham mưu, chỉ đạo, triển khai"
    assert heads[2] == "3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên"
    assert heads[3] == "4. Phương hướng, nhiệm vụ trọng tâm tuần tới"
    with db.session() as s:
        assert s.get(Report, rid).narrative["tien_do_chi_dao"] == "Tiếp tục thực hiện Công văn số 761/VPCP-KSTT."


def test_only_admins_change_it_and_figures_are_not_taken_for_an_outline(demo_app, officer_chat):
    db, _ = demo_app
    _fill_week(db)
    can_bo = officer_chat("can_bo")
    assert "không có quyền" in can_bo.say("/maubaocao dùng tuan_xa")
    assert "Sửa mẫu" not in can_bo.say("/maubaocao")  # reporters see it, no editing hints
    admin = officer_chat("quan_tri")
    admin.say("/maubaocao")
    reply = admin.say("cấp CCCD 61")
    assert "Đã lưu mẫu" not in reply
    with db.session() as s:
        assert s.scalar(select(UnitTemplate)) is None


def test_presets_reset_and_kind_in_chat(demo_app, officer_chat):
    admin = officer_chat("quan_tri")
    listing = admin.send("/maubaocao tháng dùng")
    assert [b.payload for b in listing[0].buttons if b.payload.endswith("tuan_xa")] == ["maubaocao:use:thang:tuan_xa"]
    saved = admin.say("/maubaocao tháng dùng tuan_xa")
    assert "Đã lưu mẫu báo cáo tháng" in saved and "3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên | hỏi" in saved
    assert "(mẫu riêng của đơn vị)" in admin.say("/maubaocao tháng")
    assert "(mẫu chung)" in admin.say("/maubaocao tuần")
    assert "Đã chuyển báo cáo tháng về mẫu chung" in admin.say("/maubaocao tháng mặc định")
    bad = admin.say("/maubaocao tuần\nI. Kết quả | số liệu: vũ trụ")
    assert "Không rõ mục số liệu «vũ trụ»" in bad


def test_structure_learned_from_a_past_report_sent_as_a_file(demo_app, officer_chat, tmp_path):
    from docx import Document as NewDocument

    from bot.channels import reading
    from bot.messages import FILE, Incoming, IncomingFile

    db, engine = demo_app
    past = NewDocument()
    for line in ["BÁO CÁO", "Kết quả tuần", "1. Công tác tham mưu, chỉ đạo", "Tiếp tục chỉ đạo.",
                 "2. Kết quả thực hiện nhiệm vụ trong tuần", "Tuyên truyền cho 714 lượt.",
                 "3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên", "Đã thực hiện.",
                 "4. Phương hướng, nhiệm vụ trọng tâm tuần tới", "1. Tiếp tục tuyên truyền.", "Nơi nhận:"]:
        past.add_paragraph(line)
    path = tmp_path / "bao-cao-cu.docx"
    past.save(str(path))
    admin = officer_chat("quan_tri")
    assert "gửi tệp DOCX/PDF" in admin.say("/maubaocao học")
    f = IncomingFile(name="bao-cao-cu.docx", size=path.stat().st_size, path=path)
    reading.read_document(f)  # as the channels do, before the engine's transaction
    [proposal] = engine.handle(Incoming(channel="console", chat_id="quan_tri", user_id="quan_tri", kind=FILE,
                                        file=f))
    assert "1. Công tác tham mưu, chỉ đạo | hỏi | số liệu: Công tác chỉ đạo, triển khai" in proposal.text
    assert "2. Kết quả thực hiện nhiệm vụ {trong kỳ} | số liệu còn lại" in proposal.text
    assert "4. Phương hướng, nhiệm vụ trọng tâm {kỳ tới} | hỏi" in proposal.text
    assert "1. Tiếp tục tuyên truyền" not in proposal.text  # the officer's list, not a heading
    with db.session() as s:
        assert s.scalar(select(UnitTemplate)) is None  # nothing saved before the admin confirms
    [ok] = [b for b in proposal.buttons if b.label == "Dùng mẫu này"]
    done = engine.handle(Incoming(channel="console", chat_id="quan_tri", user_id="quan_tri", kind="button",
                                  payload=ok.payload))
    assert "Đã lưu mẫu báo cáo tuần" in done[0].text
    with db.session() as s:
        row = s.scalar(select(UnitTemplate))
        assert row.source == "learned" and row.period_kind == "tuan"


def test_admin_template_cli(demo_app, tmp_path, monkeypatch):
    from bot.cli import app

    outline = tmp_path / "mau.txt"
    outline.write_text(WEEKLY_WITH_DIRECTIONS, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["admin", "template", "set", DEMO_UNIT, str(outline), "--kind", "tuan"])
    assert res.exit_code == 0, res.output
    assert "3. Tiến độ thực hiện ý kiến chỉ đạo của cấp trên | hỏi" in res.output
    res = runner.invoke(app, ["admin", "template", "show", DEMO_UNIT, "--kind", "tuan"])
    assert res.output.strip() == to_outline(parse_outline(WEEKLY_WITH_DIRECTIONS))
    res = runner.invoke(app, ["admin", "template", "presets"])
    assert "tuan_xa\t" in res.output
    report = tmp_path / "bao-cao.txt"
    report.write_text("I. KẾT QUẢ THỰC HIỆN\nNội dung.\nII. KIẾN NGHỊ, ĐỀ XUẤT\n1. Đề nghị cấp máy.\n", encoding="utf-8")
    res = runner.invoke(app, ["admin", "template", "learn", DEMO_UNIT, str(report), "--kind", "thang", "--yes"])
    assert res.exit_code == 0 and "II. KIẾN NGHỊ, ĐỀ XUẤT | hỏi" in res.output
    res = runner.invoke(app, ["admin", "template", "reset", DEMO_UNIT, "--kind", "tuan"])
    assert "Đã về mẫu chung" in res.output
    res = runner.invoke(app, ["admin", "template", "set", DEMO_UNIT, str(report), "--kind", "tuần"])
    assert res.exit_code != 0
