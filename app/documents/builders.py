"""From a case's facts (app.facts.CaseFacts) to the plain input a filing needs (filings.model).

The builders read the one facts object, never the ORM rows: everything legal — interest, fees,
the track fixed at filing, deadlines, the forum, recoverable costs, the ledger after a dom — comes
from app.facts and app.law and is handed to `filings` as finished values. A filing states only
what was recorded for the court: the internal description never reaches one; fees appear only
with their recorded basis.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app

from app.cases.models import Case
from app.course.guards import filing_refusal
from app.facts.builder import case_facts
from app.facts.filing import court_track
from app.facts.model import COSTS_INTEREST_RULE, INTEREST_RULE_AGREED, ZERO, CaseFacts, PartyFacts
from app.law import costs as law_costs
from app.law import deadlines as law_deadlines
from app.law import fees as law_fees
from app.law.errors import LawDataMissing
from app.law.formatting import format_sek
from app.law.forum import district_court_for
from app.law.interest import late_interest
from app.law.judgment import PRIVATE_SETTLEMENT_NOTE
from app.law.track import Track
from filings import model as fm

TRACK_LABELS = {Track.SIMPLIFIED: "Förenklat tvistemål (FT-mål)", Track.ORDINARY: "Ordinärt tvistemål"}


class MissingCaseData(Exception):
    """The case lacks facts a filing needs; ``problems`` are Swedish sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Agency:
    """The agency acting as ombud, from configuration (AGENCY)."""

    firm: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str
    bankgiro: str
    hourly_rate: Decimal
    cost_claim_hours: dict
    instalments: int  # förlikning: default number of monthly instalments
    grace_days: int  # förlikning: days after a due date before the whole debt falls due


def agency() -> Agency:
    cfg = current_app.config["AGENCY"]
    return Agency(firm=cfg["firm"], street=cfg["street"], postal_code=cfg["postal_code"], city=cfg["city"],
                  phone=cfg["phone"], email=cfg["email"], bankgiro=cfg["bankgiro"],
                  hourly_rate=Decimal(str(cfg["hourly_rate"])), cost_claim_hours=dict(cfg["cost_claim_hours"]),
                  instalments=int(cfg["settlement_instalments"]), grace_days=int(cfg["settlement_grace_days"]))


# --- Parties --------------------------------------------------------------------------

def party(p: PartyFacts) -> fm.Party:
    return fm.Party(name=p.name, identity_number=p.identity_number, is_company=p.is_company, street=p.street,
                    postal_code=p.postal_code, city=p.city, phone=p.phone, email=p.email)


def counsel(facts: CaseFacts, signer_name: str | None) -> fm.Counsel:
    a = agency()
    return fm.Counsel(name=signer_name or facts.jurist_name, firm=a.firm, street=a.street,
                      postal_code=a.postal_code, city=a.city, phone=a.phone, email=a.email,
                      reference=facts.reference)


# --- Claim, interest, fees -----------------------------------------------------------------

def claim_lines(facts: CaseFacts) -> tuple[fm.ClaimLine, ...]:
    return tuple(
        fm.ClaimLine(invoice_number=line.invoice_number, invoice_date=line.invoice_date, due_date=line.due_date,
                     capital=line.capital, description=line.description or f"Faktura {line.invoice_number}",
                     interest_from=line.interest_from, interest_basis=line.interest_rule if line.interest_from else "")
        for line in facts.lines
    )


def interest_specs(facts: CaseFacts, on: date) -> tuple[fm.InterestSpec, ...]:
    """Interest accrued up to (not including) the filing day, per claim line."""
    specs = []
    for line in facts.lines:
        if line.interest_from is None or line.interest_from >= on:
            continue
        result = late_interest(line.capital, line.interest_from, on)
        specs.append(fm.InterestSpec(
            invoice_number=line.invoice_number, principal=result.principal, total=result.total,
            convention=result.convention,
            periods=tuple(fm.InterestPeriod(start=p.start, end=p.end, rate=p.rate, days=p.days, amount=p.amount)
                          for p in result.periods)))
    return tuple(specs)


def collection_fee_lines(facts: CaseFacts, on: date) -> tuple[fm.CostLine, ...]:
    """The collection charges with their recorded basis (app.law.fees.collection_charges)."""
    return tuple(fm.CostLine(label=c.label, amount=c.amount, note=f"{c.basis}; {c.rule}")
                 for c in facts.collection_charges(on))


