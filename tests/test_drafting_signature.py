"""The signature block (Nơi nhận + authority, title, signature space, name) never splits across pages.

Checked in the DOCX structure everywhere, and by rendering long drafts through LibreOffice where it is installed
(Debian: libreoffice-writer-nogui, poppler-utils): the closing sentence and the whole block share the last page.
"""
import copy
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from drafting.build_template import TEMPLATE_PATH
from drafting.inputs import DraftInput
from drafting.render import render
from tests.test_drafting_document import WEEK

BLOCK = ("Nơi nhận:", "- Văn phòng UBND tỉnh;", "- Công an tỉnh;", "- Lưu: VT, NCTH.", "KT. CHỦ TỊCH",
         "PHÓ CHỦ TỊCH", "Bùi Việt Hà")
FILLER = "Nội dung nhiệm vụ trọng tâm được trình bày đủ dài để dự thảo sang nhiều trang, " * 3


def _long_draft(extra_lines: int) -> dict:
    """Seed 002's week with a long narrative: ≥ 4 pages, the block landing lower as `extra_lines` grows."""
    data = copy.deepcopy(WEEK)
    data["appendix"] = False
    data["narrative"] = {"nhiem_vu": "\n".join([FILLER] * 20 + [f"Nội dung bổ sung số {i}." for i in range(extra_lines)])}
    return data


def _signature_table(doc):
    return next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text.startswith("Nơi nhận"))


def _paragraph_before(table):
    prev = table._tbl.getprevious()
    assert prev.tag == qn("w:p")
    return prev


@pytest.mark.parametrize("source", ["template", "rendered"])
def test_signature_row_cannot_split_and_keeps_with_the_closing(tmp_path, source):
    path = TEMPLATE_PATH if source == "template" else render(DraftInput.from_json(_long_draft(0)),
                                                             tmp_path / "d.docx", with_chart=False).path
    doc = Document(str(path))
    table = _signature_table(doc)
    assert len(table.rows) == 1
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    closing = _paragraph_before(table)
    assert closing.pPr.find(qn("w:keepNext")) is not None
    if source == "rendered":
        text = "".join(t.text for t in closing.iter(qn("w:t")))
        assert text.endswith("./.")
        assert [p.text for p in table.cell(0, 1).paragraphs if p.text] == list(BLOCK[-3:])


def _pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice (soffice) and pdftotext are not installed")
def test_long_drafts_keep_the_block_on_one_page_in_libreoffice(tmp_path):
    """Fourteen drafts whose block lands 3 lines lower each time (more than a page in all): with a block that
    could split, some would break it across pages (the template before cantSplit/keepNext did)."""
    paths = [str(render(DraftInput.from_json(_long_draft(n)), tmp_path / f"d{n:02d}.docx", with_chart=False).path)
             for n in range(0, 42, 3)]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *paths], check=True, capture_output=True, timeout=600)
    page_counts = set()
    for p in paths:
        pages = _pdf_pages(p.replace(".docx", ".pdf"))
        page_counts.add(len(pages))
        last = pages[-1]
        assert all(line in last for line in BLOCK), (p, last)
        assert "./." in last, p  # the closing sentence stands with the block
        assert not any(line in page for page in pages[:-1] for line in BLOCK[1:]), p
    assert min(page_counts) >= 4 and len(page_counts) > 1  # long drafts, and the sweep crossed a page break
