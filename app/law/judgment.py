"""Rules about decisions in a case: what is an exekutionstitel, what a dom may award, when it is final.

Pure: the callers pass plain values. Each rule names its source; the Swedish messages are for the
user and say which rule refused what.

* **Exekutionstitlar** (utsökningsbalken 3 kap. 1 §): a dom (also a tredskodom), Kronofogden's
  utslag in a mål om betalningsföreläggande, and a förlikning that a court has *stadfäst*
  (RB 17 kap. 6 §: the court confirms the settlement in a dom). A private förlikningsavtal or
  avbetalningsplan is not one: if it is not kept, the creditor must go to court or to Kronofogden
  with the original claim (or sue on the agreement).
* **Ne ultra petita** (RB 17 kap. 3 §): a dom may not award more than was claimed: no more capital
  than the yrkande, and interest not from an earlier day than claimed.
* **Laga kraft**: an unappealed dom becomes final when the appeal time has run
  (:func:`app.law.deadlines.final_on`, RB 50 kap. 1 §), a tredskodom also only after the återvinning
  time (RB 44 kap. 9 §). Before that only on a recorded nöjdförklaring (``time_limits.nojdforklaring``).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.law import tables
from app.law.formatting import format_sek

__all__ = [
    "EXECUTION_TITLE_KINDS",
    "EXECUTION_TITLE_SOURCE",
    "PRIVATE_SETTLEMENT_NOTE",
    "award_problems",
    "earliest_final_on",
    "final_problems",
    "is_execution_title",
]

#: Outcome kinds (app.hearings.models.OutcomeKind values) that are exekutionstitlar.
EXECUTION_TITLE_KINDS: frozenset[str] = frozenset({"judgment", "default_judgment", "utslag", "confirmed_settlement"})
EXECUTION_TITLE_SOURCE = "Utsökningsbalken (1981:774) 3 kap. 1 §; rättegångsbalken 17 kap. 6 § (stadfäst förlikning)"
#: What a private settlement says about enforcement, for the förlikningsavtal.
PRIVATE_SETTLEMENT_NOTE = (
    "Detta avtal är inte en exekutionstitel (utsökningsbalken 3 kap. 1 §). Fullgörs det inte får borgenären "
    "göra den återstående fordran gällande vid domstol eller hos Kronofogdemyndigheten; verkställighet kan "
    "endast ske på grund av en dom, ett utslag eller en förlikning som domstol har stadfäst "
    "(rättegångsbalken 17 kap. 6 §)."
)


def is_execution_title(kind: str) -> bool:
    """True when an outcome of ``kind`` is an exekutionstitel (UB 3 kap. 1 §)."""
    return kind in EXECUTION_TITLE_KINDS


def award_problems(*, awarded_capital: Decimal | None, claimed_capital: Decimal,
                   interest_from: date | None, claimed_interest_from: date | None) -> list[str]:
    """What in an award goes beyond the claim (RB 17 kap. 3 §), as Swedish sentences."""
    problems = []
    if awarded_capital is not None and awarded_capital > claimed_capital:
        problems.append(
            f"Utdömt kapital {format_sek(awarded_capital)} är mer än det yrkade {format_sek(claimed_capital)}: "
            "en dom får inte ges över mer än vad som yrkats (rättegångsbalken 17 kap. 3 §). Kontrollera beloppet i domen.")
    if interest_from is not None and claimed_interest_from is not None and interest_from < claimed_interest_from:
        problems.append(
            f"Ränta från {interest_from.isoformat()} är tidigare än den yrkade ({claimed_interest_from.isoformat()}): "
            "en dom får inte ges över mer än vad som yrkats (rättegångsbalken 17 kap. 3 §).")
    return problems


def earliest_final_on(waiver_on: date | None, appeal_final_on: date) -> date:
    """The first day the dom can be final: after the appeal time, or the day after a recorded
    nöjdförklaring if that is earlier."""
    if waiver_on is None:
        return appeal_final_on
    days = int(tables.lookup("time_limits", "nojdforklaring", waiver_on).value)
    return min(appeal_final_on, waiver_on + timedelta(days=days))


def final_problems(*, final_on: date, appeal_final_on: date | None, waiver_on: date | None,
                   appealed: bool) -> list[str]:
    """Why laga kraft cannot be registered on ``final_on``, as Swedish sentences (none: it can).

    ``appeal_final_on`` is the day the dom becomes final when unappealed (None: not derivable yet,
    e.g. a tredskodom whose service is not recorded)."""
    if appealed:
        return ["Domen är överklagad; den vinner inte laga kraft förrän överinstansen avgjort målet."]
    if appeal_final_on is None:
        return ["Laga kraft kan inte beräknas än: registrera när tredskodomen delgavs "
                "(återvinningstiden, rättegångsbalken 44 kap. 9 §, löper från delgivningen)."]
    earliest = earliest_final_on(waiver_on, appeal_final_on)
    if final_on < earliest:
        reason = ("efter nöjdförklaringen" if waiver_on and earliest < appeal_final_on
                  else "när överklagandetiden har löpt ut (rättegångsbalken 50 kap. 1 §)")
        return [f"Domen kan vinna laga kraft tidigast {earliest.isoformat()}, {reason}. "
                "Registrera en nöjdförklaring med datum om parterna har avstått från att överklaga."]
    return []