def evidence_items(facts: CaseFacts) -> tuple[fm.EvidenceItem, ...]:
    return tuple(fm.EvidenceItem(number=ev.number, title=ev.title, kind="Skriftlig bevisning", dated=ev.dated,
                                 proves=ev.proves, attached=True) for ev in facts.evidence)


def default_grounds(facts: CaseFacts) -> tuple[str, ...]:
    """The grunder as the facts state them; the jurist edits them into ``court_grounds``."""
    paragraphs = []
    for line in facts.lines:
        paragraphs.append(
            f"{facts.creditor.name} har en fordran på {facts.debtor.name} avseende "
            f"{(line.description or 'leverans enligt faktura').rstrip('.').lower()} enligt faktura "
            f"{line.invoice_number} daterad {line.invoice_date.isoformat()} med förfallodag "
            f"{line.due_date.isoformat()}. Fakturan har inte betalats.")
    rules = sorted({line.interest_rule for line in facts.lines if line.interest_from is not None})
    if rules == [INTEREST_RULE_AGREED]:
        paragraphs.append("Betalningstiden var bestämd i förväg. Dröjsmålsränta ska därför betalas enligt "
                          "3 och 6 §§ räntelagen (1975:635) från förfallodagen till dess betalning sker.")
    elif rules:
        paragraphs.append("Dröjsmålsränta ska betalas enligt " + " respektive ".join(rules)
                          + " från de dagar som anges i yrkandet till dess betalning sker.")
    return tuple(paragraphs)


def grounds(facts: CaseFacts) -> tuple[str, ...]:
    """The court-facing grunder: the jurist's text when recorded, else the default from the facts."""
    written = tuple(p.strip() for p in facts.court_grounds.split("\n\n") if p.strip())
    return written or default_grounds(facts)


def objection_answers(facts: CaseFacts) -> tuple[str, ...]:
    """What the debtor said, and why it does not hold (as the jurist recorded it)."""
    answers = []
    for o in facts.objections:
        said = f"{o.category_label}" + (f": {o.text.strip().rstrip('.')}" if o.text.strip() else "")
        answer = o.response.strip() or "Käranden vidhåller fordran och bestrider invändningen."
        answers.append(f"Svaranden har invänt ({o.received_on.isoformat()}) {said}. {answer}")
    return tuple(answers)


def _objection_summary(facts: CaseFacts) -> str:
    return " ".join(f"{o.received_on.isoformat()}: {o.category_label}. {o.text}" for o in facts.objections)


def _court(facts: CaseFacts):
    return district_court_for(facts.debtor.municipality, is_company=facts.debtor.is_company)


# --- The six filings ------------------------------------------------------------------------

def stamningsansokan(facts: CaseFacts, on: date, signer: str | None = None) -> fm.StamningsansokanInput:
    forum = _court(facts)
    decision = court_track(facts, on)
    return fm.StamningsansokanInput(
        case_reference=facts.reference, filing_date=on, place=agency().city, court=forum.court,
        plaintiff=party(facts.creditor), plaintiff_counsel=counsel(facts, signer), defendant=party(facts.debtor),
        subject="Fordran", claim_lines=claim_lines(facts), fee_lines=collection_fee_lines(facts, on),
        claims_litigation_costs=True, grounds=grounds(facts), statement_of_facts=objection_answers(facts),
        evidence=evidence_items(facts), jurisdiction=forum.reason, track_label=TRACK_LABELS[decision.track],
        track_reason=decision.reason, court_fee=law_fees.court_fee(decision.track, on), request_default_judgment=True,
    )


def betalningsforelaggande(facts: CaseFacts, on: date, signer: str | None = None) -> fm.BetalningsforelaggandeInput:
    fee_lines = (
        fm.CostLine(label="Ansökningsavgift", amount=law_fees.kfm_application_fee(on),
                    note="1 § förordningen (1992:1094) om avgifter vid Kronofogdemyndigheten"),
        fm.CostLine(label="Ersättning för upprättande av ansökan", amount=law_fees.bfl_work_compensation(on),
                    note="48 § lagen (1990:746) om betalningsföreläggande och handräckning"),
    ) + collection_fee_lines(facts, on)
    return fm.BetalningsforelaggandeInput(
        case_reference=facts.reference, filing_date=on, place=agency().city, applicant=party(facts.creditor),
        applicant_counsel=counsel(facts, signer), debtor=party(facts.debtor), claim_lines=claim_lines(facts),
        interest=interest_specs(facts, on), fee_lines=fee_lines, grounds=grounds(facts),
        transfer_to_court_if_contested=True, enforce_immediately=False,
    )


