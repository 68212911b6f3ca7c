"""Access control in chat: invite codes, members and revocation (admins), leaving a unit, linking a
second channel account (an officer's Telegram and Zalo) to the same officer.

/moi [vai trò]      admin: a one-time invite code for their unit
/thanhvien          admin: members, with a button to revoke each
/roidonvi           leave the unit (access ends at once)
/lienket [MÃ]       without a code: get a code; on the other channel: /lienket MÃ links that account
"""
from __future__ import annotations

from bot.engine import Ctx, router
from bot.messages import Button
from common.errors import InvalidInput
from common.vntext import fold
from db.models import Officer
from db.repo import access, people, units
from knowledge.vocabulary import role_name

_ROLE_WORDS = {
    "reporter": ("bao cao", "baocao", "can bo", "canbo", "reporter"),
    "approver": ("duyet", "lanh dao", "lanhdao", "approver"),
    "admin": ("quan tri", "quantri", "admin"),
    "tong_hop": ("tong hop", "tonghop", "tong_hop"),
}
_CHANNEL_NAMES = {"telegram": "Telegram", "zalo": "Zalo", "console": "console"}


def parse_role(text: str) -> str | None:
    t = fold(text).strip()
    for role, words in _ROLE_WORDS.items():
        if t in words:
            return role
    return None


