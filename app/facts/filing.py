"""The facts a filing fixes when it is given in, and the track that follows from them.

When a stämningsansökan, an ansökan om betalningsföreläggande or a begäran om överlämnande is given
in, :func:`fix_filing` states what it decided (court, track, claim value and its parts, fees paid);
the step stores that as a FilingRecord. Later filings read :func:`court_track` (the recorded track,
or the court's reclassification), never the day's arithmetic: a case filed as an FT-mål stays one
when interest accrues past the threshold afterwards.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from app.facts.model import ZERO, CaseFacts, FiledFacts
from app.law import fees as law_fees
from app.law.track import Track, TrackDecision, choose_track

__all__ = ["court_track", "fix_filing", "kfm_stage_fees", "reclassified"]


def kfm_stage_fees(on: date) -> Decimal:
    """Kronofogden's ansökningsavgift and the BFL 48 § compensation for the application."""
    return law_fees.kfm_application_fee(on) + law_fees.bfl_work_compensation(on)


def fix_filing(facts: CaseFacts, kind: str, on: date, court: str) -> FiledFacts:
    """What a filing of ``kind`` (payment_order, summons, transfer) given in on ``on`` decides.

    The claim value is that of RB 1 kap. 3 d § on the filing day; for a case coming from
    Kronofogden it is judged when the court takes it up, i.e. on the transfer (``on``)."""
    capital = facts.total_capital
    interest = facts.accrued_interest(on)
    charges = sum((c.amount for c in facts.collection_charges(on)), ZERO)
    value = facts.claim_value(capital, interest, on)
    track = choose_track(value, on, test_case=facts.test_case).track
    if kind == "payment_order":
        court_fee, kfm = ZERO, kfm_stage_fees(on)
        track_value = ""
    elif kind == "transfer":
        order = facts.filed("payment_order")
        court_fee = law_fees.transfer_supplementary_fee(track, on)
        kfm = order.kfm_fees if order is not None else kfm_stage_fees(on)
        track_value = track.value
    else:
        court_fee, kfm, track_value = law_fees.court_fee(track, on), ZERO, track.value
    return FiledFacts(kind=kind, filed_on=on, court=court, track=track_value, claim_value=value, capital=capital,
                      interest=interest, setoff=facts.setoff_amount, collection_charges=charges,
                      court_fee=court_fee, kfm_fees=kfm)


def reclassified(record: FiledFacts, track: Track, reason: str) -> FiledFacts:
    """The court has changed the track: a new record of the same filing, with the reason."""
    return replace(record, track=track.value, reason=reason)


def court_track(facts: CaseFacts, on: date) -> TrackDecision:
    """The track of the case at the tingsrätt: as fixed when it was filed (or as the court
    reclassified it), else as a filing on ``on`` would fix it."""
    record = facts.court_filing
    if record is None:
        value = facts.claim_value(facts.total_capital, facts.accrued_interest(on), on)
        return choose_track(value, on, test_case=facts.test_case)
    decided = choose_track(record.claim_value, record.filed_on, test_case=facts.test_case)
    if record.track and record.track != decided.track.value:
        track = Track(record.track)
        reason = (f"{track.short_label[0].upper() + track.short_label[1:]} enligt tingsrättens beslut: "
                  f"{record.reason}")
        return replace(decided, track=track, reason=reason)
    return decided
