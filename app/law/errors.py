"""Errors raised by :mod:`app.law`.

The law package never falls back silently: a lookup the data tables do not cover raises
:class:`LawDataMissing`, and a data file with the wrong shape raises :class:`LawDataInvalid` when it
is loaded.
"""
from __future__ import annotations


class LawDataMissing(LookupError):
    """A value the rules need is not in the data tables under ``app/law/data/``.

    The message names what is missing and which file (and series) to add it to, e.g. a prisbasbelopp
    for a year not entered, a date in a half-year with no referensränta, or a date before a fee's
    first ``valid_from``.
    """


class LawDataInvalid(ValueError):
    """A data file under ``app/law/data/`` does not have the structure the loader requires."""
