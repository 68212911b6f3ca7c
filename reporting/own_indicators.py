"""A unit's own indicators ("chỉ tiêu riêng"), added and removed by its admin (/chitieu): each is checked against
the unit's catalogue first, and a refusal says why in a short Vietnamese sentence with nothing changed.

Once stored, an indicator is in the unit's catalogue (figures/unit_catalogue.py): the parser reads it, the quick
form and /tiendo list it, the checks compare it with the unit's history and the draft writes its sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from common.errors import Conflict, InvalidInput, NotFound
from common.vntext import fold
from db.models import UnitIndicator
from db.repo import access
from db.repo import indicators as repo
from figures.unit_catalogue import as_extension, forget, unit_catalogue
from knowledge.catalogue import EXTENSION_PREFIX, Catalogue, Extension, Indicator, Section, catalogue_for

MAX_PER_UNIT = 40
_FORBIDDEN = re.compile(r"[\d:|/\[\]]")  # a digit reads as a figure; ":" and "[" are the quick form's marks


@dataclass(frozen=True)
class Own:
    """One own indicator as the unit's catalogue knows it, with its stored row."""

    row: UnitIndicator
    indicator: Indicator


def listing(s: Session, unit_id: int) -> list[Own]:
    cat = unit_catalogue(s, unit_id)
    return [Own(r, cat.indicators[EXTENSION_PREFIX + r.code]) for r in repo.of_unit(s, unit_id)
            if EXTENSION_PREFIX + r.code in cat.indicators]


def find_section(cat: Catalogue, text: str) -> Section:
    """A figure section named by its number in `cat.sections`, its name, a heading word or a unique part of its
    name ("Tuyên truyền" -> "Công tác tuyên truyền")."""
    key = fold(text).strip(" .")
    if key.isdigit() and 1 <= int(key) <= len(cat.sections):
        return cat.sections[int(key) - 1]
    for sec in cat.sections:
        if key in (sec.id, fold(sec.name), *(fold(w) for w in sec.heading_words)):
            return sec
    found = [sec for sec in cat.sections if key and re.search(rf"\b{re.escape(key)}\b", fold(sec.name))]
    if len(found) == 1:
        return found[0]
    raise InvalidInput(f"Không có mục số liệu «{text.strip()}». Các mục: " + sections_text(cat) + ".")


def sections_text(cat: Catalogue) -> str:
    return "; ".join(f"{n}. {sec.name}" for n, sec in enumerate(cat.sections, 1))


def find_indicator(cat: Catalogue, text: str) -> Indicator | None:
    """An indicator of `cat` by its id, its name or an alias that names it alone."""
    if text.strip() in cat.indicators:
        return cat.indicators[text.strip()]
    ids = cat.lookup_alias(text.strip(" ."))
    return cat.indicators[ids[0]] if len(ids) == 1 else None


def _clean(text: str, what: str, longest: int) -> str:
    text = " ".join(text.split()).strip(" .;,")
    if len(text) < 2 and what != "Đơn vị tính":
        raise InvalidInput(f"{what} quá ngắn.")
    if not text:
        raise InvalidInput(f"Anh/chị chưa ghi {what.lower()}.")
    if len(text) > longest:
        raise InvalidInput(f"{what} dài quá {longest} ký tự; anh/chị viết gọn lại giúp.")
    if _FORBIDDEN.search(text):
        raise InvalidInput(f"{what} «{text}» không được có chữ số hay các dấu : | / [ ] "
                           "(trợ lý sẽ đọc nhầm thành số liệu).")
    return text


def _code(name: str, taken: set[str]) -> str:
    base = Extension(name=name, unit="x", section="x").indicator_id.removeprefix(EXTENSION_PREFIX)[:36]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def add(s: Session, unit_id: int, *, name: str, measure: str, section: str, parent: str | None = None,
        aliases: list[str] | tuple[str, ...] = (), officer_id: int | None = None) -> Indicator:
    """Add an indicator to the unit's own; InvalidInput/Conflict (Vietnamese) when it cannot be added."""
    cat = unit_catalogue(s, unit_id)
    rows = repo.of_unit(s, unit_id)
    if len(rows) >= MAX_PER_UNIT:
        raise InvalidInput(f"Đơn vị đã có {MAX_PER_UNIT} chỉ tiêu riêng, không thêm được nữa. "
                           "Anh/chị xóa bớt chỉ tiêu không dùng (/chitieu xóa <tên>).")
    name = _clean(name, "Tên chỉ tiêu", 120)
    measure = _clean(measure, "Đơn vị tính", 30)
    sec = find_section(cat, section)
    aliases = [_clean(a, "Tên gọi tắt", 120) for a in aliases if a.strip()]
    for word in (name, *aliases):
        same = find_indicator(cat, word) or next((cat.indicators[i] for i in cat.lookup_alias(word)), None)
        if same is not None:
            raise Conflict((f"Đã có chỉ tiêu «{same.name}»." if fold(word) == fold(same.name) else
                            f"«{word}» trùng với tên gọi của chỉ tiêu «{same.name}».") +
                           " Anh/chị đặt tên khác giúp.")
    parent_id = None
    if parent and parent.strip():
        up = find_indicator(cat, parent)
        if up is None:
            raise InvalidInput(f"Không có chỉ tiêu cha «{parent.strip()}». Anh/chị gõ đúng tên chỉ tiêu như trong "
                               "/tiendo hoặc /mau.")
        parent_id = up.id
    code = _code(name, {r.code for r in rows} | {i.removeprefix(EXTENSION_PREFIX) for i in cat.indicators})
    new = Extension(name=name, unit=measure, section=sec.id, parent=parent_id, aliases=aliases, code=code)
    built = catalogue_for([*(as_extension(r) for r in rows), new])  # every rule of the catalogue, before storing
    repo.add(s, unit_id, code=code, name=name, measure=measure, section=sec.id, parent=parent_id, aliases=aliases,
             created_by=officer_id)
    access.audit(s, "indicator.add", officer_id, unit_id, f"{new.indicator_id} {name}")
    forget(s, unit_id)
    return built.indicators[new.indicator_id]


def remove(s: Session, unit_id: int, name: str, *, officer_id: int | None = None) -> Indicator:
    """Remove one of the unit's own indicators, named as in /chitieu; refused while it has figures or parts."""
    own = listing(s, unit_id)
    wanted = fold(name).strip(" .")
    hit = next((o for o in own if wanted in (fold(o.row.name), o.row.code, o.indicator.id)), None) or next(
        (o for o in own if wanted in {fold(a) for a in o.indicator.aliases}), None)
    if hit is None:
        raise NotFound(f"Đơn vị chưa có chỉ tiêu riêng «{name.strip()}». Gõ /chitieu để xem danh sách.")
    ind = hit.indicator
    used = repo.reports_with(s, unit_id, ind.id)
    if used:
        raise Conflict(f"Không xóa được «{ind.name}» vì đã có số liệu trong {used} báo cáo của đơn vị; chỉ tiêu được "
                       "giữ lại để các báo cáo đó vẫn đầy đủ.")
    child = next((o for o in own if o.row.parent == ind.id), None)
    if child is not None:
        raise Conflict(f"«{ind.name}» đang là chỉ tiêu cha của «{child.row.name}»; anh/chị xóa chỉ tiêu đó trước.")
    repo.remove(s, hit.row)
    access.audit(s, "indicator.remove", officer_id, unit_id, f"{ind.id} {ind.name}")
    forget(s, unit_id)
    return ind
