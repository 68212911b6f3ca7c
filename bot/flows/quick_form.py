"""The quick form ("mẫu nhanh") in chat: /mau sends the report as a plain-text form to copy, fill and send back
whole; a form sent back is read line by line (exact labels, never guessed) and stored in one go.

/mau [kỳ], "gửi mẫu"   the open report (or the one named) as a form: one line per indicator the unit reports (the
                       report kind's template and whatever the unit reported in its last periods), current values
                       filled in, last period's beside each line; then the narrative parts the unit's structure
                       asks for. On Telegram it comes as a code block (one tap copies it).
a filled form           read against the labels; the values are the officer's own word (no overwrite question);
                       the reply says what changed, what was left blank, what could not be read, and what the
                       checks found.
"""
from __future__ import annotations

import re

from bot.current_report import active_report, open_report
from bot.engine import Ctx, parse_command, router
from bot.figure_view import figure_line, section_order
from bot.flows.intake import named_period, on_calendar, parse_context
from common.vntext import fold
from db.models import Report
from db.repo import reports
from drafting.structure import plain_title
from drafting.unit_structures import structure_for
from figures.parse import parse_message
from figures.quick_form import read_form, render_form
from figures.types import FigureInput
from knowledge.catalogue import Catalogue
from reporting import content, periods
from reporting.figures import record_figures, values_of
from reporting.findings import run_checks

WRITERS = ("reporter",)
HISTORY = 4  # the last periods whose indicators the form offers
NARRATIVE = "Nội dung"  # the form's section of the parts the officer writes
MAX_LISTED = 25


def _figures(s, report: Report) -> dict[str, FigureInput]:
    return {i: FigureInput(i, *v) for i, v in values_of(s, report).items()}


def form_indicators(ctx: Ctx, cat: Catalogue, report: Report) -> list[str]:
    """What the unit reports: the kind's template, the last periods' indicators and this report's, in report order."""
    ids = set(cat.template(report.period.kind)) | set(values_of(ctx.s, report))
    for prior in reports.prior_reports(ctx.s, report.unit_id, report.period.kind, report.period.start, HISTORY):
        ids |= {f.indicator for f in reports.figures_of(ctx.s, prior.id)}
    order = section_order(cat)
    return sorted((i for i in ids if i in cat.indicators), key=lambda i: order.get(i, len(order)))


def _parts(ctx: Ctx, report: Report) -> dict[str, str]:
    """Heading (as the form writes it) -> narrative key, for the parts the unit's structure asks."""
    return {plain_title(p.title): p.key for p in structure_for(ctx.s, report.unit_id, report.period.kind).asked()}


def _title(report: Report) -> str:
    return f"Báo cáo {report.period.label} — {report.unit.name}"


@router.command("mau", about="Mẫu báo cáo nhanh: nhận mẫu, điền số rồi gửi lại một lần (ví dụ: /mau tuần trước)")
def form_command(ctx: Ctx) -> None:
    send_form(ctx, (parse_command(ctx.text) or ("", ""))[1])


_ASK_FORM = re.compile(r"^(?:gui|xin|cho (?:toi|xin))?\s*(?:mau|mau bao cao nhanh|mau nhanh|mau bao cao)$")


@router.intent(30)
def form_phrase(ctx: Ctx) -> bool:
    """'gửi mẫu', 'mẫu báo cáo nhanh'."""
    if not _ASK_FORM.match(fold(ctx.text).strip(" .!?")):
        return False
    send_form(ctx, "")
    return True


def send_form(ctx: Ctx, period_text: str) -> None:
    unit = ctx.require_role(*WRITERS)
    if period_text.strip():
        report = open_report(ctx, unit, named_period(ctx, unit, period_text, "mau"))
    else:
        report = active_report(ctx, *WRITERS)
    reports.ensure_editable(report)
    cat = ctx.catalogue(report.unit_id)
    previous = reports.prior_reports(ctx.s, report.unit_id, report.period.kind, report.period.start, 1)
    form = render_form(cat, form_indicators(ctx, cat, report), current=_figures(ctx.s, report),
                       previous=_figures(ctx.s, previous[0]) if previous else None, title=_title(report))
    parts = _parts(ctx, report)
    if parts:
        narrative = report.narrative or {}
        form += f"\n\n[{NARRATIVE}]\n" + "\n".join(f"{heading}: {narrative.get(key) or '__'}"
                                                    for heading, key in parts.items())
    ctx.clear_flow()
    ctx.say("Anh/chị sao chép mẫu dưới đây, điền số vào chỗ __ rồi gửi lại cả tin (dòng để trống được bỏ qua):")
    ctx.say(form, monospace=True)


