"""The few figures and rates a province compares its communes on (chat overview, draft table): counts, and rates
always computed from summed numerators and denominators."""
from __future__ import annotations

from dataclasses import dataclass

from common.vnnum import fmt_int, fmt_pct
from province.rollup import Rollup


@dataclass(frozen=True)
class KeyFigure:
    header: str
    numerator: str
    denominator: str | None = None  # another indicator; None: a count, or an x/y figure's own denominator
    as_rate: bool = False

    def value(self, r: Rollup) -> float | None:
        if self.as_rate:
            return r.ratio(self.numerator, self.denominator)
        t = r.totals.get(self.numerator)
        return t.value if t else None

    def text(self, r: Rollup) -> str:
        v = self.value(r)
        if v is None:
            return ""
        return fmt_pct(v) if self.as_rate else fmt_int(v)


KEY_FIGURES = [
    KeyFigure("Hồ sơ cấp CCCD", "cccd.thu_nhan"),
    KeyFigure("Hồ sơ định danh điện tử", "dinh_danh.ho_so"),
    KeyFigure("Tỷ lệ hồ sơ TTHC trực tuyến", "tthc.tiep_nhan_truc_tuyen", "tthc.tiep_nhan", as_rate=True),
    KeyFigure("Tỷ lệ TTHC giải quyết đúng hạn", "tthc.dung_han", "tthc.da_giai_quyet", as_rate=True),
    KeyFigure("Tỷ lệ cập nhật CMND 9 số", "lam_sach.cmnd_9_so", as_rate=True),
]
