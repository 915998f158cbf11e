from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.cases.models import ObjectionCategory, ObjectionChannel
from app.core.forms import BaseForm, IsoDateField, MoneyField, VersionField, not_in_future
from app.core.identity import IdentityNumberError, normalize_identity_number


def _date_field(label: str, *, required: bool = True, past: bool = False) -> IsoDateField:
    validators = [InputRequired(f"Ange {label.lower()} (ÅÅÅÅ-MM-DD).")] if required else [Optional()]
    return IsoDateField(label, validators=validators + ([not_in_future] if past else []))


class CaseForm(BaseForm):
    version = VersionField()
    creditor_id = SelectField("Fordringsägare", coerce=int, choices=[],
                              validators=[DataRequired("Välj fordringsägare.")])
    debtor_identity = StringField(
        "Gäldenärens personnummer / organisationsnummer",
        validators=[DataRequired("Ange gäldenärens personnummer eller organisationsnummer.")],
        render_kw={"autocomplete": "off"},
    )
    creditor_reference = StringField("Fordringsägarens referens", validators=[Optional(), Length(max=60)])
    consumer_claim = BooleanField("Konsumentfordran (näringsidkare mot konsument)", default=True)
    reminder_fee_agreed = BooleanField("Påminnelseavgift avtalad när skulden uppkom")
    reminder_sent_on = _date_field("Påminnelse skickad", required=False)
    inkassokrav_sent_on = _date_field("Inkassokrav skickat", required=False)
    demand_warned_of_interest = BooleanField("Kravet upplyste om dröjsmålsränta (räntelagen 4 §)")
    assigned_jurist_id = SelectField("Ansvarig jurist", coerce=int, choices=[], default=0)
    description = TextAreaField("Bakgrund (intern anteckning, kommer aldrig med i en handling)",
                                validators=[Optional(), Length(max=10000)])
    court_grounds = TextAreaField(
        "Grunder till domstolen (stämningsansökan; tomt = grunderna som följer av fakturorna)",
        validators=[Optional(), Length(max=10000)])

    FIELDS = ("creditor_id", "creditor_reference", "consumer_claim", "reminder_fee_agreed", "reminder_sent_on",
              "inkassokrav_sent_on", "demand_warned_of_interest", "description", "court_grounds")

    def validate_debtor_identity(self, field) -> None:
        try:  # is_company=True accepts both kinds of number (see normalize_identity_number)
            field.data = normalize_identity_number(field.data, is_company=True)
        except IdentityNumberError as exc:
            raise ValidationError(str(exc)) from exc


class ClaimLineForm(BaseForm):
    version = VersionField()
    invoice_number = StringField("Fakturanummer", validators=[DataRequired("Ange fakturanummer."), Length(max=60)])
    invoice_date = _date_field("Fakturadatum")
    due_date = _date_field("Förfallodag")
    capital = MoneyField("Kapitalbelopp (kr)", validators=[InputRequired("Ange kapitalbeloppet.")])
    description = StringField("Avser", validators=[Optional(), Length(max=500)])
    arose_on = _date_field("Leveransdatum (när fordringen uppkom; tomt = fakturadatum)", required=False)
    due_date_agreed = BooleanField("Förfallodagen var avtalad i förväg (räntelagen 3 §)", default=True)

    FIELDS = ("invoice_number", "invoice_date", "due_date", "capital", "description", "arose_on", "due_date_agreed")

    def validate_due_date(self, field) -> None:
        if field.data and self.invoice_date.data and field.data < self.invoice_date.data:
            raise ValidationError("Förfallodagen kan inte ligga före fakturadatumet.")


class ObjectionForm(BaseForm):
    version = VersionField()
    received_on = _date_field("Mottaget", past=True)
    channel = SelectField("Kanal", choices=ObjectionChannel.choices())
    category = SelectField("Grund för bestridandet", choices=ObjectionCategory.choices())
    text = TextAreaField("Gäldenärens invändning", validators=[DataRequired("Beskriv invändningen."),
                                                               Length(max=10000)])
    setoff_amount = MoneyField("Kvittningsinvändningens belopp (kr)", validators=[Optional()])
    response = TextAreaField("Bemötande: varför invändningen inte håller (tas med i stämningsansökan)",
                             validators=[Optional(), Length(max=10000)])

    FIELDS = ("received_on", "text", "setoff_amount", "response")
