"""Form building blocks with Swedish messages, shared by every module's forms."""
from __future__ import annotations

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import DateField, Field, HiddenField, StringField, TextAreaField
from wtforms import IntegerField as _WtformsIntegerField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from app.core.money import parse_amount
from filings.validation import find_forbidden_characters


class MoneyField(Field):
    """An amount in kronor. Accepts Swedish input (``12 345,50``) and ``12345.50``;
    refuses more than two decimals, zero and negative amounts, and amounts beyond the one bound
    (app.core.money)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, allow_zero=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.allow_zero = allow_zero
        self.render_kw = {"inputmode": "decimal", "autocomplete": "off", **(self.render_kw or {})}

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:.2f}".replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        amount = parse_amount(valuelist[0])  # AmountError is a ValueError: the field's error
        if amount < 0:
            raise ValueError("Beloppet får inte vara negativt.")
        if amount == 0 and not self.allow_zero:
            raise ValueError("Beloppet måste vara större än noll.")
        self.data = amount


class IntegerField(_WtformsIntegerField):
    """A whole number of at most nine digits (counts, scores). Longer input is refused with a
    Swedish message before it is converted: a huge int cannot even be compared with a float
    bound (NumberRange would raise OverflowError)."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip() and not re.fullmatch(rf"[-+]?\d{{1,{self.MAX_DIGITS}}}",
                                                                    valuelist[0].strip()):
            self.data = None
            raise ValueError("Ange ett heltal, t.ex. 3.")
        super().process_formdata([v.strip() for v in valuelist] if valuelist else valuelist)


class IsoDateField(DateField):
    """A date written ISO-style (2026-11-22), with a Swedish message for anything else.

    Rendered as a text input: the browser's own date picker shows the user's locale
    (often mm/dd/yyyy), while jurists read and type ISO dates."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "ÅÅÅÅ-MM-DD", "inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Ogiltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-11-22.") from exc


class VersionField(HiddenField):
    """The record version the user opened; a save with an older version is refused."""

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None


FUTURE_MESSAGE = "Datumet kan inte ligga i framtiden."


def not_in_future(form, field) -> None:
    """For dates of things that have happened (a payment, an objection received): not after today
    (the Swedish calendar day)."""
    from app.core.clock import today

    if field.data is not None and field.data > today():
        raise ValidationError(FUTURE_MESSAGE)


def no_forbidden_characters(form, field) -> None:
    """Control characters cannot be held in XML (and so not in a filing): refuse them
    at input, naming the character, instead of dropping them silently later."""
    if isinstance(field.data, str):
        found = find_forbidden_characters(field.data)
        if found:
            raise ValidationError(
                "Fältet innehåller otillåtna tecken (" + ", ".join(found) + "). Ta bort dem och försök igen."
            )


def strip_text(value):
    return unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Adds the control-character check and whitespace trimming to every text field."""

    class Meta:
        locales = ["sv_SE", "sv"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, (StringField, TextAreaField)) and not isinstance(field, HiddenField):
                field.validators = [*field.validators, no_forbidden_characters]

    def values(self, names: tuple[str, ...]) -> dict:
        """The named fields' data, empty text as "" (never None)."""
        out = {}
        for name in names:
            field = getattr(self, name)
            out[name] = "" if field.data is None and isinstance(field, (StringField, TextAreaField)) else field.data
        return out

    def validate(self, extra_validators=None) -> bool:
        for field in self:
            if isinstance(field, (StringField, TextAreaField)) and isinstance(field.data, str):
                field.data = strip_text(field.data)
        return super().validate(extra_validators)


__all__ = ["BaseForm", "IsoDateField", "MoneyField", "VersionField", "IntegerField", "no_forbidden_characters",
           "not_in_future"]
