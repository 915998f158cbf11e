from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user
from markupsafe import Markup
from sqlalchemy import select

from app.audit.services import set_request_actor
from app.auth import sessions, throttle, totp
from app.auth.forms import LoginForm, PasswordChangeForm, ReauthForm, TotpCodeForm, UserForm
from app.auth.models import Role, User
from app.auth.passwords import hash_password, verify_password
from app.auth.services import authenticate, find_user_by_email
from app.core.access import admin_required
from app.core.editing import is_stale, stale_conflict
from app.creditors.models import Creditor
from app.db import utcnow
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
        account, address = throttle.account_key(form.email.data), throttle.client_address()
        if refused := throttle.refusal(account, address):
            form.password.errors.append(refused)
            return render_template("auth/login.html", form=form), 429
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            throttle.record(account, address, succeeded=False)
            db.session.commit()
            form.password.errors.append("Fel e-postadress eller lösenord.")
        elif user.totp_enabled:
            db.session.commit()  # a rehashed password is kept; the login itself waits for the code
            next_url = _safe_next(request.args.get("next"))
            session.clear()
            session[PENDING_USER], session[PENDING_AT] = user.id, time.time()
            session[PENDING_NEXT] = next_url
            return redirect(url_for("auth.login_code"))
        else:
            return _complete_login(user, _safe_next(request.args.get("next")), account, address)
    return render_template("auth/login.html", form=form)


PENDING_USER, PENDING_AT, PENDING_NEXT = "_2fa_user", "_2fa_at", "_2fa_next"
PENDING_SECONDS = 300


def _complete_login(user: User, next_url: str | None, account: str, address: str):
    session.clear()  # a fresh session at login (no session fixation)
    login_user(user)
    sessions.start(user)
    set_request_actor(user.id)
    throttle.record(account, address, succeeded=True)
    db.session.commit()
    flash(f"Välkommen, {user.name}.", "success")
    return redirect(next_url or home_for(user))


@bp.route("/logga-in/kod", methods=["GET", "POST"])
def login_code():
    """The second step for users with 2FA: the password was right, now the code.

    Nothing here ends a session: a GET (a link from anywhere) only shows the form or sends the
    visitor on, and what a POST drops is the half-done login, never a logged-in session."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    user_id, started = session.get(PENDING_USER), session.get(PENDING_AT)
    if user_id is None or started is None or time.time() - started > PENDING_SECONDS:
        _forget_pending_login()
        flash("Inloggningen tog för lång tid eller har inte påbörjats. Logga in igen.", "info")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.totp_enabled:
        _forget_pending_login()
        return redirect(url_for("auth.login"))
    form = TotpCodeForm()
    if form.validate_on_submit():
        account, address = throttle.account_key(user.email), throttle.client_address()
        if refused := throttle.refusal(account, address):
            form.code.errors.append(refused)
            return render_template("auth/login_code.html", form=form), 429
        if totp.verify_for_user(user, form.code.data):
            return _complete_login(user, session.get(PENDING_NEXT), account, address)
        throttle.record(account, address, succeeded=False)
        db.session.commit()
        form.code.errors.append("Koden stämmer inte. Kontrollera att telefonens klocka går rätt och "
                                "ange den kod som visas nu.")
    return render_template("auth/login_code.html", form=form)


def _forget_pending_login() -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT):
        session.pop(key, None)


@bp.route("/logga-ut", methods=["POST"])
@login_required
def logout():
    sessions.end_current()  # this cookie, and any copy of it, is refused from now on
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
    del form.reset_totp  # a new user has no 2FA to reset
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
            was_active = user.active
            _assign_user(user, form)
            credentials_changed = bool(form.password.data) or bool(form.reset_totp.data and user.totp_secret)
            if form.password.data:
                user.password_hash = hash_password(form.password.data)
            if form.reset_totp.data:
                user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
            if credentials_changed or (was_active and not user.active):
                sessions.end_all(user)
            db.session.commit()
            flash(f"Användaren {user.name} är sparad.", "success")
            return redirect(url_for("auth.list_users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/admin/rattsregler")
@admin_required
def law_tables():
    """Every amount, rate, fee and time limit the system uses, with its source and status."""
    from app.core.clock import today
    from app.course.ledger import load_allocation_rule
    from app.law.forum import municipalities
    from app.law.tables import format_value, list_tables
    from app.lawvalues import services as law_values

    return render_template("admin/law_tables.html", tables=list_tables(), format_value=format_value,
                           courts=sorted(municipalities().items()), allocation=load_allocation_rule(),
                           pending=law_values.pending(), history=law_values.recent(),
                           missing=law_values.upcoming_missing(today(), current_app.config["LAW_VALUES_WARNING_DAYS"]),
                           law_values=law_values)


def _assign_user(user: User, form: UserForm) -> None:
    """Copy exactly the rendered fields (never populate_obj on the whole model)."""
    user.name = form.name.data
    user.email = form.email.data.strip().lower()
    user.role = Role(form.role.data)
    user.creditor_id = form.creditor_id.data or None
    user.active = bool(form.active.data)


# --- The user's own account: password and two-factor authentication --------------------

def reauth_required(view):
    """Sensitive account changes need the password (and 2FA code) typed a moment ago."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not sessions.recently_authenticated():
            return redirect(url_for("auth.reauthenticate", next=request.full_path))
        return view(*args, **kwargs)
    return wrapper


