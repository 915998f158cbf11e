"""Retention: closed cases lose their personal data after a configurable period, while the
bookkeeping records (payments, amounts, references) stay for the period bokföringslagen requires."""
