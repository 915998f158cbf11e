"""From a case record to the plain input a filing needs (filings.model dataclasses).

This is the one place where the ORM meets the document engine: everything legal —
interest, fees, the track and its reason, deadlines, the forum, recoverable costs —
is computed here by app.law and handed to `filings` as finished values.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app

from filings import model as fm
from app.cases.models import Case
from app.law import costs as law_costs
from app.law import deadlines as law_deadlines
from app.law import fees as law_fees
from app.law.errors import LawDataMissing
from app.law.forum import district_court_for
from app.law.interest import interest_start, late_interest
from app.law.track import Track, TrackDecision, choose_track, claim_value

INTEREST_BASIS = "6 § räntelagen (1975:635)"
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

def creditor_party(case: Case) -> fm.Party:
    c = case.creditor
    return fm.Party(name=c.name, identity_number=c.org_number, is_company=True, street=c.street,
                    postal_code=c.postal_code, city=c.city, phone=c.contact_phone, email=c.contact_email)


def debtor_party(case: Case) -> fm.Party:
    d = case.debtor
    return fm.Party(name=d.name, identity_number=d.identity_number, is_company=d.is_company, street=d.street,
                    postal_code=d.postal_code, city=d.city, phone=d.phone, email=d.email)


def counsel(case: Case, signer_name: str | None) -> fm.Counsel:
    a = agency()
    name = signer_name or (case.assigned_jurist.name if case.assigned_jurist else "")
    return fm.Counsel(name=name, firm=a.firm, street=a.street, postal_code=a.postal_code, city=a.city,
                      phone=a.phone, email=a.email, reference=case.reference)


# --- Claim, interest, track --------------------------------------------------------------

def claim_lines(case: Case) -> tuple[fm.ClaimLine, ...]:
    return tuple(
        fm.ClaimLine(invoice_number=line.invoice_number, invoice_date=line.invoice_date, due_date=line.due_date,
                     capital=line.capital, description=line.description or f"Faktura {line.invoice_number}",
                     interest_from=interest_start(due_date=line.due_date), interest_basis=INTEREST_BASIS)
        for line in case.claim_lines
    )


def interest_specs(case: Case, on: date) -> tuple[fm.InterestSpec, ...]:
    """Interest accrued up to (not including) the filing day, per claim line."""
    specs = []
    for line in claim_lines(case):
        if line.interest_from is None or line.interest_from >= on:
            continue
        result = late_interest(line.capital, line.interest_from, on)
        specs.append(fm.InterestSpec(
            invoice_number=line.invoice_number, principal=result.principal, total=result.total,
            convention=result.convention,
            periods=tuple(fm.InterestPeriod(start=p.start, end=p.end, rate=p.rate, days=p.days, amount=p.amount)
                          for p in result.periods)))
    return tuple(specs)


def accrued_interest(case: Case, on: date) -> Decimal:
    return sum((spec.total for spec in interest_specs(case, on)), Decimal("0.00"))


def track_decision(case: Case, on: date) -> TrackDecision:
    value = claim_value(case.total_capital, accrued_interest(case, on))
    return choose_track(value, on, test_case=case.test_case)


def collection_fee_lines(case: Case, on: date) -> tuple[fm.CostLine, ...]:
    """Statutory collection charges (lag 1981:739): a business debtor pays förseningsersättning
    instead of reminder and collection fees (4 a §); a consumer the agreed reminder fee and
    the inkassokrav fee (4 §)."""
    if case.debtor.is_company and not case.consumer_claim:
        amount = law_fees.late_payment_compensation(on, business_debtor=True)
        return (fm.CostLine(label="Förseningsersättning", amount=amount,
                            note="4 a § lagen (1981:739) om ersättning för inkassokostnader m.m."),)
    lines = []
    reminder = law_fees.reminder_fee(on, agreed=case.reminder_fee_agreed)
    if reminder:
        lines.append(fm.CostLine(label="Påminnelseavgift", amount=reminder, note="Avtalad när skulden uppkom"))
    lines.append(fm.CostLine(label="Inkassokostnad", amount=law_fees.collection_letter_fee(on, compliant=True),
                             note="4 § lagen (1981:739) om ersättning för inkassokostnader m.m."))
    return tuple(lines)


def evidence_items(case: Case) -> tuple[fm.EvidenceItem, ...]:
    return tuple(
        fm.EvidenceItem(number=n, title=ev.title, kind="Skriftlig bevisning", dated=ev.dated,
                        proves=ev.proves, attached=True)
        for n, ev in enumerate(case.evidence, start=1)
    )


def grounds(case: Case) -> tuple[str, ...]:
    paragraphs = []
    for line in case.claim_lines:
        paragraphs.append(
            f"{case.creditor.name} har en fordran på {case.debtor.name} avseende "
            f"{(line.description or 'leverans enligt faktura').rstrip('.').lower()} enligt faktura "
            f"{line.invoice_number} daterad {line.invoice_date.isoformat()} med förfallodag "
            f"{line.due_date.isoformat()}. Fakturan har inte betalats.")
    paragraphs.append("Betalningstiden var bestämd i förväg. Dröjsmålsränta ska därför betalas enligt "
                      "3 och 6 §§ räntelagen (1975:635) från förfallodagen till dess betalning sker.")
    if case.description:
        paragraphs.append(case.description)
    return tuple(paragraphs)


def _objection_summary(case: Case) -> str:
    return " ".join(f"{o.received_on.isoformat()}: {o.category.label}. {o.text}" for o in case.objections)


# --- The six filings ------------------------------------------------------------------------

def stamningsansokan(case: Case, on: date, signer: str | None = None) -> fm.StamningsansokanInput:
    forum = district_court_for(case.debtor.registered_municipality, is_company=case.debtor.is_company)
    decision = track_decision(case, on)
    return fm.StamningsansokanInput(
        case_reference=case.reference, filing_date=on, place=agency().city, court=forum.court,
        plaintiff=creditor_party(case), plaintiff_counsel=counsel(case, signer), defendant=debtor_party(case),
        subject="Fordran", claim_lines=claim_lines(case), fee_lines=collection_fee_lines(case, on),
        claims_litigation_costs=True, grounds=grounds(case), evidence=evidence_items(case),
        jurisdiction=forum.reason, track_label=TRACK_LABELS[decision.track], track_reason=decision.reason,
        court_fee=law_fees.court_fee(decision.track, on), request_default_judgment=True,
    )


def betalningsforelaggande(case: Case, on: date, signer: str | None = None) -> fm.BetalningsforelaggandeInput:
    fee_lines = (
        fm.CostLine(label="Ansökningsavgift", amount=law_fees.kfm_application_fee(on),
                    note="1 § förordningen (1992:1094) om avgifter vid Kronofogdemyndigheten"),
        fm.CostLine(label="Ersättning för upprättande av ansökan", amount=law_fees.bfl_work_compensation(on),
                    note="48 § lagen (1990:746) om betalningsföreläggande och handräckning"),
    ) + collection_fee_lines(case, on)
    return fm.BetalningsforelaggandeInput(
        case_reference=case.reference, filing_date=on, place=agency().city, applicant=creditor_party(case),
        applicant_counsel=counsel(case, signer), debtor=debtor_party(case), claim_lines=claim_lines(case),
        interest=interest_specs(case, on), fee_lines=fee_lines, grounds=grounds(case),
        transfer_to_court_if_contested=True, enforce_immediately=False,
    )


def overlamnande(case: Case, on: date, signer: str | None = None) -> fm.OverlamnandeInput:
    problems = []
    if not case.kfm_case_number:
        problems.append("Kronofogdens målnummer saknas.")
    if case.kfm_objection_notified_on is None:
        problems.append("Datum då sökanden underrättades om bestridandet saknas.")
    if problems:
        raise MissingCaseData(problems)
    decision = track_decision(case, on)
    try:
        court = district_court_for(case.debtor.registered_municipality, is_company=case.debtor.is_company).court
    except LawDataMissing:
        court = ""
    return fm.OverlamnandeInput(
        case_reference=case.reference, filing_date=on, place=agency().city, kfm_case_number=case.kfm_case_number,
        applicant=creditor_party(case), applicant_counsel=counsel(case, signer), debtor=debtor_party(case),
        objection_received_on=case.kfm_objection_notified_on,
        deadline=law_deadlines.transfer_request_deadline(case.kfm_objection_notified_on),
        track_label=TRACK_LABELS[decision.track], track_reason=decision.reason,
        additional_fee=law_fees.transfer_supplementary_fee(decision.track, on), court=court,
        claim_lines=claim_lines(case), objection_summary=_objection_summary(case), evidence=evidence_items(case),
    )


def verkstallighet(case: Case, on: date, signer: str | None = None) -> fm.VerkstallighetInput:
    title, awarded = enforceable_title(case)
    return fm.VerkstallighetInput(
        case_reference=case.reference, filing_date=on, place=agency().city, applicant=creditor_party(case),
        applicant_counsel=counsel(case, signer), debtor=debtor_party(case), title=title, awarded=awarded,
        enforcement_fee=law_fees.kfm_enforcement_base_fee(on),
    )


def enforceable_title(case: Case) -> tuple[fm.EnforceableTitle, tuple[fm.AwardLine, ...]]:
    """The exekutionstitel (UB 3 kap. 1 §) and what it awards: a dom recorded as an outcome,
    else a Kronofogden utslag."""
    outcome = getattr(case, "enforceable_outcome", None)
    if outcome is not None:
        return outcome.as_title(), outcome.award_lines()
    if case.utslag_on and case.kfm_case_number:
        title = fm.EnforceableTitle(kind="Utslag i mål om betalningsföreläggande", authority="Kronofogdemyndigheten",
                                    case_number=case.kfm_case_number, decided_on=case.utslag_on)
        lines = tuple(fm.AwardLine(label=f"Kapitalbelopp, faktura {line.invoice_number}", amount=line.capital,
                                   interest_from=line.interest_from, interest_basis=INTEREST_BASIS)
                      for line in claim_lines(case))
        return title, lines
    raise MissingCaseData(["Ärendet saknar exekutionstitel: registrera en dom eller ett utslag först "
                           "(utsökningsbalken 3 kap. 1 §)."])


def kostnadsrakning(case: Case, on: date, signer: str | None = None) -> fm.KostnadsrakningInput:
    decision = track_decision(case, on)
    a = agency()
    hours = Decimal(str(a.cost_claim_hours[decision.track.value]))
    fee = law_fees.court_fee(decision.track, on)
    result = law_costs.recoverable_costs(decision.track, on.year, claimed_advice_hours=hours,
                                         claimed_advice_amount=(hours * a.hourly_rate).quantize(Decimal("0.01")),
                                         court_fee=fee)
    forum = district_court_for(case.debtor.registered_municipality, is_company=case.debtor.is_company)
    capped = decision.track == Track.SIMPLIFIED
    return fm.KostnadsrakningInput(
        case_reference=case.reference, filing_date=on, place=a.city, court=forum.court,
        court_case_number=case.court_case_number or "", party=creditor_party(case), opponent=debtor_party(case),
        counsel=counsel(case, signer), track_label=TRACK_LABELS[decision.track], capped=capped,
        cap_note=("I förenklat tvistemål ersätts endast kostnader enligt 18 kap. 8 a § rättegångsbalken."
                  if capped else ""),
        lines=tuple(fm.CostClaimLine(label=line.label, claimed=line.claimed, recoverable=line.recoverable,
                                     rule=line.rule) for line in result.lines),
        interest_note="jämte ränta enligt 6 § räntelagen från dagen för tingsrättens avgörande",
    )


def forlikning(case: Case, on: date, signer: str | None = None) -> fm.ForlikningInput:
    terms = agency()
    debt = [fm.CostLine(label=f"Kapital, faktura {line.invoice_number}", amount=line.capital)
            for line in case.claim_lines]
    interest = accrued_interest(case, on)
    if interest:
        debt.append(fm.CostLine(label=f"Upplupen dröjsmålsränta till och med {on.isoformat()}", amount=interest))
    debt.extend(collection_fee_lines(case, on))
    if case.consumer_claim:
        debt.append(fm.CostLine(label="Avgift för amorteringsplan", amount=law_fees.instalment_plan_fee(on),
                                note="4 § lagen (1981:739) om ersättning för inkassokostnader m.m."))
    total = sum((d.amount for d in debt), Decimal("0.00"))
    plan = instalment_plan(total, first_due=law_deadlines.add_months(on, 1), count=terms.instalments)
    bankgiro = case.creditor.bankgiro or terms.bankgiro
    return fm.ForlikningInput(
        case_reference=case.reference, filing_date=on, place=terms.city, creditor=creditor_party(case),
        creditor_counsel=counsel(case, signer), debtor=debtor_party(case), debt_lines=tuple(debt),
        instalments=plan, payment_details=f"Betalning till bankgiro {bankgiro} med referens {case.reference}.",
        default_terms=(f"Om en delbetalning inte har kommit in senast {terms.grace_days} dagar efter förfallodagen förfaller hela "
                       "den återstående skulden till omedelbar betalning, och borgenären får ansöka om "
                       "verkställighet för den.",),
        court_case_number=case.court_case_number or "", kfm_case_number=case.kfm_case_number or "",
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
    """The filing input for ``kind``; raises MissingCaseData or LawDataMissing when the
    case cannot give what the filing needs (the caller shows the list)."""
    if kind not in BUILDERS:
        raise MissingCaseData([f"Okänd dokumenttyp: {kind}."])
    if not case.claim_lines:
        raise MissingCaseData(["Ärendet har inga fordringar registrerade."])
    try:
        return BUILDERS[kind](case, on, signer)
    except LawDataMissing as exc:
        raise MissingCaseData([exc.user_message]) from exc
