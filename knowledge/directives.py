"""The directive library: our own-words profiles in knowledge/directives/*.yaml, validated at load.

A profile is a summary (provenance "tom_tat"), never the official text; `full_text` says whether an official
text is known to us. Official texts that a unit loads are ingested by retrieval/ and outrank these profiles.

Every profile names its number, date, issuer, title and validity (`hieu_luc_tu`, `het_hieu_luc`, `thay_the_boi`
/ `thay_the`) and the source of each fact (`nguon`: keys of knowledge/directives/_nguon.yaml). A section known
only from local reports says so in its heading (LOCAL_HEADING): it reports practice, not what the document says.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from common.vntext import fold
from common.yamlfile import read_yaml

DIRECTIVES_DIR = Path(__file__).with_name("directives")
SOURCES_FILE = "_nguon.yaml"
LOCAL_HEADING = "Thực tiễn địa phương"  # heading prefix of a section known only from units' own reports
DocType = Literal["quyet_dinh", "chi_thi", "cong_van", "nghi_dinh", "thong_tu", "luat", "nghi_quyet", "ke_hoach",
                  "bao_cao", "khac"]

DOC_TYPE_NAMES: dict[str, str] = {
    "quyet_dinh": "Quyết định", "chi_thi": "Chỉ thị", "cong_van": "Công văn", "nghi_dinh": "Nghị định",
    "thong_tu": "Thông tư", "luat": "Luật", "nghi_quyet": "Nghị quyết", "ke_hoach": "Kế hoạch", "bao_cao": "Báo cáo",
    "khac": "Văn bản",
}


class Source(BaseModel):
    """Where facts were read: a public page, a seed report, or an official text."""
    model_config = ConfigDict(extra="forbid")
    ten: str = Field(min_length=5)  # what it is, enough to find it again
    loai: Literal["cong_khai", "bao_cao_dia_phuong", "toan_van"]
    url: str = ""


class DirectiveSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heading: str
    text: str
    nguon: list[str] = Field(min_length=1)


class Directive(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    so_hieu: str
    doc_type: DocType
    title: str = Field(min_length=5)
    issuer: str = Field(min_length=3)
    issued_on: date
    effective_on: date | None = Field(alias="hieu_luc_tu")  # required key; null only with a note saying why
    expired_on: date | None = Field(None, alias="het_hieu_luc")
    replaced_by: str | None = Field(None, alias="thay_the_boi")
    replaces: list[str] = Field(default_factory=list, alias="thay_the")
    validity_note: str = Field("", alias="ghi_chu_hieu_luc")
    provenance: Literal["tom_tat", "toan_van"] = "tom_tat"
    full_text: str = "chưa có toàn văn"
    aliases: list[str] = Field(default_factory=list)
    nguon: list[str] = Field(min_length=1)  # sources of the number, date, issuer, title and validity
    related: list[str] = Field(default_factory=list)
    sections: list[DirectiveSection] = Field(min_length=1)

    @field_validator("so_hieu")
    @classmethod
    def _has_number(cls, v: str) -> str:
        if "/" not in v or not v.split("/", 1)[0].isdigit():
            raise ValueError(f"so_hieu must look like '04/CT-TTg', got {v!r}")
        return v

    @model_validator(mode="after")
    def _validity(self) -> Directive:
        if self.effective_on is None and not self.validity_note:
            raise ValueError("hieu_luc_tu is null: ghi_chu_hieu_luc must say why it is not known")
        if self.replaced_by and not self.expired_on:
            raise ValueError("thay_the_boi needs het_hieu_luc (the date the replacement took over)")
        if self.expired_on and self.effective_on and self.expired_on <= self.effective_on:
            raise ValueError("het_hieu_luc must come after hieu_luc_tu")
        return self

    @property
    def label(self) -> str:
        """'Chỉ thị số 04/CT-TTg ngày 11/02/2024 của Thủ tướng Chính phủ' (what an answer cites)."""
        return citation_label(self.doc_type, self.so_hieu, self.issued_on, self.issuer, self.title)

    def in_force_on(self, day: date) -> bool:
        return self.expired_on is None or day < self.expired_on


def citation_label(doc_type: str, so_hieu: str, issued_on: date | None, issuer: str, title: str = "") -> str:
    kind = DOC_TYPE_NAMES.get(doc_type, "Văn bản")
    if doc_type == "luat" and title.startswith("Luật") and len(title) < 40:
        kind = title  # "Luật Cư trú số 68/2020/QH14"
    parts = [f"{kind} số {so_hieu}" if so_hieu else kind]
    if issued_on:
        parts.append(f"ngày {issued_on:%d/%m/%Y}")
    if issuer:
        parts.append(f"của {issuer}")
    return " ".join(parts)


def is_local_section(heading: str) -> bool:
    return heading.startswith(LOCAL_HEADING)


class Library:
    def __init__(self, directives: list[Directive], sources: dict[str, Source] | None = None):
        self.directives = directives
        self.sources = sources or {}
        self.by_so_hieu = {d.so_hieu: d for d in directives}
        self._by_folded = {fold(d.so_hieu): d for d in directives}
        if len(self.by_so_hieu) != len(directives):
            raise ValueError("duplicate so_hieu in knowledge/directives")
        for d in directives:
            self._check(d)

    def _check(self, d: Directive) -> None:
        unknown = [r for r in [*d.related, *d.replaces, *filter(None, [d.replaced_by])] if r not in self.by_so_hieu]
        if unknown:
            raise ValueError(f"{d.so_hieu}: documents not in the library: {unknown}")
        if d.replaced_by and d.so_hieu not in self.by_so_hieu[d.replaced_by].replaces:
            raise ValueError(f"{d.so_hieu}: {d.replaced_by} must list it under thay_the")
        for r in d.replaces:
            if self.by_so_hieu[r].replaced_by != d.so_hieu:
                raise ValueError(f"{d.so_hieu}: {r} must name it under thay_the_boi")
        if not self.sources:
            return
        for keys, where in [(d.nguon, "nguon"), *((s.nguon, f"section {s.heading!r}") for s in d.sections)]:
            missing = [k for k in keys if k not in self.sources]
            if missing:
                raise ValueError(f"{d.so_hieu}: {where} names unknown sources {missing} (add them to {SOURCES_FILE})")
        for s in d.sections:
            local = all(self.sources[k].loai == "bao_cao_dia_phuong" for k in s.nguon)
            if local != is_local_section(s.heading):
                raise ValueError(f"{d.so_hieu}: section {s.heading!r} " + (
                    f"is known only from local reports: its heading must start with {LOCAL_HEADING!r}" if local
                    else f"cites other sources than local reports: its heading must not start with {LOCAL_HEADING!r}"))

    def get(self, so_hieu: str) -> Directive | None:
        return self.by_so_hieu.get(so_hieu) or self._by_folded.get(fold(so_hieu))

    def section(self, so_hieu: str, heading: str) -> DirectiveSection | None:
        d = self.get(so_hieu)
        return next((s for s in d.sections if s.heading == heading), None) if d else None


def profile_paths(directory: Path = DIRECTIVES_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if not p.name.startswith("_"))


def load_directive(path: Path) -> Directive:
    try:
        return Directive.model_validate(read_yaml(path))
    except Exception as e:
        raise ValueError(f"{path.name}: {e}") from e


def load_sources(directory: Path = DIRECTIVES_DIR) -> dict[str, Source]:
    path = directory / SOURCES_FILE
    try:
        raw = read_yaml(path) or {}
        return {k: Source.model_validate(v) for k, v in raw.items()}
    except Exception as e:
        raise ValueError(f"{path.name}: {e}") from e


@lru_cache(maxsize=4)
def load_library(directory: Path = DIRECTIVES_DIR) -> Library:
    return Library([load_directive(p) for p in profile_paths(directory)], load_sources(directory))
