"""Access control: who may see which case.

Every query for case data goes through ``visible_cases``; every object lookup
through ``get_case_or_404``. A creditor user asking for another creditor's case
gets 404, not 403, so the existence of other clients' cases is not revealed.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from app.auth.models import Role, User
from app.cases.models import Case
from app.extensions import db


def visible_cases(user: User, stmt: Select | None = None) -> Select:
    stmt = stmt if stmt is not None else select(Case)
    if user.is_staff:
        return stmt
    if user.role == Role.CREDITOR and user.creditor_id is not None:
        return stmt.where(Case.creditor_id == user.creditor_id)
    return stmt.where(False)


def get_case_or_404(case_id: int, user: User | None = None, options: tuple = ()) -> Case:
    """The case if ``user`` may see it, else 404. ``options`` are loader options for what the
    page shows (so a list on it costs one query, not one per row)."""
    user = user or current_user
    case = db.session.scalar(visible_cases(user).where(Case.id == case_id).options(*options))
    if case is None:
        abort(404)
    return case


def roles_required(*roles: Role):
    """Route decorator: login, then one of ``roles``; other logged-in users get 404
    for staff-only pages (they are not told such pages exist)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(Role.ADMIN, Role.JURIST)
admin_required = roles_required(Role.ADMIN)
