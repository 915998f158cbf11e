"""JSON form and input hash of the inputs; Swedish formatting; the sandboxed, strict Jinja environment."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

import filings
from filings.context import build_context
from filings.engine import KINDS, Engine, render_naive
from filings.formatting import format_amount, format_date, format_money, format_percent, make_jinja_env
from filings.model import canonical_json, from_jsonable, input_hash, kind_of, to_jsonable
from filings.sample import sample_input

from .helpers import build_docx

NBSP = "\u00a0"


# --------------------------------------------------------------------------
# JSON and hash
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_jsonable_round_trip(kind):
    data = sample_input(kind)
    as_json = json.loads(json.dumps(to_jsonable(data)))
    assert from_jsonable(kind, as_json) == data
    assert kind_of(data) == kind


def test_jsonable_types():
    data = to_jsonable(sample_input("betalningsforelaggande"))
    assert data["filing_date"] == "2026-11-23"
    assert data["claim_lines"][0]["capital"] == "4850.00"
    assert data["interest"][0]["periods"][0]["rate"] == "11.00"
    assert data["original_creditor"]["is_company"] is True
    assert data["applicant_counsel"]["reference"] == "EB/2026-0412"


def test_from_jsonable_refuses_unknown_fields_and_bad_types():
    data = to_jsonable(sample_input("forlikning"))
    with pytest.raises(ValueError, match="unknown fields"):
        from_jsonable("forlikning", {**data, "extra": 1})
    with pytest.raises(ValueError, match="expected an amount as text"):
        from_jsonable("forlikning", {**data, "debt_lines": [{"label": "x", "amount": 1.5, "note": ""}]})


def test_input_hash_is_sha256_of_canonical_json_with_kind_and_version():
    data = sample_input("stamningsansokan")
    payload = {"kind": "stamningsansokan", "template_version": "abc", "data": to_jsonable(data)}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert input_hash(data, template_version="abc") == hashlib.sha256(text.encode()).hexdigest()
    assert input_hash(data) == input_hash(data, template_version=filings.template_version("stamningsansokan"))


def test_input_hash_is_stable_across_processes():
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from filings.sample import sample_input; from filings.model import input_hash;"
        "print(input_hash(sample_input('betalningsforelaggande')))"
    )
    from pathlib import Path

    root = str(Path(filings.__file__).resolve().parents[1])
    outs = {
        subprocess.run(
            [sys.executable, "-c", code, root], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed}
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outs == {input_hash(sample_input("betalningsforelaggande"))}


def test_input_hash_is_sensitive_to_every_change():
    base = sample_input("betalningsforelaggande")
    h = input_hash(base)
    assert input_hash(sample_input("betalningsforelaggande")) == h
    changes = [
        replace(base, case_reference="TV-2026-0978"),
        replace(base, filing_date=date(2026, 11, 24)),
        replace(base, debtor=replace(base.debtor, name="Åsa Öhman-Ericsson")),
        replace(base, claim_lines=(replace(base.claim_lines[0], capital=Decimal("4850.01")),) + base.claim_lines[1:]),
        replace(base, enforce_immediately=False),
        replace(base, interest=base.interest[::-1]),
        replace(base, fee_lines=base.fee_lines[:-1]),
    ]
    hashes = {input_hash(c) for c in changes}
    assert h not in hashes and len(hashes) == len(changes)
    assert input_hash(base, template_version="other") != h


def test_canonical_json_keeps_swedish_letters():
    assert "Åsa Öhman-Éricsson" in canonical_json(sample_input("forlikning"))


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("12345.50", f"12{NBSP}345,50{NBSP}kr"),
        ("0", f"0,00{NBSP}kr"),
        ("999.9", f"999,90{NBSP}kr"),
        ("1000", f"1{NBSP}000,00{NBSP}kr"),
        ("1234567.05", f"1{NBSP}234{NBSP}567,05{NBSP}kr"),
        ("-2500.00", f"-2{NBSP}500,00{NBSP}kr"),
    ],
)
def test_money(value, text):
    assert format_money(Decimal(value)) == text


def test_money_refuses_floats_and_fractions_of_oren():
    with pytest.raises(TypeError):
        format_money(12.5)
    with pytest.raises(ValueError):
        format_amount(Decimal("1.005"))


def test_percent_and_date():
    assert format_percent(Decimal("10")) == "10,00 %"
    assert format_percent(Decimal("8.125")) == "8,125 %"  # a rate is never rounded
    assert format_percent(Decimal("10.500")) == "10,50 %"
    assert format_percent(Decimal("2.5")) == "2,50 %"
    assert format_date(date(2026, 11, 22)) == "2026-11-22"
    with pytest.raises(TypeError):
        format_date("2026-11-22")


# --------------------------------------------------------------------------
# The Jinja environment: sandbox, strict undefined, no raw values
# --------------------------------------------------------------------------


def test_environment_is_sandboxed_strict_and_autoescaping():
    env = make_jinja_env()
    assert env.sandboxed and env.autoescape is True
    assert env.from_string("{{ x }}").render(x="a & <b>") == "a &amp; &lt;b&gt;"


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ plaintiff.__class__.__init__.__globals__ }}",
    ],
)
def test_template_cannot_reach_python_internals(tmp_path, expression):
    path = build_docx(tmp_path, "evil.docx", ["Hej " + expression])
    context = build_context("stamningsansokan", sample_input("stamningsansokan"))
    engine = Engine()
    with pytest.raises(SecurityError):
        engine.render_template(path, context)
    with pytest.raises(SecurityError):
        render_naive(path, context, engine.env)


def test_undefined_variable_is_an_error(tmp_path):
    path = build_docx(tmp_path, "undef.docx", ["Hej {{ no_such_name }}"])
    with pytest.raises(UndefinedError):
        Engine().render_template(path, {})
    # the real templates: a context missing one name fails too
    engine = Engine()
    context = build_context("stamningsansokan", sample_input("stamningsansokan"))
    del context["jurisdiction"]
    with pytest.raises(UndefinedError):
        engine.render_template(engine.template_path("stamningsansokan"), context)


def test_undefined_attribute_is_an_error(tmp_path):
    path = build_docx(tmp_path, "attr.docx", ["{{ plaintiff.no_such_field }}"])
    context = build_context("stamningsansokan", sample_input("stamningsansokan"))
    with pytest.raises(UndefinedError):
        Engine().render_template(path, context)


@pytest.mark.parametrize("value", [Decimal("1.5"), date(2026, 1, 1), None, True, 1.5])
def test_raw_values_must_go_through_a_filter(tmp_path, value):
    path = build_docx(tmp_path, "raw.docx", ["Belopp: {{ v }}"])
    with pytest.raises(TypeError, match="use a filter"):
        Engine().render_template(path, {"v": value})
