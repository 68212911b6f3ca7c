"""Vietnamese numerals as officers type them: "1.389" and "2.291" (dot = thousands), "58,8" (comma = decimal),
"5.02" (a dot followed by one or two digits is a decimal), "02"/"00" (leading zeros), "1,2 nghìn", "1.5 triệu".

Works on folded text (common.vntext.fold-style: lower-case, no diacritics).
"""
from __future__ import annotations

import re

_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")
# English style "1,389" (Vietnamese decimals rarely have exactly 3 digits)
_THOUSANDS_COMMA = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_INTEGER = re.compile(r"\d+")

MULTIPLIERS = {"nghin": 1e3, "ngan": 1e3, "k": 1e3, "trieu": 1e6, "ty": 1e9}
# A multiplier word right after a number ("1,2 nghìn", "1.5 triệu", "2k").
MULTIPLIER_AFTER = re.compile(r"\s*(nghin|ngan|trieu|ty|k)\b")


MAX_DIGITS = 15  # a longer literal is no count anyone reports, and a float cannot hold it exactly


def to_number(raw: str, *, percent: bool = False, multiplier: float = 1.0) -> float | None:
    """The value of a numeric literal, or None when it is not a plain number (e.g. a section number "1.2.3") or
    has more than MAX_DIGITS digits."""
    if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
        return None
    if _INTEGER.fullmatch(raw):
        return float(int(raw)) * multiplier
    if multiplier != 1.0 and _DECIMAL.fullmatch(raw) and len(raw.split(".")[-1].split(",")[-1]) < 3:
        return float(raw.replace(",", ".")) * multiplier  # "1.5 triệu": a decimal before a multiplier
    if _THOUSANDS_DOT.fullmatch(raw):
        return float(raw.replace(".", "")) * multiplier
    if not percent and _THOUSANDS_COMMA.fullmatch(raw):
        return float(raw.replace(",", "")) * multiplier
    if _DECIMAL.fullmatch(raw):
        return float(raw.replace(",", ".")) * multiplier
    return None


def is_plain_int(raw: str) -> bool:
    return bool(_INTEGER.fullmatch(raw))
