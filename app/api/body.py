"""Reading a JSON request body within bounds: its size and its nesting depth are checked before
the parser sees it, so a hostile body gets a clear 400/413 and never a RecursionError or a parse
that takes the server's memory."""
from __future__ import annotations

import json
import re

from flask import Request

MAX_BODY_BYTES = 2 * 1024 * 1024  # 100 cases of 50 claim lines each fit in well under this
MAX_DEPTH = 10  # the deepest real body is {"cases": [{"claim_lines": [{...}]}]}: 4 levels

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class BodyRefused(ValueError):
    """The body cannot be read; ``status`` is 400 or 413 and the message is Swedish."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in the JSON text (brackets inside strings not counted)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def read_json(request: Request) -> object:
    """The body as JSON, or BodyRefused."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise BodyRefused(f"Begäran är för stor (högst {MAX_BODY_BYTES // (1024 * 1024)} MB).", 413)
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise BodyRefused(f"Begäran är för stor (högst {MAX_BODY_BYTES // (1024 * 1024)} MB).", 413)
    if not request.is_json:
        raise BodyRefused("Begärans innehåll ska vara JSON (Content-Type: application/json).")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyRefused("Begärans innehåll ska vara JSON i UTF-8.") from None
    if nesting_depth(text) > MAX_DEPTH:
        raise BodyRefused(f"JSON-innehållet är för djupt nästlat (högst {MAX_DEPTH} nivåer).")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BodyRefused("Begärans innehåll är inte giltig JSON.") from None
