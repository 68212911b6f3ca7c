"""Render a DraftInput into a DOCX with our docxtpl template; one renderer for the CLI and the chat.

docxtpl (python-docx, jinja2) is imported when a draft is rendered, not when the chat engine starts."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from common.vnnum import fmt_pct, rate
from drafting.changes import Snapshot, snapshot
from drafting.chart import TITLE as CHART_TITLE
from drafting.chart import render_chart
from drafting.header import governing_agency
from drafting.inputs import DraftInput
from drafting.sections import Body, build_body
from drafting.sentences import count
from drafting.structure import default_structure, plain_title
from drafting.wording import agency_lines, closing, in_period, opening, place_date, recipient_lines, subject_lines
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.report_parts import load_vocabulary

if TYPE_CHECKING:
    from docxtpl import DocxTemplate


@dataclass
class RenderResult:
    path: Path
    chart: Path | None
    warnings: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # three short lines for the chat
    snapshot: Snapshot | None = None  # figures and sections, to tell the next version what changed


def _service_rows(inp: DraftInput, cat: Catalogue) -> list[dict]:
    figs = inp.current.by_indicator()
    rows: list[dict] = []
    for svc in cat.services.values():
        received, online = figs.get(f"dvc.{svc.id}.tiep_nhan"), figs.get(f"dvc.{svc.id}.truc_tuyen")
        if received is None and online is None:
            continue
        if received and online:
            share = rate(online.value, received.value)
        else:  # a figure written x/y carries its own rate
            share = rate(received.value, received.denominator) if received and received.denominator else None
        shown = "" if received is None else count(received.value) if received.denominator is None else \
            f"{count(received.value)}/{count(received.denominator)}"
        rows.append({"tt": len(rows) + 1, "name": svc.name, "ministry": svc.ministry, "received": shown,
                     "online": count(online.value) if online else "",
                     "rate": fmt_pct(share) if share is not None else ""})
    return rows


def _appendix(tpl: DocxTemplate, inp: DraftInput, cat: Catalogue, chart: Path | None) -> dict | None:
    services = _service_rows(inp, cat)
    if not inp.appendix or not (services or chart):
        return None
    from docx.shared import Mm
    from docxtpl import InlineImage

    d = inp.report_date
    return {"caption": f"(Kèm theo Báo cáo số      /{inp.doc_symbol} ngày {d.day:02d}/{d.month:02d}/{d.year} "
                       f"của {inp.unit.short_agency})",
            "services": services,
            "services_title": f"Kết quả thực hiện các dịch vụ công thiết yếu {in_period(inp.period)}",
            "chart": InlineImage(tpl, str(chart), width=Mm(150)) if chart else None,
            "chart_title": f"Biểu đồ: {CHART_TITLE.lower()}"}


def _summary(inp: DraftInput, body: Body, appendix: bool) -> list[str]:
    w = body.writer
    written = len(w.used)
    parts = sum(1 for s in body.slots if "." not in s.number)
    line1 = f"Báo cáo {inp.period.label} của {inp.unit.name}: {written} số liệu trong {parts} mục."
    if w.prev_name:
        up = sum(1 for d in w.changes.values() if d > 0)
        down = sum(1 for d in w.changes.values() if d < 0)
        line2 = f"So với {w.prev_name}: {up} chỉ tiêu tăng, {down} chỉ tiêu giảm."
    else:
        line2 = "Chưa có số liệu kỳ trước để so sánh."
    vocab = load_vocabulary()
    asked = (inp.structure or default_structure()).asked()
    missing = [vocab.parts[p.key].short if p.key in vocab.parts else plain_title(p.title).lower()
               for p in asked if not inp.narrative.get(p.key, "").strip()]
    line3 = f"Phụ lục: {'có' if appendix else 'không'}. " + \
            (f"Chưa có nội dung: {', '.join(missing)}." if missing else "Đủ các phần nội dung.")
    return [line1, line2, line3]


def render(inp: DraftInput, out: Path, *, with_chart: bool = True, cat: Catalogue | None = None) -> RenderResult:
    cat = cat or load_catalogue()
    body = build_body(inp, cat)
    warnings = list(body.writer.warnings)
    if not inp.request.strip():
        warnings.append("Chưa có văn bản yêu cầu báo cáo nên phần mở đầu không có câu \"Thực hiện Công văn số …\"; "
                        "gõ «văn bản yêu cầu: Công văn số … ngày … của … về việc …» để bổ sung.")
    if not inp.current.figures:
        warnings.append("Báo cáo chưa có số liệu nào.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    chart = render_chart(inp.current, inp.history, out.with_suffix(".png")) if with_chart else None
    from docxtpl import DocxTemplate

    from drafting.build_template import TEMPLATE_PATH  # with python-docx

    tpl = DocxTemplate(str(TEMPLATE_PATH))
    appendix = _appendix(tpl, inp, cat, chart)
    tpl.render({**document_context(inp, body), "appendix": appendix}, autoescape=True)
    tpl.save(str(out))
    return RenderResult(out, chart, warnings, _summary(inp, body, appendix is not None), snapshot(inp, body))


def preload() -> None:
    """Import what rendering needs (docxtpl, python-docx, matplotlib; ~1 s), for a bot to call in the background
    once it has answered its first message: the first draft then does not wait for them."""
    import docxtpl  # noqa: F401
    from matplotlib.backends import backend_agg  # noqa: F401

    from drafting import build_template  # noqa: F401


def document_context(inp: DraftInput, body: Body) -> dict:
    """Template values of everything but the appendix: header, subject, opening, body, closing, signature."""
    return {
        "parent_agency": governing_agency(inp.unit.level, inp.unit.parent_agency, inp.unit.parent_name,
                                          inp.unit.parent_level, inp.report_date),
        "agency_lines": agency_lines(inp.unit.agency),
        "doc_symbol": inp.doc_symbol,
        "place_date": place_date(inp.unit.place, inp.report_date),
        "subject_lines": subject_lines(inp.period, inp.unit.name, inp.subject),
        "opening": opening(inp.request, inp.unit.short_agency, inp.period, inp.subject),
        "body": [{"kind": b.kind, "text": b.text} for b in body.blocks],
        "closing": closing(inp.period, inp.unit.name, inp.subject),
        "recipients": recipient_lines(inp.recipients),
        "signer_lines": inp.signer.lines(),
        "signer_name": inp.signer.name,
    }
