"""The data tables: structure, provenance, coverage and the LawDataMissing paths."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.law import tables
from app.law.errors import LawDataInvalid, LawDataMissing

D = Decimal

ALL_SERIES = [
    pytest.param(law_table.name, item.key, id=f"{law_table.name}.{item.key}")
    for law_table in tables.all_tables()
    for item in law_table.series
]


def test_all_shipped_tables_load():
    names = [law_table.name for law_table in tables.list_tables()]
    assert names == ["prisbasbelopp", "referensranta", "timkostnadsnorm", "fees", "time_limits"]


@pytest.mark.parametrize(("table_name", "key"), ALL_SERIES)
def test_every_entry_has_source_status_and_sorted_valid_from(table_name, key):
    item = tables.series(table_name, key)
    assert item.entries
    for entry in item.entries:
        assert isinstance(entry.valid_from, date)
        assert entry.source.strip()
        assert entry.status in ("verified", "to_verify")
        assert isinstance(entry.value, Decimal)
    dates = [entry.valid_from for entry in item.entries]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)


def test_every_to_verify_entry_explains_why():
    pending = tables.entries_to_verify()
    assert pending, "the reference lists unconfirmed values; none flagged would be suspicious"
    for _law_table, _item, entry in pending:
        assert entry.note, "a to_verify entry must say what is unconfirmed"


# The reference tables (shared/domain/swedish-law.md §1 and §4), typed in independently of the TOML.
REFERENCE_PBB = {
    2015: 44500, 2016: 44300, 2017: 44800, 2018: 45500, 2019: 46500, 2020: 47300,
    2021: 47600, 2022: 48300, 2023: 52500, 2024: 57300, 2025: 58800, 2026: 59200,
}
REFERENCE_RATES = {
    "2015-01-01": "0.00", "2015-07-01": "0.00", "2016-01-01": "0.00", "2016-07-01": "-0.50",
    "2017-01-01": "-0.50", "2017-07-01": "-0.50", "2018-01-01": "-0.50", "2018-07-01": "-0.50",
    "2019-01-01": "-0.50", "2019-07-01": "0.00", "2020-01-01": "0.00", "2020-07-01": "0.00",
    "2021-01-01": "0.00", "2021-07-01": "0.00", "2022-01-01": "0.00", "2022-07-01": "0.50",
    "2023-01-01": "2.50", "2023-07-01": "3.50", "2024-01-01": "4.00", "2024-07-01": "4.00",
    "2025-01-01": "3.00", "2025-07-01": "2.00", "2026-01-01": "2.00", "2026-07-01": "2.00",
}


@pytest.mark.parametrize(("year", "amount"), REFERENCE_PBB.items(), ids=lambda v: str(v))
def test_prisbasbelopp_matches_reference(year, amount):
    assert tables.prisbasbelopp(year) == D(amount)


def test_referensranta_covers_every_half_year_of_the_reference():
    item = tables.series("referensranta", "referensranta")
    assert {entry.valid_from.isoformat(): entry.value for entry in item.entries} == {
        key: D(value) for key, value in REFERENCE_RATES.items()
    }
    last = item.entries[-1]
    assert last.valid_from == date(2026, 7, 1)
    assert last.status == "to_verify"


@pytest.mark.parametrize(
    ("year", "amount", "status"),
    [
        pytest.param(2021, 1425, "verified", id="timkostnadsnorm 2021 1425"),
        pytest.param(2022, 1442, "verified", id="timkostnadsnorm 2022 1442 SFS 2021:1067"),
        pytest.param(2023, 1476, "verified", id="timkostnadsnorm 2023 1476"),
        pytest.param(2024, 1531, "verified", id="timkostnadsnorm 2024 1531 SFS 2023:782"),
        pytest.param(2025, 1586, "to_verify", id="timkostnadsnorm 2025 1586 to_verify"),
        pytest.param(2026, 1626, "to_verify", id="timkostnadsnorm 2026 1626 to_verify"),
    ],
)
def test_timkostnadsnorm(year, amount, status):
    assert tables.timkostnadsnorm(year) == D(amount)
    entry = tables.series("timkostnadsnorm", "timkostnadsnorm").entry_on(date(year, 6, 1))
    assert entry.status == status


@pytest.mark.parametrize(
    ("call", "file_name", "needle"),
    [
        pytest.param(lambda: tables.prisbasbelopp(2014), "prisbasbelopp.toml", "2014-01-01", id="LawDataMissing prisbasbelopp 2014 (before table)"),
        pytest.param(lambda: tables.prisbasbelopp(2027), "prisbasbelopp.toml", "2027-01-01", id="LawDataMissing prisbasbelopp 2027 (not entered)"),
        pytest.param(lambda: tables.timkostnadsnorm(2020), "timkostnadsnorm.toml", "2020-01-01", id="LawDataMissing timkostnadsnorm 2020"),
        pytest.param(lambda: tables.timkostnadsnorm(2027), "timkostnadsnorm.toml", "2027-01-01", id="LawDataMissing timkostnadsnorm 2027"),
        pytest.param(lambda: tables.referensranta(date(2014, 12, 31)), "referensranta.toml", "2014-07-01", id="LawDataMissing referensränta before 2015"),
        pytest.param(lambda: tables.referensranta(date(2027, 1, 15)), "referensranta.toml", "2027-01-01", id="LawDataMissing referensränta 2027-01-15 new half-year"),
        pytest.param(lambda: tables.fee("court_fee_simplified", date(2014, 1, 1)), "fees.toml", "2014-01-01", id="LawDataMissing fee before valid_from"),
        pytest.param(lambda: tables.time_limit("appeal_judgment", date(2014, 1, 1)), "time_limits.toml", "2014-01-01", id="LawDataMissing time limit before valid_from"),
        pytest.param(lambda: tables.fee("no_such_fee", date(2026, 1, 1)), "fees.toml", "no_such_fee", id="LawDataMissing unknown series"),
    ],
)
def test_law_data_missing_names_what_and_where(call, file_name, needle):
    with pytest.raises(LawDataMissing) as info:
        call()
    message = str(info.value)
    assert f"app/law/data/{file_name}" in message
    assert needle in message
    assert isinstance(info.value, LookupError)


def test_unknown_table_raises():
    with pytest.raises(LawDataMissing):
        tables.table("nope")


def test_open_series_newest_entry_applies_onwards():
    assert tables.fee("court_fee_ordinary", date(2040, 1, 1)) == D("2800")


def test_render_tables_lists_everything():
    text = tables.render_tables()
    for name in tables.TABLE_NAMES:
        assert f"app/law/data/{name}.toml" in text
    plain = text.replace("\u00a0", " ")
    assert "59 200 kr" in plain
    assert "-0,50 %" in plain
    assert "3 veckor" in plain
    assert "Förordning (2025:872)" in text
    assert "TO_VERIFY" in text
    assert f"Att verifiera (status to_verify): {len(tables.entries_to_verify())}" in text


# --- validation on load ------------------------------------------------------------------------

VALID = """
[meta]
title = "T"
description = "D"

