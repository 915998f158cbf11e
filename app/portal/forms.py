from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.core.forms import BaseForm, VersionField


class DecisionForm(BaseForm):
    """The creditor's answer to the proposal to go to court. The two submit buttons carry
    ``decision`` = approve / decline."""

    version = VersionField()  # the case as the creditor saw it

    decision = RadioField("Beslut", choices=[("approve", "Godkänn rättslig åtgärd"), ("decline", "Avböj")],
                          validators=[InputRequired("Välj att godkänna eller avböja förslaget.")])
    comment = TextAreaField("Kommentar till juristen (valfritt)", validators=[Optional(), Length(max=2000)])
