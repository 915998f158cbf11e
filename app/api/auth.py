"""API tokens: created by an admin for one creditor, shown once, stored as a SHA-256 hash,
sent as ``Authorization: Bearer <token>``. A revoked or unknown token answers 401."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import g, request
from sqlalchemy import select, update

from app.api.models import ApiToken
from app.auth.models import User
from app.creditors.models import Creditor
from app.db import utcnow
from app.extensions import db

TOKEN_PREFIX = "tvist_"
LAST_USED_RESOLUTION = timedelta(minutes=5)  # last_used_at is written at most this often per token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(creditor: Creditor, name: str, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for ``creditor``; returns the record and the token itself (shown once)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(creditor=creditor, name=name, token_hash=hash_token(token), prefix=token[:12],
                      created_by_id=actor.id if actor else None)
    db.session.add(record)
    return record, token


def revoke_token(record: ApiToken, actor: User | None) -> None:
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        record.revoked_by_id = actor.id if actor else None


def token_for(raw: str) -> ApiToken | None:
    if not raw or len(raw) > 200:
        return None
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if record is None or record.revoked_at is not None:
        return None
    return record


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def unauthorized(detail: str):
    body = {"error": {"status": 401, "title": "Ej autentiserad", "detail": detail}}
    return body, 401, {"WWW-Authenticate": 'Bearer realm="tvist"'}


def token_required(view):
    """The request must carry a valid, unrevoked token; the view then sees ``g.api_creditor_id``."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        raw = bearer_token()
        if raw is None:
            return unauthorized("Ange en API-nyckel i huvudet Authorization: Bearer <nyckel>.")
        record = token_for(raw)
        if record is None:
            return unauthorized("API-nyckeln är okänd eller återkallad.")
        g.api_token_id = record.id
        g.api_creditor_id = record.creditor_id
        _touch(record)
        return view(*args, **kwargs)

    return wrapped


def _touch(record: ApiToken) -> None:
    """Note when the token was last used, with a plain UPDATE: usage is not a change to audit,
    and a read should not write more often than needed."""
    now = utcnow()
    last = record.last_used_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == record.id).values(last_used_at=now))
        db.session.commit()
