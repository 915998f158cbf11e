"""The course of a contested case (ärendets gång): pure core logic.

* :mod:`app.course.machine` — the statuses an ärende passes through and the allowed steps between them;
* :mod:`app.course.deadlines` — the deadlines (frister) that follow from the dates a case has recorded;
* :mod:`app.course.ledger` — the payments ledger (allocation to costs, interest and capital);
* :mod:`app.course.ical` — an iCalendar (RFC 5545) feed of deadlines.

Pure Python like :mod:`app.law`: no Flask, no database, no clock (callers pass dates); money is
``Decimal``, dates are ``datetime.date``. Code is English, user-facing strings Swedish.
"""
from __future__ import annotations
