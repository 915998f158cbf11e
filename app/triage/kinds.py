"""The vocabularies of triage, shared by the models, the forms and the scoring engine."""
from __future__ import annotations

from app.core.enums import LabelledEnum


class EvidenceKind(LabelledEnum):
    CONTRACT = ("contract", "Avtal")
    INVOICE = ("invoice", "Faktura")
    ORDER_CONFIRMATION = ("order_confirmation", "Orderbekräftelse")
    DELIVERY_PROOF = ("delivery_proof", "Leveransbevis")
    CORRESPONDENCE = ("correspondence", "Korrespondens")
    REMINDER = ("reminder", "Påminnelse")
    COLLECTION_LETTER = ("collection_letter", "Inkassokrav")
    OTHER = ("other", "Övrigt")


class AbilitySource(LabelledEnum):
    CREDIT_REPORT = ("credit_report", "Kreditupplysning")
    KFM_DEBT = ("kfm_debt", "Kronofogden skuldsaldo")
    OWN_DATA = ("own_data", "Egna uppgifter")


class OptionKind(LabelledEnum):
    """What the agency can do with a contested claim."""

    WRITE_OFF = ("write_off", "Avskriv")
    SETTLEMENT = ("settlement", "Förlikning / avbetalningsplan")
    PAYMENT_ORDER = ("payment_order", "Betalningsföreläggande hos Kronofogden")
    SUMMONS_SIMPLIFIED = ("summons_simplified", "Stämning – förenklat tvistemål")
    SUMMONS_ORDINARY = ("summons_ordinary", "Stämning – ordinärt tvistemål")
    MONITORING = ("monitoring", "Efterbevakning")
