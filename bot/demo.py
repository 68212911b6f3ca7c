"""`baocao demo`: an idempotent demo commune with officers and a history of prior periods, inside a demo
province of 30 communes (bot/demo_province.py).

Figures are generated deterministically (seeded by the period's dates), so running it twice changes
nothing, and they are internally consistent (parts sum to their parent, months contain their weeks).
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from db.models import Officer, Unit
from db.repo import people, reports
from figures.periods import Calendar, PeriodSpec, current_period, previous_period

DEMO_UNIT = "demo-hoa-an"
DEMO_OFFICERS = [  # console user name, display name, role
    ("can_bo", "Nguyễn Văn An", "reporter"),
    ("lanh_dao", "Trần Văn Hùng", "approver"),
    ("quan_tri", "Lê Thị Quản", "admin"),
]
WEEKS, MONTHS = 8, 3

# weekly flow ranges: (indicator, low, high)
_WEEKLY = [
    ("cccd.cap_moi", 20, 40), ("cccd.cap_doi", 6, 15), ("cccd.cap_lai", 8, 18),
    ("cccd.tra_the", 35, 60), ("dinh_danh.ho_so", 40, 70),
    ("dinh_danh.kich_hoat_muc_1", 3, 10), ("dinh_danh.kich_hoat_muc_2", 25, 50),
    ("tuyen_truyen.luot_nguoi", 300, 700), ("tuyen_truyen.tin_bai", 1, 3), ("tuyen_truyen.loa", 10, 14),
    ("tthc.tiep_nhan_truc_tuyen", 25, 45), ("tthc.tiep_nhan_truc_tiep", 15, 30), ("tthc.tiep_nhan_buu_chinh", 0, 2),
    ("dvc.thuong_tru.tiep_nhan", 8, 15), ("dvc.tam_tru.tiep_nhan", 2, 6), ("dvc.luu_tru.tiep_nhan", 15, 30),
    ("dvc.khai_sinh.tiep_nhan", 3, 8), ("dvc.khai_tu.tiep_nhan", 1, 3),
]
_SUMS = {  # parent: parts (the catalogue's sum rules)
    "cccd.thu_nhan": ["cccd.cap_moi", "cccd.cap_doi", "cccd.cap_lai"],
    "dinh_danh.kich_hoat": ["dinh_danh.kich_hoat_muc_1", "dinh_danh.kich_hoat_muc_2"],
    "tthc.tiep_nhan": ["tthc.tiep_nhan_truc_tuyen", "tthc.tiep_nhan_truc_tiep", "tthc.tiep_nhan_buu_chinh"],
}
_CUMULATIVE = {"lam_giau.hoi_nong_dan": (1389, 4), "lam_giau.nguoi_cao_tuoi": (2456, 6),
               "lam_giau.cuu_chien_binh": (144, 1)}  # start value and weekly growth


def _weekly_figures(week: PeriodSpec, salt: int = 0, scale: float = 1.0) -> dict[str, tuple[float, float | None]]:
    """A week's flows; `salt` and `scale` make another commune's (bot/demo_province.py)."""
    rnd = random.Random(week.start.toordinal() + salt)
    vals: dict[str, tuple[float, float | None]] = {k: (rnd.randint(round(lo * scale), round(hi * scale)), None)
                                                   for k, lo, hi in _WEEKLY}
    _derive(vals, rnd)
    return vals


def _derive(vals: dict, rnd: random.Random) -> None:
    """Parents, online shares, resolution split and clean-up pairs, consistent with the parts."""
    for parent, parts in _SUMS.items():
        vals[parent] = (sum(vals[p][0] for p in parts), None)
    for svc in ("thuong_tru", "tam_tru", "luu_tru", "khai_sinh", "khai_tu"):
        total = vals[f"dvc.{svc}.tiep_nhan"][0]
        vals[f"dvc.{svc}.truc_tuyen"] = (total if svc == "luu_tru" else max(0, total - rnd.randint(0, 1)), None)
    received = vals["tthc.tiep_nhan"][0]
    late = 1 if rnd.random() < 0.15 else 0
    vals["tthc.dung_han"], vals["tthc.qua_han"] = (received - late, None), (late, None)
    vals["tthc.da_giai_quyet"] = (received, None)
    todo = rnd.randint(3, 8)
    vals["lam_sach.cmnd_9_so"] = (todo, float(todo))
    todo = rnd.randint(5, 16)
    vals["lam_sach.sai_lech_cccd"] = (todo - rnd.randint(0, 2), float(todo))


def _cumulative(end: date, anchor: date, scale: float = 1.0) -> dict[str, tuple[float, None]]:
    weeks = max(0, (end - anchor).days // 7)
    return {k: (float(round(start * scale) + growth * weeks), None) for k, (start, growth) in _CUMULATIVE.items()}


def _monthly_figures(month: PeriodSpec, cal: Calendar, salt: int = 0,
                     scale: float = 1.0) -> dict[str, tuple[float, float | None]]:
    """A month's flows = the days of each week that fall in it, prorated, so weeks never exceed it."""
    flows = {k: 0.0 for k, _, _ in _WEEKLY}
    d = month.start
    while d <= month.end:
        week = current_period("tuan", d, cal)
        wv = _weekly_figures(week, salt, scale)
        for k in flows:
            flows[k] += wv[k][0] / 7
        d += timedelta(days=1)
    vals: dict[str, tuple[float, float | None]] = {k: (float(round(v)), None) for k, v in flows.items()}
    # contained weeks must not exceed the month: lift each flow to at least their sum
    w = current_period("tuan", month.start, cal)
    contained = []
    while w.start <= month.end:
        if w.start >= month.start and w.end <= month.end:
            contained.append(_weekly_figures(w, salt, scale))
        w = PeriodSpec("tuan", w.start + timedelta(days=7), w.end + timedelta(days=7))
    for k in flows:
        vals[k] = (max(vals[k][0], sum(c[k][0] for c in contained)), None)
    _derive(vals, random.Random(month.start.toordinal() + salt))
    if contained:  # the month's late files and online shares include those of its weeks
        late = sum(c["tthc.qua_han"][0] for c in contained)
        vals["tthc.qua_han"], vals["tthc.dung_han"] = (late, None), (vals["tthc.da_giai_quyet"][0] - late, None)
        for k in [k for k in vals if k.endswith(".truc_tuyen")]:
            vals[k] = (max(vals[k][0], sum(c[k][0] for c in contained)), None)
    return vals


