"""What a prepared template proves about every document it renders, decided once per template.

docxtpl does three things to every rendered body that cost a full pass over the XML: it puts a
newline before each ``<w:p`` before rendering and takes the newlines before ``<w:p`` out again
afterwards; it parses the result and runs ``fix_tables``; it serialises the tree again. The
engine skips each of them when the template shows it can change nothing:

* :func:`newlines_are_inert` — the inserted newlines only matter if the template has newlines or
  line statements, uses whitespace control, or if a printed value (which may end with a newline)
  can be followed directly by ``<w:p``; otherwise rendering without them gives the same text.
* :func:`tables_never_change` — ``fix_tables`` adds grid columns when a row has more cells than
  the grid, and removes them when no row spans the whole grid. A table whose rows have a fixed
  cell structure (statements only inside cells, balanced there), no more cells than the grid,
  and at least one row outside every ``{% %}`` block that spans the whole grid, is never
  changed by it. Rows come and go with the loops, cells do not.

Printed values are escaped (autoescape), so they add text, never elements. Anything unusual
answers False, and the engine then does exactly what docxtpl does.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment
from lxml import etree

__all__ = ["newlines_are_inert", "tables_never_change"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _TR, _TC, _TBLGRID, _GRIDCOL, _TCPR, _GRIDSPAN, _VAL = (
    _W + n for n in ("tbl", "tr", "tc", "tblGrid", "gridCol", "tcPr", "gridSpan", "val")
)
_P_START = ("<w:p ", "<w:p>")
_STATEMENT_RE = re.compile(r"\{%-?\s*(\w+)")
_OPEN, _CLOSE, _MIDDLE = {"if", "for"}, {"endif", "endfor"}, {"elif", "else"}


def _items(env: Environment, source: str) -> list[tuple[str, str]]:
    """The template as ("data", text) / ("expr", "") / ("stmt", keyword) / ("ws", "") items."""
    items: list[tuple[str, str]] = []
    tokens = list(env.lex(source))
    i = 0
    while i < len(tokens):
        _, kind, value = tokens[i]
        if kind == "data":
            items.append(("data", value))
        elif kind in ("variable_begin", "block_begin"):
            if value.endswith("-"):
                items.append(("ws", ""))
            end = "variable_end" if kind == "variable_begin" else "block_end"
            keyword = ""
            j = i + 1
            while tokens[j][1] != end:
                if not keyword and tokens[j][1] == "name":
                    keyword = tokens[j][2]
                j += 1
            if tokens[j][2].startswith("-"):
                items.append(("ws", ""))
            items.append(("expr", "") if kind == "variable_begin" else ("stmt", keyword))
            i = j
        elif kind not in ("comment_begin", "comment", "comment_end", "whitespace"):
            items.append(("other", kind))
        i += 1
    return items


def _blocks(items: list[tuple[str, str]]) -> dict[int, list[int]] | None:
    """For each ``if``/``for`` item: the indices of its ``elif``/``else`` and its end; None if unusual."""
    blocks: dict[int, list[int]] = {}
    stack: list[int] = []
    for i, (kind, word) in enumerate(items):
        if kind != "stmt" or word == "set":
            continue
        if word in _OPEN:
            stack.append(i)
            blocks[i] = []
        elif word in _MIDDLE or word in _CLOSE:
            if not stack or (word in _CLOSE and word != "end" + items[stack[-1]][1]):
                return None
            if word == "elif" and items[stack[-1]][1] != "if":
                return None
            blocks[stack[-1]].append(i)
            if word in _CLOSE:
                stack.pop()
        else:
            return None
    return None if stack else blocks


def _successors(items: list[tuple[str, str]], blocks: dict[int, list[int]], owner: dict[int, int], i: int) -> list[int]:
    """Where rendering can go after item ``i`` (reached in order or by a jump landing on it)."""
    kind, word = items[i]
    if kind != "stmt" or word in ("set", "endif"):
        return [i + 1]
    if word in _OPEN:  # the body, or (condition false / no items) the next branch or past the end
        return [i + 1, *_landing(items, blocks, i, blocks[i][0])]
    block = blocks[owner[i]]
    if items[owner[i]][1] == "for":  # end of the body: again, or past the end (a for-else body is skipped)
        return [owner[i] + 1, block[-1] + 1]
    return [block[-1] + 1]  # the end of an if-branch: past the endif


def _landing(items: list[tuple[str, str]], blocks: dict[int, list[int]], opener: int, j: int) -> list[int]:
    """Where a false condition (or an empty loop) goes from item ``j`` of its block: an ``elif``'s
    body or its own false branch, else the item after ``j``."""
    if items[j][1] != "elif":
        return [j + 1]
    members = blocks[opener]
    return [j + 1, *_landing(items, blocks, opener, members[members.index(j) + 1])]


def newlines_are_inert(env: Environment, patched: str) -> bool:
    """True when rendering ``patched`` as it is gives what docxtpl's ``\\n<w:p`` round trip gives.

    docxtpl's round trip removes, besides the newlines it put in, a newline that a printed
    value ends with when ``<w:p`` follows it directly. So: no value may ever be followed
    directly (through statements and possibly empty values) by literal text starting ``<w:p``.
    """
    if "\n" in patched or "\r" in patched:
        return False
    if env.line_statement_prefix or env.line_comment_prefix or env.trim_blocks or env.lstrip_blocks:
        return False
    try:
        items = _items(env, patched)
    except Exception:  # noqa: BLE001 - a template Jinja cannot lex fails later, on the exact path
        return False
    if any(kind in ("ws", "other") for kind, _ in items):
        return False
    blocks = _blocks(items)
    if blocks is None:
        return False
    owner = {j: opener for opener, members in blocks.items() for j in members}
    for start, (kind, _) in enumerate(items):
        if kind != "expr":
            continue
        seen: set[int] = set()
        todo = [start + 1]
        while todo:
            i = todo.pop()
            if i in seen or i >= len(items):
                continue
            seen.add(i)
            if items[i][0] == "data":
                if items[i][1].startswith(_P_START):
                    return False
                continue
            todo.extend(_successors(items, blocks, owner, i))
    return True


def _depth_changes(text: str | None) -> list[int] | None:
    """+1 / -1 / 0 per statement in ``text``; None for a statement this check does not follow."""
    out: list[int] = []
    for word in _STATEMENT_RE.findall(text or ""):
        if word in _OPEN:
            out.append(1)
        elif word in _CLOSE:
            out.append(-1)
        elif word in _MIDDLE:
            out.append(0)
        else:
            return None
    return out


def _balanced(element: Any) -> bool:
    """Every statement inside ``element`` (its text and descendants, not its own tail) closes there."""
    depth = 0
    for node in element.iter():
        for attr_value in node.attrib.values():
            if "{%" in attr_value:
                return False
        texts = [node.text] if node is element else [node.text, node.tail]
        for text in texts:
            changes = _depth_changes(text)
            if changes is None:
                return False
            for change in changes:
                depth += change
                if depth < 0:
                    return False
    # the element's last descendant's tail was counted above; the element's own tail was not
    return depth == 0


def _span(row: Any) -> int | None:
    span = 0
    for cell in row.findall(_TC):
        grid_span = cell.find(f"{_TCPR}/{_GRIDSPAN}")
        if grid_span is None:
            span += 1
            continue
        value = grid_span.get(_VAL)
        if value is None or not value.isascii() or not value.isdigit():
            return None
        span += int(value)
    return span


def _table_never_changes(table: Any) -> bool:
    if len(list(table.iter(_TBL))) != 1:  # nested tables: their rows count for this one too
        return False
    grids = table.findall(_TBLGRID)
    if len(grids) != 1 or "{" in etree.tostring(grids[0], encoding="unicode"):
        return False
    columns = len(grids[0].findall(_GRIDCOL))
    if any(row.getparent() is not table for row in table.iter(_TR)):
        return False
    depth = 0
    changes = _depth_changes(table.text)
    if changes is None:
        return False
    depth += sum(changes)
    spans_grid_always = False
    for child in table:
        if child.tag == _TR:
            cells = child.findall(_TC)
            # the cell structure is fixed: no statement between cells, statements in a cell close in it
            if _depth_changes(child.text) != [] or any(_depth_changes(c.tail) != [] for c in child):
                return False
            if not all(_balanced(cell) for cell in cells) or len(cells) > columns:
                return False
            span = _span(child)
            if span is None:
                return False
            if depth == 0 and span >= columns:
                spans_grid_always = True
        elif "{%" in etree.tostring(child, encoding="unicode", with_tail=False):
            return False
        changes = _depth_changes(child.tail)
        if changes is None:
            return False
        for change in changes:
            depth += change
            if depth < 0:
                return False
    return depth == 0 and spans_grid_always


def tables_never_change(patched: str) -> bool:
    """True when docxtpl's ``fix_tables`` leaves every table of every rendering of ``patched`` as it is."""
    try:
        body = etree.fromstring(patched.encode("utf-8"))
    except etree.XMLSyntaxError:
        return False
    if body.nsmap.get("w") != _W[1:-1]:
        return False
    return all(_table_never_changes(table) for table in body.iter(_TBL))
