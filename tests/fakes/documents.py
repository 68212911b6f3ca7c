"""Documents that hurt a naive reader, built in the test (nothing downloaded): small PDFs that take long to read,
PDFs with JavaScript, DOCX files with many well-compressed parts or a huge body."""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

TEXT = ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 04/CT-TTg", "Hà Nội, ngày 11 tháng 02 năm 2024", "CHỈ THỊ",
        "Về tiếp tục đẩy mạnh triển khai Đề án 06 tại các bộ, ngành, địa phương",
        "Ủy ban nhân dân cấp xã đẩy mạnh cấp căn cước và kích hoạt định danh điện tử."]


def _pdf(path: Path, content: bytes, javascript: str = "") -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject

    w = PdfWriter()
    font = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                           NameObject("/Subtype"): NameObject("/Type1"),
                                           NameObject("/BaseFont"): NameObject("/Helvetica")}))
    page = w.add_blank_page(595, 842)
    stream = StreamObject()
    stream._data = zlib.compress(content, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = w._add_object(stream)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    if javascript:  # run when the document opens
        w._root_object[NameObject("/OpenAction")] = w._add_object(DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}))
    with path.open("wb") as f:
        w.write(f)
    return path


def _text_ops(lines: list[str]) -> bytes:
    ascii_lines = [ln.encode("ascii", "replace").decode() for ln in lines]
    return "".join(f"BT /F1 11 Tf 60 {780 - 16 * i} Td ({ln}) Tj ET\n" for i, ln in enumerate(ascii_lines)).encode()


def heavy_drawing_pdf(path: Path, strokes: int = 100_000) -> Path:
    """A few KB that pypdf needs many seconds to read: one page of text drawn over by `strokes` paths."""
    return _pdf(path, _text_ops(TEXT) + b"0 0 m 100 100 l 50 20 l h S\n" * strokes)


def text_pdf(path: Path, javascript: str = "") -> Path:
    return _pdf(path, _text_ops(TEXT), javascript)


def many_parts_docx(path: Path, pictures: int = 150) -> Path:
    """About 1.7 MB: a long repetitive table (its XML compresses ~140x) and many picture parts."""
    import docx
    from docx.shared import Cm

    rnd = random.Random(6)
    d = docx.Document()
    for line in TEXT:
        d.add_paragraph(line)
    table = d.add_table(rows=1500, cols=6)
    for row in table.rows:
        for cell in row.cells:
            cell.text = "Cấp CCCD"
    for _ in range(pictures):
        d.add_picture(io.BytesIO(_png(rnd, 64, 62)), width=Cm(2))
    d.save(str(path))
    return path


def _png(rnd: random.Random, width: int, height: int) -> bytes:
    """An incompressible RGB picture (random pixels, stored)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + rnd.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b"")


def huge_body_docx(path: Path, paragraphs: int = 300_000) -> Path:
    """~170 KB on disk, ~30 MB of XML: reading it needs far more memory than its size suggests."""
    import docx

    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph(TEXT[0])
    d.save(buf)
    para = "<w:p><w:r><w:t>Ủy ban nhân dân xã đẩy mạnh cấp căn cước cho người dân trên địa bàn.</w:t></w:r></w:p>"
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode()
                at = xml.index("<w:body>") + len("<w:body>")
                data = (xml[:at] + para * paragraphs + xml[at:]).encode()
            zout.writestr(item, data)
    return path
