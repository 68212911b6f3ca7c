"""The indicator catalogue (knowledge/indicators.yaml), validated at load.

Services are expanded here into their dvc.<service>.<measure> indicators, and remainders ("còn lại") into their own
indicators, so the YAML stays short. Everything derived (parents, sum rules, the alias index) is computed once, in
`Catalogue.__init__`. A unit's own indicators ("chỉ tiêu riêng") are added with `catalogue_for(extensions)`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from common.errors import InvalidInput
from common.vntext import fold
from common.yamlfile import read_yaml

CATALOGUE_PATH = Path(__file__).with_name("indicators.yaml")
Kind = Literal["flow", "cumulative", "stock"]
EXTENSION_PREFIX = "rieng."


class Remainder(BaseModel):
    """What is left of a whole once this indicator's part is done: "còn lại X (chiếm Y%)"."""

    id: str | None = None  # default: "<part id>_con_lai"
    name: str | None = None  # default: "<part name>: còn lại"
    whole: str | None = None  # the whole's indicator; none = the part's own denominator ("866/1.714, còn 848")
    unit: str | None = None  # default: the part's unit
    aliases: list[str] = Field(default_factory=list)


class Indicator(BaseModel):
    id: str
    name: str
    unit: str
    kind: Kind
    section: str
    utility_group: int | None = None
    parts: list[str] = Field(default_factory=list)
    at_most: str | None = None
    twin: str | None = None
    pair: bool = False
    aliases: list[str] = Field(default_factory=list)
    # Short words that name this indicator only right after its parent ("mới" after "CCCD 60, trong đó").
    context_aliases: list[str] = Field(default_factory=list)
    directives: list[str] = Field(default_factory=list)
    service: str | None = None  # for dvc.* indicators, the service id
    # A number counted in another unit names a sibling: "nhóm ưu tiên 1: 3 hồ sơ, 3 tài khoản".
    by_unit: dict[str, str] = Field(default_factory=dict)
    remainder: Remainder | None = None  # this part has a "còn lại" indicator
    remainder_of: str | None = None  # set on remainder indicators: the part
    whole: str | None = None  # set on remainder indicators whose whole is another indicator
    max: float | None = None  # largest plausible value, overriding the catalogue's `plausible` table


class Section(BaseModel):
    id: str
    name: str
    # words of a report heading that put the text under it in this section ("làm sạch dữ liệu")
    heading_words: list[str] = Field(default_factory=list)


