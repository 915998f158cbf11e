"""Forms for the case's course. A step's form is built from the facts the step requires."""
from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, Optional

from app.core.forms import BaseForm, IsoDateField, MoneyField, VersionField, not_in_future
from app.course.machine import FACT_LABELS, Transition
from app.enforcement.models import PaymentSource
from app.hearings.models import HearingKind

_REQUIRED = "{label} måste anges."
# Facts that record a payment received: it has happened, so its date is not after today.
PAYMENT_DATES = frozenset({"paid_on", "accounted_on"})


def _field_for(name: str, required: bool, label: str | None = None):
    label = label or FACT_LABELS.get(name, name)
    validators = [InputRequired(_REQUIRED.format(label=label))] if required else [Optional()]
    if name.endswith("_on") or name == "decision_date" or name == "interest_from":
        return IsoDateField(label, validators=validators + ([not_in_future] if name in PAYMENT_DATES else []))
    if name in ("amount", "awarded_capital", "awarded_costs", "kfm_costs"):
        return MoneyField(label, validators=validators, allow_zero=name != "amount")
    if name == "reason":
        return TextAreaField(label, validators=[*validators, Length(max=5000)])
    if name == "track":
        return SelectField(label, choices=[("simplified", "Förenklat tvistemål"), ("ordinary", "Ordinärt tvistemål")])
    if name == "hearing_kind":
        return SelectField(label, choices=HearingKind.choices())
    if name == "enforceable_title":
        return SelectField(label, choices=[("judgment", "Dom"), ("utslag", "Utslag")])
    if name == "hearing_time":
        return TimeField(label, validators=[Optional()], format="%H:%M")
    return StringField(label, validators=[*validators, Length(max=300)])


# Extra, optional facts some steps record for the outcome or the hearing.
EXTRA_FACTS = {
    "register_judgment": ("court", "interest_from", "awarded_costs"),
    "register_default_judgment": ("court", "interest_from", "awarded_costs"),
    "register_confirmed_settlement": ("court", "interest_from", "awarded_costs"),
    "register_utslag": ("awarded_capital", "interest_from", "awarded_costs", "kfm_costs"),
    "register_final": ("waiver_on",),
    "schedule_hearing": ("hearing_time", "court", "place", "attendees"),
}
EXTRA_LABELS = {"court": "Domstol", "awarded_capital": "Utdömt kapital (kr)", "interest_from": "Ränta från",
                "awarded_costs": "Utdömda rättegångskostnader (kr)", "kfm_costs": "Kostnader hos Kronofogden (kr)",
                "waiver_on": "Nöjdförklaring: datum då parterna avstod från att överklaga (annars tomt)", "hearing_time": "Klockslag (TT:MM)",
                "place": "Sal eller videolänk", "attendees": "Deltagare"}


def step_form_class(step: Transition) -> type[BaseForm]:
    attrs = {name: _field_for(name, True) for name in step.requires}
    for name in EXTRA_FACTS.get(step.name, ()):
        attrs[name] = _field_for(name, False, EXTRA_LABELS[name])
    attrs["fact_names"] = tuple(step.requires) + EXTRA_FACTS.get(step.name, ())
    attrs["version"] = VersionField()  # the case version the step was opened on
    return type(f"StepForm_{step.name}", (BaseForm,), attrs)


class PaymentForm(BaseForm):
    paid_on = IsoDateField("Betalningsdatum", validators=[InputRequired("Ange betalningsdatum (ÅÅÅÅ-MM-DD)."),
                                                          not_in_future])
    amount = MoneyField("Belopp (kr)", validators=[InputRequired("Ange beloppet.")])
    source = SelectField("Betalningen kom från", choices=PaymentSource.choices())
    note = StringField("Anteckning", validators=[Optional(), Length(max=300)])
