"""Reusable validators for addresses and identity numbers (Swedish messages)."""
from __future__ import annotations

import re

from wtforms.validators import ValidationError

from app.core.identity import IdentityNumberError, normalize_org_number


def postal_code(form, field) -> None:
    if field.data and not re.fullmatch(r"\d{3} ?\d{2}", field.data):
        raise ValidationError("Postnumret ska vara fem siffror, t.ex. 113 51.")
    if field.data:
        digits = field.data.replace(" ", "")
        field.data = f"{digits[:3]} {digits[3:]}"


def org_number(form, field) -> None:
    try:
        field.data = normalize_org_number(field.data)
    except IdentityNumberError as exc:
        raise ValidationError(str(exc)) from exc


def phone(form, field) -> None:
    if field.data and not re.fullmatch(r"\+?[\d\s\-()]{6,20}", field.data):
        raise ValidationError("Telefonnumret får bara innehålla siffror, mellanslag, bindestreck och +.")


def bankgiro(form, field) -> None:
    if field.data and not re.fullmatch(r"\d{3,4}-\d{4}", field.data):
        raise ValidationError("Bankgironumret skrivs NNN-NNNN eller NNNN-NNNN.")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def email(form, field) -> None:
    """A plausible e-mail address. (WTForms' Email validator refuses reserved domains such as
    .test, which internal and demo accounts use.)"""
    if field.data and not _EMAIL.match(field.data):
        raise ValidationError("Ange en giltig e-postadress, t.ex. namn@foretag.se.")
