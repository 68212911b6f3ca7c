"""Vietnamese number style for everything shown to an officer or written in a draft:
thousands with ".", decimals with ",", e.g. 2.291 and 58,8%.
"""
from __future__ import annotations

import math


def fmt_int(n: float | int, pad2: bool = False) -> str:
    """2291 -> '2.291'; with pad2, counts under 10 get a leading zero ('04') as reports write them."""
    v = int(round(n))
    s = f"{abs(v):,}".replace(",", ".")
    if pad2 and 0 <= v < 10:
        s = f"{v:02d}"
    return ("-" if v < 0 else "") + s


def fmt_num(x: float | int, decimals: int = 1, pad2: bool = False) -> str:
    """Whole numbers as integers, others with up to `decimals` decimals: 5.02 -> '5,02'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if float(x).is_integer():
        return fmt_int(x, pad2=pad2)
    whole = int(abs(x))
    frac = round(abs(x) - whole, decimals)
    if frac >= 1:  # rounding carried over
        whole, frac = whole + 1, 0.0
    head = f"{whole:,}".replace(",", ".")
    tail = f"{frac:.{decimals}f}"[2:].rstrip("0")
    sign = "-" if x < 0 else ""
    return f"{sign}{head},{tail}" if tail else f"{sign}{head}"


def fmt_pct(p: float, decimals: int = 1) -> str:
    """58.8 -> '58,8%'; 100.0 -> '100%'."""
    return f"{fmt_num(round(p, decimals), decimals)}%"


def rate(value: float, denominator: float) -> float | None:
    """value/denominator as a percentage, None when the denominator is 0 or missing."""
    if not denominator:
        return None
    return 100.0 * value / denominator
