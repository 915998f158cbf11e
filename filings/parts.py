"""The parts rendered per document, and docxtpl's post-processing with its idle passes skipped.

A body is rendered either straight into its package (:class:`DirectBodyRenderer`: the
rendered XML written between the document's head and tail, nothing parsed) or, for templates
whose tables or pictures docxtpl must fix per document, docxtpl's way (:class:`BodyRenderer`:
parse, ``fix_tables``, ``fix_docpr_ids``, serialise). Which one is decided when the template is
prepared (:mod:`filings.template_checks`).
"""

from __future__ import annotations

import copy
import io
import re
import types
from typing import Any

from docx.opc.oxml import serialize_part_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

__all__ = [
    "BodyRenderer",
    "DirectBodyRenderer",
    "HeaderFooterRenderer",
    "compile_part",
    "finish",
    "head_and_tail",
    "shell_without_body",
]

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TBL, _TR, _TC, _TBLGRID, _GRIDCOL, _TCPR, _GRIDSPAN, _VAL = (
    f"{{{_W_NS}}}{n}" for n in ("tbl", "tr", "tc", "tblGrid", "gridCol", "tcPr", "gridSpan", "val")
)

_HELPER = DocxTemplate(io.BytesIO())  # docxtpl's stateless methods (patch_xml, resolve_listing, fix_tables)
_P_NEWLINE_RE = re.compile(r"<w:p([ >])")
_XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # as python-docx writes it


def compile_part(env: Environment, patched_xml: str, newlines: bool) -> Template:
    """What DocxTemplate.render_xml_part compiles: a newline before every ``<w:p`` (unless inert)."""
    return env.from_string(_P_NEWLINE_RE.sub(r"\n<w:p\1", patched_xml) if newlines else patched_xml)


_LISTING_CHARS = ("\t", "\a", "\n", "\f")


def finish(rendered: str, newlines: bool) -> bytes:
    """What DocxTemplate.render_xml_part does after rendering, as UTF-8; passes that change nothing skipped.

    ``re.sub(r"\n<w:p([ >])", r"<w:p\1", s)`` is two ``str.replace`` (same single
    left-to-right pass; the patterns cannot create each other's matches), needed only when the
    newlines were put in (see :func:`filings.template_checks.newlines_are_inert`). Every
    docxtpl escape (``{_{``, ``}_}``, ``{_%``, ``%_}``) holds a ``_``, and ``resolve_listing``
    changes only tab, BEL, newline and form feed: one ``memchr`` over the encoded bytes for
    each, and the passes run only when one of them is there.
    """
    if newlines:
        rendered = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    data = rendered.encode("utf-8")
    escapes = b"_" in data
    listing = b"\n" in data or b"\t" in data or b"\x07" in data or b"\x0c" in data
    if not (escapes or listing):
        return data
    if escapes:
        rendered = rendered.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if listing and any(ch in rendered for ch in _LISTING_CHARS):
        rendered = _HELPER.resolve_listing(rendered)
    return rendered.encode("utf-8")


def _tables_need_fixing(tree: Any) -> bool:
    """False only when docxtpl's ``fix_tables`` would leave ``tree`` unchanged (rendered XML).

    Used per document only for templates where :func:`filings.template_checks.tables_never_change`
    could not decide it once: the same two conditions as ``fix_tables`` (a row with more
    cells than the grid; no row spanning the whole grid), checked without changing anything.
    """
    if tree.nsmap.get("w") != _W_NS:
        return True
    for table in tree.iter(_TBL):
        grids = table.findall(_TBLGRID)
        if len(grids) != 1:
            return True
        columns = len(grids[0].findall(_GRIDCOL))
        widest = -1
        for row in table.iter(_TR):
            cells = row.findall(_TC)
            if len(cells) > columns:
                return True
            if widest < columns:
                span = len(cells)
                for cell in cells:
                    tcpr = cell.find(_TCPR)
                    if tcpr is not None:
                        grid_span = tcpr.find(_GRIDSPAN)
                        if grid_span is not None:
                            value = grid_span.get(_VAL)
                            if value is None or not value.isascii() or not value.isdigit():
                                return True
                            span += int(value) - 1
                widest = max(widest, span)
        if widest < columns:
            return True
    return False


class DirectBodyRenderer:
    """The rendered body written straight between the document's head and tail: nothing parsed.

    For templates whose tables ``fix_tables`` never changes and that hold no pictures
    (``wp:docPr`` ids): then parsing, fixing and serialising again gives the same XML.
    """

    def __init__(self, template: Template, newlines: bool, head: bytes, tail: bytes) -> None:
        self.template = template
        self.newlines = newlines
        self.head = head  # XML declaration and <w:document ...> up to the body
        self.tail = tail  # what follows the body

    def __call__(self, context: dict[str, Any]) -> bytes:
        return self.head + finish(self.template.render(context), self.newlines) + self.tail


class BodyRenderer:
    """docxtpl's way, for the other templates: parse, fix tables and picture ids, serialise."""

    def __init__(self, template: Template, newlines: bool, shell: bytes) -> None:
        self.template = template
        self.newlines = newlines
        self.shell = shell  # the w:document element with an empty w:body, serialised

    def __call__(self, context: dict[str, Any]) -> bytes:
        xml = finish(self.template.render(context), self.newlines)
        # DocxTemplate.fix_tables parses with this parser, then fixes table grids if needed
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if _tables_need_fixing(tree):
            tree = _HELPER.fix_tables(xml)
        if b"docPr" in xml:  # only pictures/drawings have wp:docPr ids to renumber
            DocxTemplate.fix_docpr_ids(types.SimpleNamespace(docx_ids_index=1000), tree)
        root = etree.fromstring(self.shell)
        root.replace(root.find(f"{{{_W_NS}}}body"), tree)
        return serialize_part_xml(root)


class HeaderFooterRenderer:
    """A header or footer: the rendered XML after python-docx's XML declaration (UTF-8)."""

    def __init__(self, template: Template, newlines: bool) -> None:
        self.template = template
        self.newlines = newlines

    def __call__(self, context: dict[str, Any]) -> bytes:
        return _XML_DECLARATION + finish(self.template.render(context), self.newlines)


def head_and_tail(document_element: Any) -> tuple[bytes, bytes] | None:
    """The document part as python-docx writes it, split where the body goes (None if unusual)."""
    root = copy.deepcopy(document_element)
    root.find(f"{{{_W_NS}}}body").clear()
    xml = serialize_part_xml(root)
    if xml.count(b"<w:body/>") != 1:
        return None
    head, tail = xml.split(b"<w:body/>")
    return head, tail


def shell_without_body(document_element: Any) -> bytes:
    """The w:document element with an emptied w:body, serialised (parsed again per document)."""
    root = copy.deepcopy(document_element)
    root.find(f"{{{_W_NS}}}body").clear()
    return etree.tostring(root)
