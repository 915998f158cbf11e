"""What the engine decides once per template, and that each decision keeps docxtpl's output.

The engine skips docxtpl's per-document passes (the ``\\n<w:p`` round trip, parsing the body for
``fix_tables`` and serialising it again) when the template shows they change nothing. Each
check here is tried on templates where the pass does matter: the engine must then do it, and
its output stays canonically equal to naive docxtpl's.
"""

from __future__ import annotations

import pytest
from docx import Document
from docxtpl import DocxTemplate

from filings.engine import KINDS, Engine, render_naive
from filings.formatting import make_jinja_env
from filings.parts import BodyRenderer as _BodyRenderer
from filings.parts import DirectBodyRenderer as _DirectBodyRenderer
from filings.sample import sample_input
from filings.template_checks import newlines_are_inert, tables_never_change

from .helpers import all_text, assert_same_package, build_docx


def _body_renderer(engine: Engine, path) -> object:
    return next(r for name, r in (e for e in engine._get(path).entries if isinstance(e, tuple))
                if name == "word/document.xml")


def _patched_body(path) -> str:
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    return tpl.patch_xml(tpl.get_xml())


@pytest.mark.parametrize("kind", KINDS)
def test_packaged_templates_render_straight_into_the_package(kind):
    """Our own templates need none of the per-document passes (a change that brings one back shows here)."""
    engine = Engine()
    body = _body_renderer(engine, engine.template_path(kind))
    assert isinstance(body, _DirectBodyRenderer)
    assert body.newlines is False
    engine.render(kind, sample_input(kind))


# --------------------------------------------------------------------------
# The newline round trip
# --------------------------------------------------------------------------

ENV = make_jinja_env()


@pytest.mark.parametrize(
    ("source", "inert"),
    [
        ('<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>', True),
        ('<w:p><w:r><w:t>{{ a }}{% if c %} ({{ b }}){% endif %}</w:t></w:r></w:p>', True),
        ('<w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p>{{ b }}<w:p/>', True),  # "<w:p/>" is no "<w:p " or "<w:p>"
        ('<w:p><w:r><w:t>x</w:t></w:r></w:p>{{ a }}<w:p><w:r/></w:p>', False),
        ('<w:t>{{ a }}{{ b }}</w:t>{{ c }}{{ d }}<w:p></w:p>', False),  # d may be empty: c meets <w:p>
        ('<w:t>{{ a }}{% if c %}</w:t>{% else %}<w:p>x</w:p>{% endif %}', False),  # through the else branch
        ('<w:t>{{ a }}{% if c %}</w:t>{% elif d %}</w:t>{% else %}<w:p>x</w:p>{% endif %}', False),
        ('<w:t>{{ a }}{% if c %}</w:t>{% elif d %}</w:t>{% endif %}</w:t>', True),
        ('{% for i in l %}<w:p>{{ i }}{% endfor %}', False),  # the next round starts with <w:p>
        ('{% for i in l %}<w:p><w:t>{{ i }}</w:t></w:p>{% endfor %}', True),
        ('<w:t>{{ a }}{% if c %}</w:t>{% endif %}<w:p>', False),  # c false: a meets <w:p>
        ('<w:t>{{ a -}} </w:t>', False),  # whitespace control: not followed, done exactly
        ("<w:t>x</w:t>\n<w:p>", False),  # a newline in the template itself
    ],
)
def test_newlines_are_inert_only_when_no_value_can_meet_a_paragraph(source, inert):
    assert newlines_are_inert(ENV, source) is inert


def test_a_value_before_a_paragraph_loses_its_trailing_newline_as_in_docxtpl(tmp_path):
    """``{{p x }}`` prints x between paragraphs: docxtpl drops a newline x ends with before ``<w:p``."""
    path = build_docx(tmp_path, "p.docx", ["Före", "{{p x }}", "Efter {{ y }}"])
    assert not newlines_are_inert(ENV, _patched_body(path))
    engine = Engine()
    assert _body_renderer(engine, path).newlines is True
    context = {"x": "text\n", "y": "slut\n"}
    assert_same_package(engine.render_template(path, context), render_naive(path, context, engine.env))


def test_docxtpl_escapes_in_the_template_are_resolved_as_docxtpl_does(tmp_path):
    path = build_docx(tmp_path, "esc.docx", ["Bokstavligt {_{ x }_} och {_% y %_}: {{ z }}"])
    engine = Engine()
    context = {"z": "värde"}
    out = engine.render_template(path, context)
    assert "Bokstavligt {{ x }} och {% y %}: värde" in all_text(out)
    assert_same_package(out, render_naive(path, context, engine.env))


# --------------------------------------------------------------------------
# The table fix
# --------------------------------------------------------------------------

HEADED = [["Faktura", "Belopp"], ["{%tr for r in rows %}", ""], ["{{ r.a }}", "{{ r.b }}"], ["{%tr endfor %}", ""]]
HEADLESS = [["{%tr for r in rows %}", ""], ["{{ r.a }}", "{{ r.b }}"], ["{%tr endfor %}", ""]]


def test_a_table_with_a_fixed_full_row_is_never_changed_by_fix_tables(tmp_path):
    path = build_docx(tmp_path, "headed.docx", ["Tabell:"], table=HEADED)
    assert tables_never_change(_patched_body(path))
    engine = Engine()
    assert isinstance(_body_renderer(engine, path), _DirectBodyRenderer)
    for rows in ([], [{"a": "1", "b": "2"}, {"a": "3 & <4>", "b": "5"}]):
        context = {"rows": rows}
        assert_same_package(engine.render_template(path, context), render_naive(path, context, engine.env))


def test_a_table_whose_rows_all_come_from_a_loop_is_fixed_per_document(tmp_path):
    """No row outside the loop: zero rows leave no row spanning the grid, and fix_tables removes columns."""
    path = build_docx(tmp_path, "headless.docx", ["Tabell:"], table=HEADLESS)
    assert not tables_never_change(_patched_body(path))
    assert isinstance(_body_renderer(Engine(), path), _BodyRenderer)


def test_a_table_with_a_statement_between_cells_is_fixed_per_document(tmp_path):
    path = build_docx(tmp_path, "cells.docx", ["Tabell:"], table=[["A", "B"], ["{%tc for c in cols %}", "{%tc endfor %}"]])
    assert not tables_never_change(_patched_body(path))


def test_a_row_wider_than_the_grid_is_fixed_per_document(tmp_path):
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "{{ a }}"
    tr = table.rows[0]._tr
    tr.append(__import__("copy").deepcopy(tr.tc_lst[0]))  # three cells, two grid columns
    path = tmp_path / "wide.docx"
    doc.save(path)
    assert not tables_never_change(_patched_body(path))
    engine = Engine()
    context = {"a": "x"}
    assert_same_package(engine.render_template(path, context), render_naive(path, context, engine.env))
