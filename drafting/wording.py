"""Document-level wording: the date line, subject, opening, closing and the period phrases."""
from __future__ import annotations

from datetime import date

from figures.periods import PeriodSpec, subject_phrase


def place_date(place: str, d: date) -> str:
    """'Hòa An, ngày 01 tháng 12 năm 2023': days under 10 and months 1-2 get a leading zero (NĐ 30/2020)."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def agency_lines(agency: str) -> list[str]:
    """'ỦY BAN NHÂN DÂN XÃ HÒA AN' on two lines, as agencies write it, so no line breaks mid-name."""
    agency = agency.upper().strip()
    head = "ỦY BAN NHÂN DÂN "
    if agency.startswith(head) and len(agency) > 22:
        return [head.strip(), agency[len(head):]]
    return [agency]


def subject_lines(p: PeriodSpec, area: str, override: str = "") -> list[str]:
    """Subject under "BÁO CÁO": weekly to yearly by kind, a review report's own subject when given;
    a week's dates go on their own line as in the seed reports."""
    lead = {"sau_thang": "Kết quả sơ kết", "nam": "Kết quả tổng kết"}.get(p.kind, "Kết quả")
    phrase = subject_phrase(p)
    head, _, dates = phrase.partition(" (") if p.kind in ("tuan", "dot_xuat") else (phrase, "", "")
    if override:
        lines = [override]
    elif p.kind == "dot_xuat":
        lines = [f"{lead} triển khai, thực hiện Đề án 06"]
    else:
        lines = [f"{lead} triển khai, thực hiện Đề án 06 {head}"]
    if dates:
        lines.append(f"({dates}")
    return lines + [f"trên địa bàn {area}"]


def in_period(p: PeriodSpec) -> str:
    """How the text refers to the period: 'trong tuần', 'trong tháng 10/2026', 'năm 2026'."""
    if p.kind == "tuan":
        return "trong tuần"
    if p.kind == "dot_xuat":
        return "trong kỳ"
    return subject_phrase(p)


def next_period(p: PeriodSpec) -> str:
    """'tuần tới', 'tháng tới', '6 tháng cuối năm 2024', 'năm 2024'."""
    if p.kind == "sau_thang":
        return f"6 tháng cuối năm {p.start.year}" if p.start.month <= 6 else f"6 tháng đầu năm {p.start.year + 1}"
    if p.kind == "nam":
        return f"năm {p.start.year + 1}"
    return {"tuan": "tuần tới", "thang": "tháng tới", "quy": "quý tới"}.get(p.kind, "thời gian tới")


def _what(p: PeriodSpec, subject: str) -> str:
    """What is reported, inside a sentence: 'kết quả triển khai, thực hiện Đề án 06 trong tuần', or a review
    report's own subject ('kết quả sơ kết 02 năm thực hiện Đề án 06/CP')."""
    if subject:
        return subject[:1].lower() + subject[1:]
    return f"kết quả triển khai, thực hiện Đề án 06 {in_period(p)}"


def opening(request: str, reporter: str, p: PeriodSpec, subject: str = "") -> str:
    """'Thực hiện Công văn số … về việc …. UBND xã Hòa An báo cáo kết quả … như sau:'."""
    said = f"{reporter} báo cáo {_what(p, subject)}, cụ thể như sau:"
    request = request.strip().rstrip(".;")
    if not request:
        return said
    if not request.lower().startswith("thực hiện"):
        request = f"Thực hiện {request}"
    return f"{request}. {said}"


def closing(p: PeriodSpec, area: str, subject: str = "") -> str:
    if subject:
        return f"Trên đây là báo cáo {_what(p, subject)} trên địa bàn {area}./."
    period = subject_phrase(p).replace("(Từ", "(từ")
    if p.kind == "dot_xuat":
        period = period.split(" ", 2)[-1]
    return f"Trên đây là báo cáo kết quả triển khai, thực hiện Đề án 06 {period} trên địa bàn {area}./."


def recipient_lines(recipients: list[str]) -> list[str]:
    """'- …;' lines, the last ending with '.', and a 'Lưu: VT.' line when the unit gave none."""
    items = [r.strip().lstrip("-").strip().rstrip(".;") for r in recipients if r.strip()]
    if not any(i.lower().startswith("lưu") for i in items):
        items.append("Lưu: VT")
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]
