from __future__ import annotations

from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.core import fields as v
from app.core.forms import BaseForm, MoneyField, VersionField


class CreditorForm(BaseForm):
    version = VersionField()
    name = StringField("Namn", validators=[DataRequired("Ange fordringsägarens namn."), Length(max=200)])
    org_number = StringField("Organisationsnummer", validators=[DataRequired("Ange organisationsnummer."), v.org_number],
                             render_kw={"placeholder": "NNNNNN-NNNN"})
    contact_name = StringField("Kontaktperson", validators=[Optional(), Length(max=200)])
    contact_email = EmailField("E-post", validators=[Optional(), v.email, Length(max=254)])
    contact_phone = StringField("Telefon", validators=[Optional(), v.phone])
    street = StringField("Gatuadress", validators=[Optional(), Length(max=200)])
    postal_code = StringField("Postnummer", validators=[Optional(), v.postal_code])
    city = StringField("Postort", validators=[Optional(), Length(max=100)])
    bankgiro = StringField("Bankgiro", validators=[Optional(), v.bankgiro])
    bank_account = StringField("Bankkonto", validators=[Optional(), Length(max=40)])
    # Admins only (the view removes it for others): no approval needed up to this claim amount.
    approval_not_required_up_to = MoneyField(
        "Rättslig åtgärd utan fordringsägarens godkännande upp till (kr; tomt = alltid godkännande)",
        validators=[Optional()])

    FIELDS = ("name", "org_number", "contact_name", "contact_email", "contact_phone", "street",
              "postal_code", "city", "bankgiro", "bank_account")
    ADMIN_FIELDS = ("approval_not_required_up_to",)


def creditor_form(*args, **kwargs) -> tuple[CreditorForm, tuple[str, ...]]:
    """The form and the fields this user may set (the approval limit is an admin's decision)."""
    from flask_login import current_user

    form = CreditorForm(*args, **kwargs)
    if current_user.role.value == "admin":
        return form, CreditorForm.FIELDS + CreditorForm.ADMIN_FIELDS
    del form.approval_not_required_up_to
    return form, CreditorForm.FIELDS
