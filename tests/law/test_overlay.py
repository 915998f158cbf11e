"""Values added outside the shipped files: the overlay, its rules, the coverage warnings, and
interest that stops at the last covered day."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from app.law import tables
from app.law.coverage import missing_values
from app.law.errors import LawDataMissing
from app.law.interest import late_interest


@pytest.fixture(autouse=True)
def _no_overlay_after():
    yield
    tables.install_overlay(())


def _item(table, key, valid_from, value, status="verified"):
    return tables.OverlayEntry(table, key, valid_from, D(value), "Test source", status, url="https://example.test/")


def test_interest_across_the_half_year_boundary_uses_a_value_added_outside_the_file():
    with pytest.raises(LawDataMissing):
        late_interest(D("10000.00"), date(2026, 12, 1), date(2027, 2, 1))  # also fills the memo
    assert tables.install_overlay([_item("referensranta", "referensranta", date(2027, 1, 1), "1.50")]) == ()
    result = late_interest(D("10000.00"), date(2026, 12, 1), date(2027, 2, 1))
    assert [(p.start, p.end, p.rate, p.days) for p in result.periods] == [
        (date(2026, 12, 1), date(2027, 1, 1), D("10.00"), 31),   # 2.00 + 8 (shipped)
        (date(2027, 1, 1), date(2027, 2, 1), D("9.50"), 31),     # 1.50 + 8 (added)
    ]
    # 10000 x 10 % x 31/365 = 84.93; 10000 x 9.5 % x 31/365 = 80.68
    assert [p.amount for p in result.periods] == [D("84.93"), D("80.68")] and result.total == D("165.61")
    assert result.complete
    entry = tables.lookup("referensranta", "referensranta", date(2027, 3, 1))
    assert entry.added_in_app and entry.url == "https://example.test/"


def test_until_covered_stops_at_the_last_covered_day_and_says_so():
    result = late_interest(D("10000.00"), date(2026, 12, 1), date(2027, 2, 1), until_covered=True)
    assert result.total == D("84.93") and result.stopped_on == date(2027, 1, 1)
    assert result.covered_until == date(2026, 12, 31)
    assert result.missing == "ränta beräknad t.o.m. 2026-12-31; referensräntan från 2027-01-01 saknas"
    nothing = late_interest(D("100.00"), date(2027, 1, 10), date(2027, 2, 1), until_covered=True)
    assert nothing.total == D("0.00") and nothing.missing.startswith("ingen ränta beräknad från 2027-01-10")


def test_a_gap_is_refused_and_everything_after_it_left_out():
    problems = tables.install_overlay([_item("referensranta", "referensranta", date(2027, 7, 1), "1.50"),
                                       _item("referensranta", "referensranta", date(2028, 1, 1), "1.50")])
    assert len(problems) == 2 and "2027-01-01 is missing" in problems[0].reason
    with pytest.raises(LawDataMissing):
        tables.referensranta(date(2027, 8, 1))


@pytest.mark.parametrize(("item", "needle"), [
    pytest.param(_item("prisbasbelopp", "prisbasbelopp", date(2026, 1, 1), "1"), "after the shipped", id="not after the file"),
    pytest.param(_item("prisbasbelopp", "prisbasbelopp", date(2027, 2, 1), "60000"), "1 January", id="not 1 January"),
    pytest.param(_item("referensranta", "referensranta", date(2027, 3, 1), "1.00"), "1 July", id="not a half-year"),
    pytest.param(_item("time_limits", "appeal_judgment", date(2027, 1, 1), "2.5"), "whole number", id="period not whole"),
    pytest.param(_item("fees", "court_fee_simplified", date(2027, 1, 1), "900", status="maybe"), "status", id="bad status"),
])
def test_an_item_that_breaks_the_files_rules_is_not_installed(item, needle):
    problems = tables.install_overlay([item])
    assert len(problems) == 1 and needle in problems[0].reason


def test_install_clears_the_memo_and_an_empty_overlay_removes_the_values():
    with pytest.raises(LawDataMissing) as info:
        tables.prisbasbelopp(2027)
    assert "Prisbasbelopp, år 2027" in info.value.user_message and "Rättsregler" in info.value.user_message
    assert info.value.needed_from == date(2027, 1, 1) and info.value.key == "prisbasbelopp"
    tables.install_overlay([_item("prisbasbelopp", "prisbasbelopp", date(2027, 1, 1), "60000")])
    assert tables.prisbasbelopp(2027) == D("60000")
    assert "[tillagd i appen]" in tables.render_tables()
    tables.install_overlay(())
    with pytest.raises(LawDataMissing):
        tables.prisbasbelopp(2027)


def test_open_series_extend_with_a_later_date():
    tables.install_overlay([_item("fees", "court_fee_simplified", date(2027, 3, 1), "1000")])
    assert tables.fee("court_fee_simplified", date(2027, 2, 28)) == D("900")
    assert tables.fee("court_fee_simplified", date(2027, 3, 1)) == D("1000")


def test_warning_window_opens_sixty_days_before_the_period():
    assert missing_values(date(2026, 11, 1), 60) == ()            # 61 days before 1 January
    coming = missing_values(date(2026, 11, 2), 60)                # 60 days before
    assert {(m.key, m.needed_from, m.overdue) for m in coming} == {
        ("prisbasbelopp", date(2027, 1, 1), False), ("referensranta", date(2027, 1, 1), False),
        ("timkostnadsnorm", date(2027, 1, 1), False)}             # open-coverage series need nothing
    tables.install_overlay([_item("prisbasbelopp", "prisbasbelopp", date(2027, 1, 1), "60000"),
                            _item("referensranta", "referensranta", date(2027, 1, 1), "1.50")])
    assert {m.key for m in missing_values(date(2026, 11, 2), 60)} == {"timkostnadsnorm"}
    # in the new year, the missing value is overdue; 1 July only from 2 May
    assert [(m.key, m.overdue) for m in missing_values(date(2027, 1, 5), 60)] == [("timkostnadsnorm", True)]
    assert "referensranta" not in {m.key for m in missing_values(date(2027, 5, 1), 60)}
    july = [m for m in missing_values(date(2027, 5, 2), 60) if m.key == "referensranta"]
    assert july and july[0].needed_from == date(2027, 7, 1) and "halvåret 2027-07-01–2027-12-31" in july[0].message


def test_recording_collects_the_entries_used():
    with tables.recording() as used:
        tables.timkostnadsnorm(2026)
        tables.prisbasbelopp(2026)
    assert [(s.key, e.status) for s, e in used] == [("timkostnadsnorm", "to_verify"), ("prisbasbelopp", "verified")]
    tables.timkostnadsnorm(2026)
    assert len(used) == 2  # nothing recorded outside the block
