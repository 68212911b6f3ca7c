"""/start (with an invite code), /help, /huy."""
from __future__ import annotations

from datetime import UTC

from bot.engine import Ctx, router
from common import clock
from db.models import Officer, Unit
from db.repo import people
from knowledge.vocabulary import role_name


@router.command("start", public=True, about="Bắt đầu, hoặc tham gia đơn vị bằng mã mời")
def start(ctx: Ctx) -> None:
    _, code = ctx.incoming.text.strip().partition(" ")[::2]
    code = code.strip()
    if code:
        return _join(ctx, code)
    if ctx.officer is None or ctx.unit is None:
        ctx.say("Xin chào! Đây là Trợ lý báo cáo Đề án 06. Tài khoản này chưa thuộc đơn vị nào; "
                "vui lòng nhập mã mời do quản trị viên cấp: /start MÃ_MỜI")
        return
    roles = ", ".join(role_name(r) for r in sorted(ctx.roles()))
    ctx.say(f"Xin chào {ctx.me.display_name}! Anh/chị đang làm việc với {ctx.unit.name} ({roles}).\n"
            "Gõ /baocao để nhập số liệu kỳ này, /help để xem hướng dẫn.")


def _join(ctx: Ctx, code: str) -> None:
    inv = people.invite_by_code(ctx.s, code)
    now = clock.now()
    expires = inv.expires_at if inv else None
    if expires is not None and expires.tzinfo is None:  # SQLite returns naive datetimes
        expires = expires.replace(tzinfo=UTC)
    if inv is None or inv.used_at is not None or (expires is not None and expires < now):
        ctx.say("Mã mời không đúng hoặc đã hết hạn. Vui lòng liên hệ quản trị viên để nhận mã mới.")
        return
    officer = ctx.officer
    if officer is None:
        officer = Officer(display_name=ctx.incoming.display_name or "Cán bộ")
        ctx.s.add(officer)
        ctx.s.flush()
        people.link_identity(ctx.s, officer, ctx.incoming.channel, ctx.incoming.user_id)
        ctx.officer = officer
        ctx.state.officer_id = officer.id
    unit = ctx.s.get_one(Unit, inv.unit_id)
    people.grant(ctx.s, officer, unit, inv.role)
    ctx.forget_access()
    inv.used_by, inv.used_at = officer.id, now
    ctx.remember(unit_id=unit.id)
    ctx.say(f"Chào mừng {officer.display_name}! Anh/chị đã tham gia {unit.name} với vai trò "
            f"{role_name(inv.role)}. Gõ /help để xem hướng dẫn.")


@router.command("help", "trogiup", public=True, about="Hướng dẫn sử dụng và các lệnh")
def help_(ctx: Ctx) -> None:
    ctx.say(help_text())


def help_text() -> str:
    """/help, built from the commands the flows registered, so it lists exactly what exists."""
    lines = [f"/{name} — {about}" for name, about in router.about.items() if name not in ("start", "help")]
    return ("Trợ lý báo cáo Đề án 06 — các lệnh:\n" + "\n".join(lines) +
            "\nCó thể gõ số liệu như nói chuyện, ví dụ: \"cấp CCCD 60, mới 33, đổi 11, lại 16\", "
            "hoặc đặt câu hỏi về văn bản chỉ đạo.")


@router.command("huy", about="Hủy thao tác đang làm")
def cancel(ctx: Ctx) -> None:
    ctx.clear_flow()
    ctx.say("Đã hủy thao tác đang làm. Số liệu đã lưu vẫn được giữ nguyên.")