def overlamnande(facts: CaseFacts, on: date, signer: str | None = None) -> fm.OverlamnandeInput:
    problems = []
    if not facts.kfm_case_number:
        problems.append("Kronofogdens målnummer saknas.")
    if facts.kfm_objection_notified_on is None:
        problems.append("Datum då sökanden underrättades om bestridandet saknas.")
    if problems:
        raise MissingCaseData(problems)
    decision = court_track(facts, on)
    try:
        court = _court(facts).court
    except LawDataMissing:
        court = ""
    return fm.OverlamnandeInput(
        case_reference=facts.reference, filing_date=on, place=agency().city, kfm_case_number=facts.kfm_case_number,
        applicant=party(facts.creditor), applicant_counsel=counsel(facts, signer), debtor=party(facts.debtor),
        objection_received_on=facts.kfm_objection_notified_on,
        deadline=law_deadlines.transfer_request_deadline(facts.kfm_objection_notified_on),
        track_label=TRACK_LABELS[decision.track], track_reason=decision.reason,
        additional_fee=law_fees.transfer_supplementary_fee(decision.track, on), court=court,
        claim_lines=claim_lines(facts), objection_summary=_objection_summary(facts),
        response=tuple(o.response for o in facts.objections if o.response.strip()), evidence=evidence_items(facts),
    )


def verkstallighet(facts: CaseFacts, on: date, signer: str | None = None) -> fm.VerkstallighetInput:
    """The exekutionstitel, what it awards (the ledger's basis), the payments received since and
    what remains on the filing day: the same computation as Reskontra."""
    from app.hearings.services import ledger_of

    title = facts.title
    if title is None:
        raise MissingCaseData(["Ärendet saknar exekutionstitel: registrera en dom, ett utslag eller en stadfäst "
                               "förlikning först (utsökningsbalken 3 kap. 1 §)."])
    basis = facts.ledger_basis()
    awarded = [fm.AwardLine(label="Kapitalbelopp", amount=amount, interest_from=start,
                            interest_basis="6 § räntelagen (1975:635)" if start else "")
               for amount, start in basis.capital]
    for amount, start in basis.costs:
        awarded.append(fm.AwardLine(label="Rättegångskostnader" if start else "Kostnader hos Kronofogdemyndigheten",
                                    amount=amount, interest_from=start,
                                    interest_basis=COSTS_INTEREST_RULE if start else ""))
    balance = ledger_of(facts, on)
    deductions = tuple(fm.CostLine(label=f"Inbetalt {row.payment.paid_on.isoformat()}", amount=row.payment.amount)
                       for row in balance.rows if row.payment.paid_on >= title.decided_on)
    notes = (f"Återstår den {on.isoformat()}: kapital {format_sek(balance.capital)}, ränta "
             f"{format_sek(balance.interest)}, kostnader {format_sek(balance.costs)}.",) if deductions else ()
    return fm.VerkstallighetInput(
        case_reference=facts.reference, filing_date=on, place=agency().city, applicant=party(facts.creditor),
        applicant_counsel=counsel(facts, signer), debtor=party(facts.debtor),
        title=fm.EnforceableTitle(kind=title.kind_label, authority=title.authority, case_number=title.case_number,
                                  decided_on=title.decided_on, final_on=title.final_on),
        awarded=tuple(awarded), deductions=deductions, notes=notes,
        enforcement_fee=law_fees.kfm_enforcement_base_fee(on),
    )


