"""Build knowledge/templates/bao_cao_tinh.docx, the province's draft template: the same page, header, body and
signature as bao_cao.docx (drafting/build_template.py), with an appendix table of the communes — report status
and the key figures of province/key_figures.py, then a bold "Tổng" row.

`.venv/bin/python -m drafting.province_template` rebuilds it.
"""
from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from drafting.build_template import TEMPLATE_PATH, TEXT_WIDTH_MM, _first, _p, _widths, appendix_head, build
from province.key_figures import KEY_FIGURES

PROVINCE_TEMPLATE_PATH = TEMPLATE_PATH.with_name("bao_cao_tinh.docx")
TABLE_SIZE = 11  # points: eight columns on a portrait page


def _communes_appendix(doc) -> None:
    appendix_head(doc)
    _p(doc, "{{ appendix.title }}", "BC Title")
    fixed = [("TT", 9), ("Đơn vị", 34), ("Báo cáo", 29)]
    width = (TEXT_WIDTH_MM - sum(w for _, w in fixed)) / len(KEY_FIGURES)
    cols = fixed + [(k.header, width) for k in KEY_FIGURES]
    t = doc.add_table(rows=5, cols=len(cols))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [w for _, w in cols])
    for i, (name, _) in enumerate(cols):
        _first(t.cell(0, i), name, "BC Table", bold=True, size=TABLE_SIZE)
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page of a long table
    repeat.set(qn("w:val"), "true")
    t.rows[0]._tr.get_or_add_trPr().append(repeat)
    _first(t.cell(1, 0), "{%tr for r in appendix.rows %}", "BC Table")
    cells = ["{{ r.tt }}", "{{ r.name }}", "{{ r.status }}"]
    cells += [f"{{{{ r.values[{i}] }}}}" for i in range(len(KEY_FIGURES))]
    for i, text in enumerate(cells):
        _first(t.cell(2, i), text, "BC Table", size=TABLE_SIZE)
    t.cell(2, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
    _first(t.cell(3, 0), "{%tr endfor %}", "BC Table")
    total = t.rows[4].cells
    merged = total[0].merge(total[2])
    _first(merged, "{{ appendix.total.name }}", "BC Table", bold=True, size=TABLE_SIZE)
    for i in range(len(KEY_FIGURES)):
        _first(total[3 + i], f"{{{{ appendix.total.values[{i}] }}}}", "BC Table", bold=True, size=TABLE_SIZE)
    _p(doc, "{%p endif %}", "BC Body")


def build_province(path: Path = PROVINCE_TEMPLATE_PATH) -> Path:
    return build(path, appendix=_communes_appendix)


if __name__ == "__main__":  # pragma: no cover
    print(build_province())  # noqa: T201