@router.command("moi", about="(Quản trị) tạo mã mời cán bộ")
def invite(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    arg = ctx.text.strip().partition(" ")[2]
    if not arg:
        ctx.say("Tạo mã mời cho vai trò nào?",
                buttons=[Button(role_name(r).capitalize(), f"onb:inv:{r}") for r in units.roles_for(ctx.s, unit.id)])
        return
    role = parse_role(arg)
    if role is None:
        raise InvalidInput("Vai trò chưa đúng. Vui lòng chọn: báo cáo, duyệt hoặc quản trị (ví dụ: /moi báo cáo).")
    _issue_invite(ctx, unit, role)


@router.button("onb:inv:")
def invite_button(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    role = ctx.incoming.payload.rsplit(":", 1)[1]
    if role not in people.ROLES:
        raise InvalidInput("Vai trò chưa đúng.")
    _issue_invite(ctx, unit, role)


def _issue_invite(ctx: Ctx, unit, role: str) -> None:
    inv = people.create_invite(ctx.s, unit, role, ctx.me.id)
    access.audit(ctx.s, "invite.create", ctx.me.id, unit.id, f"{inv.code} {role}")
    ctx.say(f"Mã mời {role_name(role)} của {unit.name}: {inv.code}\n"
            f"Dùng một lần, hết hạn sau 7 ngày. Người được mời gõ cho trợ lý: /start {inv.code}")


@router.command("thanhvien", about="(Quản trị) xem, thu hồi thành viên")
def list_members(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    rows = access.members(ctx.s, unit.id)
    lines = [f"Thành viên {unit.name}:"]
    buttons = []
    for i, m in enumerate(rows, 1):
        roles = ", ".join(role_name(r) for r in m.roles)
        chans = ", ".join(_CHANNEL_NAMES.get(c, c) for c in m.channels)
        lines.append(f"{i}. {m.name} — {roles} ({chans})")
        if m.officer_id != ctx.me.id:
            buttons.append(Button(f"Thu hồi: {m.name}", f"onb:rv:{m.officer_id}"))
    ctx.say("\n".join(lines), buttons=buttons)


@router.button("onb:rv:")
def revoke_ask(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    target = _member_of(ctx, unit.id, ctx.incoming.payload.rsplit(":", 1)[1])
    ctx.say(f"Thu hồi quyền của {target.display_name} tại {unit.name}? Người này sẽ không dùng trợ lý "
            "cho đơn vị được nữa.",
            buttons=[Button("Thu hồi", f"onb:rvok:{target.id}"), Button("Không", "onb:no")])


@router.button("onb:rvok:")
def revoke_confirm(ctx: Ctx) -> None:
    unit = ctx.require_role("admin")
    target = _member_of(ctx, unit.id, ctx.incoming.payload.rsplit(":", 1)[1])
    access.revoke_member(ctx.s, unit.id, target.id, ctx.me.id)
    ctx.forget_access()
    ctx.say(f"Đã thu hồi quyền của {target.display_name} tại {unit.name}.")


def _member_of(ctx: Ctx, unit_id: int, raw_id: str) -> Officer:
    officer = ctx.s.get(Officer, int(raw_id)) if raw_id.isdigit() else None
    if officer is None or not people.roles_in_unit(ctx.s, officer.id, unit_id):
        raise InvalidInput("Người này không còn là thành viên của đơn vị.")
    if officer.id == ctx.me.id:
        raise InvalidInput("Anh/chị không thể tự thu hồi quyền của mình ở đây; dùng /roidonvi để rời đơn vị.")
    return officer


@router.command("roidonvi", about="Rời đơn vị")
def leave_ask(ctx: Ctx) -> None:
    unit = ctx.require_role(*people.ROLES)
    ctx.say(f"Anh/chị muốn rời {unit.name}? Sau khi rời, tài khoản không xem và không nhập được số liệu "
            "của đơn vị nữa.", buttons=[Button("Rời đơn vị", "onb:leave"), Button("Không", "onb:no")])


@router.button("onb:leave")
def leave_confirm(ctx: Ctx) -> None:
    unit = ctx.require_role(*people.ROLES)
    if "admin" in ctx.roles() and access.admins_left_after(ctx.s, unit.id, ctx.me.id) == 0:
        raise InvalidInput("Anh/chị là quản trị viên duy nhất của đơn vị; vui lòng mời một quản trị viên khác "
                           "trước khi rời.")
    access.revoke_member(ctx.s, unit.id, ctx.me.id, ctx.me.id)
    ctx.forget_access()
    ctx.clear_flow()
    ctx.remember(unit_id=None)
    ctx.say(f"Anh/chị đã rời {unit.name}. Cảm ơn anh/chị đã đồng hành.")


@router.button("onb:no")
def never_mind(ctx: Ctx) -> None:
    ctx.say("Đã hủy, không có gì thay đổi.")


@router.command("lienket", public=True, about="Liên kết thêm tài khoản Telegram/Zalo")
def link(ctx: Ctx) -> None:
    code = ctx.text.strip().partition(" ")[2].strip()
    if not code:
        if ctx.officer is None:
            ctx.say("Tài khoản này chưa được cấp quyền. Trên kênh đã dùng, gõ /lienket để nhận mã, "
                    "rồi gõ ở đây: /lienket MÃ")
            return
        lc = access.create_link_code(ctx.s, ctx.officer)
        ctx.say(f"Mã liên kết: {lc.code} (hết hạn sau {access.LINK_CODE_MINUTES} phút).\n"
                f"Trên kênh còn lại (Telegram hoặc Zalo), gõ cho trợ lý: /lienket {lc.code}")
        return
    try:
        officer = access.redeem_link_code(ctx.s, code, ctx.incoming.channel, ctx.incoming.user_id)
    except ValueError:
        raise InvalidInput("Tài khoản này đã gắn với một cán bộ khác (hoặc cán bộ đã có tài khoản trên kênh "
                           "này). Vui lòng liên hệ quản trị viên.") from None
    if officer is None:
        raise InvalidInput("Mã liên kết không đúng hoặc đã hết hạn. Gõ /lienket trên kênh đã dùng để nhận mã mới.")
    ctx.officer = officer
    ctx.state.officer_id = officer.id
    unit = ctx.unit
    where = f" với {unit.name}" if unit else ""
    ctx.say(f"Đã liên kết tài khoản {_CHANNEL_NAMES.get(ctx.incoming.channel, ctx.incoming.channel)} này "
            f"với {officer.display_name}. Anh/chị tiếp tục làm việc{where} như trên kênh kia.")
