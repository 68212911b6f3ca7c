"""The scripted officer session of the channels' acceptance test, written once for any channel driver:
join with invite codes -> open the weekly report -> send figures -> (restart; replay) -> resolve findings ->
get the DOCX -> submit -> the approver approves."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from common.vntext import fold
from db.models import Figure, FigureRevision, Finding, Report
from tests.fakes.harness import invite_code

FLOWS = ("baocao", "kiemtra", "duthao", "trinh", "duyet")
UNIT = "demo-hoa-an"


@dataclass
class Said:
    texts: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)  # labels of the last message's buttons
    files: list[str] = field(default_factory=list)  # file names delivered (documents or links to them)
    update: dict | None = None  # the update that was sent, for replaying it

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def button(self, *words: str) -> str | None:
        return next((b for b in self.buttons if any(w in fold(b) for w in words)), None)


def figure_state(db) -> tuple[int, list[tuple[str, float]]]:
    with db.session() as s:
        revisions = s.scalar(select(func.count()).select_from(FigureRevision))
        figs = sorted((f.indicator, f.value) for f in s.scalars(select(Figure)))
    return revisions, figs


async def run_session(d, db_of) -> None:
    """`d` drives a channel (text, press, replay, restart); `db_of()` is the current Database."""
    assert "Chào mừng" in (await d.text("reporter", f"/start {invite_code(db_of(), UNIT, 'reporter')}")).text
    assert "Chào mừng" in (await d.text("approver", f"/start {invite_code(db_of(), UNIT, 'approver')}")).text
    await d.text("reporter", "/baocao")
    said = await d.text("reporter", "cấp CCCD 60, mới 33, đổi 11, lại 20")
    figures_update = said.update
    if said.button("dung"):
        await d.press("reporter", said.button("dung"))
    stored = figure_state(db_of())
    assert stored[0] > 0, "figures were not stored"

    await d.restart()  # the process dies and comes back: nothing lost ...
    assert figure_state(db_of()) == stored
    assert (await d.replay("reporter", figures_update)).texts == []  # ... and a redelivery changes nothing
    assert figure_state(db_of()) == stored

    said = await d.text("reporter", "/kiemtra")
    for _ in range(15):
        if said.button("giu nguyen"):
            await d.press("reporter", said.button("giu nguyen"))
            said = await d.text("reporter", "Số liệu đúng theo sổ theo dõi của Công an xã")
        elif said.button("xac nhan"):
            said = await d.press("reporter", said.button("xac nhan"))
        else:
            break
    with db_of().session() as s:
        assert s.scalar(select(func.count()).select_from(Finding).where(Finding.status != "open")) >= 1

    said = await d.text("reporter", "/duthao")
    wrote = False
    for _ in range(8):  # the draft asks for the narrative parts first: write one, reuse or skip the rest
        if said.files or not said.button("bo qua"):
            break
        if not wrote:
            said, wrote = await d.text("reporter", "Đã tổ chức cấp CCCD lưu động tại 3 thôn."), True
        else:
            said = await d.press("reporter", said.button("dung lai", "bo qua"))
    assert any(name.endswith(".docx") for name in said.files), said.text
    said = await d.text("reporter", "/trinh")
    if said.button("trinh", "dong y", "xac nhan"):
        await d.press("reporter", said.button("trinh", "dong y", "xac nhan"))
    said = await d.text("approver", "/duyet")
    for _ in range(3):
        label = said.button("duyet", "dong y", "xac nhan")
        if label is None:
            break
        said = await d.press("approver", label)
    with db_of().session() as s:
        assert {r.status for r in s.scalars(select(Report).where(Report.submitted_at.is_not(None)))} == {"approved"}
