"""`baocao` — the command line. Each command parses its arguments, calls one library function, prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

from common import clock
from common.errors import OfficerError
from common.settings import get_settings

app = typer.Typer(help="Trợ lý báo cáo Đề án 06 / Đề án 06 reporting assistant.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_show_locals=False)  # locals may hold secrets, cut short
db_app = typer.Typer(help="Cơ sở dữ liệu / database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
admin_app = typer.Typer(help="Quản trị đơn vị và quyền truy cập / units, invites, members.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


@app.command()
def run() -> None:
    """Chạy bot: Telegram/Zalo khi có token, nếu không thì chat trên console. / Run the configured channels."""
    from bot.app import build, is_empty
    from bot.demo import seed_demo

    settings = get_settings()
    db, engine = build(settings)
    if is_empty(db):
        with db.session() as s:
            seed_demo(s, clock.today(settings.timezone))
        typer.echo("Đã tạo đơn vị demo (xã Hòa An) với số liệu các kỳ trước.", err=True)

    def start_library() -> None:
        """Index what changed and warm the model up; import what drafts need; in the background."""
        import threading

        from drafting.render import preload
        from retrieval.library import get_library

        get_library(settings).start()
        threading.Thread(target=preload, name="preload-drafting", daemon=True).start()

    if settings.telegram_bot_token or settings.zalo_bot_token:
        from bot.channels.serve import serve_channels
        start_library()
        serve_channels(settings, db, engine)
        return
    _console(engine, "can_bo", json_mode=False, after_first_reply=start_library)  # the first reply waits for none of it


def _console(engine, user: str, json_mode: bool, after_first_reply=None) -> None:
    from bot.channels.console import ConsoleChat

    chat = ConsoleChat(engine, user, json_mode=json_mode)
    if sys.stdin.isatty() and not json_mode:
        chat.run_interactive(after_first_reply)
    else:
        chat.run_lines(sys.stdin, after_first_reply)


@app.command()
def chat(user: str = typer.Option("can_bo", "--user", help="Cán bộ giả lập / simulated officer"),
         json_mode: bool = typer.Option(False, "--json",
                                        help="Mỗi trả lời một dòng JSON / one JSON per reply")) -> None:
    """Chat trên console (cùng bộ máy hội thoại với Telegram, Zalo). / Console chat."""
    from bot.app import build

    _, engine = build(get_settings())
    _console(engine, user, json_mode)


@app.command()
def demo() -> None:
    """Tạo xã demo, tỉnh demo và lịch sử số liệu (chạy lại không trùng). / Seed the demo commune and province."""
    from bot.app import build
    from bot.demo import seed_demo

    settings = get_settings()
    db, _ = build(settings)
    with db.session() as s:
        unit = seed_demo(s, clock.today(settings.timezone))
        typer.echo(f"Đơn vị demo: {unit.name} (mã {unit.code}), thuộc tỉnh demo (mã demo-tinh, 30 xã).")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Nâng cấp CSDL lên phiên bản mới nhất. / Apply migrations."""
    _db_ready(get_settings())
    typer.echo("CSDL đã ở phiên bản mới nhất.")


@app.command()
def parse(text: str | None = typer.Argument(None, help="Tin nhắn / message"),
          json_out: bool = typer.Option(False, "--json"),
          jsonl: str | None = typer.Option(None, "--jsonl", help="'-' = đọc từng dòng từ stdin"),
          report: Path | None = typer.Option(None, "--report", help="Cả báo cáo (TXT/DOCX) / a whole report")) -> None:
    """Tách số liệu từ câu tiếng Việt. / Extract figures from Vietnamese text."""
    from figures.parse import parse_message

    if report is not None:
        return _parse_report(report, json_out)
    if jsonl is not None:
        if jsonl != "-":
            _fail("--jsonl chỉ nhận '-' (đọc từ stdin). / --jsonl takes '-' (stdin).")
        for line in sys.stdin:
            typer.echo(json.dumps(parse_message(line.rstrip("\n")).as_json(), ensure_ascii=False))
        return
    if text is None:
        _fail("Cần nội dung tin nhắn. / A message is required.")
    result = parse_message(text)
    if json_out:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
        return
    from common.vnnum import fmt_num

    for f in result.figures:
        pair = f"/{fmt_num(f.denominator)}" if f.denominator is not None else ""
        rate = f" ({fmt_num(f.rate)}%)" if f.rate is not None else ""
        typer.echo(f"{f.indicator}: {fmt_num(f.value)}{pair}{rate}")
    if result.period:
        typer.echo(f"kỳ: {result.period.label}")
    for u in result.unmatched:
        typer.echo(f"chưa xếp được: {u}")


