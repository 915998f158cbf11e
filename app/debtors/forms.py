from __future__ import annotations

from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.core import fields as v
from app.core.forms import BaseForm, VersionField
from app.core.identity import IdentityNumberError, normalize_identity_number


class DebtorForm(BaseForm):
    version = VersionField()
    kind = RadioField("Typ", choices=[("person", "Privatperson"), ("company", "Företag")], default="person")
    name = StringField("Namn", validators=[DataRequired("Ange gäldenärens namn."), Length(max=200)])
    identity_number = StringField(
        "Personnummer / organisationsnummer",
        validators=[DataRequired("Ange personnummer eller organisationsnummer.")],
        render_kw={"placeholder": "ÅÅÅÅMMDD-NNNN eller NNNNNN-NNNN", "autocomplete": "off"},
    )
    street = StringField("Gatuadress", validators=[DataRequired("Ange gatuadress."), Length(max=200)])
    postal_code = StringField("Postnummer", validators=[DataRequired("Ange postnummer."), v.postal_code])
    city = StringField("Postort", validators=[DataRequired("Ange postort."), Length(max=100)])
    phone = StringField("Telefon", validators=[Optional(), v.phone])
    email = EmailField("E-post", validators=[Optional(), v.email, Length(max=254)])
    registered_municipality = StringField(
        "Folkbokföringskommun (säte för företag)", validators=[Optional(), Length(max=100)],
        description="Avgör vilken tingsrätt som är behörig (RB 10 kap. 1 §).",
    )

    FIELDS = ("name", "identity_number", "street", "postal_code", "city", "phone", "email",
              "registered_municipality")

    def validate_identity_number(self, field) -> None:
        try:
            field.data = normalize_identity_number(field.data, is_company=self.kind.data == "company")
        except IdentityNumberError as exc:
            raise ValidationError(str(exc)) from exc
