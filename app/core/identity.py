"""Swedish identity numbers: personnummer and organisationsnummer.

Stored in one normal form so that search and uniqueness work: a personnummer as
``YYYYMMDD-NNNN`` (12 digits, the century made explicit), an organisationsnummer as
``NNNNNN-NNNN``. Check digits are verified with python-stdnum (Luhn), and a personnummer whose
date of birth lies in the future is refused: a valid check digit does not make it a person.
"""
from __future__ import annotations

import re

from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.se import orgnr, personnummer

from app.core.clock import today


class IdentityNumberError(ValueError):
    """A personnummer/organisationsnummer that is not valid; the message is Swedish."""


def normalize_personal_number(raw: str) -> str:
    value = (raw or "").strip()
    if not re.fullmatch(r"(\d{2})?\d{6}[-+]?\d{4}", value):
        raise IdentityNumberError("Personnumret ska skrivas ÅÅÅÅMMDD-NNNN (eller ÅÅMMDD-NNNN).")
    try:
        personnummer.validate(value)
        birth = personnummer.get_birth_date(value)
    except ValidationError as exc:
        raise IdentityNumberError(_personnummer_message(exc)) from exc
    if birth > today():
        raise IdentityNumberError(f"Personnumret anger ett födelsedatum i framtiden ({birth.isoformat()}). "
                                  "Kontrollera numret.")
    digits = re.sub(r"\D", "", value)[-10:]
    return f"{birth.year // 100:02d}{digits[:6]}-{digits[6:]}"


def normalize_org_number(raw: str) -> str:
    value = (raw or "").strip()
    if not re.fullmatch(r"\d{6}-?\d{4}", value):
        raise IdentityNumberError("Organisationsnumret ska skrivas NNNNNN-NNNN.")
    try:
        return orgnr.format(orgnr.validate(value))
    except ValidationError as exc:
        if isinstance(exc, InvalidChecksum):
            raise IdentityNumberError("Organisationsnumret har fel kontrollsiffra.") from exc
        raise IdentityNumberError("Organisationsnumret är inte giltigt.") from exc


def normalize_identity_number(raw: str, *, is_company: bool) -> str:
    """A company may be an enskild näringsidkare, identified by personnummer."""
    digits = re.sub(r"\D", "", raw or "")
    looks_like_org = len(digits) == 10 and int(digits[2]) >= 2  # orgnr: "month" digits 20 or more
    if not is_company:
        if looks_like_org:
            raise IdentityNumberError(
                "Numret är ett organisationsnummer; ange typen företag för en juridisk person."
            )
        return normalize_personal_number(raw)
    if len(digits) == 12 or (len(digits) == 10 and not looks_like_org):
        return normalize_personal_number(raw)  # enskild näringsidkare
    return normalize_org_number(raw)


def mask_identity_number(value: str | None) -> str:
    """Personnummer masked for lists and creditor exports: 19121212-XXXX.
    Organisationsnummer are public and are shown in full."""
    if not value:
        return ""
    if len(value) == 13:  # YYYYMMDD-NNNN
        return value[:9] + "XXXX"
    return value


def _personnummer_message(exc: ValidationError) -> str:
    if isinstance(exc, InvalidChecksum):
        return "Personnumret har fel kontrollsiffra."
    if isinstance(exc, InvalidComponent):
        return "Personnumret innehåller ett födelsedatum som inte finns."
    return "Personnumret är inte giltigt."