def _parse_report(path: Path, json_out: bool) -> None:
    from common.docx_text import docx_text
    from figures.report_reader import read_report, summary_text

    try:
        text = docx_text(path) if path.suffix.lower() == ".docx" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        _fail(f"Không đọc được tệp {path}. / Cannot read the file.")
    except OfficerError as e:
        _fail(e.message_vi)
    reading = read_report(text)
    typer.echo(json.dumps(reading.as_json(), ensure_ascii=False) if json_out else summary_text(reading))


@app.command()
def check(json_out: bool = typer.Option(False, "--json")) -> None:
    """Kiểm tra số liệu (JSON từ stdin). / Check figures read as JSON from stdin.

    Input: {"period": {"kind","start","end"}, "figures": [...], "history"?: [{"period"?, "figures"}],
    "weeks"?: [...], "profile"?: {...}}; output with --json: {"findings": [{"rule","severity","indicators",
    "message","suggestion"?}]}.
    """
    from figures.checks import check_report, parse_check_request

    try:
        current, history, weeks, profile = parse_check_request(json.loads(sys.stdin.read()))
    except json.JSONDecodeError as e:
        _fail(f"Dữ liệu vào không phải JSON hợp lệ (dòng {e.lineno}, cột {e.colno}): {e.msg}. / Malformed JSON.")
    except KeyError as e:
        _fail(f"Dữ liệu vào thiếu trường {e}. / Missing field {e}.")
    except (ValueError, TypeError) as e:
        _fail(f"Dữ liệu vào không đúng cấu trúc: {e}. / Invalid input.")
    findings = check_report(current, history, weeks=weeks, profile=profile)
    if json_out:
        typer.echo(json.dumps({"findings": [f.as_dict() for f in findings]}, ensure_ascii=False))
        return
    for f in findings:
        typer.echo(f"[{'LỖI' if f.severity == 'error' else 'LƯU Ý'}] {f.message}")
    if not findings:
        typer.echo("Không phát hiện điểm bất thường.")


@app.command()
def ask(question: str = typer.Argument(..., help="Câu hỏi / question"),
        json_out: bool = typer.Option(False, "--json")) -> None:
    """Hỏi văn bản chỉ đạo nào quy định. / Ask which directive governs a task."""
    from retrieval.library import get_library

    settings = get_settings()
    _db_ready(settings)
    lib = get_library(settings)
    lib.ensure_indexed()
    answer = lib.ask(question)
    typer.echo(json.dumps(answer.as_dict(), ensure_ascii=False) if json_out else answer.answer)


