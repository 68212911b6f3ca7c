"""SQLAlchemy 2 models. Portable types only (SQLite and PostgreSQL run the same code)."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common import clock


def utcnow() -> datetime:
    return clock.now()


class Base(DeclarativeBase):
    pass


class Unit(Base):
    """An administrative unit: tinh / huyen / xa (xã, phường, thị trấn) / thon."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # "xã Hoằng Trung"
    level: Mapped[str] = mapped_column(String(16))  # tinh | huyen | xa | thon
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    place_name: Mapped[str] = mapped_column(String(100), default="")  # date line: "Hoằng Trung"
    agency_name: Mapped[str] = mapped_column(String(200), default="")  # "ỦY BAN NHÂN DÂN XÃ HOẰNG TRUNG"
    parent_agency: Mapped[str] = mapped_column(String(200), default="")  # "UBND HUYỆN HOẰNG HÓA"
    leader_name: Mapped[str] = mapped_column(String(120), default="")
    leader_title: Mapped[str] = mapped_column(String(120), default="")  # "CHỦ TỊCH" / "PHÓ CHỦ TỊCH"
    signer_authority: Mapped[str] = mapped_column(String(120), default="")  # "TM. ỦY BAN NHÂN DÂN"
    population: Mapped[int | None] = mapped_column(Integer)
    population_14plus: Mapped[int | None] = mapped_column(Integer)
    # reporting calendar: weekday a week starts on (0 = Monday), day a month's data window starts on
    week_start_weekday: Mapped[int] = mapped_column(Integer, default=0)
    month_start_day: Mapped[int] = mapped_column(Integer, default=1)
    # deadlines (province/deadlines.py): a week's report by the first `deadline_weekday` after the week, a
    # month's by the first `deadline_month_day` on or after its last day, at `deadline_time` (local time)
    report_kinds: Mapped[str] = mapped_column(String(40), default="tuan,thang", server_default="tuan,thang")
    deadline_weekday: Mapped[int] = mapped_column(Integer, default=3, server_default="3")  # Thursday
    deadline_month_day: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    deadline_time: Mapped[str] = mapped_column(String(5), default="15:00", server_default="15:00")
    remind_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")  # reminder lead time
    recipients: Mapped[list] = mapped_column(JSON, default=list)  # "Nơi nhận" lines
    # may an officer who is both reporter and approver approve a report they submitted? (default: no)
    self_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # +1 on every change of the unit's own indicators (unit_indicators): a process keeps them while it is unchanged
    indicators_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")


class Officer(Base):
    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    reminders_muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    identities: Mapped[list[Identity]] = relationship(back_populates="officer")
    memberships: Mapped[list[Membership]] = relationship(back_populates="officer")


