"""The text of a DOCX in reading order (reports for figures/report_reader.py, library texts): paragraphs and tables
interleaved as in the document, each table row as "cell | cell" (a merged cell once, repeated values kept:
"455 | 455 | 100%")."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from common.errors import InvalidInput


def docx_text(source: Path | bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = docx.Document(BytesIO(source) if isinstance(source, bytes) else str(source))
    except Exception as e:  # python-docx raises many kinds on a damaged file
        raise InvalidInput("Không đọc được tệp DOCX: tệp bị hỏng hoặc không đúng định dạng.") from e
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                seen: list = []  # a merged cell comes once per grid column it spans: keep it once
                cells = []
                for cell in row.cells:
                    if not any(cell._tc is tc for tc in seen):
                        seen.append(cell._tc)
                        cells.append(" ".join(cell.text.split()))
                lines.append(" | ".join(cells))
    return "\n".join(lines)
