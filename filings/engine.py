"""The document engine: docxtpl's output, without docxtpl's per-document cost.

Naive docxtpl (``DocxTemplate(path).render(ctx); .save(f)``) re-reads the
template zip, re-parses every XML part (styles.xml alone is ~350 kB),
re-runs ``patch_xml`` (a few dozen regular expressions over the body),
re-compiles the Jinja template and re-serialises and re-compresses every
part — for every document.

The engine does the template-dependent work once per template file
(cached per path, modification time and size):

* it loads the template with docxtpl itself and takes the body XML and the
  header/footer XML exactly as docxtpl does (``get_xml`` / ``get_part_xml``),
  runs docxtpl's own ``patch_xml`` on them and compiles the result with the
  engine's Jinja environment;
* it renders the core properties with docxtpl's ``render_properties`` (they
  hold no tags, so the result is fixed) and saves the package once with
  python-docx, which gives every part that rendering does not change
  byte-for-byte as docxtpl would write it; those parts are compressed once
  and kept as compressed bytes, with their zip headers.

Per document it only renders the compiled templates, applies docxtpl's
post-processing (the same string replacements as ``render_xml_part``, then
docxtpl's ``resolve_listing``, ``fix_tables`` and ``fix_docpr_ids`` — the
first two skipped when a cheap exact check shows they would change
nothing), serialises the changed parts the way python-docx does, and writes
the zip:
unchanged entries are copied as already-compressed bytes, changed ones
compressed, with fixed timestamps — so the same input gives the same bytes.

The result is the document naive docxtpl would produce with the same
context and Jinja environment (tests compare every part).  Not supported
(refused when the template is prepared): templates with footnotes, core
properties holding Jinja tags; context values that are docxtpl objects
(``RichText``, ``InlineImage``, ``Subdoc``) are not used by our templates.

Thread-safe: prepared templates are immutable and every render works on
its own objects.  Nothing is cached per document, so memory stays flat.
"""

from __future__ import annotations

import copy
import io
import os
import re
import struct
import tempfile
import threading
import types
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from lxml import etree

from .context import build_context
from .formatting import make_jinja_env
from .model import KINDS, INPUT_TYPES
from .validation import FilingIncomplete, validate
from .versions import TEMPLATE_DIR, file_version, template_path

__all__ = [
    "KINDS",
    "Engine",
    "TemplateUnsupported",
    "render",
    "render_to_path",
    "template_version",
    "default_engine",
    "render_naive",
]

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_JINJA_MARKERS = ("{{", "{%", "{#")


class TemplateUnsupported(Exception):
    """The template uses something the engine does not reproduce."""


# --------------------------------------------------------------------------
# A small zip writer (stored names, deflate, fixed timestamps, no zip64)
# --------------------------------------------------------------------------

_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20
_MADE_BY = (3 << 8) | _VERSION  # unix, 2.0
_EXTERNAL_ATTR = 0o644 << 16
_DEFLATED = 8


@dataclass(frozen=True)
class _ZipBlob:
    """One entry, ready to write: local header + data, and the central record minus its offset."""

    local: bytes
    central_head: bytes  # central directory record up to (not including) the local header offset
    central_tail: bytes  # the file name

    @classmethod
    def make(cls, name: str, data: bytes, level: int) -> _ZipBlob:
        raw = name.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        co = zlib.compressobj(level, zlib.DEFLATED, -15)
        comp = co.compress(data) + co.flush()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        if len(comp) > 0xFFFFFFFF or len(data) > 0xFFFFFFFF:  # pragma: no cover - documents are small
            raise ValueError("entry too large for a zip without zip64")
        local = (
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                _VERSION,
                flags,
                _DEFLATED,
                _DOS_TIME,
                _DOS_DATE,
                crc,
                len(comp),
                len(data),
                len(raw),
                0,
            )
            + raw
            + comp
        )
        central_head = struct.pack(
            "<4s6H3L5HL",
            b"PK\x01\x02",
            _MADE_BY,
            _VERSION,
            flags,
            _DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            len(comp),
            len(data),
            len(raw),
            0,
            0,
            0,
            0,
            _EXTERNAL_ATTR,
        )
        return cls(local, central_head, raw)


