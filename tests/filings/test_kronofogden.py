"""Export of applications to Kronofogden and import of its answers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from filings import FilingIncomplete
from filings.kronofogden import (
    ADAPTERS,
    EVENT_LAYOUT,
    EXPORT_LAYOUT,
    CsvAdapter,
    ImportErrors,
    JsonLinesAdapter,
    KfmEvent,
    KfmEventKind,
    application_record,
    events_to_csv,
    events_to_jsonl,
    export_applications,
    parse_events,
)
from filings.sample import sample_input

TODAY = date(2026, 11, 23)


def applications():
    a = sample_input("betalningsforelaggande")
    b = replace(
        a,
        case_reference="TV-2026-1001",
        debtor=replace(
            a.debtor, name='Bygg & Söner <AB> "Nord"; filial', identity_number="559123-4561", is_company=True
        ),
        original_creditor=None,
        assigned_on=None,
        applicant_counsel=None,
        fee_lines=a.fee_lines[:2],
        grounds=('Obetald faktura\nför hyra av ställning; se avtal "A".', "Andra stycket."),
        claim_lines=a.claim_lines[:1],
        interest=a.interest[:1],
        transfer_to_court_if_contested=False,
    )
    c = replace(
        a,
        case_reference="TV-2026-1002",
        claim_lines=tuple(replace(line, interest_from=None, interest_basis="") for line in a.claim_lines),
        interest=(),
        promissory_note=True,
        enforce_immediately=False,
    )
    return [a, b, c]


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------


def test_record_has_every_field_of_the_application():
    app = applications()[0]
    r = application_record(app)
    assert r["layout"] == EXPORT_LAYOUT and r["record_type"] == "ansokan_betalningsforelaggande"
    assert r["case_reference"] == "TV-2026-0977" and r["filing_date"] == "2026-11-23"
    assert r["applicant"]["identity_number"] == "556012-3456"
    assert r["debtor"] == {
        "name": "Åsa Öhman-Éricsson",
        "identity_number": "760512-1214",
        "is_company": False,
        "street": "Ängsvägen 4 lgh 1102",
        "postal_code": "831 40",
        "city": "Östersund",
        "phone": "070-123 45 67",
        "email": "",
    }
    assert r["counsel"]["name"] == "Émilie Bergström"
    assert r["original_creditor"]["name"] == "Nordström Telekom AB" and r["assigned_on"] == "2025-10-01"
    claim = r["claims"][0]
    assert claim["capital"] == "4850.00" and claim["due_date"] == "2025-02-28"
    assert claim["interest_from"] == "2025-03-01"
    assert claim["accrued_interest"] == "855.99"  # interest as an amount
    assert claim["accrued_interest_to"] == "2026-11-22"
    assert claim["running_interest_from"] == "2026-11-23"
    assert len(claim["interest_periods"]) == 4 and claim["interest_periods"][0]["rate"] == "11.00"
    assert [f["amount"] for f in r["fees"]] == ["300.00", "380.00", "60.00", "180.00"]
    assert r["totals"] == {"capital": "7225.00", "interest": "1231.50", "fees": "920.00", "total": "9376.50"}
    assert r["options"] == {"transfer_to_court_if_contested": True, "enforce_immediately": True}
    assert r["promissory_note"] is False
    assert len(r["input_hash"]) == 64


@pytest.mark.parametrize("adapter", list(ADAPTERS.values()), ids=list(ADAPTERS))
def test_export_reads_back_to_the_same_records(adapter):
    apps = applications()
    data = adapter.export(apps)
    assert adapter.read(data) == [application_record(a) for a in apps]


def test_jsonl_layout():
    data = JsonLinesAdapter().export(applications())
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 4
    assert json.loads(lines[1])["debtor"]["name"] == 'Bygg & Söner <AB> "Nord"; filial'
    assert "Östersund" in lines[0]  # UTF-8, not \u escapes


def test_csv_layout():
    data = CsvAdapter().export(applications())
    text = data.decode("utf-8")
    header = text.split("\r\n", 1)[0].split(";")
    assert header[:5] == ["layout", "record_type", "case_reference", "filing_date", "input_hash"]
    assert "claim2_capital" in header and "claim3_capital" not in header  # as many groups as needed
    assert "fee4_amount" in header and "ground2" in header
    assert "claim1_interest_periods" in header and "2025-03-01/2025-07-01/11.00/122/178.32" in text


def test_export_is_all_or_nothing():
    apps = applications()
    apps[1] = replace(apps[1], debtor=replace(apps[1].debtor, identity_number=""))
    apps[2] = replace(apps[2], grounds=("Betala till bankgiro 5555-1234.",))
    for name in ADAPTERS:
        with pytest.raises(FilingIncomplete) as info:
            export_applications(apps, name)
        assert info.value.problems == [
            "Ansökan 2 (TV-2026-1001): Svarandens personnummer/organisationsnummer saknas.",
            "Ansökan 3 (TV-2026-1002): Grunden får inte innehålla betalningsanvisningar (”bankgiro”).",
        ]


def test_export_refuses_other_inputs():
    with pytest.raises(FilingIncomplete, match="fel sorts indata"):
        export_applications([sample_input("stamningsansokan")])


# --------------------------------------------------------------------------
# Round trip: export -> (Kronofogden answers) -> import
# --------------------------------------------------------------------------


def simulate_kronofogden(records):
    """What Kronofogden would send back for our exported applications."""
    events = []
    for n, r in enumerate(records, start=1):
        kfm = f"12-{480000 + n}-26"
        filed = date.fromisoformat(r["filing_date"])
        served = filed - timedelta(days=20 - n)  # (dates only need to be in the past)
        events.append(
            KfmEvent(
                kind=KfmEventKind.SERVICE, case_reference=r["case_reference"], kfm_case_number=kfm, event_date=served
            )
        )
        if n == 1:
            events.append(
                KfmEvent(
                    kind=KfmEventKind.OBJECTION,
                    case_reference=r["case_reference"],
                    kfm_case_number=kfm,
                    event_date=served + timedelta(days=5),
                    details={"reason": 'Svaranden bestrider; anser att abonnemanget sades upp, se "brev".'},
                )
            )
            if r["options"]["transfer_to_court_if_contested"]:
                events.append(
                    KfmEvent(
                        kind=KfmEventKind.TRANSFERRED,
                        case_reference=r["case_reference"],
                        kfm_case_number=kfm,
                        event_date=served + timedelta(days=9),
                        details={"court": "Östersunds tingsrätt"},
                    )
                )
        elif n == 2:
            events.append(
                KfmEvent(
                    kind=KfmEventKind.DECISION,
                    case_reference=r["case_reference"],
                    kfm_case_number=kfm,
                    event_date=served + timedelta(days=12),
                    details={"result": "bifall", "amount": r["totals"]["total"]},
                )
            )
        else:
            events.append(
                KfmEvent(
                    kind=KfmEventKind.WITHDRAWAL,
                    case_reference=r["case_reference"],
                    kfm_case_number=kfm,
                    event_date=served + timedelta(days=3),
                )
            )
    return events


def _same(a: list[KfmEvent], b: list[KfmEvent]) -> bool:
    strip = lambda evs: [replace(e, line=0) for e in evs]  # noqa: E731
    return strip(a) == strip(b)


@pytest.mark.parametrize("export_format", list(ADAPTERS))
@pytest.mark.parametrize(("writer", "fmt"), [(events_to_jsonl, "jsonl"), (events_to_csv, "csv")])
def test_round_trip(export_format, writer, fmt):
    apps = applications()
    adapter = ADAPTERS[export_format]
    records = adapter.read(adapter.export(apps))
    answers = simulate_kronofogden(records)
    events = parse_events(writer(answers), fmt, today=TODAY)
    assert _same(events, answers)
    assert parse_events(writer(answers), today=TODAY) == events  # format guessed
    by_case = {}
    for e in events:
        by_case.setdefault(e.case_reference, []).append(e.kind)
    assert by_case == {
        "TV-2026-0977": [KfmEventKind.SERVICE, KfmEventKind.OBJECTION, KfmEventKind.TRANSFERRED],
        "TV-2026-1001": [KfmEventKind.SERVICE, KfmEventKind.DECISION],
        "TV-2026-1002": [KfmEventKind.SERVICE, KfmEventKind.WITHDRAWAL],
    }
    assert [e.line for e in events] == list(
        range(1 if fmt == "jsonl" else 2, len(events) + (1 if fmt == "jsonl" else 2))
    )


def test_import_accepts_swedish_spellings_and_bom():
    row = {
        "kind": "Överlämnad",
        "case_reference": "TV-1",
        "kfm_case_number": "12-1-26",
        "event_date": "2026-11-20",
        "details": {"court": "Solna tingsrätt"},
    }
    events = parse_events(b"\xef\xbb\xbf" + json.dumps(row, ensure_ascii=False).encode(), today=TODAY)
    assert events[0].kind is KfmEventKind.TRANSFERRED and events[0].details == {"court": "Solna tingsrätt"}
    assert parse_events(b"", today=TODAY) == []
    assert parse_events(b"kind;case_reference;kfm_case_number;event_date\r\n", "csv", today=TODAY) == []


# --------------------------------------------------------------------------
# Bad rows: every one reported with its line number, nothing returned
# --------------------------------------------------------------------------


def test_bad_jsonl_rows_are_all_reported_by_line():
    good = {
        "layout": EVENT_LAYOUT,
        "kind": "delgivning",
        "case_reference": "TV-1",
        "kfm_case_number": "12-1-26",
        "event_date": "2026-11-01",
    }
    lines = [
        json.dumps(good),  # 1 ok
        "{not json",  # 2
        json.dumps({**good, "kind": "dom"}),  # 3
        "",  # 4 blank: skipped, but counted
        json.dumps({**good, "case_reference": ""}),  # 5
        json.dumps({**good, "event_date": "2026-13-01"}),  # 6
        json.dumps({**good, "event_date": "2026-12-24"}),  # 7 future
        json.dumps({**good, "kind": "overlamnad"}),  # 8 no court
        json.dumps([1, 2]),  # 9
        json.dumps({**good, "details": {"reason": 5}}),  # 10
        json.dumps({**good, "kfm_case_number": "12-\x01-26"}),  # 11
        json.dumps(good),  # 12 duplicate of 1
        json.dumps({**good, "colour": "blue"}),  # 13
        json.dumps({**good, "kind": "bestridande", "event_date": "2026-11-02"}),  # 14 ok
    ]
    with pytest.raises(ImportErrors) as info:
        parse_events("\n".join(lines).encode(), "jsonl", today=TODAY)
    errors = info.value.errors
    assert [line for line, _ in errors] == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    messages = dict(errors)
    assert messages[2].startswith("ogiltig JSON")
    assert (
        messages[3] == "okänd händelsetyp ”dom” (tillåtna: bestridande, delgivning, utslag, återkallelse, överlämnad)."
    )
    assert messages[5] == "vår ärendereferens (case_reference) saknas."
    assert messages[6] == "ogiltigt datum ”2026-13-01” i event_date (ska vara ÅÅÅÅ-MM-DD)."
    assert messages[7] == "händelsedatum 2026-12-24 ligger i framtiden."
    assert messages[8] == "tingsrätt (details.court) saknas för händelsen överlämnad."
    assert messages[9] == "raden är inte ett JSON-objekt."
    assert messages[10] == "details.reason ska vara text."
    assert messages[11] == "otillåtet tecken (kontrolltecken U+0001) i fältet kfm_case_number."
    assert messages[12] == "samma händelse som rad 1."
    assert messages[13] == "okänt fält ”colour”."
    assert info.value.messages[0].startswith("Rad 2: ogiltig JSON")


def test_bad_csv_rows_are_reported_with_physical_line_numbers():
    text = (
        "kind;case_reference;kfm_case_number;event_date;reason\r\n"  # 1
        'bestridande;TV-1;12-1-26;2026-11-01;"Flera\r\nrader\r\nförklaring"\r\n'  # 2-4
        "utslag;TV-2;12-2-26;2026-11-02;\r\n"  # 5 ok
        "utslag;;12-3-26;01/11/2026;\r\n"  # 6: two problems
        "delgivning;TV-4;12-4-26\r\n"  # 7 too few fields
        "\r\n"  # 8 blank
        "okänd;TV-5;12-5-26;2026-11-03;x\r\n"  # 9
    )
    with pytest.raises(ImportErrors) as info:
        parse_events(text.encode("utf-8"), "csv", today=TODAY)
    assert info.value.errors == [
        (6, "vår ärendereferens (case_reference) saknas."),
        (6, "ogiltigt datum ”01/11/2026” i event_date (ska vara ÅÅÅÅ-MM-DD)."),
        (7, "fel antal fält (3, rubrikraden har 5)."),
        (9, "okänd händelsetyp ”okänd” (tillåtna: bestridande, delgivning, utslag, återkallelse, överlämnad)."),
    ]


def test_good_csv_with_multiline_details():
    text = (
        "kind;case_reference;kfm_case_number;event_date;reason\r\n"
        'bestridande;TV-1;12-1-26;2026-11-01;"Flera\r\nrader; och ""citat"""\r\n'
        "utslag;TV-2;12-2-26;2026-11-02;\r\n"
    )
    events = parse_events(text.encode(), "csv", today=TODAY)
    assert [(e.line, e.kind) for e in events] == [(2, KfmEventKind.OBJECTION), (4, KfmEventKind.DECISION)]
    assert events[0].details == {"reason": 'Flera\r\nrader; och "citat"'}
    assert events[1].details == {}


def test_csv_header_problems():
    with pytest.raises(ImportErrors) as info:
        parse_events(b"kind;case_reference;event_date\r\nutslag;TV-1;2026-11-01\r\n", "csv", today=TODAY)
    assert info.value.errors == [(1, "kolumnen kfm_case_number saknas i rubrikraden.")]


def test_invalid_utf8_is_reported_with_its_line():
    data = b'{"kind": "utslag"}\n{"kind": "\xff"}\n'
    with pytest.raises(ImportErrors) as info:
        parse_events(data, today=TODAY)
    assert info.value.errors == [(2, "filen är inte giltig UTF-8 (byte nr 30 i filen).")]


def test_amount_details_stay_text():
    rows = [
        {
            "kind": "utslag",
            "case_reference": "TV-1",
            "kfm_case_number": "12-1-26",
            "event_date": "2026-11-01",
            "details": {"amount": "9376.50"},
        }
    ]
    events = parse_events("\n".join(json.dumps(r) for r in rows).encode(), today=TODAY)
    assert Decimal(events[0].details["amount"]) == Decimal("9376.50")
