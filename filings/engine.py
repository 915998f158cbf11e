"""The document engine: docxtpl's output, without docxtpl's per-document cost.

Naive docxtpl (``DocxTemplate(path).render(ctx); .save(f)``) re-reads the
template zip, re-parses every XML part (styles.xml alone is ~350 kB),
re-runs ``patch_xml`` (a few dozen regular expressions over the body),
re-compiles the Jinja template, parses the rendered body again for
``fix_tables``, and re-serialises and re-compresses every part — for every
document.

The engine does the template-dependent work once per template file
(cached per path, modification time and size):

* it loads the template with docxtpl itself, takes the body and the
  header/footer XML exactly as docxtpl does (``get_xml`` / ``get_part_xml``),
  runs docxtpl's own ``patch_xml`` on them and compiles the result;
* it decides which of docxtpl's per-document passes can change anything for
  this template (:mod:`filings.template_checks`): the ``\\n<w:p`` newline round
  trip, and ``fix_tables`` / ``fix_docpr_ids`` (which need the rendered body
  parsed). For our templates none can, so the rendered XML is written
  straight into the package between the document part's head and tail;
* it renders the core properties with docxtpl's ``render_properties`` (they
  hold no tags, so the result is fixed) and saves the package once with
  python-docx; every part rendering does not change is compressed once and
  kept as compressed bytes with its zip headers.

Per document it renders the compiled templates, applies docxtpl's
post-processing where it can change something (one ``memchr`` each over the
encoded bytes decides, see :func:`filings.parts.finish`), compresses the
rendered parts and writes the zip (:mod:`filings.package`) with fixed
timestamps — so the same input gives the same bytes.

The result is the document naive docxtpl produces with the same context
and Jinja environment: every XML part canonically equal (C14N), every other
part byte-for-byte (tests compare each kind). Not supported (refused when the
template is prepared): templates with footnotes, core properties holding
Jinja tags; context values that are docxtpl objects (``RichText``,
``InlineImage``, ``Subdoc``) are not used by our templates.

Thread-safe: prepared templates are immutable and every render works on
its own objects.  Nothing is cached per document, so memory stays flat.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment

from .context import build_context
from .formatting import make_jinja_env
from .model import INPUT_TYPES, KINDS
from .package import ZipBlob, write_zip
from .parts import (
    BodyRenderer,
    DirectBodyRenderer,
    HeaderFooterRenderer,
    compile_part,
    finish,
    head_and_tail,
    shell_without_body,
)
from .template_checks import newlines_are_inert, tables_never_change
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

_JINJA_MARKERS = ("{{", "{%", "{#")


class TemplateUnsupported(Exception):
    """The template uses something the engine does not reproduce."""


# --------------------------------------------------------------------------
# Template preparation
# --------------------------------------------------------------------------


def _has_jinja(text: str) -> bool:
    return any(m in text for m in _JINJA_MARKERS)


@dataclass(frozen=True)
class _Prepared:
    path: str
    key: tuple[int, int]
    # zip entries in order: a ready ZipBlob, or (name, renderer) for a rendered part
    entries: tuple[Any, ...]
    level: int

    def render(self, context: dict[str, Any]) -> bytes:
        blobs = []
        for entry in self.entries:
            if isinstance(entry, ZipBlob):
                blobs.append(entry)
            else:
                name, renderer = entry
                blobs.append(ZipBlob.make(name, renderer(context), self.level))
        return write_zip(blobs)


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

    # body: docxtpl's get_xml + patch_xml, compiled once; what per-document work it needs, decided now
    patched = tpl.patch_xml(tpl.get_xml())
    newlines = not newlines_are_inert(env, patched)
    body_template = compile_part(env, patched, newlines)
    head_tail = head_and_tail(docx.element)
    direct = (
        env.autoescape is True  # printed values add text, never elements
        and "docPr" not in patched  # no picture ids to renumber
        and tables_never_change(patched)
        and head_tail is not None
    )
    if direct:
        body: Callable[[dict[str, Any]], bytes] = DirectBodyRenderer(body_template, newlines, *head_tail)
    else:
        body = BodyRenderer(body_template, newlines, shell_without_body(docx.element))
    renderers[docx.part.partname.membername] = body

    # headers and footers, as DocxTemplate.build_headers_footers_xml finds them
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _rel_key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            if tpl.get_headers_footers_encoding(xml).lower() not in ("utf-8", "utf8"):  # pragma: no cover
                raise TemplateUnsupported(f"{path}: {part.partname} is not UTF-8")
            patched = tpl.patch_xml(xml)
            part_newlines = not newlines_are_inert(env, patched)
            template = compile_part(env, patched, part_newlines)
            if _has_jinja(patched):
                renderers[part.partname.membername] = HeaderFooterRenderer(template, part_newlines)
            else:  # renders the same every time: done now, exactly as docxtpl writes it
                rendered = finish(template.render({}), part_newlines)
                renderers[part.partname.membername] = serialize_part_xml(parse_xml(rendered))

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
                entries.append(ZipBlob.make(name, z.read(name), _STATIC_LEVEL))
            elif isinstance(r, bytes):
                entries.append(ZipBlob.make(name, r, _STATIC_LEVEL))
            else:
                entries.append((name, r))
    missing = set(renderers) - set(names)
    if missing:  # pragma: no cover - would be a python-docx change
        raise TemplateUnsupported(f"{path}: rendered parts not in the package: {sorted(missing)}")
    return _Prepared(path=path, key=key, entries=tuple(entries), level=level)


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

    def render(self, kind: str, data: Any, *, validated: bool = False) -> bytes:
        """Validate ``data`` and render the kind's document; the .docx as bytes.

        Raises :class:`FilingIncomplete` (with Swedish messages) if the data
        is incomplete; nothing is produced then. ``validated=True``: the caller
        has just had :func:`filings.validate` return no problem for this very
        ``data`` (inputs are frozen), so it is not validated a second time —
        the bulk path validates each input once, when preparing it.
        """
        if kind not in INPUT_TYPES:
            raise KeyError(f"unknown document kind: {kind!r}")
        problems = [] if validated else validate(kind, data)
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


def render(kind: str, data: Any, *, validated: bool = False) -> bytes:
    """Validate and render a filing of ``kind`` (one of :data:`KINDS`); .docx bytes.

    ``validated=True`` skips validation for input the caller has validated already.
    """
    return default_engine().render(kind, data, validated=validated)


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
