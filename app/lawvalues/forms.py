"""The form for proposing a legal value (the series, its valid-from day, value, source, status)."""
from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.core.forms import BaseForm, IsoDateField


class ProposalForm(BaseForm):
    series_code = SelectField("Serie", choices=[], validators=[DataRequired("Välj vilken serie värdet gäller.")])
    valid_from = IsoDateField("Gäller från (ÅÅÅÅ-MM-DD)",
                              validators=[InputRequired("Ange från vilken dag värdet gäller (ÅÅÅÅ-MM-DD).")])
    value = StringField("Värde", validators=[DataRequired("Ange värdet, t.ex. 60 100 eller 2,00."), Length(max=40)],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    source = StringField("Källa (SFS-nummer och paragraf, eller myndighet)",
                         validators=[DataRequired("Ange källan: SFS-nummer eller myndighet."), Length(max=500)])
    source_url = StringField("Källans webbadress", validators=[
        Optional(), Length(max=500), URL(require_tld=True, message="Ange en fullständig adress (https://…).")])
    verification = SelectField("Status", choices=[("to_verify", "Att verifiera"),
                                                  ("verified", "Verifierad mot källan")], default="to_verify")
    note = TextAreaField("Anteckning", validators=[Optional(), Length(max=1000)])
