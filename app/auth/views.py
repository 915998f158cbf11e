from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.audit.services import set_request_actor
from app.auth import sessions
from app.auth.forms import LoginForm, UserForm
from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.auth.services import authenticate, find_user_by_email
from app.core.access import admin_required
from app.core.editing import is_stale, stale_conflict
from app.creditors.models import Creditor
from app.extensions import db, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


@bp.before_app_request
def _remember_actor():
    expired = sessions.enforce_timeouts()
    if expired is not None:
        return expired
    set_request_actor(current_user.id if current_user.is_authenticated else None)
    return None


@bp.teardown_app_request
def _forget_actor(_exc) -> None:
    set_request_actor(None)


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    if user.role == Role.CREDITOR:
        return url_for("portal.overview")
    return url_for("cases.list_cases")


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            form.password.errors.append("Fel e-postadress eller lösenord.")
        else:
            next_url = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session at login (no session fixation)
            login_user(user)
            sessions.start()
            set_request_actor(user.id)
            db.session.commit()
            flash(f"Välkommen, {user.name}.", "success")
            return redirect(next_url or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("Du är utloggad.", "info")
    return redirect(url_for("auth.login"))


# --- Administration of users (admins only) ---------------------------------------------

def _creditor_choices() -> list[tuple[int, str]]:
    creditors = db.session.scalars(select(Creditor).order_by(Creditor.name))
    return [(0, "— ingen —")] + [(c.id, c.name) for c in creditors]


@bp.route("/admin/anvandare")
@admin_required
def list_users():
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template("admin/users.html", users=users)


@bp.route("/admin/anvandare/ny", methods=["GET", "POST"])
@admin_required
def new_user():
    form = UserForm()
    form.creditor_id.choices = _creditor_choices()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append("Ange ett lösenord för den nya användaren.")
        elif find_user_by_email(form.email.data):
            form.email.errors.append("Det finns redan en användare med den e-postadressen.")
        else:
            user = User(password_hash=hash_password(form.password.data))
            _assign_user(user, form)
            db.session.add(user)
            db.session.commit()
            flash(f"Användaren {user.name} är skapad.", "success")
            return redirect(url_for("auth.list_users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/admin/anvandare/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user if request.method == "GET" else None)
    form.creditor_id.choices = _creditor_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.creditor_id.data = user.creditor_id or 0
    if form.validate_on_submit():
        other = find_user_by_email(form.email.data)
        if is_stale(form.version.data, user):
            stale_conflict(user, form)
        elif other is not None and other.id != user.id:
            form.email.errors.append("Det finns redan en användare med den e-postadressen.")
        elif user.id == current_user.id and (not form.active.data or form.role.data != Role.ADMIN.value):
            flash("Du kan inte själv ta bort din administratörsbehörighet eller inaktivera ditt konto.", "error")
        else:
            _assign_user(user, form)
            if form.password.data:
                user.password_hash = hash_password(form.password.data)
            db.session.commit()
            flash(f"Användaren {user.name} är sparad.", "success")
            return redirect(url_for("auth.list_users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/admin/rattsregler")
@admin_required
def law_tables():
    """Every amount, rate, fee and time limit the system uses, with its source and status."""
    from app.law.forum import municipalities
    from app.law.tables import format_value, list_tables

    return render_template("admin/law_tables.html", tables=list_tables(), format_value=format_value,
                           courts=sorted(municipalities().items()))


def _assign_user(user: User, form: UserForm) -> None:
    """Copy exactly the rendered fields (never populate_obj on the whole model)."""
    user.name = form.name.data
    user.email = form.email.data.strip().lower()
    user.role = Role(form.role.data)
    user.creditor_id = form.creditor_id.data or None
    user.active = bool(form.active.data)
