"""Every response carries the security headers; case pages are never cached; no inline script."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_headers_on_public_page(client):
    response = client.get("/logga-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_case_pages_are_not_stored(world, as_user):
    response = as_user(world.jurist).get(f"/arenden/{world.case_a.id}")
    assert response.headers["Cache-Control"] == "no-store"


def test_templates_have_no_inline_script_style_or_cdn():
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {path}"
        assert " style=" not in html and "<style" not in html, f"inline style in {path}"
        assert not re.search(r"(src|href)=\"https?://", html), f"external asset in {path}"
