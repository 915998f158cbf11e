"""Error pages in Swedish; the trace goes to the log, never to the user."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

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

    @app.errorhandler(500)
    def _server_error(e):
        app.logger.exception("Unhandled error on %s", request.path)
        return _render(500)