class Identity(Base):
    """A channel account (console name, Telegram user id, Zalo user id) linked to an officer."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    channel: Mapped[str] = mapped_column(String(16))  # console | telegram | zalo
    external_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    officer: Mapped[Officer] = relationship(back_populates="identities")


class Membership(Base):
    """Role of an officer in a unit: reporter | approver | admin | tong_hop (a province officer who reads
    its communes' reports). Revoked rows are kept for audit."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    officer: Mapped[Officer] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LinkCode(Base):
    """A short-lived code an officer creates on one channel to link another channel's account to them."""

    __tablename__ = "link_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Period(Base):
    """kind: tuan | thang | quy | sau_thang | nam | dot_xuat."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("kind", "start", "end"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(120))


class ReportStatus(StrEnum):
    """The values of `reports.status`; which changes are allowed is decided in reporting/lifecycle.py."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def editable(self) -> bool:
        """Figures and text change only while the reporter holds the report (not submitted, not approved)."""
        return self in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class Report(Base):
    """One unit's report for one period. status: draft -> submitted -> approved (or returned)."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.DRAFT)
    # content revision: +1 on every change of figures, text or options; a draft records the one it shows,
    # so an approval can name exactly what the approver saw
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    request: Mapped[str] = mapped_column(Text, default="")  # "Công văn số ... ngày ... của ... về việc ..."
    narrative: Mapped[dict] = mapped_column(JSON, default=dict)  # chi_dao, ton_tai, nhiem_vu, kien_nghi
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # draft options (appendix on/off ...)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    figures: Mapped[list[Figure]] = relationship(back_populates="report")


class Figure(Base):
    """Current value of one indicator in one report. Every change also writes a FigureRevision."""

    __tablename__ = "figures"
    __table_args__ = (UniqueConstraint("report_id", "indicator"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    indicator: Mapped[str] = mapped_column(String(96))
    value: Mapped[float] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    stated_rate: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    source: Mapped[str] = mapped_column(String(128), default="")  # "telegram:12345" update that set it
    source_text: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[Report] = relationship(back_populates="figures")


class FigureRevision(Base):
    __tablename__ = "figure_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    indicator: Mapped[str] = mapped_column(String(96))
    action: Mapped[str] = mapped_column(String(16))  # set | delete
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    old_denominator: Mapped[float | None] = mapped_column(Float)
    new_denominator: Mapped[float | None] = mapped_column(Float)
    old_rate: Mapped[float | None] = mapped_column(Float)
    new_rate: Mapped[float | None] = mapped_column(Float)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(String(128), default="")
    source_text: Mapped[str] = mapped_column(Text, default="")


class Finding(Base):
    """A check result and the officer's resolution. status: open | fixed | kept | confirmed."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("report_id", "fingerprint"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    fingerprint: Mapped[str] = mapped_column(String(200))  # rule + indicators + values: stable identity
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))  # error | warning
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Draft(Base):
    """Each generated DOCX version of a report."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("report_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    version: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    report_revision: Mapped[int | None] = mapped_column(Integer)  # Report.revision this version shows
    # what the version says (figures, parts shown): the next version's summary of changes compares with it
    content: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnitTemplate(Base):
    """A unit's own report structure (drafting/structure.py outline) for one report kind ("" = every kind)."""

    __tablename__ = "unit_templates"
    __table_args__ = (UniqueConstraint("unit_id", "period_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period_kind: Mapped[str] = mapped_column(String(16), default="")
    outline: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), default="")  # chat | cli | learned | preset:<name>
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class UnitIndicator(Base):
    """One of a unit's own indicators ("chỉ tiêu riêng"): added by an admin in chat (/chitieu), read into the unit's
    catalogue (`knowledge.catalogue.catalogue_for`) as `rieng.<code>`. Removed only while it has no figures."""

    __tablename__ = "unit_indicators"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    code: Mapped[str] = mapped_column(String(40))  # the indicator id is "rieng.<code>"
    name: Mapped[str] = mapped_column(String(120))
    measure: Mapped[str] = mapped_column(String(30))  # unit of measure: "hộ", "buổi"
    section: Mapped[str] = mapped_column(String(32))  # a catalogue section id
    parent: Mapped[str | None] = mapped_column(String(96))  # an indicator it is part of (at most it)
    kind: Mapped[str] = mapped_column(String(16), default="flow", server_default="flow")
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConversationState(Base):
    """Where an officer is in the conversation, per channel chat. Survives restarts."""

    __tablename__ = "conversation_states"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    flow: Mapped[str] = mapped_column(String(32), default="")
    step: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ProcessedUpdate(Base):
    """Channel update ids already handled; written in the same transaction as the update's effects."""

    __tablename__ = "processed_updates"
    __table_args__ = (UniqueConstraint("channel", "update_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HeldUpdate(Base):
    """An update the sender's pace limit postponed: kept (not confirmed as done) and processed later in order."""

    __tablename__ = "held_updates"
    __table_args__ = (UniqueConstraint("channel", "update_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    incoming: Mapped[dict] = mapped_column(JSON)  # the channel-neutral message, as the gateway serialised it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FailedUpdate(Base):
    """An update given up after repeated failures: acknowledged to the channel, kept here for an admin."""

    __tablename__ = "failed_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict] = mapped_column(JSON)  # the update as the channel delivered it
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutgoingMessage(Base):
    """Replies waiting to be delivered (or that failed and must be retried), so none is dropped."""

    __tablename__ = "outgoing_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KnowledgeDocument(Base):
    """A document in the library: our summary profile, an official full text, or a unit's past report."""

    __tablename__ = "knowledge_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    so_hieu: Mapped[str] = mapped_column(String(64), default="")  # "04/CT-TTg"
    doc_type: Mapped[str] = mapped_column(String(32), default="")  # chi_thi, quyet_dinh, cong_van, bao_cao ...
    title: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    provenance: Mapped[str] = mapped_column(String(16), default="tom_tat")  # tom_tat | toan_van | bao_cao
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # set for a unit's own reports
    source_path: Mapped[str] = mapped_column(String(500), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Sensitive actions (approve, reopen, role changes) with who and when."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReminderSent(Base):
    """One reminder to one officer: before a unit's deadline ("before", unit = the commune) or the list of late
    communes after it ("late", unit = the province). Written with its outbox rows, so none is sent twice."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("kind", "unit_id", "officer_id", "period_kind", "period_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # before | late
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    period_kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