[series.x]
title = "X"
unit = "SEK"
coverage = "open"

[[series.x.entries]]
valid_from = 2020-01-01
value = 100
source = "SFS 2000:1 1 §"
status = "verified"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_sample_loads(tmp_path):
    law_table = tables.load_table_file(_write(tmp_path, VALID))
    assert law_table.get("x").value_on(date(2021, 1, 1)) == D("100")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda t: t.replace("value = 100", "value = 100.5"), "float", id="float value rejected"),
        pytest.param(lambda t: t.replace('source = "SFS 2000:1 1 §"\n', ""), "source", id="missing source"),
        pytest.param(lambda t: t.replace('status = "verified"', 'status = "maybe"'), "status", id="bad status"),
        pytest.param(lambda t: t.replace("valid_from = 2020-01-01", 'valid_from = "2020-01-01"'), "valid_from", id="string date"),
        pytest.param(lambda t: t.replace('unit = "SEK"', 'unit = "EUR"'), "unit", id="bad unit"),
        pytest.param(lambda t: t.replace('coverage = "open"', 'coverage = "sometimes"'), "coverage", id="bad coverage"),
        pytest.param(lambda t: t + 'extra = 1\n', "unknown key", id="unknown key"),
        pytest.param(lambda t: t.replace('description = "D"\n', ""), "description", id="missing meta description"),
        pytest.param(
            lambda t: t + '\n[[series.x.entries]]\nvalid_from = 2019-01-01\nvalue = 1\nsource = "s"\nstatus = "verified"\n',
            "sorted", id="entries out of order",
        ),
        pytest.param(lambda t: t.replace('value = 100', 'value = "abc"'), "decimal", id="non-numeric string"),
        pytest.param(lambda t: t.replace('[meta]', '[meta\n'), "TOML", id="broken TOML"),
    ],
)
def test_invalid_files_are_rejected(tmp_path, change, message):
    with pytest.raises(LawDataInvalid, match=message):
        tables.load_table_file(_write(tmp_path, change(VALID)))


def test_half_year_gap_rejected(tmp_path):
    text = VALID.replace('coverage = "open"', 'coverage = "half_year"') + (
        '\n[[series.x.entries]]\nvalid_from = 2021-01-01\nvalue = 1\nsource = "s"\nstatus = "verified"\n'
    )
    with pytest.raises(LawDataInvalid, match="2020-07-01 is missing"):
        tables.load_table_file(_write(tmp_path, text))


def test_half_year_must_start_on_half_year(tmp_path):
    text = VALID.replace('coverage = "open"', 'coverage = "half_year"').replace("2020-01-01", "2020-02-01")
    with pytest.raises(LawDataInvalid, match="1 January or 1 July"):
        tables.load_table_file(_write(tmp_path, text))


def test_calendar_year_gap_rejected(tmp_path):
    text = VALID.replace('coverage = "open"', 'coverage = "calendar_year"') + (
        '\n[[series.x.entries]]\nvalid_from = 2022-01-01\nvalue = 1\nsource = "s"\nstatus = "verified"\n'
    )
    with pytest.raises(LawDataInvalid, match="2021 is missing"):
        tables.load_table_file(_write(tmp_path, text))


def test_time_limit_must_be_whole_positive(tmp_path):
    text = VALID.replace('unit = "SEK"', 'unit = "weeks"').replace("value = 100", 'value = "1.5"')
    with pytest.raises(LawDataInvalid, match="whole number"):
        tables.load_table_file(_write(tmp_path, text))


def test_half_year_lookup_in_custom_table(tmp_path):
    text = VALID.replace('coverage = "open"', 'coverage = "half_year"')
    item = tables.load_table_file(_write(tmp_path, text)).get("x")
    assert item.value_on(date(2020, 6, 30)) == D("100")
    with pytest.raises(LawDataMissing, match="2020-07-01"):
        item.value_on(date(2020, 7, 1))


def test_tables_are_cached():
    assert tables.table("fees") is tables.table("fees")
