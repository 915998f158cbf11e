"""Errors raised by :mod:`app.law`.

The law package never falls back silently: a lookup the data tables do not cover raises
:class:`LawDataMissing`, and a data file with the wrong shape raises :class:`LawDataInvalid` when it
is loaded.
"""
from __future__ import annotations

from datetime import date

#: Who can supply a missing value, named in every Swedish message about one.
WHO_CAN_ADD = "En administratör kan lägga in värdet under Rättsregler (en andra administratör godkänner det)."


class LawDataMissing(LookupError):
    """A value the rules need is not in the data tables under ``app/law/data/`` (nor among the
    values added in the app).

    ``str(error)`` is the developer hint: what is missing and which file (and series) to add it to,
    e.g. a prisbasbelopp for a year not entered, a date in a half-year with no referensränta, or a
    date before a fee's first ``valid_from``. ``user_message`` is the same in Swedish for the people
    using the app: the value, the period it is needed from, and who can add it. ``table``, ``key``
    and ``needed_from`` name the missing value when it is known.
    """

    def __init__(self, message: str, *, user_message: str | None = None, table: str | None = None,
                 key: str | None = None, needed_from: date | None = None):
        super().__init__(message)
        self.user_message = user_message or message
        self.table = table
        self.key = key
        self.needed_from = needed_from


class LawDataInvalid(ValueError):
    """A data file under ``app/law/data/`` does not have the structure the loader requires."""
