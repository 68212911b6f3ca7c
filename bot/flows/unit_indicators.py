"""The unit's own indicators ("chỉ tiêu riêng") in chat, for its admins (reporting/own_indicators.py does the work).

/chitieu                                                       list them, and how to add or remove one
/chitieu thêm <tên> | <đơn vị tính> | <mục số liệu> [| <chỉ tiêu cha>] [| gọi tắt: <tên ngắn>; …]
/chitieu xóa <tên>                                             remove one that has no figures yet
"""
from __future__ import annotations

from bot.engine import Ctx, parse_command, router
from common.errors import InvalidInput
from common.vntext import fold
from figures.unit_catalogue import unit_catalogue
from knowledge.catalogue import Indicator
from reporting import own_indicators

ADD_USAGE = "/chitieu thêm <tên> | <đơn vị tính> | <mục số liệu> | <chỉ tiêu cha, nếu có>"
EXAMPLE = "/chitieu thêm Số hộ gia đình được tuyên truyền | hộ | Tuyên truyền"
_ADD = {"them", "add"}
_REMOVE = {"xoa", "bo"}
_ALIAS_HEADS = ("goi tat:", "ten goi tat:", "ten khac:")


@router.command("chitieu", about="(Quản trị) chỉ tiêu riêng của đơn vị: xem, thêm, xóa")
def own_indicators_command(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    cmd = parse_command(ctx.text)
    arg = cmd[1] if cmd else ""
    verb, _, rest = arg.partition(" ")
    action = fold(verb)
    if not arg:
        return _list(ctx, unit)
    if action in _ADD:
        return _add(ctx, unit, rest)
    if action in _REMOVE:
        if not rest.strip():
            raise InvalidInput("Anh/chị gõ tên chỉ tiêu cần xóa, ví dụ: /chitieu xóa Số hộ gia đình được tuyên truyền.")
        ind = own_indicators.remove(ctx.s, unit.id, rest, officer_id=ctx.me.id)
        ctx.say(f"Đã xóa chỉ tiêu riêng «{ind.name}» của {unit.name}.")
        return
    raise InvalidInput(f"Chưa rõ yêu cầu. Gõ /chitieu để xem chỉ tiêu riêng, {ADD_USAGE} để thêm, "
                       "/chitieu xóa <tên> để xóa.")


def _add(ctx: Ctx, unit, rest: str) -> None:
    fields = [f.strip() for f in rest.split("|")]
    aliases: list[str] = []
    plain = []
    for f in fields:
        head = next((h for h in _ALIAS_HEADS if fold(f).startswith(h)), None)
        if head is None:
            plain.append(f)
        else:
            aliases += [a.strip() for a in f[len(head):].replace(",", ";").split(";") if a.strip()]
    if len(plain) < 3 or len(plain) > 4 or not all(plain[:3]):
        raise InvalidInput(f"Anh/chị gõ đủ tên, đơn vị tính và mục số liệu, cách nhau bởi dấu |: {ADD_USAGE}. "
                           f"Ví dụ: {EXAMPLE}")
    ind = own_indicators.add(ctx.s, unit.id, name=plain[0], measure=plain[1], section=plain[2],
                             parent=plain[3] if len(plain) == 4 else None, aliases=aliases, officer_id=ctx.me.id)
    ctx.say(f"Đã thêm chỉ tiêu riêng {_describe(ctx, unit.id, ind)}.\n"
            f"Cán bộ gõ số như bình thường, ví dụ: «{_say_it(ind)} 12». Chỉ tiêu có trong /mau, /tiendo, "
            "được kiểm tra với các kỳ trước và đưa vào dự thảo.")


def _say_it(ind: Indicator) -> str:
    return min(ind.aliases, key=len) if ind.aliases else ind.name


def _describe(ctx: Ctx, unit_id: int, ind: Indicator) -> str:
    cat = unit_catalogue(ctx.s, unit_id)
    section = cat.section(ind.section)
    text = f"«{ind.name}» ({ind.unit}), mục «{section.name if section else ind.section}»"
    if ind.at_most and (parent := cat.get(ind.at_most)) is not None:
        text += f", thuộc «{parent.name}»"
    if ind.aliases:
        text += ", gọi tắt: " + "; ".join(ind.aliases)
    return text


def _list(ctx: Ctx, unit) -> None:
    own = own_indicators.listing(ctx.s, unit.id)
    cat = unit_catalogue(ctx.s, unit.id)
    lines = [f"Chỉ tiêu riêng của {unit.name} ({len(own)}):" if own else f"{unit.name} chưa có chỉ tiêu riêng."]
    lines += [f"{n}. {_describe(ctx, unit.id, o.indicator)}" for n, o in enumerate(own, 1)]
    lines += ["", f"Thêm: {ADD_USAGE}; có thể thêm «| gọi tắt: tên ngắn» để cán bộ gõ nhanh.", f"Ví dụ: {EXAMPLE}",
              "Xóa (khi chỉ tiêu chưa có số liệu): /chitieu xóa <tên>",
              "Các mục số liệu: " + own_indicators.sections_text(cat) + "."]
    ctx.say("\n".join(lines))