def _write_zip(blobs: list[_ZipBlob]) -> bytes:
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for b in blobs:
        out.append(b.local)
        central.append(b.central_head + struct.pack("<L", offset) + b.central_tail)
        offset += len(b.local)
    cd = b"".join(central)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(blobs), len(blobs), len(cd), offset, 0)
    out.append(cd)
    out.append(eocd)
    return b"".join(out)


# --------------------------------------------------------------------------
# Template preparation
# --------------------------------------------------------------------------

_HELPER = DocxTemplate(io.BytesIO())  # docxtpl's stateless methods (patch_xml, resolve_listing, fix_tables)
_P_NEWLINE_RE = re.compile(r"<w:p([ >])")


def _has_jinja(text: str) -> bool:
    return any(m in text for m in _JINJA_MARKERS)


def _compile(env: Environment, patched_xml: str) -> Template:
    # what DocxTemplate.render_xml_part does before rendering
    return env.from_string(_P_NEWLINE_RE.sub(r"\n<w:p\1", patched_xml))


_LISTING_CHARS = ("\t", "\a", "\n", "\f")


def _post(rendered: str) -> str:
    """What DocxTemplate.render_xml_part does after rendering.

    ``re.sub(r"\n<w:p([ >])", r"<w:p\1", s)`` is done as two ``str.replace``
    (same single left-to-right pass, the two patterns cannot create each
    other's matches).  docxtpl's ``resolve_listing`` only ever changes the
    characters tab, BEL, newline and form feed inside ``<w:t>`` text; when
    none of them is in the XML at all it returns its input unchanged, so it
    is called only when one is present.  Likewise the ``{_{`` … ``%_}``
    replacements only run when one of them can match.
    """
    rendered = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in rendered or "_}" in rendered or "%_" in rendered:
        rendered = rendered.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(ch in rendered for ch in _LISTING_CHARS):
        rendered = _HELPER.resolve_listing(rendered)
    return rendered


_TBL, _TR, _TC, _TBLGRID, _GRIDCOL, _TCPR, _GRIDSPAN, _VAL = (
    f"{{{_W_NS}}}{n}" for n in ("tbl", "tr", "tc", "tblGrid", "gridCol", "tcPr", "gridSpan", "val")
)


