"""Error pages in Swedish; the trace goes to the log, never to the user."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.orm.exc import StaleDataError

from app.core.editing import CONFLICT_MESSAGE

# PostgreSQL: serialization_failure, deadlock_detected. SQLite: a writer that waited out the busy
# timeout behind another one.
CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})
SQLITE_BUSY = ("database is locked", "database table is locked")


def is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` means "someone else saved first": the optimistic lock (a version that no
    longer matches), the session left unusable by it, or the database refusing one of two
    concurrent transactions."""
    if isinstance(exc, (StaleDataError, PendingRollbackError)):
        return True
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        return sqlstate in CONFLICT_SQLSTATES or any(text in str(orig) for text in SQLITE_BUSY)
    return False

MESSAGES = {
    400: ("Felaktig begäran", "Begäran kunde inte tolkas."),
    403: ("Åtkomst nekad", "Du har inte behörighet till den här sidan."),
    404: ("Sidan finns inte", "Sidan eller ärendet finns inte, eller så har du inte behörighet att se det."),
    405: ("Metoden är inte tillåten", "Den här åtgärden kan inte utföras på det sättet."),
    409: ("Konflikt", "Uppgiften har ändrats av någon annan."),
    422: ("Kan inte beräknas", "Ett värde som behövs saknas."),
    413: ("För stor fil", "Filen är större än vad som tillåts."),
    500: ("Ett fel uppstod", "Ett oväntat fel uppstod. Felet är loggat; försök igen eller kontakta support."),
}


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "title": title, "detail": detail or text}}, code
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_app(app: Flask) -> None:
    for code in (400, 403, 404, 405, 409, 413):
        app.register_error_handler(code, lambda e, code=code: _render(code))

    @app.errorhandler(CSRFError)
    def _csrf(e):
        app.logger.warning("CSRF refused on %s: %s", request.path, e.description)
        return _render(400, "Formuläret har gått ut eller saknar säkerhetstoken. Ladda om sidan och försök igen.")

    from app.law.errors import LawDataMissing

    @app.errorhandler(LawDataMissing)
    def _law_data_missing(e):
        from app.extensions import db

        db.session.rollback()
        app.logger.error("Law table value missing on %s: %s", request.path, e)  # the developer hint
        return _render(422, f"Beräkningen kan inte göras. {e.user_message} Inget har sparats.")

    def _conflict(e):
        """One handler for every save that lost a race, in every view and the API: 409 with the
        Swedish message, the transaction rolled back (nothing half-saved). Anything else that the
        database raised stays a real error (the 500 handler, with the trace in the log)."""
        from app.extensions import db

        if not is_conflict(e):
            raise e
        db.session.rollback()
        app.logger.warning("Concurrent save refused on %s: %s", request.path, type(e).__name__)
        return _render(409, CONFLICT_MESSAGE)

    for exc_class in (StaleDataError, PendingRollbackError, DBAPIError):
        app.register_error_handler(exc_class, _conflict)

    @app.errorhandler(500)
    def _server_error(e):
        app.logger.exception("Unhandled error on %s", request.path)
        return _render(500)
