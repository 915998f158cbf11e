"""Text checks shared by forms, the API and the filings validation."""
from __future__ import annotations

# XML 1.0 allows tab, LF and CR among the C0 controls; nothing else below U+0020,
# and not the surrogates or U+FFFE/U+FFFF.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def forbidden_characters(text: str) -> list[str]:
    """The distinct characters in ``text`` that a .docx (XML 1.0) cannot hold, as
    'U+0001' labels in order of appearance."""
    seen: list[str] = []
    for ch in text:
        code = ord(ch)
        bad = (
            (code < 0x20 and ch not in _ALLOWED_CONTROLS)
            or 0x7F <= code <= 0x9F
            or 0xD800 <= code <= 0xDFFF
            or code in (0xFFFE, 0xFFFF)
        )
        if bad:
            label = f"U+{code:04X}"
            if label not in seen:
                seen.append(label)
    return seen