def _tables_need_fixing(tree: Any) -> bool:
    """False only when docxtpl's ``fix_tables`` would leave ``tree`` unchanged.

    ``fix_tables`` adds grid columns when a row has more cells than the
    table grid, and removes grid columns when no row spans the whole grid
    (e.g. a table whose rows all came from a loop that ran zero times).  This
    checks the same two conditions, over the same rows (``iter``, so nested
    rows count for the outer table too), without changing anything; anything
    unusual (no or several ``tblGrid``, a non-numeric ``gridSpan``, another
    ``w`` namespace) answers True, and then docxtpl's own ``fix_tables`` runs.
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


class _BodyRenderer:
    def __init__(self, template: Template, shell: bytes) -> None:
        self.template = template
        self.shell = shell  # the w:document element with an empty w:body, serialised

    def __call__(self, context: dict[str, Any]) -> bytes:
        xml = _post(self.template.render(context))
        # DocxTemplate.fix_tables parses with this parser, then fixes table grids if needed
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        if _tables_need_fixing(tree):
            tree = _HELPER.fix_tables(xml)
        if "docPr" in xml:  # only pictures/drawings have wp:docPr ids to renumber
            DocxTemplate.fix_docpr_ids(types.SimpleNamespace(docx_ids_index=1000), tree)
        root = etree.fromstring(self.shell)
        root.replace(root.find(f"{{{_W_NS}}}body"), tree)
        return serialize_part_xml(root)


class _HeaderFooterRenderer:
    def __init__(self, template: Template, encoding: str) -> None:
        self.template = template
        self.encoding = encoding

    def __call__(self, context: dict[str, Any]) -> bytes:
        xml = _post(self.template.render(context)).encode(self.encoding)
        return serialize_part_xml(parse_xml(xml))


@dataclass(frozen=True)
class _Prepared:
    path: str
    key: tuple[int, int]
    # zip entries in order: a ready _ZipBlob, or (name, renderer) for a rendered part
    entries: tuple[Any, ...]
    level: int

    def render(self, context: dict[str, Any]) -> bytes:
        blobs = []
        for entry in self.entries:
            if isinstance(entry, _ZipBlob):
                blobs.append(entry)
            else:
                name, renderer = entry
                blobs.append(_ZipBlob.make(name, renderer(context), self.level))
        return _write_zip(blobs)


_STATIC_LEVEL = 9  # unchanged parts are compressed once, so compress them well
_CORE_PROPS = ("author", "comments", "identifier", "language", "subject", "title")


def _prepare(path: str, key: tuple[int, int], env: Environment, level: int) -> _Prepared:
    with open(path, "rb") as fh:
        raw = fh.read()
    tpl = DocxTemplate(io.BytesIO(raw))
    tpl.init_docx()
    docx = tpl.docx
    package = docx.part.package

    for part in package.iter_parts():
        if part.content_type == CT.WML_FOOTNOTES:
            raise TemplateUnsupported(f"{path}: templates with footnotes are not supported by the engine")
    for prop in _CORE_PROPS:
        if _has_jinja(getattr(docx.core_properties, prop) or ""):
            raise TemplateUnsupported(f"{path}: core property {prop!r} holds a Jinja tag")

    renderers: dict[str, Callable[[dict[str, Any]], bytes] | bytes] = {}

    # body: docxtpl's get_xml + patch_xml, compiled once
    body_template = _compile(env, tpl.patch_xml(tpl.get_xml()))
    shell = _deepcopy_without_body(docx.element)
    renderers[docx.part.partname.membername] = _BodyRenderer(body_template, shell)

    # headers and footers, as DocxTemplate.build_headers_footers_xml finds them
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _rel_key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            encoding = tpl.get_headers_footers_encoding(xml)
            patched = tpl.patch_xml(xml)
            renderer = _HeaderFooterRenderer(_compile(env, patched), encoding)
            # a part without any tag renders the same every time: do it now
            renderers[part.partname.membername] = renderer if _has_jinja(patched) else renderer({})

    # core properties: static (checked above), rendered the way docxtpl does
    tpl.render_properties({}, env)

    # every other part exactly as python-docx writes it after rendering
    buf = io.BytesIO()
    docx.save(buf)
    entries: list[Any] = []
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        names = z.namelist()
        for name in names:
            r = renderers.get(name)
            if r is None:
                entries.append(_ZipBlob.make(name, z.read(name), _STATIC_LEVEL))
            elif isinstance(r, bytes):
                entries.append(_ZipBlob.make(name, r, _STATIC_LEVEL))
            else:
                entries.append((name, r))
    missing = set(renderers) - set(names)
    if missing:  # pragma: no cover - would be a python-docx change
        raise TemplateUnsupported(f"{path}: rendered parts not in the package: {sorted(missing)}")
    return _Prepared(path=path, key=key, entries=tuple(entries), level=level)


def _deepcopy_without_body(document_element: Any) -> bytes:
    """The w:document element with an emptied w:body, serialised (parsed again per document)."""
    root = copy.deepcopy(document_element)
    root.find(f"{{{_W_NS}}}body").clear()
    return etree.tostring(root)


# --------------------------------------------------------------------------
# Engine
# --------------------------------------------------------------------------


class Engine:
    """Renders filings from prepared templates.  One instance can serve many threads.

    ``template_dir``: where ``<kind>.docx`` live (default: the packaged
    templates).  ``jinja_env``: the environment templates compile in
    (default :func:`filings.formatting.make_jinja_env`).  ``compresslevel``:
    zlib level for the parts rendered per document (1 = fastest; unchanged
    parts are compressed once at level 9).
    """

    def __init__(
        self,
        template_dir: str | os.PathLike[str] | None = None,
        jinja_env: Environment | None = None,
        compresslevel: int = 1,
    ) -> None:
        self.template_dir = Path(template_dir) if template_dir is not None else TEMPLATE_DIR
        self.env = jinja_env if jinja_env is not None else make_jinja_env()
        self.compresslevel = compresslevel
        self._lock = threading.Lock()
        self._prepared: dict[str, _Prepared] = {}

    # -- templates ---------------------------------------------------------
    def _get(self, path: str | os.PathLike[str]) -> _Prepared:
        path = os.fspath(path)
        st = os.stat(path)
        key = (st.st_mtime_ns, st.st_size)
        found = self._prepared.get(path)
        if found is not None and found.key == key:
            return found
        with self._lock:
            found = self._prepared.get(path)
            if found is None or found.key != key:
                found = _prepare(path, key, self.env, self.compresslevel)
                self._prepared[path] = found  # replaces the older state of this file
            return found

    def template_path(self, kind: str) -> Path:
        return template_path(kind, self.template_dir)

    def template_version(self, kind: str) -> str:
        """First 12 hex digits of the SHA-256 of the kind's template file."""
        return file_version(self.template_path(kind))

    def prepare(self, kind: str | None = None) -> None:
        """Prepare one kind's template (or all) now instead of on first use."""
        for k in [kind] if kind else KINDS:
            self._get(self.template_path(k))

    def clear(self) -> None:
        with self._lock:
            self._prepared.clear()

    # -- rendering ---------------------------------------------------------
    def render_template(self, template: str | os.PathLike[str], context: dict[str, Any]) -> bytes:
        """Render any docxtpl template with ``context`` (no validation)."""
        return self._get(template).render(context)

    def render(self, kind: str, data: Any) -> bytes:
        """Validate ``data`` and render the kind's document; the .docx as bytes.

        Raises :class:`FilingIncomplete` (with Swedish messages) if the data
        is incomplete; nothing is produced then.
        """
        if kind not in INPUT_TYPES:
            raise KeyError(f"unknown document kind: {kind!r}")
        problems = validate(kind, data)
        if problems:
            raise FilingIncomplete(problems)
        return self.render_template(self.template_path(kind), build_context(kind, data))

    def render_to_path(self, kind: str, data: Any, path: str | os.PathLike[str]) -> Path:
        """Render and write atomically to ``path`` (nothing is written if rendering fails)."""
        content = self.render(kind, data)
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".docx", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return target


_default: Engine | None = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """The process-wide engine for the packaged templates."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Engine()
    return _default


def render(kind: str, data: Any) -> bytes:
    """Validate and render a filing of ``kind`` (one of :data:`KINDS`); .docx bytes."""
    return default_engine().render(kind, data)


def render_to_path(kind: str, data: Any, path: str | os.PathLike[str]) -> Path:
    """Validate, render and write a filing atomically to ``path``."""
    return default_engine().render_to_path(kind, data, path)


def template_version(kind: str) -> str:
    """Version of the kind's template: first 12 hex of the template file's SHA-256."""
    return default_engine().template_version(kind)


def render_naive(
    template: str | os.PathLike[str], context: dict[str, Any], jinja_env: Environment | None = None
) -> bytes:
    """Reference: plain docxtpl (load, render with autoescape, save) — for tests and the benchmark."""
    tpl = DocxTemplate(os.fspath(template))
    tpl.render(context, jinja_env if jinja_env is not None else make_jinja_env(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()
