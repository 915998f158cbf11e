"""Editing records safely: the stale-edit check shared by every edit view."""
from __future__ import annotations

from flask import flash

from app.core.formatting import datetime_local

# The one message for "someone else saved first": a stale form (below) and a conflict the database
# found while saving (the app-wide handler in app.core.errors) share its first sentences.
STALE_HEAD = "Uppgifterna har ändrats av någon annan sedan du öppnade formuläret{since}. Ingenting har sparats."
STALE_MESSAGE = STALE_HEAD + (" Dina ändringar finns kvar i formuläret; jämför med de aktuella uppgifterna och "
                              "spara igen.")
CONFLICT_MESSAGE = STALE_HEAD.format(since=" (någon annan sparade samtidigt och hann först)") + (
    " Ladda om sidan, jämför med de aktuella uppgifterna och försök igen om det behövs.")


def stale_conflict(record, form) -> None:
    """Tell the user their copy is out of date. Their input stays in the form
    (the view re-renders it), and nothing is written. The form now carries the
    current version, so saving again (after comparing) is a deliberate overwrite."""
    form.version.data = record.version
    form.version.raw_data = [str(record.version)]
    when = getattr(record, "updated_at", None)
    since = f" (senast ändrad {datetime_local(when)})" if when else ""
    flash(STALE_MESSAGE.format(since=since), "error")


def is_stale(form_version: int | None, record) -> bool:
    return form_version is None or form_version != record.version


def valid_and_current(form, record) -> bool:
    """The form validates (validated once) and was opened on the record's current version. A
    stale save gets the conflict message, keeps the input, and gives False."""
    if not form.validate_on_submit():
        return False
    if is_stale(form.version.data, record):
        stale_conflict(record, form)
        return False
    return True


def assign(record, form, names: tuple[str, ...]) -> None:
    """Copy exactly the named, rendered fields onto the record (never populate_obj on a
    whole model: a field the form did not render must never be assignable)."""
    for name, value in form.values(names).items():
        setattr(record, name, value)
