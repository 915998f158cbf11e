"""Admin pages for API keys: per creditor, create (the key is shown once) and revoke."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.api import auth
from app.api.models import ApiToken
from app.core.access import admin_required
from app.core.forms import BaseForm
from app.creditors.models import Creditor
from app.extensions import db

bp = Blueprint("api_admin", __name__, url_prefix="/admin/api-nycklar")
NEW_TOKEN = "_new_api_token"


class TokenForm(BaseForm):
    creditor_id = SelectField("Fordringsägare", coerce=int, choices=[],
                              validators=[DataRequired("Välj fordringsägare.")])
    name = StringField("Namn på nyckeln", validators=[DataRequired("Ange ett namn, t.ex. systemets namn."),
                                                      Length(max=100)],
                       description="Vilket system som använder nyckeln, t.ex. \"Ekonomisystemet\".")


def _page(form: TokenForm, new_token: str | None = None, new_record: ApiToken | None = None):
    tokens = db.session.scalars(select(ApiToken).options(selectinload(ApiToken.created_by))
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()
    creditors = db.session.scalars(select(Creditor).order_by(Creditor.name)).all()
    by_creditor = {c.id: [] for c in creditors}
    for token in tokens:
        by_creditor.setdefault(token.creditor_id, []).append(token)
    return render_template("api/tokens.html", form=form, creditors=creditors, by_creditor=by_creditor,
                           new_token=new_token, new_record=new_record)


def _form() -> TokenForm:
    form = TokenForm()
    form.creditor_id.choices = [(c.id, c.name) for c in db.session.scalars(select(Creditor).order_by(Creditor.name))]
    return form


@bp.route("/", methods=["GET", "POST"])
@admin_required
def tokens():
    form = _form()
    if form.validate_on_submit():
        creditor = db.session.get(Creditor, form.creditor_id.data)
        if creditor is None:
            form.creditor_id.errors.append("Välj en fordringsägare i listan.")
        else:
            record, token = auth.create_token(creditor, form.name.data, current_user)
            db.session.commit()
            flash(f"API-nyckeln för {creditor.name} är skapad. Kopiera den nu – den visas bara en gång.", "success")
            # post/redirect/get: reloading the page must not create a second key. The key waits
            # in the session for the next page view only.
            session[NEW_TOKEN] = (record.id, token)
            return redirect(url_for("api_admin.tokens"))
    new_id, new_token = session.pop(NEW_TOKEN, (None, None))
    new_record = db.session.get(ApiToken, new_id) if new_id else None
    return _page(form, new_token=new_token if new_record else None, new_record=new_record)


@bp.route("/<int:token_id>/aterkalla", methods=["POST"])
@admin_required
def revoke_token(token_id: int):
    record = db.session.get(ApiToken, token_id) or abort(404)
    auth.revoke_token(record, current_user)
    db.session.commit()
    flash(f"API-nyckeln \"{record.name}\" ({record.creditor.name}) är återkallad och fungerar inte längre.", "success")
    return redirect(url_for("api_admin.tokens"))