class Measure(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    at_most: str | None = None
    unless_statuses: bool = False  # only for services without result statuses (they say "đã trả kết quả")


class Service(BaseModel):
    id: str
    name: str
    ministry: str
    statuses: bool = False
    extra_statuses: dict[str, Measure] = Field(default_factory=dict)  # lưu trú: "mới đăng ký", "được tiếp nhận"
    aliases: list[str] = Field(default_factory=list)
    # names that mean the service only under a heading about public services ("Cấp thẻ CCCD: 00 hồ sơ")
    context_aliases: list[str] = Field(default_factory=list)


class Plausible(BaseModel):
    """The largest believable value of one figure of a commune; larger ones are refused as typos."""

    flow: dict[str, float]  # by period kind
    stock: float
    cumulative: float
    units: dict[str, float] = Field(default_factory=dict)  # caps by unit of measure, whatever the period
    levels: dict[str, float] = Field(default_factory=dict)  # a district or a province reports more


class CatalogueFile(BaseModel):
    units: list[str]
    sections: list[Section]
    utility_groups: dict[int, str]
    indicators: list[Indicator]
    services: list[Service]
    service_measures: dict[str, Measure]
    status_measures: dict[str, Measure]
    templates: dict[str, list[str]]
    plausible: Plausible
    service_pair_measure: str = "truc_tuyen"  # "thường trú 24/126": 24 online out of 126 received

    @model_validator(mode="after")
    def _no_duplicate_ids(self) -> CatalogueFile:
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate indicator ids")
        return self


class Catalogue:
    def __init__(self, data: CatalogueFile):
        self.data = data
        self.units = data.units
        self.sections = data.sections
        self.utility_groups = data.utility_groups
        self.services = {s.id: s for s in data.services}
        self.service_measures = data.service_measures
        self.status_measures = data.status_measures
        self.templates = data.templates
        self.plausible = data.plausible
        self.service_pair_measure = data.service_pair_measure
        self.indicators: dict[str, Indicator] = {}
        for ind in data.indicators:
            self.indicators[ind.id] = ind
            if ind.remainder is not None:
                rest = _expand_remainder(ind, ind.remainder)
                if rest.id in self.indicators:
                    raise ValueError(f"duplicate indicator ids: {rest.id}")
                self.indicators[rest.id] = rest
        for svc in data.services:
            for ind in _expand_service(svc, data):
                self.indicators[ind.id] = ind
        self._validate()
        self.parent_of: dict[str, str] = {p: i.id for i in self.indicators.values() for p in i.parts}
        self.remainder_of_part: dict[str, str] = {
            i.remainder_of: i.id for i in self.indicators.values() if i.remainder_of}
        self._subsets: dict[str, list[str]] = {}
        for i in self.indicators.values():
            if i.at_most and not i.remainder_of:
                self._subsets.setdefault(i.at_most, []).append(i.id)
        self.alias_index: dict[str, list[str]] = {}
        for ind in self.indicators.values():
            for alias in [ind.name, *ind.aliases]:
                ids = self.alias_index.setdefault(fold(alias), [])
                if ind.id not in ids:
                    ids.append(ind.id)

    def _validate(self) -> None:
        sections = {s.id for s in self.sections}
        for ind in self.indicators.values():
            refs = [*ind.parts, *(r for r in (ind.at_most, ind.twin, ind.whole, ind.remainder_of) if r),
                    *ind.by_unit.values()]
            missing = [r for r in refs if r not in self.indicators]
            if missing:
                raise ValueError(f"{ind.id} refers to unknown indicators {missing}")
            if ind.unit not in self.units:
                raise ValueError(f"{ind.id}: unknown unit {ind.unit!r}")
            if ind.section not in sections:
                raise ValueError(f"{ind.id}: unknown section {ind.section!r}")
            if ind.twin and self.indicators[ind.twin].kind != "cumulative":
                raise ValueError(f"{ind.id}: twin {ind.twin} must be cumulative")
        for kind, ids in self.templates.items():
            unknown = [i for i in ids if i not in self.indicators]
            if unknown:
                raise ValueError(f"template {kind} lists unknown indicators {unknown}")
        names: dict[str, str] = {}
        for ind in self.indicators.values():  # the quick form reads lines back by name
            other = names.setdefault(fold(ind.name), ind.id)
            if other != ind.id:
                raise ValueError(f"{ind.id} and {other} have the same name {ind.name!r}")

    def get(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id)

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self.indicators

    def children(self, indicator_id: str) -> list[str]:
        ind = self.indicators.get(indicator_id)
        return list(ind.parts) if ind else []

    def subsets_of(self, indicator_id: str) -> list[str]:
        """Indicators bounded by this one that are not its parts ("trong đó trực tuyến" of the CCCD dossiers)."""
        return list(self._subsets.get(indicator_id, []))

    def sum_rules(self) -> list[tuple[str, list[str]]]:
        """(parent, parts) for every indicator defined as the sum of others."""
        return [(i.id, list(i.parts)) for i in self.indicators.values() if i.parts]

    def remainder_rules(self) -> list[tuple[str, str, str | None]]:
        """(remainder, part, whole indicator or None when the whole is the part's denominator)."""
        return [(i.id, i.remainder_of, i.whole) for i in self.indicators.values() if i.remainder_of]

    def statuses_of(self, service_id: str) -> list[str]:
        """The result statuses a service's dossiers are counted in (empty when it has none)."""
        svc = self.services.get(service_id)
        if svc is None or not svc.statuses:
            return []
        return [*self.status_measures, *svc.extra_statuses]

    def remainder_for(self, part_id: str) -> str | None:
        """The "còn lại" indicator of a part, if it has one."""
        return self.remainder_of_part.get(part_id)

    def template(self, period_kind: str) -> list[str]:
        return self.templates.get(period_kind) or self.templates["default"]

    def in_section(self, section_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.section == section_id]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def lookup_alias(self, phrase: str) -> list[str]:
        return list(self.alias_index.get(fold(phrase), []))

    def limit(self, indicator_id: str, period_kind: str | None = None, level: str | None = None) -> float | None:
        """The largest plausible value of one figure of `indicator_id` for a report of `period_kind` (the most
        lenient when unknown) by a unit of `level` ("xa" by default); None for an unknown indicator."""
        ind = self.indicators.get(indicator_id)
        if ind is None:
            return None
        p = self.plausible
        if ind.max is not None:
            base = ind.max
        elif ind.unit in p.units:
            return p.units[ind.unit]  # a share or a count of villages does not grow with the unit's level
        elif ind.kind == "flow":
            base = p.flow.get(period_kind or "", max(p.flow.values()))
        else:
            base = p.stock if ind.kind == "stock" else p.cumulative
        return base * p.levels.get(level or "", 1.0)


def _expand_service(svc: Service, data: CatalogueFile) -> list[Indicator]:
    measures = {k: m for k, m in data.service_measures.items() if not (m.unless_statuses and svc.statuses)}
    statuses = {**data.status_measures, **svc.extra_statuses} if svc.statuses else {}
    measures.update(statuses)
    status_ids = [f"dvc.{svc.id}.{m}" for m in statuses]
    taken: set[str] = set()  # "đã tiếp nhận" is a measure and a lưu trú status: the parser tells them apart
    out = []
    for mid, m in measures.items():
        ind_id = f"dvc.{svc.id}.{mid}"
        aliases = [a for a in m.aliases if fold(a) not in taken]
        taken |= {fold(a) for a in aliases}
        out.append(Indicator(
            id=ind_id, name=m.name.format(name=svc.name), unit="hồ sơ", kind="flow", section="tthc_dvc",
            utility_group=1, service=svc.id,
            parts=status_ids if mid == "tiep_nhan" else [],
            at_most=f"dvc.{svc.id}.{m.at_most}" if m.at_most else None,
            # measure aliases only make sense next to the service name, so they are combined with it
            aliases=[f"{a} {sa}" for sa in [svc.name, *svc.aliases] for a in aliases] +
                    ([svc.name, *svc.aliases] if mid == "tiep_nhan" else []),
            directives=["06/QĐ-TTg", "422/QĐ-TTg"],
        ))
    return out


def _expand_remainder(part: Indicator, spec: Remainder) -> Indicator:
    return Indicator(
        id=spec.id or f"{part.id}_con_lai", name=spec.name or f"{part.name}: còn lại", unit=spec.unit or part.unit,
        kind="stock", section=part.section, utility_group=part.utility_group, pair=spec.whole is None,
        aliases=spec.aliases, directives=part.directives, remainder_of=part.id, whole=spec.whole,
        at_most=spec.whole)


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    raw = read_yaml(path)
    return Catalogue(CatalogueFile.model_validate(raw))


# --- a unit's own indicators ("chỉ tiêu riêng") ------------------------------------------------------

class Extension(BaseModel):
    """One indicator a unit adds for itself, from YAML or a stored row: name, unit, section, parent."""

    name: str = Field(min_length=2, max_length=120)
    unit: str = Field(min_length=1, max_length=30)
    section: str
    parent: str | None = None  # an indicator this one is part of ("trong đó"): it can never exceed it
    kind: Kind = "flow"
    aliases: list[str] = Field(default_factory=list)
    code: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,40}$")  # stable id; default from the name

    @property
    def indicator_id(self) -> str:
        return EXTENSION_PREFIX + (self.code or _slug(self.name))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:40] or "chi_tieu"


