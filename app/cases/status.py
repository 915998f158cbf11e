"""The case's course, first cut: the states an ärende passes through.

Transitions between them are governed in issue 5 (the state machine); here the states
and their Swedish names.
"""
from __future__ import annotations

from app.core.enums import LabelledEnum


class CaseStatus(LabelledEnum):
    NEW = ("new", "Ny")
    DISPUTED = ("disputed", "Bestridd – väntar på triage")
    INVESTIGATING = ("investigating", "Under utredning")
    LITIGATION_PROPOSED = ("litigation_proposed", "Förslag om rättslig åtgärd – väntar på fordringsägaren")
    SETTLEMENT = ("settlement", "Förlikning / avbetalningsplan")
    PAYMENT_ORDER = ("payment_order", "Betalningsföreläggande ansökt")
    UTSLAG = ("utslag", "Utslag meddelat")
    KFM_DISPUTED = ("kfm_disputed", "Bestridd hos Kronofogden")
    TRANSFERRED = ("transferred", "Överlämnad till tingsrätt")
    SUMMONS = ("summons", "Stämningsansökan ingiven")
    PREPARATION = ("preparation", "Förberedelse")
    HEARING = ("hearing", "Förhandling")
    JUDGMENT = ("judgment", "Dom meddelad")
    FINAL = ("final", "Laga kraft")
    ENFORCEMENT = ("enforcement", "Verkställighet")
    MONITORING = ("monitoring", "Efterbevakning")
    PAID = ("paid", "Betald")
    WRITTEN_OFF = ("written_off", "Avskriven")
    WITHDRAWN = ("withdrawn", "Återkallad")


OPEN_STATUSES = frozenset(CaseStatus) - {CaseStatus.PAID, CaseStatus.WRITTEN_OFF, CaseStatus.WITHDRAWN}

# A case is in the triage queue while a jurist has yet to decide what to do with it.
AWAITING_TRIAGE = frozenset({CaseStatus.DISPUTED, CaseStatus.INVESTIGATING})