def grant_console_officers(s: Session, unit: Unit, officers: list[tuple[str, str, str]]) -> None:
    """Console users (login, display name, role) of a demo unit, created once."""
    for login, name, role in officers:
        officer = people.officer_by_identity(s, "console", login)
        if officer is None:
            officer = Officer(display_name=name)
            s.add(officer)
            s.flush()
            people.link_identity(s, officer, "console", login)
        people.grant(s, officer, unit, role)


def seed_demo(s: Session, today: date, province: bool = True) -> Unit:
    """The demo commune and (with `province`) the demo province around it."""
    unit = people.unit_by_code(s, DEMO_UNIT)
    if unit is None:
        unit = Unit(code=DEMO_UNIT, name="xã Hòa An", level="xa", place_name="Hòa An",
                    agency_name="ỦY BAN NHÂN DÂN XÃ HÒA AN", parent_agency="UBND HUYỆN MINH GIANG",
                    leader_name="Trần Văn Hùng", leader_title="CHỦ TỊCH", signer_authority="TM. ỦY BAN NHÂN DÂN",
                    population=5800, population_14plus=4700, week_start_weekday=0, month_start_day=1,
                    recipients=["TCT Đề án 06 huyện (qua Đội QLHC)", "Lưu: VT, CAX"])
        s.add(unit)
        s.flush()
    grant_console_officers(s, unit, DEMO_OFFICERS)

    cal = Calendar(unit.week_start_weekday, unit.month_start_day)
    anchor = current_period("tuan", today, cal).start - timedelta(days=7 * 60)
    week = current_period("tuan", today, cal)
    for _ in range(WEEKS):
        week = previous_period(week, cal)
        _store(s, unit, week, {**_weekly_figures(week), **_cumulative(week.end, anchor)})
    month = current_period("thang", today, cal)
    for _ in range(MONTHS):
        month = previous_period(month, cal)
        _store(s, unit, month, {**_monthly_figures(month, cal), **_cumulative(month.end, anchor)})
    if province:
        from bot.demo_province import seed_province  # it builds on this module's generators

        seed_province(s, today, unit)
    return unit


def _store(s: Session, unit: Unit, spec: PeriodSpec, vals: dict) -> None:
    period = reports.get_or_create_period(s, spec.kind, spec.start, spec.end, spec.label)
    report = reports.get_or_create_report(s, unit.id, period)
    if report.status == "draft" and report.submitted_at is None:
        for ind, (v, den) in sorted(vals.items()):
            reports.set_figure(s, report, ind, v, denominator=den, source="demo")
        report.status = "approved"
        report.request = report.request or ("Công văn số 123/UBND-CA ngày 02/01/2026 của UBND huyện Minh Giang "
                                            "về việc báo cáo định kỳ kết quả thực hiện Đề án 06")