@bp.route("/konto")
@login_required
def account():
    return render_template("auth/account.html", user=current_user,
                           totp_required=current_app.config["TOTP_REQUIRED_FOR_STAFF"] and current_user.is_staff)


@bp.route("/konto/bekrafta", methods=["GET", "POST"])
@login_required
def reauthenticate():
    form = ReauthForm()
    if not current_user.totp_enabled:
        del form.code
    if form.validate_on_submit():
        account_name, address = throttle.account_key(current_user.email), throttle.client_address()
        if refused := throttle.refusal(account_name, address):
            form.password.errors.append(refused)
            return render_template("auth/reauth.html", form=form), 429
        user = db.session.get(User, current_user.id)
        ok = verify_password(user.password_hash, form.password.data)
        if ok and user.totp_enabled:
            ok = totp.verify_for_user(user, form.code.data)
        if ok:
            sessions.mark_reauthenticated()
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.account"))
        throttle.record(account_name, address, succeeded=False)
        db.session.commit()
        form.password.errors.append("Lösenordet eller koden stämmer inte.")
    return render_template("auth/reauth.html", form=form)


@bp.route("/konto/losenord", methods=["GET", "POST"])
@login_required
@reauth_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        user.password_hash = hash_password(form.password.data)
        sessions.end_all(user)
        db.session.commit()
        sessions.keep_after_credential_change(user)
        flash("Lösenordet är bytt. Dina andra inloggningar har avslutats.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/password_form.html", form=form)


TOTP_PENDING = "_totp_pending"


@bp.route("/konto/tvastegs", methods=["GET", "POST"])
@login_required
@reauth_required
def totp_setup():
    """Set up 2FA: the secret is held in the session until a code from the app confirms it."""
    secret = session.get(TOTP_PENDING)
    if secret is None or request.method == "GET":
        secret = session[TOTP_PENDING] = totp.new_secret()
    form = TotpCodeForm()
    if form.validate_on_submit():
        step = totp.matching_step(secret, form.code.data)
        if step is None:
            form.code.errors.append("Koden stämmer inte. Skanna QR-koden igen eller skriv in nyckeln, "
                                    "och ange den kod som visas nu.")
        else:
            user = db.session.get(User, current_user.id)
            user.totp_secret, user.totp_confirmed_at, user.totp_last_step = secret, utcnow(), step
            sessions.end_all(user)
            db.session.commit()
            session.pop(TOTP_PENDING, None)
            sessions.keep_after_credential_change(user)
            flash("Tvåstegsverifiering är aktiverad. Dina andra inloggningar har avslutats.", "success")
            return redirect(url_for("auth.account"))
    uri = totp.provisioning_uri(secret, current_user.email, current_app.config["TOTP_ISSUER"])
    # The SVG is segno's own markup: the URI (with the e-mail) is encoded in the QR modules, not
    # written as text, and the title is a constant; nothing user-typed reaches the markup.
    qr = Markup(totp.qr_svg(uri))  # nosec B704
    return render_template("auth/totp_setup.html", form=form, secret=secret, qr=qr)


@bp.route("/konto/tvastegs/stang", methods=["POST"])
@login_required
@reauth_required
def totp_disable():
    if current_app.config["TOTP_REQUIRED_FOR_STAFF"] and current_user.is_staff:
        flash("Tvåstegsverifiering krävs för ditt konto och kan inte stängas av. "
              "Vill du byta telefon: aktivera den på nytt från den nya telefonen.", "error")
        return redirect(url_for("auth.account"))
    user = db.session.get(User, current_user.id)
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    sessions.end_all(user)
    db.session.commit()
    sessions.keep_after_credential_change(user)
    flash("Tvåstegsverifiering är avstängd.", "success")
    return redirect(url_for("auth.account"))