def load_extensions(path: Path) -> list[Extension]:
    """A unit's indicators from a YAML list of {name, unit, section, parent?, kind?, aliases?, code?}."""
    raw = read_yaml(path) or []
    return [Extension.model_validate(r) for r in raw]


def catalogue_for(extensions: Iterable[Extension | dict] = ()) -> Catalogue:
    """The shared catalogue plus a unit's own indicators (validated; InvalidInput with a Vietnamese message when
    one cannot be added). Cached: the same extensions give the same Catalogue object."""
    try:
        exts = tuple(e if isinstance(e, Extension) else Extension.model_validate(e) for e in extensions)
    except ValidationError as e:
        raise InvalidInput(f"Chỉ tiêu riêng chưa hợp lệ: {e.errors()[0]['msg']}.") from e
    if not exts:
        return load_catalogue()
    return _with_extensions(tuple(e.model_dump_json() for e in exts))


def short_name(name: str) -> str | None:
    """The name without a leading "Số" / "Số lượng" ("Số hộ gia đình được tuyên truyền" -> "hộ gia đình được tuyên
    truyền"), as officers say it; None when nothing of two words or more is left."""
    words = name.split()
    if not words or fold(words[0]) != "so":
        return None
    rest = words[2:] if len(words) > 1 and fold(words[1]) == "luong" else words[1:]
    return " ".join(rest) if len(rest) >= 2 else None