def kostnadsrakning(facts: CaseFacts, on: date, signer: str | None = None) -> fm.KostnadsrakningInput:
    """The costs claimed in the tingsrätt, from what the filing fixed: the track it was filed on
    (or reclassified to), the court fee actually paid and, after a transfer, the Kronofogden
    stage's costs. In an FT-mål counsel is claimed only up to the RB 18 kap. 8 a § cap."""
    record = facts.court_filing
    if record is None:
        raise MissingCaseData(["Ingen ingiven stämningsansökan eller begäran om överlämnande är registrerad: "
                               "kostnadsräkningen bygger på vad som betalades och beslutades då."])
    decision = court_track(facts, on)
    a = agency()
    capped = decision.track == Track.SIMPLIFIED
    # In an FT-mål counsel is claimed only as far as it is recoverable (RB 18 kap. 8 a §).
    hours = Decimal(str(a.cost_claim_hours[decision.track.value]))
    amount = law_costs.ft_advice_cap(on.year) if capped else (hours * a.hourly_rate).quantize(Decimal("0.01"))
    result = law_costs.recoverable_costs(decision.track, on.year, claimed_advice_hours=hours,
                                         claimed_advice_amount=amount, court_fee=record.court_fee,
                                         kfm_costs=record.kfm_fees if record.kind == "transfer" else ZERO)
    return fm.KostnadsrakningInput(
        case_reference=facts.reference, filing_date=on, place=a.city, court=record.court or facts.court,
        court_case_number=facts.court_case_number, party=party(facts.creditor), opponent=party(facts.debtor),
        counsel=counsel(facts, signer), track_label=TRACK_LABELS[decision.track], capped=capped,
        cap_note=("I förenklat tvistemål ersätts endast kostnader enligt 18 kap. 8 a § rättegångsbalken."
                  if capped else ""),
        lines=tuple(fm.CostClaimLine(label=line.label, claimed=line.claimed, recoverable=line.recoverable,
                                     rule=line.rule) for line in result.lines),
        interest_note="jämte ränta enligt 6 § räntelagen från dagen för tingsrättens avgörande",
    )


def forlikning(facts: CaseFacts, on: date, signer: str | None = None) -> fm.ForlikningInput:
    terms = agency()
    debt = [fm.CostLine(label=f"Kapital, faktura {line.invoice_number}", amount=line.capital) for line in facts.lines]
    interest = facts.accrued_interest(on)
    if interest:
        debt.append(fm.CostLine(label=f"Upplupen dröjsmålsränta till och med {on.isoformat()}", amount=interest))
    debt.extend(collection_fee_lines(facts, on))
    if facts.consumer_claim:
        debt.append(fm.CostLine(label="Avgift för amorteringsplan", amount=law_fees.instalment_plan_fee(on),
                                note="4 § lagen (1981:739) om ersättning för inkassokostnader m.m."))
    total = sum((d.amount for d in debt), Decimal("0.00"))
    plan = instalment_plan(total, first_due=law_deadlines.add_months(on, 1), count=terms.instalments)
    bankgiro = facts.creditor_bankgiro or terms.bankgiro
    return fm.ForlikningInput(
        case_reference=facts.reference, filing_date=on, place=terms.city, creditor=party(facts.creditor),
        creditor_counsel=counsel(facts, signer), debtor=party(facts.debtor), debt_lines=tuple(debt),
        instalments=plan, payment_details=f"Betalning till bankgiro {bankgiro} med referens {facts.reference}.",
        default_terms=(f"Om en delbetalning inte har kommit in senast {terms.grace_days} dagar efter förfallodagen "
                       "förfaller hela den återstående skulden till omedelbar betalning.", PRIVATE_SETTLEMENT_NOTE),
        court_case_number=facts.court_case_number, kfm_case_number=facts.kfm_case_number,
    )


def instalment_plan(total: Decimal, *, first_due: date, count: int) -> tuple[fm.Instalment, ...]:
    """Equal monthly instalments in whole kronor; the last one takes the remainder."""
    count = max(1, count)
    regular = (total / count).quantize(Decimal("1"))
    amounts = [regular] * (count - 1) + [total - regular * (count - 1)]
    return tuple(fm.Instalment(due_date=law_deadlines.add_months(first_due, i), amount=amount)
                 for i, amount in enumerate(amounts))


BUILDERS = {
    "stamningsansokan": stamningsansokan,
    "betalningsforelaggande": betalningsforelaggande,
    "overlamnande": overlamnande,
    "verkstallighet": verkstallighet,
    "kostnadsrakning": kostnadsrakning,
    "forlikning": forlikning,
}


def build(case: Case, kind: str, on: date, signer: str | None = None):
    """The filing input for ``kind``, from the case's facts; raises MissingCaseData (Swedish
    sentences) when the case cannot give what the filing needs (the caller shows the list)."""
    return build_from_facts(case_facts(case), kind, on, signer)


def build_from_facts(facts: CaseFacts, kind: str, on: date, signer: str | None = None):
    if kind not in BUILDERS:
        raise MissingCaseData([f"Okänd dokumenttyp: {kind}."])
    if not facts.lines:
        raise MissingCaseData(["Ärendet har inga fordringar registrerade."])
    refused = filing_refusal(kind, facts)
    if refused:
        raise MissingCaseData([refused])
    try:
        return BUILDERS[kind](facts, on, signer)
    except LawDataMissing as exc:
        raise MissingCaseData([exc.user_message]) from exc
