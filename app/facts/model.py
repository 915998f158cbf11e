"""The case's legal facts as one plain, immutable object (:class:`CaseFacts`).

Built from the database by :func:`app.facts.builder.case_facts` only; triage, deadlines, the ledger,
every filing, bulk jobs, the portal and the API read this object and never the ORM rows, so they
cannot disagree. What follows from the facts by law (interest starts, the claim value, the
limitation date, the ledger's basis) is computed here by :mod:`app.law`, once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.cases.status import CaseStatus
from app.course import deadlines as course_deadlines
from app.law import fees as law_fees
from app.law.interest import interest_start, late_interest
from app.law.judgment import EXECUTION_TITLE_SOURCE
from app.law.track import claim_value
from app.triage.scoring import AbilityFacts

ZERO = Decimal("0.00")
INTEREST_RULE_AGREED = "3 och 6 §§ räntelagen (1975:635)"
INTEREST_RULE_DEMAND = "4 och 6 §§ räntelagen (1975:635)"
#: Interest on awarded litigation costs (RB 18 kap. 8 § sista stycket): from the day of the decision.
COSTS_INTEREST_RULE = "6 § räntelagen (1975:635) från dagen för avgörandet (rättegångsbalken 18 kap. 8 §)"


@dataclass(frozen=True)
class PartyFacts:
    name: str
    identity_number: str
    is_company: bool
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class LineFacts:
    """One claim line with the interest start the law gives it (3 § or 4 § räntelagen)."""

    number: int
    invoice_number: str
    invoice_date: date
    due_date: date
    arose_on: date  # when the claim arose (delivery), else the invoice date: limitation runs from it
    capital: Decimal
    description: str
    due_date_agreed: bool
    interest_from: date | None
    interest_rule: str
    evidence_kinds: frozenset = field(default=frozenset())


@dataclass(frozen=True)
class ObjectionFacts:
    received_on: date
    category: str  # ObjectionCategory value
    category_label: str
    text: str
    setoff_amount: Decimal
    response: str  # why it does not hold (answered in the stämningsansökan)


@dataclass(frozen=True)
class EvidenceFacts:
    number: int
    title: str
    kind: str
    dated: date | None
    proves: str
    line_numbers: tuple[int, ...]


@dataclass(frozen=True)
class DecisionFacts:
    """A dom, tredskodom, utslag or stadfäst förlikning as recorded."""

    kind: str  # OutcomeKind value
    kind_label: str
    decided_on: date
    authority: str
    case_number: str
    awarded_capital: Decimal | None
    interest_from: date | None
    awarded_costs: Decimal | None
    kfm_costs: Decimal | None
    served_on: date | None
    appealed: bool
    final_on: date | None
    waiver_on: date | None
    enforceable: bool


@dataclass(frozen=True)
class FiledFacts:
    """What a filing decided when it was given in (app.hearings.models.FilingRecord)."""

    kind: str  # payment_order, summons, transfer
    filed_on: date
    court: str
    track: str
    claim_value: Decimal
    capital: Decimal
    interest: Decimal
    setoff: Decimal
    collection_charges: Decimal
    court_fee: Decimal
    kfm_fees: Decimal
    reason: str = ""


@dataclass(frozen=True)
class PaymentFacts:
    paid_on: date
    amount: Decimal
    source: str


@dataclass(frozen=True)
class LedgerBasis:
    """What the ledger runs on: capital lines and cost lines, each (amount, interest from or None)."""

    capital: tuple[tuple[Decimal, date | None], ...]
    costs: tuple[tuple[Decimal, date | None], ...]
    source: str


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    reference: str
    status: CaseStatus
    creditor_id: int
    creditor: PartyFacts
    creditor_bankgiro: str
    approval_not_required_up_to: Decimal | None
    creditor_approved: bool  # the creditor approved the proposal the case is in now
    debtor: PartyFacts
    consumer_claim: bool
    lines: tuple[LineFacts, ...]
    objections: tuple[ObjectionFacts, ...]
    evidence: tuple[EvidenceFacts, ...]
    ability: AbilityFacts | None
    test_case: bool
    reminder_fee_agreed: bool
    reminder_sent_on: date | None
    inkassokrav_sent_on: date | None
    kfm_case_number: str
    kfm_served_on: date | None
    kfm_answer_days: int | None
    kfm_objection_notified_on: date | None
    utslag_on: date | None
    court_case_number: str
    court: str
    judgment_on: date | None
    default_judgment: bool
    default_judgment_served_on: date | None
    appealed: bool
    settlement_on: date | None
    limitation_interruptions: tuple[date, ...]
    decisions: tuple[DecisionFacts, ...]
    filings: tuple[FiledFacts, ...]
    payments: tuple[PaymentFacts, ...]
    court_grounds: str
    jurist_name: str

    # --- Plain derivations ----------------------------------------------------------------

    @property
    def business_to_business(self) -> bool:
        return self.debtor.is_company and not self.consumer_claim

    @property
    def total_capital(self) -> Decimal:
        return sum((line.capital for line in self.lines), ZERO)

    @property
    def setoff_amount(self) -> Decimal:
        return sum((o.setoff_amount for o in self.objections), ZERO)

    @property
    def title(self) -> DecisionFacts | None:
        """The exekutionstitel in force: the latest enforceable decision (UB 3 kap. 1 §)."""
        titles = [d for d in self.decisions if d.enforceable]
        return titles[-1] if titles else None

    @property
    def judgment(self) -> DecisionFacts | None:
        """The latest court judgment (dom or tredskodom), if any."""
        found = [d for d in self.decisions if d.kind in ("judgment", "default_judgment")]
        return found[-1] if found else None

    def filed(self, *kinds: str) -> FiledFacts | None:
        """The filing record in force of one of ``kinds`` (the newest)."""
        found = [f for f in self.filings if f.kind in kinds]
        return found[-1] if found else None

    @property
    def court_filing(self) -> FiledFacts | None:
        """The filing that brought the case to the tingsrätt (stämning or överlämnande)."""
        return self.filed("summons", "transfer")

    @property
    def contested_at_kfm(self) -> bool:
        return self.kfm_objection_notified_on is not None and self.status in (
            CaseStatus.KFM_DISPUTED, CaseStatus.TRANSFERRED)

    @property
    def transfer_request_deadline(self) -> date | None:
        """The last day to ask for transfer while the case is bestridd at Kronofogden (BFL 35 §)."""
        if self.status != CaseStatus.KFM_DISPUTED or self.kfm_objection_notified_on is None:
            return None
        from app.law.deadlines import transfer_request_deadline

        return transfer_request_deadline(self.kfm_objection_notified_on)

    def collection_charges(self, on: date) -> tuple[law_fees.ChargeLine, ...]:
        """The collection charges that may be claimed, each on its recorded basis (lag 1981:739)."""
        return law_fees.collection_charges(
            on, business_to_business=self.business_to_business, reminder_agreed=self.reminder_fee_agreed,
            reminder_sent_on=self.reminder_sent_on, inkassokrav_sent_on=self.inkassokrav_sent_on)

    def claim_value(self, capital: Decimal, interest: Decimal, on: date) -> Decimal:
        """The RB 1 kap. 3 d § value of a yrkande filed on ``on``: capital, interest accrued before
        filing, a set-off objection and the collection charges claimed in it."""
        charges = sum((c.amount for c in self.collection_charges(on)), ZERO)
        return claim_value(capital, interest, self.setoff_amount, charges)

    def accrued_interest(self, on: date) -> Decimal:
        """Dröjsmålsränta on the claim lines up to (not including) ``on`` (räntelagen 6 §)."""
        return sum((late_interest(line.capital, line.interest_from, on).total for line in self.lines
                    if line.interest_from is not None and line.interest_from < on), ZERO)

    @property
    def claim_arose_on(self) -> date | None:
        return min((line.arose_on for line in self.lines), default=None)

    def deadline_facts(self) -> course_deadlines.CaseFacts:
        """The facts the deadlines run from (app.course.deadlines)."""
        return course_deadlines.CaseFacts(
            kfm_served_on=self.kfm_served_on, answer_days=self.kfm_answer_days,
            kfm_objection_notified_on=self.kfm_objection_notified_on, utslag_on=self.utslag_on,
            judgment_on=self.judgment_on, default_judgment=self.default_judgment,
            default_judgment_served_on=self.default_judgment_served_on, settlement_on=self.settlement_on,
            claim_arose_on=self.claim_arose_on, consumer_claim=self.consumer_claim,
            limitation_interruptions=self.limitation_interruptions, appealed=self.appealed)

    def ledger_basis(self) -> LedgerBasis:
        """What is owed, from the exekutionstitel once there is one, else from the claim lines.

        A dom or utslag replaces the invoices: its awarded capital with interest from the date it
        names, its litigation costs with interest from its own date (RB 18 kap. 8 §), and the
        Kronofogden costs it fixes (without interest). An utslag recorded without an amount
        awards the claim as applied for."""
        title = self.title
        if title is None:
            return LedgerBasis(tuple((line.capital, line.interest_from) for line in self.lines), (),
                               "Fakturorna enligt fordringsraderna")
        if title.awarded_capital is not None:
            capital: tuple[tuple[Decimal, date | None], ...] = ((title.awarded_capital, title.interest_from),)
        else:
            capital = tuple((line.capital, line.interest_from) for line in self.lines)
        costs: list[tuple[Decimal, date | None]] = []
        if title.awarded_costs:
            costs.append((title.awarded_costs, title.decided_on))
        if title.kfm_costs:
            costs.append((title.kfm_costs, None))
        return LedgerBasis(capital, tuple(costs),
                           f"{title.kind_label} {title.decided_on.isoformat()} ({EXECUTION_TITLE_SOURCE})")


def line_interest_start(*, due_date: date, due_date_agreed: bool, invoice_date: date,
                        inkassokrav_sent_on: date | None, warned_of_interest: bool, business_debtor: bool,
                        served_on: date | None) -> tuple[date | None, str]:
    """The first day of dröjsmålsränta for a claim line and the rule it follows: 3 § when the due
    date was agreed in advance; otherwise 4 §: 30 days after an invoice or demand (for a consumer
    only a demand that warned of interest), at the latest from service of the application."""
    if due_date_agreed:
        return interest_start(due_date=due_date), INTEREST_RULE_AGREED
    if business_debtor:
        demand, warned = invoice_date, True
    else:
        demand, warned = inkassokrav_sent_on, warned_of_interest
    start = interest_start(invoice_or_demand_date=demand, warned_of_interest=warned,
                           business_debtor=business_debtor, served_date=served_on)
    return start, INTEREST_RULE_DEMAND
