from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import BaseForm, IntegerField, IsoDateField, MoneyField, VersionField
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind
from app.triage.models import StepKind


class EvidenceForm(BaseForm):
    kind = SelectField("Typ av bevis", choices=EvidenceKind.choices())
    title = StringField("Benämning", validators=[DataRequired("Ange vad beviset är, t.ex. 'Avtal 2025-03-01'."),
                                                 Length(max=200)])
    dated = IsoDateField("Daterat", validators=[Optional()])
    proves = TextAreaField("Bevistema (vad beviset ska styrka)",
                           validators=[DataRequired("Ange bevistemat: vad beviset ska styrka (RB 42 kap. 2 §)."),
                                       Length(max=2000)])
    claim_line_ids = SelectMultipleField("Styrker fordringarna", coerce=int, choices=[])
    file = FileField("Fil (PDF, bild, .docx, .eml, .msg eller .txt)")


class StepForm(BaseForm):
    kind = SelectField("Utredningsåtgärd", choices=StepKind.choices())
    on = IsoDateField("Datum", validators=[InputRequired("Ange datum (ÅÅÅÅ-MM-DD).")])
    note = TextAreaField("Anteckning", validators=[Optional(), Length(max=5000)])


class AbilityForm(BaseForm):
    recorded_on = IsoDateField("Uppgiftsdatum", validators=[InputRequired("Ange datum för uppgiften (ÅÅÅÅ-MM-DD).")])
    source = SelectField("Källa", choices=AbilitySource.choices())
    monthly_income = MoneyField("Månadsinkomst (kr)", validators=[Optional()], allow_zero=True)
    payment_remarks = IntegerField("Betalningsanmärkningar (antal)",
                                   validators=[Optional(), NumberRange(min=0, max=999, message="Ange ett antal, 0–999.")])
    kfm_debt_total = MoneyField("Skuldsaldo hos Kronofogden (kr)", validators=[Optional()], allow_zero=True)
    known_assets = MoneyField("Kända tillgångar (kr)", validators=[Optional()], allow_zero=True)
    score = IntegerField("Kreditbetyg (0–100)",
                         validators=[Optional(), NumberRange(min=0, max=100, message="Kreditbetyget ska vara 0–100.")])
    note = TextAreaField("Anteckning", validators=[Optional(), Length(max=5000)])

    FIELDS = ("recorded_on", "monthly_income", "payment_remarks", "kfm_debt_total", "known_assets", "score", "note")


class PrincipleForm(BaseForm):
    version = VersionField()
    test_case = BooleanField("Pilotmål: utgången har synnerlig betydelse för andra fall (RB 1 kap. 3 d § andra st.)")
    issue_group_id = SelectField("Grupp av ärenden med samma fråga", coerce=int, choices=[], default=0)


class IssueGroupForm(BaseForm):
    name = StringField("Namn", validators=[DataRequired("Ange ett namn på gruppen."), Length(max=200)])
    question = TextAreaField("Frågan eller villkoret ärendena gäller",
                             validators=[DataRequired("Beskriv frågan."), Length(max=5000)])


class GroupDecisionForm(BaseForm):
    version = VersionField()
    decision = TextAreaField("Avgörande i pilotmålet och hur det tillämpas på gruppen",
                             validators=[DataRequired("Beskriv avgörandet."), Length(max=5000)])
    decided_on = IsoDateField("Datum för avgörandet", validators=[InputRequired("Ange datum (ÅÅÅÅ-MM-DD).")])


class DecisionForm(BaseForm):
    version = VersionField()  # the case's version when the recommendation was shown
    chosen = SelectField("Åtgärd", choices=OptionKind.choices())
    # No Optional(): it would stop the chain before validate_reason runs.
    reason = TextAreaField("Motivering (krävs om du väljer en annan åtgärd än rekommendationen)",
                           validators=[Length(max=5000)])
    recommended = HiddenField()

    def validate_reason(self, field) -> None:
        if self.chosen.data != self.recommended.data and not (field.data or "").strip():
            raise ValidationError("Ange varför du avviker från rekommendationen.")


class AssignForm(BaseForm):
    jurist_id = SelectField("Tilldela jurist", coerce=int, choices=[])
    case_ids = SelectMultipleField("Ärenden", coerce=int, choices=[])
