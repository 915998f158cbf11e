"""What the creditor decides in the portal."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class CreditorDecision(Base):
    """The creditor's answer to a proposal to go to court (förslag om rättslig åtgärd):
    approved (the jurist may file) or declined (the case goes back to investigation)."""

    __tablename__ = "creditor_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case")
    user = relationship("User")

    __table_args__ = (Index("ix_creditor_decisions_case_decided", "case_id", "decided_at"),)


class CreditorOverview(Base):
    """The creditor's overview numbers, computed once and reused until something they are
    computed from changes (app.portal.services marks them stale after every flush that
    touches a case, payment, outcome or objection of the creditor)."""

    __tablename__ = "creditor_overviews"
    __audited__ = False  # derived numbers, not a record

    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditors.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict] = mapped_column(JSON)
