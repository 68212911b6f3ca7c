"""The demo province (`baocao demo`): `demo-tinh` with 30 communes, the demo commune `demo-hoa-an` among them,
so a new user sees the province view at once (console users `tong_hop`, `can_bo_tinh`, `lanh_dao_tinh`).

Each commune's figures come from the demo commune's generator with its own seed and size, so they are consistent
the same way (parts sum to their parent, months contain their weeks). Histories vary deterministically: most
reports approved before the deadline, some after it, one commune missing last week's report; the latest week
(whose deadline may still be ahead) is partly approved, partly in progress. Idempotent: existing reports are kept.
"""
from __future__ import annotations

import random
import zlib
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.demo import _cumulative, _monthly_figures, _weekly_figures, grant_console_officers
from common import clock
from db.models import Figure, FigureRevision, Period, Report, Unit
from db.repo import people, reports
from figures.periods import PeriodSpec, current_period, previous_period
from province.deadlines import DeadlineRule, calendar_of, deadline
from province.status import APPROVED, DRAFT

PROVINCE = "demo-tinh"
MISSING_COMMUNE = "demo-tan-lap"  # has no report for the latest week whose deadline has passed
PROVINCE_OFFICERS = [  # console user name, display name, role
    ("tong_hop", "Phạm Thị Hợp", "tong_hop"),
    ("can_bo_tinh", "Đỗ Văn Tình", "reporter"),
    ("lanh_dao_tinh", "Vũ Đức Long", "approver"),
]
COMMUNES = [  # code suffix, name, population
    ("an-binh", "xã An Bình", 7200), ("an-phu", "xã An Phú", 5400), ("bac-son", "phường Bắc Sơn", 18500),
    ("binh-minh", "xã Bình Minh", 6100), ("cam-thuy", "xã Cẩm Thủy", 8800), ("dong-son", "xã Đông Sơn", 4900),
    ("dong-tam", "xã Đồng Tâm", 6600), ("hai-thanh", "xã Hải Thành", 9700), ("hoa-lac", "xã Hòa Lạc", 5200),
    ("hong-phong", "xã Hồng Phong", 7400), ("kim-lien", "xã Kim Liên", 6900), ("lac-son", "xã Lạc Sơn", 4300),
    ("long-hung", "xã Long Hưng", 8100), ("minh-duc", "xã Minh Đức", 5900), ("nam-giang", "phường Nam Giang", 21300),
    ("ngoc-lam", "xã Ngọc Lâm", 4700), ("phu-loc", "xã Phú Lộc", 7700), ("phuc-thinh", "xã Phúc Thịnh", 6300),
    ("quang-trung", "phường Quang Trung", 16800), ("son-ha", "xã Sơn Hà", 3900), ("tan-lap", "xã Tân Lập", 5600),
    ("tan-tien", "xã Tân Tiến", 6800), ("thanh-son", "xã Thanh Sơn", 5100), ("thuan-thanh", "xã Thuận Thành", 8300),
    ("tien-phong", "xã Tiến Phong", 6000), ("trung-son", "xã Trung Sơn", 4500), ("van-ninh", "xã Vạn Ninh", 9100),
    ("vinh-quang", "xã Vĩnh Quang", 7000), ("xuan-mai", "xã Xuân Mai", 6500),
]
REQUEST = ("Công văn số 45/TCT-CAT ngày 05/01/2026 của Tổ công tác Đề án 06 tỉnh Minh Giang về việc báo cáo định kỳ "
           "kết quả thực hiện Đề án 06")
# history of the other communes: enough for the province view, its comparisons and a late or missing report;
# short, because every approved report is also indexed for questions (retrieval/reports.py)
WEEKS, MONTHS = 3, 2
REFERENCE_POPULATION = 5800  # the demo commune's: figure ranges scale with population
IN_PROGRESS = ("tuyen_truyen.", "cccd.", "dinh_danh.", "dvc.")  # what a report still in progress already has


def _province(s: Session) -> Unit:
    unit = people.unit_by_code(s, PROVINCE)
    if unit is None:
        unit = Unit(code=PROVINCE, name="tỉnh Minh Giang", level="tinh", place_name="Minh Giang",
                    agency_name="ỦY BAN NHÂN DÂN TỈNH MINH GIANG", parent_agency="", leader_name="Vũ Đức Long",
                    leader_title="PHÓ CHỦ TỊCH", signer_authority="TM. ỦY BAN NHÂN DÂN", population=196_000,
                    recipients=["Bộ Công an (qua C06)", "Tổ công tác triển khai Đề án 06 của Chính phủ",
                                "Thường trực Tỉnh ủy, HĐND tỉnh", "Lưu: VT, CAT"])
        s.add(unit)
        s.flush()
    grant_console_officers(s, unit, PROVINCE_OFFICERS)
    return unit


def _communes(s: Session, province: Unit, hoa_an: Unit) -> list[Unit]:
    hoa_an.parent_id = province.id
    out = [hoa_an]
    for suffix, name, population in COMMUNES:
        code = f"demo-{suffix}"
        unit = people.unit_by_code(s, code)
        if unit is None:
            place = name.split(" ", 1)[1]
            unit = Unit(code=code, name=name, level="xa", parent_id=province.id, place_name=place,
                        agency_name=f"ỦY BAN NHÂN DÂN {name.upper()}", population=population,
                        population_14plus=round(population * 0.8),
                        recipients=["TCT Đề án 06 tỉnh (qua CAT)", "Lưu: VT"])
            s.add(unit)
        out.append(unit)
    s.flush()
    return out


