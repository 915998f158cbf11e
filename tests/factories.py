"""factory-boy factories writing through the application's real session."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from stdnum import luhn

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.cases.models import Case, ClaimLine, Objection, ObjectionCategory, ObjectionChannel
from app.cases.status import CaseStatus
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.extensions import db

PASSWORD = "korrekt-hast-batteri-2026"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashing once keeps the suite fast


def personnummer(n: int) -> str:
    body = f"{(800101 + n % 27):06d}{n % 1000:03d}"
    return f"19{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def org_number(n: int) -> str:
    body = f"556{n % 1000000:06d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class CreditorFactory(Base):
    class Meta:
        model = Creditor

    name = factory.Sequence(lambda n: f"Fordringsägare {n} AB")
    org_number = factory.Sequence(lambda n: org_number(n + 500))
    street = "Kungsgatan 5"
    postal_code = "111 43"
    city = "Stockholm"
    contact_phone = "08-123 45 67"
    bankgiro = "123-4567"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    name = factory.Sequence(lambda n: f"Användare {n}")
    password_hash = _PASSWORD_HASH
    role = Role.JURIST
    active = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("role"), str):
            kwargs["role"] = Role(kwargs["role"])
        return super()._create(model_class, *args, **kwargs)


class DebtorFactory(Base):
    class Meta:
        model = Debtor

    is_company = False
    name = factory.Sequence(lambda n: f"Gäldenär Nummer{n}")
    identity_number = factory.Sequence(personnummer)
    street = "Storgatan 1"
    postal_code = "111 22"
    city = "Stockholm"
    registered_municipality = "Stockholm"


class CaseFactory(Base):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"T-{n:05d}")
    creditor = factory.SubFactory(CreditorFactory)
    debtor = factory.SubFactory(DebtorFactory)
    status = CaseStatus.DISPUTED
    total_capital = Decimal("0.00")


class ClaimLineFactory(Base):
    class Meta:
        model = ClaimLine

    case = factory.SubFactory(CaseFactory)
    invoice_number = factory.Sequence(lambda n: f"F{n:06d}")
    invoice_date = date(2026, 3, 1)
    due_date = date(2026, 3, 31)
    capital = Decimal("5000.00")
    description = "Tjänst"

    @factory.post_generation
    def _total(obj, create, extracted, **kwargs):
        from app.cases.services import recompute_total

        recompute_total(obj.case)


class ObjectionFactory(Base):
    class Meta:
        model = Objection

    case = factory.SubFactory(CaseFactory)
    received_on = date(2026, 5, 4)
    channel = ObjectionChannel.EMAIL
    category = ObjectionCategory.ALREADY_PAID
    text = "Betalt redan."
