"""SQLite settings that make it a dependable embedded database.

WAL lets the web server read while the worker writes; foreign keys are off by
default in SQLite and must be switched on per connection; busy_timeout makes a
writer wait for a lock instead of failing at once.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's lower()/LIKE fold ASCII only; searches need Swedish letters folded too.
        dbapi_connection.create_function("casefold", 1, lambda s: s.casefold() if isinstance(s, str) else s,
                                         deterministic=True)