# --- a filled form sent back --------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*[•*+\-–]?\s*([^:\n]{3,120}):")


def _form_report(ctx: Ctx, text: str) -> Report:
    """The report the form's title names ("Báo cáo tuần 17/8 - 23/8/2023 — …"), else the open one."""
    first = text.strip().splitlines()[0]
    if fold(first).startswith("bao cao"):
        unit = ctx.require_role(*WRITERS)
        res = parse_message(first.split("—")[0], ctx.catalogue(unit.id), context=parse_context(ctx))
        if res.period is not None:
            return periods.open_report(ctx.s, unit, on_calendar(res.period, periods.unit_calendar(unit)),
                                       ctx.me.id)
    return active_report(ctx, *WRITERS)


def _split_narrative(text: str, headings: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The form's lines without its narrative block, and the narrative parts written (heading line + the lines
    under it until the next label)."""
    folded = {fold(h): key for h, key in headings.items()}
    kept: list[str] = []
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        m = _LABEL.match(line)
        key = folded.get(fold(m.group(1))) if m else None
        if m is not None and key is not None:
            current = key
            parts[key] = [line[m.end():].strip()]
        elif current is not None and not m and not line.strip().startswith("["):
            parts[current].append(line.strip())
        else:
            current = None
            if fold(line.strip()) != fold(f"[{NARRATIVE}]"):
                kept.append(line)
    written = {k: "\n".join(v).strip() for k, v in parts.items()}
    return "\n".join(kept), {k: v for k, v in written.items() if v and v.strip("_ ") and v != "__"}


def looks_like_form(text: str, cat: Catalogue) -> bool:
    """A filled quick form: two lines or more labelled exactly with an indicator's name, and most of its lines
    labelled (a pasted report that happens to use a name or two is read as a report)."""
    names = {fold(ind.name) for ind in cat.indicators.values()}
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("[", "("))]
    labelled = sum(1 for ln in lines if fold(ln.rpartition(":")[0].strip(" •*+-–")) in names)
    return labelled >= 2 and labelled * 2 >= len(lines)


@router.label
def returned_form(ctx: Ctx) -> bool:
    cat = ctx.catalogue()
    if "\n" not in ctx.text or not looks_like_form(ctx.text, cat):
        return False
    report = _form_report(ctx, ctx.text)
    reports.ensure_editable(report)
    body, narrative = _split_narrative(ctx.text, _parts(ctx, report))
    reading = read_form(body, cat, cat.indicators, period_kind=report.period.kind, level=report.unit.level,
                        title=_title(report))
    rec = record_figures(ctx.s, report, list(reading.values.values()), cat, officer_id=ctx.me.id,
                         source=ctx.incoming.source, source_text=ctx.text)
    for key, text in narrative.items():
        content.set_narrative(ctx.s, report, key, text)
    changed = [c for c in rec.changes if c.changed]
    lines = [f"Đã nhận mẫu báo cáo {report.period.label}: {len(rec.changes)} số liệu, {len(changed)} mới hoặc thay "
             f"đổi; {len(reading.blank)} dòng để trống."]
    lines += [figure_line(cat, c.indicator, *c.new) for c in changed[:MAX_LISTED]]
    if len(changed) > MAX_LISTED:
        lines.append(f"… và {len(changed) - MAX_LISTED} số khác (gõ /tiendo để xem đủ).")
    if narrative:
        lines.append(f"Đã ghi {len(narrative)} phần nội dung.")
    if reading.unread or rec.problems:
        lines.append("Chưa ghi:")
        lines += [f"• «{line}»: {why}" for line, why in reading.unread] + [f"• {p}" for p in rec.problems]
    found = run_checks(ctx.s, report, complete=False, current=rec.current) if rec.current is not None else []
    if found:
        lines.append(f"Kiểm tra thấy {len(found)} điểm cần xem lại (gõ /kiemtra để xử lý từng điểm):")
        lines += [f"- {f.message}" for f in found[:MAX_LISTED]]
    lines.append("Gõ /duthao để tạo dự thảo.")
    ctx.remember(unit_id=report.unit_id, report_id=report.id)
    ctx.clear_flow()
    ctx.say("\n".join(lines))
    return True