@lru_cache(maxsize=64)
def _with_extensions(dumped: tuple[str, ...]) -> Catalogue:
    base = load_catalogue()
    exts = [Extension.model_validate_json(d) for d in dumped]
    data = base.data.model_copy(deep=True)
    sections = {s.id: s for s in base.sections}
    taken = set(base.alias_index)  # folded names and aliases: each names one indicator
    for e in exts:
        if e.section not in sections:
            raise InvalidInput(f"Chỉ tiêu «{e.name}»: không có mục «{e.section}». Các mục: "
                               + ", ".join(f"{s.id} ({s.name})" for s in base.sections) + ".")
        if e.parent is not None and e.parent not in base and e.parent not in {x.indicator_id for x in exts}:
            raise InvalidInput(f"Chỉ tiêu «{e.name}»: không có chỉ tiêu cha «{e.parent}».")
        if e.indicator_id in base or fold(e.name) in taken:
            raise InvalidInput(f"Chỉ tiêu «{e.name}» trùng với một chỉ tiêu đã có.")
        aliases = [a for a in dict.fromkeys(e.aliases) if fold(a) != fold(e.name)]
        clash = next((a for a in aliases if fold(a) in taken), None)
        if clash is not None:
            raise InvalidInput(f"Chỉ tiêu «{e.name}»: tên gọi tắt «{clash}» trùng với một chỉ tiêu đã có.")
        short = short_name(e.name)
        if short and fold(short) not in taken and fold(short) not in {fold(a) for a in aliases}:
            aliases.append(short)  # said without "Số"; left out when it names another indicator already
        taken |= {fold(e.name), *(fold(a) for a in aliases)}
        if e.unit not in data.units:
            data.units.append(e.unit)
        data.indicators.append(Indicator(
            id=e.indicator_id, name=e.name, unit=e.unit, kind=e.kind, section=e.section, at_most=e.parent,
            aliases=aliases, directives=["06/QĐ-TTg"]))
        for ids in data.templates.values():  # the unit reports its own indicators in every report kind
            ids.append(e.indicator_id)
    try:
        return Catalogue(CatalogueFile.model_validate(data.model_dump()))
    except ValueError as err:
        raise InvalidInput(f"Chỉ tiêu riêng chưa hợp lệ: {err}") from err
