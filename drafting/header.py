"""The governing-agency line above the issuing agency in the header (Nghị định 30/2020, Phụ lục I: "tên cơ quan,
tổ chức chủ quản trực tiếp (nếu có)"), by the unit's level and parent and the date of the report.

Since 01/7/2025 local government has two levels, tỉnh → xã/phường/đặc khu, with no huyện: a commune's People's
Committee has no governing-agency line. Before that date a commune under a huyện carried "UBND HUYỆN …" above its
own name (seed 000), and a report dated then keeps it. A huyện-level unit (old data, or a province that keeps an
intermediate level) keeps the line its admin set, or its province's.
"""
from __future__ import annotations

from datetime import date

TWO_LEVEL_SINCE = date(2025, 7, 1)


def _committee(parent_name: str) -> str:
    """'huyện Hoằng Hóa' -> 'UBND HUYỆN HOẰNG HÓA'."""
    return f"UBND {parent_name}".upper() if parent_name else ""


def governing_agency(level: str, parent_agency: str, parent_name: str, parent_level: str, on: date) -> str:
    """The upper-case line to print above the agency, or "" for none."""
    if level == "tinh":
        return ""
    if level == "xa":
        if on >= TWO_LEVEL_SINCE or parent_level == "tinh":
            return ""
        return (parent_agency or (_committee(parent_name) if parent_level == "huyen" else "")).upper()
    return (parent_agency or _committee(parent_name)).upper()
