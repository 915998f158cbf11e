"""Search terms in list URLs, without personnummer.

A list's search form is POSTed and answered with a redirect to the list (post/redirect/get).
A term that may be an identity number (six digits or more: a personnummer, part of one, or a
date of birth) is kept in the session under a random token and the URL carries only
``sok=<token>``; other terms stay in the URL as ``q`` so that a search can be bookmarked.
A GET whose ``q`` holds such a term (an old bookmark, a typed URL) is redirected the same way,
so no page, link, pager or export URL built from it carries the number again.
"""
from __future__ import annotations

import secrets

from flask import request, session, url_for

SESSION_KEY = "_searches"
KEEP = 20  # the most recent sensitive searches a session remembers
MAX_LENGTH = 100


def is_sensitive(term: str) -> bool:
    return sum(ch.isdigit() for ch in term) >= 6


def _remember(term: str) -> str:
    token = secrets.token_urlsafe(9)
    searches = dict(session.get(SESSION_KEY, {}))
    searches[token] = term
    session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return token


def current_term() -> str:
    """The search term of this request: from the session token, else from ``q``."""
    token = request.args.get("sok")
    if token:
        return session.get(SESSION_KEY, {}).get(token, "")
    return request.args.get("q", "").strip()[:MAX_LENGTH]


def search_redirect() -> str | None:
    """The URL to redirect to if this request is a search form post, or a GET with an identity
    number in ``q``; else None (render the list)."""
    if request.method == "POST":
        args = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
    elif is_sensitive(request.args.get("q", "")):
        args = request.args.to_dict()
    else:
        return None
    term = args.pop("q", "").strip()[:MAX_LENGTH]
    args.pop("sok", None)
    args.pop("sida", None)  # a new search starts on the first page
    if term and is_sensitive(term):
        args["sok"] = _remember(term)
    elif term:
        args["q"] = term
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def carried_args(*names: str) -> dict[str, str]:
    """The list arguments to carry into another URL (an export), with the search as it is in
    this URL (``q`` or the ``sok`` token, never the number itself)."""
    return {k: v for k, v in request.args.items() if k in (*names, "q", "sok")}
