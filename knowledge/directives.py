"""The directive library: our own-words profiles in knowledge/directives/*.yaml, validated at load.

A profile is a summary (provenance "tom_tat"), never the official text; `full_text` says whether an official
text is known to us. Official texts that a unit loads are ingested by retrieval/ and outrank these profiles.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from common.vntext import fold

DIRECTIVES_DIR = Path(__file__).with_name("directives")
DocType = Literal["quyet_dinh", "chi_thi", "cong_van", "nghi_dinh", "thong_tu", "luat", "ke_hoach", "bao_cao",
                  "khac"]

DOC_TYPE_NAMES: dict[str, str] = {
    "quyet_dinh": "Quyết định", "chi_thi": "Chỉ thị", "cong_van": "Công văn", "nghi_dinh": "Nghị định",
    "thong_tu": "Thông tư", "luat": "Luật", "ke_hoach": "Kế hoạch", "bao_cao": "Báo cáo", "khac": "Văn bản",
}


class DirectiveSection(BaseModel):
    heading: str
    text: str
    sources: list[str] = Field(default_factory=list)  # narrower than the document's, when set


class Directive(BaseModel):
    so_hieu: str
    doc_type: DocType
    title: str
    issuer: str
    issued_on: date | None = None
    effective_on: date | None = None
    provenance: Literal["tom_tat", "toan_van"] = "tom_tat"
    full_text: str = "chưa có toàn văn"
    aliases: list[str] = Field(default_factory=list)
    sources: list[Literal["public", "seeds", "official"]] = Field(min_length=1)
    related: list[str] = Field(default_factory=list)
    meta: dict = Field(default_factory=dict)
    sections: list[DirectiveSection] = Field(min_length=1)

    @field_validator("so_hieu")
    @classmethod
    def _has_number(cls, v: str) -> str:
        if "/" not in v or not v.split("/", 1)[0].isdigit():
            raise ValueError(f"so_hieu must look like '04/CT-TTg', got {v!r}")
        return v

    @property
    def label(self) -> str:
        """'Chỉ thị số 04/CT-TTg ngày 11/02/2024 của Thủ tướng Chính phủ' (what an answer cites)."""
        return citation_label(self.doc_type, self.so_hieu, self.issued_on, self.issuer, self.title)


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


class Library:
    def __init__(self, directives: list[Directive]):
        self.directives = directives
        self.by_so_hieu = {d.so_hieu: d for d in directives}
        self._by_folded = {fold(d.so_hieu): d for d in directives}
        if len(self.by_so_hieu) != len(directives):
            raise ValueError("duplicate so_hieu in knowledge/directives")
        for d in directives:
            unknown = [r for r in d.related if r not in self.by_so_hieu]
            if unknown:
                raise ValueError(f"{d.so_hieu}: related documents not in the library: {unknown}")

    def get(self, so_hieu: str) -> Directive | None:
        return self.by_so_hieu.get(so_hieu) or self._by_folded.get(fold(so_hieu))


def profile_paths(directory: Path = DIRECTIVES_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_directive(path: Path) -> Directive:
    try:
        return Directive.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except Exception as e:
        raise ValueError(f"{path.name}: {e}") from e


@lru_cache(maxsize=4)
def load_library(directory: Path = DIRECTIVES_DIR) -> Library:
    return Library([load_directive(p) for p in profile_paths(directory)])
