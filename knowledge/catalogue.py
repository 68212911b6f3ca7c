"""The indicator catalogue (knowledge/indicators.yaml), validated at load.

Services are expanded here into their dvc.<service>.<measure> indicators so the YAML stays short.
Everything derived (parents, sum rules, the alias index) is computed once, in `Catalogue.__init__`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from common.vntext import fold

CATALOGUE_PATH = Path(__file__).with_name("indicators.yaml")
Kind = Literal["flow", "cumulative", "stock"]


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


class Section(BaseModel):
    id: str
    name: str


class Service(BaseModel):
    id: str
    name: str
    ministry: str
    statuses: bool = False
    aliases: list[str] = Field(default_factory=list)


class Measure(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    at_most: str | None = None


class CatalogueFile(BaseModel):
    units: list[str]
    sections: list[Section]
    utility_groups: dict[int, str]
    indicators: list[Indicator]
    services: list[Service]
    service_measures: dict[str, Measure]
    status_measures: dict[str, Measure]
    templates: dict[str, list[str]]

    @model_validator(mode="after")
    def _no_duplicate_ids(self) -> CatalogueFile:
        ids = [i.id for i in self.indicators]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate indicator ids")
        return self


class Catalogue:
    def __init__(self, data: CatalogueFile):
        self.units = data.units
        self.sections = data.sections
        self.utility_groups = data.utility_groups
        self.services = {s.id: s for s in data.services}
        self.service_measures = data.service_measures
        self.status_measures = data.status_measures
        self.templates = data.templates
        self.indicators: dict[str, Indicator] = {i.id: i for i in data.indicators}
        for svc in data.services:
            for ind in _expand_service(svc, data):
                self.indicators[ind.id] = ind
        self._validate()
        self.parent_of: dict[str, str] = {p: i.id for i in self.indicators.values() for p in i.parts}
        self.alias_index: dict[str, list[str]] = {}
        for ind in self.indicators.values():
            for alias in [ind.name, *ind.aliases]:
                ids = self.alias_index.setdefault(fold(alias), [])
                if ind.id not in ids:
                    ids.append(ind.id)

    def _validate(self) -> None:
        sections = {s.id for s in self.sections}
        for ind in self.indicators.values():
            refs = [*ind.parts, *([ind.at_most] if ind.at_most else []), *([ind.twin] if ind.twin else [])]
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

    def get(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id)

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self.indicators

    def children(self, indicator_id: str) -> list[str]:
        ind = self.indicators.get(indicator_id)
        return list(ind.parts) if ind else []

    def sum_rules(self) -> list[tuple[str, list[str]]]:
        """(parent, parts) for every indicator defined as the sum of others."""
        return [(i.id, list(i.parts)) for i in self.indicators.values() if i.parts]

    def template(self, period_kind: str) -> list[str]:
        return self.templates.get(period_kind) or self.templates["default"]

    def in_section(self, section_id: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.section == section_id]

    def lookup_alias(self, phrase: str) -> list[str]:
        return list(self.alias_index.get(fold(phrase), []))


def _expand_service(svc: Service, data: CatalogueFile) -> list[Indicator]:
    measures = dict(data.service_measures)
    if svc.statuses:
        measures.update(data.status_measures)
    status_ids = [f"dvc.{svc.id}.{m}" for m in data.status_measures] if svc.statuses else []
    out = []
    for mid, m in measures.items():
        ind_id = f"dvc.{svc.id}.{mid}"
        out.append(Indicator(
            id=ind_id, name=m.name.format(name=svc.name), unit="hồ sơ", kind="flow", section="tthc_dvc",
            utility_group=1, service=svc.id,
            parts=status_ids if mid == "tiep_nhan" else [],
            at_most=f"dvc.{svc.id}.{m.at_most}" if m.at_most else None,
            # measure aliases only make sense next to the service name, so they are combined with it
            aliases=[f"{a} {sa}" for sa in [svc.name, *svc.aliases] for a in m.aliases] +
                    ([svc.name, *svc.aliases] if mid == "tiep_nhan" else []),
            directives=["06/QĐ-TTg", "422/QĐ-TTg"],
        ))
    return out


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Catalogue(CatalogueFile.model_validate(raw))