def _add_figures(s: Session, batch: list[tuple[Report, dict]]) -> None:
    """New reports' figures in one batch, each with its revision (as set_figure writes them)."""
    figures, revisions = [], []
    for report, vals in batch:
        for i, (v, d) in sorted(vals.items()):
            figures.append({"report_id": report.id, "indicator": i, "value": float(v), "denominator": d,
                            "source": "demo"})
            revisions.append({"report_id": report.id, "indicator": i, "action": "set", "new_value": float(v),
                              "new_denominator": d, "source": "demo"})
    if figures:
        s.execute(insert(Figure), figures)
        s.execute(insert(FigureRevision), revisions)


def _outcome(code: str, period: PeriodSpec, due: datetime, now: datetime) -> tuple[str | None, datetime | None]:
    """(status, submission time) of a commune's report: None status = no report."""
    rnd = random.Random(f"{code}:{period.kind}:{period.start}")
    if now < due:  # deadline ahead: some approved already, some still in progress, a few not started
        roll = rnd.random()
        if roll < 0.65:
            return APPROVED, now - timedelta(hours=rnd.randint(2, 40))
        return (DRAFT, None) if roll < 0.9 else (None, None)
    if rnd.random() < 0.12:
        return APPROVED, due + timedelta(hours=rnd.randint(2, 40))
    return APPROVED, due - timedelta(hours=rnd.randint(2, 60))


def _history(s: Session, unit: Unit, periods: list[tuple[Period, dict]], now: datetime, tz: str,
             missing: PeriodSpec | None) -> list[tuple[Report, dict]]:
    """The commune's reports not seeded yet, with the figures to add (in progress: the first sections)."""
    rule = DeadlineRule.of(unit)
    have = set(s.scalars(select(Report.period_id).where(Report.unit_id == unit.id)))
    batch = []
    for period, vals in periods:
        spec = PeriodSpec(period.kind, period.start, period.end)
        due = deadline(rule, spec, tz)
        status, handed_in = _outcome(unit.code, spec, due, now)
        if status is None or spec == missing or period.id in have:
            continue
        report = Report(unit_id=unit.id, period_id=period.id, status=status, narrative={}, options={},
                        request=REQUEST)
        if status == APPROVED:
            assert handed_in is not None  # _outcome times every approved report
            report.submitted_at = min(handed_in, now)
            report.approved_at = min(handed_in + timedelta(hours=3), now)
        s.add(report)
        if status != APPROVED:
            vals = {k: v for k, v in vals.items() if k.startswith(IN_PROGRESS)}
        batch.append((report, vals))
    return batch


def seed_province(s: Session, today: date, hoa_an: Unit) -> Unit:
    """The demo province around `hoa_an`, with its communes' histories up to `today`."""
    tz, now = clock.VIETNAM, clock.now()
    province = _province(s)
    communes = _communes(s, province, hoa_an)
    cal = calendar_of(province)
    week = current_period("tuan", today, cal)
    anchor = week.start - timedelta(days=7 * 60)
    weeks, month = [], current_period("thang", today, cal)
    for _ in range(WEEKS):
        week = previous_period(week, cal)
        weeks.append(week)
    months = []
    for _ in range(MONTHS):
        month = previous_period(month, cal)
        months.append(month)
    rule = DeadlineRule.of(province)
    missing = next(w for w in weeks if deadline(rule, w, tz) <= now)
    rows = {p: reports.get_or_create_period(s, p.kind, p.start, p.end, p.label) for p in weeks + months}
    batch = []
    with s.no_autoflush:
        for unit in communes[1:]:
            salt = zlib.crc32(unit.code.encode())
            assert unit.population is not None  # _communes gives every demo commune one
            scale = unit.population / REFERENCE_POPULATION
            periods = [(rows[w], {**_weekly_figures(w, salt, scale), **_cumulative(w.end, anchor, scale)})
                       for w in weeks]
            periods += [(rows[m], {**_monthly_figures(m, cal, salt, scale), **_cumulative(m.end, anchor, scale)})
                        for m in months]
            batch += _history(s, unit, periods, now, tz, missing if unit.code == MISSING_COMMUNE else None)
    s.flush()
    _add_figures(s, batch)
    _own_figures(s, province, weeks[0])
    _stamp(s, hoa_an, now, tz)
    s.flush()
    return province


def _stamp(s: Session, unit: Unit, now: datetime, tz: str) -> None:
    """The demo commune's approved reports (bot/demo.py) handed in on time, so the province sees when."""
    rule = DeadlineRule.of(unit)
    for r in s.scalars(select(Report).where(Report.unit_id == unit.id, Report.status == APPROVED,
                                            Report.submitted_at.is_(None))):
        due = deadline(rule, PeriodSpec(r.period.kind, r.period.start, r.period.end), tz)
        r.submitted_at = min(due - timedelta(hours=20), now - timedelta(hours=2))
        r.approved_at = r.submitted_at + timedelta(hours=1)


def _own_figures(s: Session, province: Unit, week: PeriodSpec) -> None:
    """The province's own figures for the latest week (sở, ngành), added on top of the communes' in its draft."""
    period = reports.get_or_create_period(s, week.kind, week.start, week.end, week.label)
    report = reports.get_or_create_report(s, province.id, period)
    if not report.figures:
        _add_figures(s, [(report, {"kcb.tong_luot": (4120, None), "kcb.cccd_luot": (3315, None),
                                   "an_sinh.chi_tra_tai_khoan": (860, None)})])
