from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.models import Role
from app.auth.passwords import MIN_PASSWORD_LENGTH
from app.core import fields as v
from app.core.forms import BaseForm, VersionField


class LoginForm(BaseForm):
    email = EmailField("E-post", validators=[DataRequired("Ange din e-postadress.")],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Lösenord", validators=[DataRequired("Ange ditt lösenord.")],
                             render_kw={"autocomplete": "current-password"})


class UserForm(BaseForm):
    version = VersionField()
    name = StringField("Namn", validators=[DataRequired("Ange namn."), Length(max=200)])
    email = EmailField("E-post", validators=[DataRequired("Ange e-postadress."),
                                             v.email, Length(max=254)])
    role = SelectField("Roll", choices=Role.choices())
    creditor_id = SelectField("Fordringsägare (för rollen fordringsägare)", coerce=int, choices=[])
    active = BooleanField("Aktiv", default=True)
    reset_totp = BooleanField("Återställ tvåstegsverifiering (t.ex. förlorad telefon)")
    password = PasswordField(
        "Nytt lösenord", validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH,
                                     message=f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")],
        render_kw={"autocomplete": "new-password"},
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.role.data == Role.CREDITOR.value and not self.creditor_id.data:
            self.creditor_id.errors.append("En användare med rollen fordringsägare måste höra till en fordringsägare.")
            ok = False
        if self.role.data != Role.CREDITOR.value and self.creditor_id.data:
            self.creditor_id.errors.append("Endast användare med rollen fordringsägare kan höra till en fordringsägare.")
            ok = False
        return ok


def _code_field(label: str = "Kod från autentiseringsappen"):
    return StringField(label, validators=[DataRequired("Ange den sexsiffriga koden."), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                  "pattern": "[0-9 ]*"})


class TotpCodeForm(BaseForm):
    """The second step of login, and confirming a new 2FA setup."""
    code = _code_field()


class ReauthForm(BaseForm):
    password = PasswordField("Lösenord", validators=[DataRequired("Ange ditt lösenord.")],
                             render_kw={"autocomplete": "current-password", "autofocus": True})
    code = StringField("Kod från autentiseringsappen", validators=[Optional(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class PasswordChangeForm(BaseForm):
    password = PasswordField(
        "Nytt lösenord",
        validators=[DataRequired("Ange ett nytt lösenord."),
                    Length(min=MIN_PASSWORD_LENGTH, message=f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")],
        render_kw={"autocomplete": "new-password", "autofocus": True})
    repeat = PasswordField("Upprepa det nya lösenordet", validators=[DataRequired("Upprepa lösenordet.")],
                           render_kw={"autocomplete": "new-password"})

    def validate_repeat(self, field) -> None:
        from wtforms.validators import ValidationError

        if field.data != self.password.data:
            raise ValidationError("Lösenorden är inte lika.")
