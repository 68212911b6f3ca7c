"""Export of a period's figures as a table: one row per commune and a last row "Tổng" for a province, one row
for a commune. Columns: ma_don_vi, ten_don_vi, trang_thai, then one per indicator id (x/y figures: `id` and
`id__mau_so`). The "Tổng" row is the roll-up: exactly the communes whose report is approved, and it says how
many. CSV is UTF-8 with a BOM (Excel then reads Vietnamese correctly); XLSX has Vietnamese headers over the
ids, frozen header rows and number formats.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common.vntext import fold
from db.models import Unit
from db.repo import units as units_repo
from figures.periods import PeriodSpec
from figures.types import FigureInput
from figures.unit_catalogue import unit_catalogue
from knowledge.catalogue import Catalogue, load_catalogue
from province.overview import Overview, overview
from province.status import MISSING, STATUS_NAMES

DENOMINATOR_SUFFIX = "__mau_so"
FIXED = [("ma_don_vi", "Mã đơn vị"), ("ten_don_vi", "Tên đơn vị"), ("trang_thai", "Trạng thái báo cáo")]
TOTAL_CODE = "Tổng"


@dataclass
class Table:
    columns: list[str]  # machine names (the CSV header)
    headers: list[str]  # Vietnamese headers (XLSX)
    rows: list[list]  # str for the fixed columns, float or None for figures
    title: str = ""


def _indicator_order(cat: Catalogue, ids: set[str]) -> list[str]:
    """Report order: catalogue sections, then catalogue order; indicators outside the catalogue last."""
    rank = {s.id: n for n, s in enumerate(cat.sections)}
    pos = {i: n for n, i in enumerate(cat.indicators)}
    return sorted(ids, key=lambda i: (0, rank.get(cat.indicators[i].section, len(rank)), pos[i])
                  if i in cat.indicators else (1, 0, 0, i))


def _columns(cat: Catalogue, kind: str, rows: list[list[FigureInput]]) -> list[tuple[str, str, str | None]]:
    """(column, header, indicator-or-None-for-denominator) for the indicator columns."""
    present = {f.indicator for figs in rows for f in figs}
    with_denominator = {f.indicator for figs in rows for f in figs if f.denominator is not None}
    out: list[tuple[str, str, str | None]] = []
    for i in _indicator_order(cat, present | set(cat.template(kind))):
        ind = cat.get(i)
        name = f"{ind.name} ({ind.unit})" if ind else i
        out.append((i, name, i))
        if (ind is not None and ind.pair) or i in with_denominator:
            out.append((i + DENOMINATOR_SUFFIX, f"{ind.name if ind else i}: tổng số (mẫu số)", None))
    return out


def _cells(cols: list[tuple[str, str, str | None]], figs) -> list[float | None]:
    by_id = {f.indicator: f for f in figs}
    out = []
    for col, _, ind in cols:
        f = by_id.get(ind or col.removesuffix(DENOMINATOR_SUFFIX))
        out.append(None if f is None else (f.value if ind else f.denominator))
    return out


def province_table(ov: Overview) -> Table:
    data = ov.current
    per_commune = [(u, data.reports.get(u.id)) for u in ov.communes]
    cols = _columns(ov.cat, ov.period.kind, [data.figures_of(r) for _, r in per_commune])
    rows = [[u.code, u.name, STATUS_NAMES[r.status if r else MISSING], *_cells(cols, data.figures_of(r))]
            for u, r in per_commune]
    total = ov.rollup()
    rows.append([TOTAL_CODE, ov.unit.name, f"Cộng {total.coverage} xã đã duyệt",
                 *_cells(cols, total.as_period_figures().figures)])
    return _table(cols, rows, f"{ov.unit.name} — {ov.period.label}")


def unit_table(cat: Catalogue, unit: Unit, period: PeriodSpec, report, figures: list[FigureInput]) -> Table:
    cols = _columns(cat, period.kind, [figures])
    row = [unit.code, unit.name, STATUS_NAMES[report.status if report else MISSING], *_cells(cols, figures)]
    return _table(cols, [row], f"{unit.name} — {period.label}")


def _table(cols, rows, title: str) -> Table:
    return Table([c for c, _ in FIXED] + [c for c, _, _ in cols], [h for _, h in FIXED] + [h for _, h, _ in cols],
                 rows, title)


def _plain(v):
    """Whole numbers as int, so a CSV says 1234 and a cell holds an exact integer."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def write_csv(table: Table, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.columns)
        for row in table.rows:
            w.writerow(["" if v is None else _plain(v) for v in row])
    return path


def write_xlsx(table: Table, path: Path) -> Path:
    """Row 1: Vietnamese headers; row 2: the column ids (as in the CSV); both frozen with the unit columns."""
    from openpyxl import Workbook  # here, not at import: the chat engine imports this module (~0.2 s)
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook starts with one worksheet, active
    ws.title = "Tong hop"
    ws.append(table.headers)
    ws.append(table.columns)
    for cell in ws[1]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for cell in ws[2]:
        cell.font = Font(italic=True, color="808080", size=9)
    for row in table.rows:
        ws.append([_plain(v) for v in row])
        for cell in ws[ws.max_row][len(FIXED):]:
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.0#"
    if table.rows and table.rows[-1][0] == TOTAL_CODE:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    ws.freeze_panes = "D3"
    widths = [14, 28, 22] + [16] * (len(table.columns) - len(FIXED))
    for n, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = w
    ws.row_dimensions[1].height = 60
    wb.properties.title = table.title
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def table_for(s: Session, unit: Unit, period: PeriodSpec, now: datetime, tz: str) -> Table:
    """A province's (or legacy district's) communes table, or a commune's own row."""
    cat = load_catalogue()
    if units_repo.has_children(s, unit.id):
        return province_table(overview(s, unit, period, now, tz, with_previous=False, cat=cat))
    row = units_repo.period_row(s, period.kind, period.start, period.end)
    report = units_repo.reports_of(s, [unit.id], row).get(unit.id)
    rows = units_repo.figures_of_reports(s, [report.id])[report.id] if report else []
    return unit_table(unit_catalogue(s, unit.id), unit, period, report, [FigureInput(*f[1:]) for f in rows])


def file_name(unit: Unit, period: PeriodSpec, fmt: str) -> str:
    """'demo-tinh_tuan-16-11-22-11-2026.xlsx'."""
    return f"{unit.code}_{re.sub(r'[^a-z0-9]+', '-', fold(period.label)).strip('-')}.{fmt}"
