"""Swedish rules for contested claims: time limits, interest, track, fees, costs, limitation.

Pure Python: no Flask, no database, no clock (callers pass dates). Money is ``Decimal``; every
amount, rate and time limit is read from the TOML tables under ``app/law/data/`` (see
:mod:`app.law.tables`). A lookup the tables do not cover raises :class:`LawDataMissing`.
"""
from __future__ import annotations

from app.law.calendar import (
    holidays_in,
    is_business_day,
    next_business_day,
    non_business_reason,
    previous_business_day,
    roll_forward,
)
from app.law.costs import CostLine, CostsResult, recoverable_costs
from app.law.deadlines import (
    add_months,
    answer_deadline,
    appeal_deadline,
    final_on,
    inkassokrav_due,
    monitoring_next_check,
    period_end,
    raw_period_end,
    transfer_request_deadline,
    tredskodom_reopening_deadline,
    utslag_appeal_deadline,
    utslag_reopening_deadline,
)
from app.law.errors import LawDataInvalid, LawDataMissing
from app.law.fees import (
    bfl_work_compensation,
    collection_letter_fee,
    court_fee,
    instalment_plan_fee,
    kfm_application_fee,
    kfm_enforcement_base_fee,
    late_payment_compensation,
    reminder_fee,
    transfer_supplementary_fee,
)
from app.law.formatting import format_percent, format_sek
from app.law.interest import (
    InterestPeriod,
    InterestResult,
    interest_start,
    late_interest,
    late_interest_rate,
    reference_rate,
)
from app.law.limitation import (
    LimitationStatus,
    interrupted,
    limitation_after_interruptions,
    limitation_date,
    limitation_status,
)
from app.law.tables import list_tables, prisbasbelopp, render_tables, timkostnadsnorm
from app.law.track import Track, TrackDecision, choose_track, claim_value

__all__ = [
    "CostLine",
    "CostsResult",
    "InterestPeriod",
    "InterestResult",
    "LawDataInvalid",
    "LawDataMissing",
    "LimitationStatus",
    "Track",
    "TrackDecision",
    "add_months",
    "answer_deadline",
    "appeal_deadline",
    "bfl_work_compensation",
    "choose_track",
    "claim_value",
    "collection_letter_fee",
    "court_fee",
    "final_on",
    "format_percent",
    "format_sek",
    "holidays_in",
    "inkassokrav_due",
    "instalment_plan_fee",
    "interest_start",
    "interrupted",
    "is_business_day",
    "kfm_application_fee",
    "kfm_enforcement_base_fee",
    "late_interest",
    "late_interest_rate",
    "late_payment_compensation",
    "limitation_after_interruptions",
    "limitation_date",
    "limitation_status",
    "list_tables",
    "monitoring_next_check",
    "next_business_day",
    "non_business_reason",
    "period_end",
    "previous_business_day",
    "prisbasbelopp",
    "raw_period_end",
    "recoverable_costs",
    "reference_rate",
    "reminder_fee",
    "render_tables",
    "roll_forward",
    "timkostnadsnorm",
    "transfer_request_deadline",
    "transfer_supplementary_fee",
    "tredskodom_reopening_deadline",
    "utslag_appeal_deadline",
    "utslag_reopening_deadline",
]
