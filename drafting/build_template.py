"""Build knowledge/templates/bao_cao.docx, the docxtpl template of every report draft.

The template is generated (not hand-edited) so it is reproducible and reviewable:
`.venv/bin/python -m drafting.build_template`. Format facts follow Nghị định 30/2020/NĐ-CP, Phụ lục I:
A4; margins 20/20/30/15 mm; Times New Roman; body 14 pt justified with a 1.27 cm first-line indent;
page numbers centred in the header from page 2; the two-column header block; "./." at the end of the body.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "templates" / "bao_cao.docx"
FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_COL_MM, RIGHT_COL_MM = 68, TEXT_WIDTH_MM - 68  # header block: ~41 % / 59 %
J, C, L = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT


def _font(rpr_owner, size: float, bold: bool = False, italic: bool = False) -> None:
    f = rpr_owner.font
    f.name, f.size, f.bold, f.italic = FONT, Pt(size), bold, italic
    rfonts = rpr_owner.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


def _style(doc, name: str, size: float, align, *, bold=False, italic=False, indent=0.0, after=0.0,
           before=0.0, line=1.0, keep_next=False):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.quick_style = True
    _font(st, size, bold, italic)
    pf = st.paragraph_format
    pf.alignment, pf.first_line_indent = align, Cm(indent)
    pf.space_after, pf.space_before, pf.line_spacing = Pt(after), Pt(before), line
    pf.keep_with_next = keep_next
    return st


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _font(normal, 14)
    pf = normal.paragraph_format
    pf.alignment, pf.first_line_indent = J, Cm(1.27)
    pf.space_after, pf.space_before, pf.line_spacing = Pt(6), Pt(0), 1.15
    pf.widow_control = True
    _style(doc, "BC Heading 1", 14, J, bold=True, indent=1.27, after=6, before=6, line=1.15, keep_next=True)
    _style(doc, "BC Heading 2", 14, J, bold=True, indent=1.27, after=6, line=1.15, keep_next=True)
    _style(doc, "BC Heading 3", 14, J, bold=True, italic=True, indent=1.27, after=6, line=1.15, keep_next=True)
    _style(doc, "BC Body", 14, J, indent=1.27, after=6, line=1.15)
    _style(doc, "BC Center", 13, C)
    _style(doc, "BC Title", 14, C, bold=True)
    _style(doc, "BC Recipients Head", 12, L, bold=True, italic=True)
    _style(doc, "BC Recipients", 11, L)
    _style(doc, "BC Signer", 14, C, bold=True)
    _style(doc, "BC Table", 12, C)


def _run(p, text: str, bold=None, italic=None, size=None) -> None:
    if not text:
        return
    r = p.add_run(text)
    if bold is not None:
        r.bold = bold
    if italic is not None:
        r.italic = italic
    if size is not None:
        r.font.size = Pt(size)


def _p(container, text: str = "", style: str = "BC Center", *, bold=None, italic=None, size=None):
    p = container.add_paragraph(style=style)
    _run(p, text, bold, italic, size)
    return p


def _rule(container, length_mm: float, column_mm: float):
    """A solid line `length_mm` long, centred in a column: the bottom border of an empty, indented paragraph.

    The border is added before any other paragraph property so the XML keeps the schema's element order.
    """
    p = container.add_paragraph()
    ppr = p._p.get_or_add_pPr()
    bdr, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    p.style = "BC Center"
    side = max(0.0, (column_mm - length_mm) / 2)
    pf = p.paragraph_format
    pf.left_indent, pf.right_indent, pf.line_spacing = Mm(side), Mm(side), Pt(3)
    p.add_run().font.size = Pt(2)
    return p


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)


def _widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def _first(cell, text: str, style: str = "BC Center", *, bold=None, italic=None, size=None):
    """Write into a cell's existing first paragraph (a new cell already has one)."""
    p = cell.paragraphs[0]
    p.style = style
    _run(p, text, bold, italic, size)
    return p


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # page 1: empty header
    p = section.header.paragraphs[0]
    p.style = "BC Center"
    run = p.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _header_block(doc) -> None:
    t = doc.add_table(rows=2, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(t)
    _widths(t, [LEFT_COL_MM, RIGHT_COL_MM])
    left, right = t.cell(0, 0), t.cell(0, 1)
    _first(left, "{%p if parent_agency %}")
    _p(left, "{{ parent_agency }}", size=12)
    _p(left, "{%p endif %}")
    _p(left, "{%p for line in agency_lines %}")
    _p(left, "{{ line }}", bold=True, size=13)
    _p(left, "{%p endfor %}")
    _rule(left, 22, LEFT_COL_MM)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)  # 13 pt would wrap in this column
    _p(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _rule(right, 58, RIGHT_COL_MM)  # as long as the motto
    for cell, text, italic, size in ((t.cell(1, 0), "Số:      /{{ doc_symbol }}", None, 13),
                                     (t.cell(1, 1), "{{ place_date }}", True, 14)):
        _first(cell, text, italic=italic, size=size).paragraph_format.space_before = Pt(4)


def _title(doc) -> None:
    _p(doc, "", "BC Title")
    _p(doc, "BÁO CÁO", "BC Title")
    _p(doc, "{%p for line in subject_lines %}", "BC Title")
    _p(doc, "{{ line }}", "BC Title")
    _p(doc, "{%p endfor %}", "BC Title")
    _rule(doc, 40, TEXT_WIDTH_MM)
    _p(doc, "", "BC Title")


def _body(doc) -> None:
    _p(doc, "{{ opening }}", "BC Body")
    _p(doc, "{%p for b in body %}", "BC Body")
    for kind, style in (("h1", "BC Heading 1"), ("h2", "BC Heading 2"), ("h3", "BC Heading 3")):
        _p(doc, ("{%p if " if kind == "h1" else "{%p elif ") + f"b.kind == '{kind}' %}}", "BC Body")
        _p(doc, "{{ b.text }}", style)
    _p(doc, "{%p else %}", "BC Body")
    _p(doc, "{{ b.text }}", "BC Body")
    _p(doc, "{%p endif %}", "BC Body")
    _p(doc, "{%p endfor %}", "BC Body")
    # kept with the signature block below, so the block never opens a page on its own
    _p(doc, "{{ closing }}", "BC Body").paragraph_format.keep_with_next = True


def _cant_split(row) -> None:
    """A row that Word and LibreOffice move whole to the next page rather than break across two."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _signature(doc) -> None:
    """Nơi nhận (left) and authority, title, signature space and name (right): one borderless row that
    cannot split, so "Lưu: VT" and the signer's name never end up alone on the next page."""
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    _widths(t, [72, TEXT_WIDTH_MM - 72])
    _cant_split(t.rows[0])
    left, right = t.cell(0, 0), t.cell(0, 1)
    _first(left, "Nơi nhận:", "BC Recipients Head")
    _p(left, "{%p for r in recipients %}", "BC Recipients")
    _p(left, "{{ r }}", "BC Recipients")
    _p(left, "{%p endfor %}", "BC Recipients")
    _first(right, "{%p for line in signer_lines %}", "BC Signer")
    _p(right, "{{ line }}", "BC Signer")
    _p(right, "{%p endfor %}", "BC Signer")
    for _ in range(4):  # room for the signature and seal
        _p(right, "", "BC Signer")
    _p(right, "{{ signer_name }}", "BC Signer")


def appendix_head(doc) -> None:
    """'PHỤ LỤC' on a new page and its caption, inside `{%p if appendix %}` (the caller closes it)."""
    _p(doc, "{%p if appendix %}", "BC Body")
    head = _p(doc, "PHỤ LỤC", "BC Title")
    head.paragraph_format.page_break_before = True
    _p(doc, "{{ appendix.caption }}", "BC Center", italic=True)
    _p(doc, "", "BC Center")


def _appendix(doc) -> None:
    appendix_head(doc)
    _p(doc, "{%p if appendix.services %}", "BC Body")
    _p(doc, "{{ appendix.services_title }}", "BC Title")
    cols = [("TT", 10), ("Dịch vụ công", 66), ("Cơ quan chủ trì", 34), ("Hồ sơ tiếp nhận", 18),
            ("Hồ sơ trực tuyến", 18), ("Tỷ lệ", 19)]
    t = doc.add_table(rows=4, cols=len(cols))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(t, [w for _, w in cols])
    for i, (name, _) in enumerate(cols):
        _first(t.cell(0, i), name, "BC Table", bold=True)
    _first(t.cell(1, 0), "{%tr for r in appendix.services %}", "BC Table")
    for i, key in enumerate(("tt", "name", "ministry", "received", "online", "rate")):
        _first(t.cell(2, i), "{{ r." + key + " }}", "BC Table")
    t.cell(2, 1).paragraphs[0].alignment = L
    _first(t.cell(3, 0), "{%tr endfor %}", "BC Table")
    _p(doc, "{%p endif %}", "BC Body")
    _p(doc, "{%p if appendix.chart %}", "BC Body")
    _p(doc, "", "BC Center")
    _p(doc, "{{ appendix.chart }}", "BC Center")
    _p(doc, "{{ appendix.chart_title }}", "BC Center", italic=True, size=12)
    _p(doc, "{%p endif %}", "BC Body")
    _p(doc, "{%p endif %}", "BC Body")


def build(path: Path = TEMPLATE_PATH, appendix=None) -> Path:
    """The template; `appendix` builds another appendix (the province's communes table)."""
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
    _styles(doc)
    _page_number_header(sec)
    body = doc.paragraphs[0]._p if doc.paragraphs else None
    if body is not None:  # the default document's empty first paragraph
        body.getparent().remove(body)
    _header_block(doc)
    _title(doc)
    _body(doc)
    _signature(doc)
    (appendix or _appendix)(doc)
    cp = doc.core_properties
    cp.author, cp.title, cp.comments, cp.last_modified_by = "", "Báo cáo", "", ""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":  # pragma: no cover
    print(build())  # noqa: T201