@app.command()
def draft(input_path: Path | None = typer.Option(None, "--input", help="REPORT.json"),
          out: Path = typer.Option(..., "--out", help="Tệp DOCX / output DOCX"),
          unit: str | None = typer.Option(None, "--unit", help="Mã đơn vị (từ CSDL) / unit code"),
          period: str | None = typer.Option(None, "--period", help="Kỳ, ví dụ 'tháng 10/2026' / period label"),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """Tạo dự thảo báo cáo DOCX từ REPORT.json hoặc từ CSDL. / Render a report draft."""
    from drafting.inputs import DraftInput
    from drafting.render import render

    if input_path is not None:
        try:
            inp = DraftInput.from_json(json.loads(input_path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as e:
            _fail(f"REPORT.json không hợp lệ / invalid REPORT.json: {e}")
        result = render(inp, out)
    elif unit and period:
        from db.session import Database
        from drafting.from_db import draft_input, report_by_label
        from figures.unit_catalogue import unit_catalogue

        settings = get_settings()
        _db_ready(settings)
        with Database(settings.db_url).session() as s:
            report = report_by_label(s, unit, period)
            if report is None:
                _fail(f"Không tìm thấy báo cáo {period!r} của đơn vị {unit!r}. / Report not found.")
            result = render(draft_input(s, report, clock.today(settings.timezone)), out,
                            cat=unit_catalogue(s, report.unit_id))
    else:
        _fail("Cần --input REPORT.json, hoặc --unit MÃ --period KỲ. / Give --input, or --unit and --period.")
    if json_out:
        typer.echo(json.dumps({"path": str(result.path), "warnings": result.warnings}, ensure_ascii=False))
    else:
        typer.echo(str(result.path))
        for w in result.warnings:
            typer.echo(f"! {w}", err=True)


@app.command()
def export(unit: str = typer.Option(..., "--unit", help="Mã đơn vị / unit code"),
           period: str = typer.Option(..., "--period", help="Kỳ, ví dụ 'tháng 10/2026', 'tuần 16/11 - 22/11/2026'"),
           fmt: str = typer.Option("xlsx", "--format", help="xlsx | csv"),
           out: Path = typer.Option(..., "--out", help="Tệp kết quả / output file")) -> None:
    """Xuất bảng số liệu một kỳ (tỉnh: từng xã và dòng Tổng). / Export a period's figures table."""
    from bot.app import build
    from db.repo import people
    from province.deadlines import period_from_text
    from province.export import table_for, write_csv, write_xlsx

    if fmt not in ("xlsx", "csv"):
        _fail("--format phải là xlsx hoặc csv. / --format must be xlsx or csv.")
    settings = get_settings()
    db, _ = build(settings)
    with db.session() as s:
        u = people.unit_by_code(s, unit)
        if u is None:
            _fail(f"Không có đơn vị mã {unit!r}. / Unknown unit.")
        spec = period_from_text(period, u, clock.today(settings.timezone))
        if spec is None:
            _fail(f"Không hiểu kỳ {period!r}. / Unknown period.")
        table = table_for(s, u, spec, clock.now(), settings.timezone)
    (write_csv if fmt == "csv" else write_xlsx)(table, out)
    typer.echo(f"{out} ({len(table.rows)} dòng, {spec.label})")


index_app = typer.Typer(help="Lập chỉ mục thư viện văn bản. / Index the directive library.")
app.add_typer(index_app, name="index")


def _db_ready(settings) -> None:
    from db import migrate

    settings.ensure_dirs()
    migrate.upgrade(settings.db_url)


def _index_progress():
    """A progress bar on stderr, opened on the first batch (nothing printed when nothing is new)."""
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = typer.progressbar(length=total, label="Đang lập chỉ mục", file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(done - state.get("done", 0))
        state["done"] = done
        if done >= total:
            state["bar"].__exit__(None, None, None)

    return update


@index_app.callback(invoke_without_command=True)
def index(ctx: typer.Context, rebuild: bool = typer.Option(False, "--rebuild", help="Xóa và lập lại chỉ mục")) -> None:
    """Cập nhật chỉ mục (chỉ phần đã thay đổi). / Index what changed (incremental by content hash)."""
    if ctx.invoked_subcommand is not None:
        return
    from retrieval.library import get_library

    settings = get_settings()
    settings.ensure_dirs()
    _db_ready(settings)
    r = get_library(settings).sync(rebuild=rebuild, progress=_index_progress(), repair=True)
    typer.echo(f"Chỉ mục: {r.added} đoạn mới, {r.removed} đoạn xóa, {r.kept} đoạn giữ nguyên; "
               f"{r.embedded} đoạn phải tính vector; {r.seconds:.1f} giây.")


@index_app.command("add")
def index_add(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="DOCX, PDF hoặc TXT"),
              so_hieu: str | None = typer.Option(None, "--so-hieu", help="Số/ký hiệu, ví dụ 04/CT-TTg"),
              doc_type: str | None = typer.Option(None, "--type", help="chi_thi, quyet_dinh, cong_van, ..."),
              issued: str | None = typer.Option(None, "--date", help="Ngày ban hành dd/mm/yyyy"),
              issuer: str | None = typer.Option(None, "--issuer", help="Cơ quan ban hành"),
              title: str | None = typer.Option(None, "--title", help="Trích yếu"),
              report_of: str | None = typer.Option(None, "--report-of", help="Mã đơn vị: tệp là báo cáo cũ"),
              yes: bool = typer.Option(False, "--yes", "-y", help="Không hỏi xác nhận")) -> None:
    """Thêm toàn văn chính thức hoặc báo cáo cũ vào thư viện. / Add an official full text or a past report."""
    from sqlalchemy import select

    from db.models import Unit
    from knowledge.directives import DOC_TYPE_NAMES
    from retrieval.documents import parse_date
    from retrieval.library import get_library

    settings = get_settings()
    settings.ensure_dirs()
    _db_ready(settings)
    lib = get_library(settings)
    _, meta = lib.read_upload(file)
    meta.so_hieu = so_hieu or meta.so_hieu
    meta.doc_type = doc_type or meta.doc_type
    meta.issued_on = parse_date(issued) if issued else meta.issued_on
    meta.issuer, meta.title = issuer or meta.issuer, title or meta.title or file.stem
    if meta.doc_type not in DOC_TYPE_NAMES:
        _fail(f"Loại văn bản không hợp lệ: {meta.doc_type} (chọn một trong {', '.join(DOC_TYPE_NAMES)}).")
    unit_id = None
    if report_of:
        with lib.db.session() as s:
            unit_id = s.scalar(select(Unit.id).where(Unit.code == report_of))
        if unit_id is None:
            _fail(f"Không có đơn vị mã {report_of}.")
    typer.echo(json.dumps(meta.as_dict(), ensure_ascii=False, indent=1))
    if not yes and not typer.confirm("Thông tin trên đúng chưa? Thêm vào thư viện?", default=True):
        _fail("Đã hủy; chưa thêm gì.", code=1)
    row = lib.add_file(file, meta, provenance="bao_cao" if report_of else "toan_van", unit_id=unit_id,
                       sync=False)
    r = lib.sync(progress=_index_progress())
    typer.echo(f"Đã thêm {row.so_hieu or row.title} ({r.added} đoạn mới vào chỉ mục).")


@app.command("cite-check")
def cite_check(target: str = typer.Argument(..., help="Tệp hoặc đoạn văn / file or text"),
               json_out: bool = typer.Option(False, "--json")) -> None:
    """Kiểm tra trích dẫn văn bản. / Check document citations."""
    from retrieval.citecheck import check_citations
    from retrieval.ingest import read_text

    path = Path(target)
    text = read_text(path) if len(target) < 500 and path.is_file() else target
    findings = check_citations(text)
    if json_out:
        typer.echo(json.dumps([f.as_dict() for f in findings], ensure_ascii=False))
    else:
        for f in findings:
            mark = {"ok": "ĐÚNG", "mismatch": "SAI", "unknown": "CHƯA CÓ TRONG THƯ VIỆN",
                    "replaced": "ĐÃ ĐƯỢC THAY THẾ"}[f.status]
            typer.echo(f"[{mark}] {f.text}")
            for p in f.problems:
                typer.echo(f"    - {p}")
    if any(f.status == "mismatch" for f in findings):
        raise typer.Exit(1)


@app.command()
def bench(name: str | None = typer.Argument(
        None, help="parse | checks | retrieval | draft | province; trống = tất cả")) -> None:
    """Chạy các bài đo tốc độ trong bench/. / Run the benchmarks under bench/."""
    import subprocess

    bench_dir = Path(__file__).resolve().parents[1] / "bench"
    scripts = sorted(bench_dir.glob(f"bench_{name or '*'}.py"))
    if not scripts:
        _fail(f"Không tìm thấy bài đo {name!r} trong {bench_dir.name}/.")
    for script in scripts:
        typer.echo(f"== {script.name}")
        if subprocess.run([sys.executable, str(script)]).returncode != 0:
            _fail(f"Bài đo {script.name} bị lỗi.", code=1)


def _admin_db():
    from bot.app import build

    return build(get_settings())[0]


def _unit_or_fail(s, code: str):
    from db.repo import people

    unit = people.unit_by_code(s, code)
    if unit is None:
        _fail(f"Không có đơn vị mã {code!r}. / Unknown unit.")
    return unit


@admin_app.command("create-unit")
def admin_create_unit(code: str = typer.Argument(..., help="Mã đơn vị, ví dụ xa-hoang-trung"),
                      name: str = typer.Argument(..., help="Tên, ví dụ \"xã Hoằng Trung\""),
                      level: str = typer.Option("xa", help="tinh | huyen | xa | thon"),
                      parent: str | None = typer.Option(None, help="Mã đơn vị cấp trên")) -> None:
    """Tạo đơn vị. / Create a unit."""
    from db.repo import access

    with _admin_db().session() as s:
        try:
            unit = access.create_unit(s, code, name, level, parent)
        except OfficerError as e:
            _fail(f"Không tạo được đơn vị: {e.message_vi}")
        typer.echo(f"Đã tạo {unit.name} (mã {unit.code}).")


@admin_app.command("invite")
def admin_invite(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                 role: str = typer.Option("reporter", help="reporter | approver | admin"),
                 days: int = typer.Option(7, help="Số ngày hiệu lực")) -> None:
    """Tạo mã mời (dùng một lần) cho một vai trò. / Create a one-time invite code."""
    from db.repo import access, people

    if role not in people.ROLES:
        _fail(f"Vai trò phải là một trong {', '.join(people.ROLES)}.")
    with _admin_db().session() as s:
        unit = _unit_or_fail(s, unit_code)
        inv = people.create_invite(s, unit, role, None, days=days)
        access.audit(s, "invite.create", None, unit.id, f"{inv.code} {role} (cli)")
        typer.echo(inv.code)
        typer.echo(f"Cán bộ gõ cho bot: /start {inv.code}  (Telegram: https://t.me/<tên_bot>?start={inv.code})",
                   err=True)


@admin_app.command("import-units")
def admin_import_units(file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                                    help="CSV: code,name,level,parent[,population,…]")) -> None:
    """Tạo nhiều đơn vị từ tệp CSV (tất cả hoặc không). / Create units in bulk from a CSV (all or nothing)."""
    from province.units_csv import create_units, read_units_csv

    try:
        with _admin_db().session() as s:
            units = create_units(s, read_units_csv(file.read_text(encoding="utf-8")))
    except OfficerError as e:
        _fail(e.message_vi)
    typer.echo(f"Đã tạo {len(units)} đơn vị.")


@admin_app.command("invite-all")
def admin_invite_all(parent: str = typer.Argument(..., help="Mã tỉnh (hoặc huyện) / province code"),
                     role: str = typer.Option("reporter", help="reporter | approver | admin"),
                     days: int = typer.Option(7, help="Số ngày hiệu lực"),
                     out: Path | None = typer.Option(None, "--out", help="Ghi ra tệp CSV / write a CSV")) -> None:
    """Mỗi xã một mã mời (CSV: mã đơn vị, tên, vai trò, mã mời). / One invite code per commune."""
    import csv
    import io

    from db.repo import people
    from province.units_csv import invites_for

    if role not in people.ROLES:
        _fail(f"Vai trò phải là một trong {', '.join(people.ROLES)}.")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["ma_don_vi", "ten_don_vi", "vai_tro", "ma_moi"])
    with _admin_db().session() as s:
        for unit, inv in invites_for(s, _unit_or_fail(s, parent), role, None, days):
            w.writerow([unit.code, unit.name, role, inv.code])
    if out is None:
        typer.echo(buf.getvalue().rstrip("\n"))
    else:
        out.write_text(buf.getvalue(), encoding="utf-8-sig")
        typer.echo(f"Đã ghi {out}.")


@admin_app.command("members")
def admin_members(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                  json_out: bool = typer.Option(False, "--json")) -> None:
    """Danh sách thành viên còn quyền. / List active members."""
    from db.repo import access

    with _admin_db().session() as s:
        rows = access.members(s, _unit_or_fail(s, unit_code).id)
    if json_out:
        typer.echo(json.dumps([{"officer_id": m.officer_id, "name": m.name, "roles": list(m.roles),
                                "channels": list(m.channels)} for m in rows], ensure_ascii=False))
        return
    for m in rows:
        typer.echo(f"{m.officer_id}\t{m.name}\t{', '.join(m.roles)}\t{', '.join(m.channels)}")


@admin_app.command("revoke")
def admin_revoke(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                 officer_id: int = typer.Argument(..., help="Mã cán bộ (cột đầu của `admin members`)")) -> None:
    """Thu hồi mọi quyền của cán bộ trong đơn vị. / Revoke an officer's roles in a unit."""
    from db.repo import access

    with _admin_db().session() as s:
        n = access.revoke_member(s, _unit_or_fail(s, unit_code).id, officer_id, None)
    if not n:
        _fail("Cán bộ này không có quyền nào trong đơn vị.")
    typer.echo(f"Đã thu hồi {n} quyền.")


template_app = typer.Typer(help="Mẫu báo cáo của đơn vị / a unit's report structure.", no_args_is_help=True)
admin_app.add_typer(template_app, name="template")
_KIND_HELP = "tuan | thang | quy | sau_thang | nam | dot_xuat; trống = mọi kỳ / empty = every kind"


@template_app.command("show")
def template_show(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                  kind: str = typer.Option("", "--kind", help=_KIND_HELP)) -> None:
    """In mẫu (dàn ý) đang dùng. / Print the outline in use."""
    from drafting import unit_structures

    with _admin_db().session() as s:
        typer.echo(unit_structures.current(s, _unit_or_fail(s, unit_code).id, kind).outline)


@template_app.command("set")
def template_set(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                 outline: Path = typer.Argument(..., exists=True, dir_okay=False, help="Tệp dàn ý (UTF-8)"),
                 kind: str = typer.Option("", "--kind", help=_KIND_HELP)) -> None:
    """Lưu mẫu từ tệp dàn ý. / Save an outline file as the unit's structure."""
    from drafting import unit_structures
    from drafting.structure import to_outline

    with _admin_db().session() as s:
        unit = _unit_or_fail(s, unit_code)
        st = unit_structures.save(s, unit.id, kind, outline.read_text(encoding="utf-8"), source="cli")
        typer.echo(to_outline(st))


@template_app.command("learn")
def template_learn(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                   report: Path = typer.Argument(..., exists=True, dir_okay=False, help="Báo cáo cũ: DOCX, PDF, TXT"),
                   kind: str = typer.Option("", "--kind", help=_KIND_HELP),
                   yes: bool = typer.Option(False, "--yes", help="Lưu luôn / save without asking")) -> None:
    """Học mẫu từ một báo cáo cũ của đơn vị. / Learn the structure from a past report."""
    from drafting import unit_structures
    from drafting.learn_structure import learn
    from drafting.structure import to_outline
    from retrieval.ingest import read_text

    try:
        outline = to_outline(learn(read_text(report)))
    except ValueError:
        _fail("Không tìm thấy đề mục có số thứ tự trong báo cáo. / No numbered headings found.")
    typer.echo(outline)
    if yes or typer.confirm("Lưu mẫu này? / Save it?", default=False):
        with _admin_db().session() as s:
            unit_structures.save(s, _unit_or_fail(s, unit_code).id, kind, outline, source="learned")
        typer.echo("Đã lưu. / Saved.", err=True)


@template_app.command("use")
def template_use(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                 preset: str = typer.Argument(..., help="Tên mẫu có sẵn (xem `template presets`)"),
                 kind: str = typer.Option("", "--kind", help=_KIND_HELP)) -> None:
    """Dùng một mẫu có sẵn. / Use a built-in structure."""
    from drafting import unit_structures
    from drafting.structure import presets, to_outline

    if preset not in presets():
        _fail(f"Không có mẫu {preset!r}; có: {', '.join(presets())}.")
    with _admin_db().session() as s:
        typer.echo(to_outline(unit_structures.use_preset(s, _unit_or_fail(s, unit_code).id, kind, preset)))


@template_app.command("presets")
def template_presets() -> None:
    """Các mẫu có sẵn. / Built-in structures."""
    from drafting.structure import presets

    for stem, title in presets().items():
        typer.echo(f"{stem}\t{title}")


@template_app.command("reset")
def template_reset(unit_code: str = typer.Argument(..., help="Mã đơn vị"),
                   kind: str = typer.Option("", "--kind", help=_KIND_HELP)) -> None:
    """Về mẫu chung. / Back to the built-in default."""
    from drafting import unit_structures

    with _admin_db().session() as s:
        done = unit_structures.reset(s, _unit_or_fail(s, unit_code).id, kind)
    typer.echo("Đã về mẫu chung." if done else "Đơn vị đang dùng mẫu chung.")


@admin_app.command("failed-updates")
def admin_failed_updates(limit: int = typer.Option(50, help="Số dòng gần nhất"),
                         json_out: bool = typer.Option(False, "--json")) -> None:
    """Tin nhắn xử lý lỗi 5 lần đã bị bỏ qua (kênh, mã, lỗi). / Updates given up after repeated failures."""
    from db.repo import inbox

    with _admin_db().session() as s:
        rows: list[dict[str, Any]] = [
            {"at": r.created_at.isoformat(timespec="seconds"), "channel": r.channel, "update_id": r.update_id,
             "attempts": r.attempts, "error": r.error, "payload": r.payload}
            for r in inbox.failed_updates(s, limit)]
    if json_out:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['at']}\t{r['channel']}\t{r['update_id']}\t{r['attempts']}\t{r['error'][:200]}")


def main() -> None:  # pragma: no cover
    code = 0
    try:
        app()
    except OfficerError as e:
        typer.echo(e.message_vi, err=True)
        code = 2
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    _exit(code)


def _exit(code: int) -> None:  # pragma: no cover
    """Leave without tearing the interpreter down (0.5 s over ~160k objects after a question), once the
    library's background work is done: finalizing while a warm-up thread runs in native code crashed."""
    import logging
    import os

    if "retrieval.library" in sys.modules:
        sys.modules["retrieval.library"].close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
