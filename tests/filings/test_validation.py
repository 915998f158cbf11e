"""Every validation rule has a case here that fails without it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import filings
from filings import FilingIncomplete, find_forbidden_characters, validate
from filings.engine import KINDS
from filings.sample import sample_input
from filings.validation import identity_number_problem

D = Decimal


def s(kind):
    return sample_input(kind)


def with_party(kind, role, **changes):
    data = s(kind)
    return replace(data, **{role: replace(getattr(data, role), **changes)})


def with_line(kind, index=0, field="claim_lines", **changes):
    data = s(kind)
    items = list(getattr(data, field))
    items[index] = replace(items[index], **changes)
    return replace(data, **{field: tuple(items)})


def with_spec(index=0, **changes):
    data = s("betalningsforelaggande")
    specs = list(data.interest)
    specs[index] = replace(specs[index], **changes)
    return replace(data, interest=tuple(specs))


def with_period(spec_index=0, period_index=0, **changes):
    data = s("betalningsforelaggande")
    spec = data.interest[spec_index]
    periods = list(spec.periods)
    periods[period_index] = replace(periods[period_index], **changes)
    specs = list(data.interest)
    specs[spec_index] = replace(spec, periods=tuple(periods))
    return replace(data, interest=tuple(specs))


def with_title(**changes):
    data = s("verkstallighet")
    return replace(data, title=replace(data.title, **changes))


STM, BFL, OVL, VST, KST, FRL = KINDS
CASES = [
    # --- common ---------------------------------------------------------------
    ("case ref", STM, lambda: replace(s(STM), case_reference=" "), "Ärendereferens saknas."),
    ("place", BFL, lambda: replace(s(BFL), place=""), "Ort för undertecknandet saknas."),
    # --- parties (RB 33:1) --------------------------------------------------------
    ("party name", STM, lambda: with_party(STM, "defendant", name=""), "Svarandens namn saknas."),
    ("party id", STM, lambda: with_party(STM, "defendant", identity_number=""), "Svarandens personnummer/organisationsnummer saknas."),
    ("party id luhn", STM, lambda: with_party(STM, "defendant", identity_number="559123-4562"), "Svarandens personnummer/organisationsnummer (559123-4562) har fel kontrollsiffra."),
    ("party id format", BFL, lambda: with_party(BFL, "debtor", identity_number="12345"), "Svarandens personnummer/organisationsnummer (12345) har fel format"),
    ("party id century", BFL, lambda: with_party(BFL, "debtor", identity_number="217605121214"), "har fel sekelsiffror"),
    ("party street", STM, lambda: with_party(STM, "plaintiff", street=""), "Kärandens utdelningsadress saknas."),
    ("party postal", STM, lambda: with_party(STM, "defendant", postal_code=""), "Svarandens postnummer saknas."),
    ("party postal format", STM, lambda: with_party(STM, "defendant", postal_code="7522"), "Svarandens postnummer (7522) ska bestå av fem siffror."),
    ("party city", STM, lambda: with_party(STM, "defendant", city=""), "Svarandens postort saknas."),
    ("applicant", BFL, lambda: with_party(BFL, "applicant", name=""), "Sökandens namn saknas."),
    # --- counsel ------------------------------------------------------------------
    ("counsel missing", STM, lambda: replace(s(STM), plaintiff_counsel=None), "Kärandens ombud saknas (ombudet undertecknar handlingen)."),
    ("counsel name", STM, lambda: with_party(STM, "plaintiff_counsel", name=""), "Kärandens ombud: namn saknas."),
    ("counsel firm", STM, lambda: with_party(STM, "plaintiff_counsel", firm=""), "Kärandens ombud: byrå/företag saknas."),
    ("counsel address", STM, lambda: with_party(STM, "plaintiff_counsel", city=""), "Kärandens ombud: postadress saknas"),
    ("counsel postal", BFL, lambda: with_party(BFL, "applicant_counsel", postal_code="1"), "Sökandens ombud: postnummer (1) ska bestå av fem siffror."),
    ("counsel phone", STM, lambda: with_party(STM, "plaintiff_counsel", phone=""), "Kärandens ombud: telefonnummer saknas."),
    ("defendant counsel checked", STM, lambda: replace(s(STM), defendant_counsel=replace(s(STM).plaintiff_counsel, phone="")), "Svarandens ombud: telefonnummer saknas."),
    # --- claim lines ----------------------------------------------------------------
    ("no claims", STM, lambda: replace(s(STM), claim_lines=()), "Fordringsrader saknas: minst en faktura måste anges."),
    ("invoice number", STM, lambda: with_line(STM, invoice_number=""), "Fakturanummer saknas på fordringsrad 1."),
    ("invoice duplicate", STM, lambda: with_line(STM, 1, invoice_number="1041"), "Faktura 1041 förekommer mer än en gång."),
    ("capital zero", STM, lambda: with_line(STM, capital=D("0.00")), "Kapitalbeloppet för faktura 1041 måste vara större än noll"),
    ("capital negative", BFL, lambda: with_line(BFL, capital=D("-5.00")), "Kapitalbeloppet för faktura 88412307 måste vara större än noll"),
    ("description", STM, lambda: with_line(STM, description=""), "Beskrivning saknas för faktura 1041."),
    ("invoice date", STM, lambda: with_line(STM, invoice_date=None), "Fakturadatum saknas för faktura 1041."),
    ("invoice date future", STM, lambda: with_line(STM, invoice_date=date(2026, 11, 24), due_date=date(2026, 12, 24)), "Fakturadatum för faktura 1041 (2026-11-24) ligger efter ansökningsdagen (2026-11-23)."),
    ("due date", STM, lambda: with_line(STM, due_date=None), "Förfallodag saknas för faktura 1041."),
    ("due before invoice", STM, lambda: with_line(STM, due_date=date(2026, 1, 10)), "Förfallodagen för faktura 1041 (2026-01-10) ligger före fakturadatum (2026-01-15)."),
    ("not due", STM, lambda: with_line(STM, due_date=date(2026, 12, 1)), "Fordran på faktura 1041 är inte förfallen (förfallodag 2026-12-01, ansökningsdag 2026-11-23)."),
    ("due on filing day", BFL, lambda: with_line(BFL, 1, due_date=date(2026, 11, 23)), "Fordran på faktura 88419954 är inte förfallen (förfallodag 2026-11-23, ansökningsdag 2026-11-23)."),
    ("interest basis", STM, lambda: with_line(STM, interest_basis=""), "Räntegrund saknas för faktura 1041"),
    ("interest before due", STM, lambda: with_line(STM, interest_from=date(2026, 2, 1)), "Faktura 1041: ränta kan inte yrkas från 2026-02-01, före förfallodagen 2026-02-14."),
    # --- fee lines ------------------------------------------------------------------
    ("fee label", BFL, lambda: with_line(BFL, 0, "fee_lines", label=""), "Kostnadsrad 1: benämning saknas."),
    ("fee amount", STM, lambda: with_line(STM, 0, "fee_lines", amount=D("0")), "Kostnadsrad 1 (Förseningsersättning, faktura 1041, 1057 och 1063): beloppet måste vara större än noll."),
    # --- evidence (RB 42:2) ----------------------------------------------------------
    ("no evidence", STM, lambda: replace(s(STM), evidence=()), "Bevisuppgift saknas: minst ett bevis måste anges (RB 42 kap. 2 §)."),
    ("evidence dup", STM, lambda: with_line(STM, 1, "evidence", number=1), "Bevisnummer 1 förekommer mer än en gång."),
    ("evidence number", STM, lambda: with_line(STM, 0, "evidence", number=0), "Bevis 1: bevisnumret måste vara ett positivt heltal."),
    ("evidence title", STM, lambda: with_line(STM, 0, "evidence", title=""), "Bevis 1: benämning saknas."),
    ("evidence theme", STM, lambda: with_line(STM, 1, "evidence", proves=" "), "Bevistema saknas för bevis 2 (Fakturorna 1041, 1057 och 1063) (RB 42 kap. 2 §)."),
    ("evidence date", STM, lambda: with_line(STM, 0, "evidence", dated=date(2027, 1, 1)), "Bevis 1 (Ramavtal om elinstallationer, kv. Kvarnen 3) är daterat efter ansökningsdagen."),
    ("overlamnande evidence", OVL, lambda: with_line(OVL, 0, "evidence", proves=""), "Bevistema saknas för bevis 1"),
    # --- stämningsansökan -------------------------------------------------------------
    ("court", STM, lambda: replace(s(STM), court=""), "Tingsrätt saknas (till vilken domstol ansökan ges in)."),
    ("subject", STM, lambda: replace(s(STM), subject=""), "Saken saknas (t.ex. Fordran)."),
    ("grounds", STM, lambda: replace(s(STM), grounds=()), "Grunder saknas (RB 42 kap. 2 §)."),
    ("grounds blank", STM, lambda: replace(s(STM), grounds=("Text.", "  ")), "Grunder: stycke 2 är tomt."),
    ("facts blank", STM, lambda: replace(s(STM), statement_of_facts=("",)), "Utveckling av talan: stycke 1 är tomt."),
    ("jurisdiction", STM, lambda: replace(s(STM), jurisdiction=""), "Uppgift om domstolens behörighet (forum) saknas (RB 42 kap. 2 §)."),
    ("track label", STM, lambda: replace(s(STM), track_label=""), "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas."),
    ("track reason", STM, lambda: replace(s(STM), track_reason=""), "Skälet för handläggningsformen (FT-mål eller ordinärt) saknas."),
    ("court fee", STM, lambda: replace(s(STM), court_fee=None), "Ansökningsavgift saknas."),
    ("court fee negative", STM, lambda: replace(s(STM), court_fee=D("-1.00")), "Ansökningsavgiften kan inte vara negativ"),
    # --- betalningsföreläggande: interest at filing as an amount --------------------------
    ("spec dup", BFL, lambda: replace(s(BFL), interest=(s(BFL).interest[0],) * 2), "Det finns mer än en ränteberäkning för faktura 88412307."),
    ("spec unknown invoice", BFL, lambda: with_spec(invoice_number="999"), "Ränteberäkning 1 avser faktura 999, som inte finns bland fordringsraderna."),
    ("spec without interest", BFL, lambda: replace(with_spec(), claim_lines=(replace(s(BFL).claim_lines[0], interest_from=None),) + s(BFL).claim_lines[1:]), "Ränteberäkning finns för faktura 88412307, men ingen ränta yrkas på den fordringsraden"),
    ("spec convention", BFL, lambda: with_spec(convention=""), "Beräkningsgrund saknas i ränteberäkningen för faktura 88412307"),
    ("spec principal", BFL, lambda: with_spec(principal=D("0")), "Kapitalbeloppet i ränteberäkningen för faktura 88412307 måste vara större än noll."),
    ("spec no periods", BFL, lambda: with_spec(periods=(), total=D("0.00")), "Ränteberäkningen för faktura 88412307 saknar perioder."),
    ("period empty", BFL, lambda: with_period(end=date(2025, 3, 1)), "Ränteperiod 1 för faktura 88412307 slutar inte efter att den börjar (2025-03-01)."),
    ("period days", BFL, lambda: with_period(days=999), "Ränteperiod 1 för faktura 88412307: antal dagar (999) stämmer inte med perioden 2025-03-01–2025-06-30 (122 dagar)."),
    ("period gap", BFL, lambda: with_period(period_index=1, start=date(2025, 7, 2), days=183), "Ränteperioderna för faktura 88412307 är inte sammanhängande (period 2 börjar 2025-07-02, föregående period slutar 2025-06-30)."),
    ("period rate", BFL, lambda: with_period(rate=D("-1.00")), "Ränteperiod 1 för faktura 88412307 har negativ räntesats."),
    ("period amount", BFL, lambda: with_period(amount=D("-1.00")), "Ränteperiod 1 för faktura 88412307 har negativt räntebelopp."),
    ("spec sum", BFL, lambda: with_spec(total=D("856.00")), "Summan av ränteperioderna för faktura 88412307 (855,99\u00a0kr) stämmer inte med angiven upplupen ränta (856,00\u00a0kr)."),
    ("spec start", BFL, lambda: with_line(BFL, interest_from=date(2025, 3, 2)), "Ränteberäkningen för faktura 88412307 börjar 2025-03-01, men räntan yrkas från 2025-03-02."),
    ("spec past filing", BFL, lambda: with_period(period_index=3, end=date(2026, 11, 25), days=147), "Ränteberäkningen för faktura 88412307 går längre än till ansökningsdagen"),
    ("spec missing", BFL, lambda: replace(s(BFL), interest=s(BFL).interest[1:]), "Upplupen ränta för faktura 88412307 saknas: räntan fram till ansökan ska anges som belopp (ränteberäkning)."),
    ("bfl grounds", BFL, lambda: replace(s(BFL), grounds=()), "Grund för fordran saknas."),
    ("bfl grounds blank", BFL, lambda: replace(s(BFL), grounds=("Text.", "")), "Grund: stycke 2 är tomt."),
    ("payment instructions", BFL, lambda: replace(s(BFL), grounds=("Betala till bankgiro 123-4567.",)), "Grunden får inte innehålla betalningsanvisningar (”bankgiro”)."),
    ("payment instructions ocr", BFL, lambda: replace(s(BFL), grounds=("Ange OCR 12345.",)), "Grunden får inte innehålla betalningsanvisningar (”OCR”)."),
    ("original creditor name", BFL, lambda: with_party(BFL, "original_creditor", name=""), "Den ursprungliga borgenärens namn saknas."),
    ("original creditor id", BFL, lambda: with_party(BFL, "original_creditor", identity_number=""), "Den ursprungliga borgenärens personnummer/organisationsnummer saknas."),
    ("original creditor id bad", BFL, lambda: with_party(BFL, "original_creditor", identity_number="556801-2348"), "Den ursprungliga borgenärens personnummer/organisationsnummer (556801-2348) har fel kontrollsiffra."),
    ("assigned on", BFL, lambda: replace(s(BFL), assigned_on=None), "Datum för överlåtelsen av fordran saknas."),
    ("assigned future", BFL, lambda: replace(s(BFL), assigned_on=date(2026, 12, 1)), "Datum för överlåtelsen av fordran ligger efter ansökningsdagen."),
    ("assigned without creditor", BFL, lambda: replace(s(BFL), original_creditor=None), "Ursprunglig borgenär saknas trots att ett överlåtelsedatum har angetts."),
    # --- överlämnande --------------------------------------------------------------------
    ("kfm number", OVL, lambda: replace(s(OVL), kfm_case_number=""), "Kronofogdens målnummer saknas."),
    ("ovl counsel", OVL, lambda: replace(s(OVL), applicant_counsel=None), "Sökandens ombud saknas"),
    ("objection date", OVL, lambda: replace(s(OVL), objection_received_on=None), "Datum då sökanden underrättades om bestridandet saknas."),
    ("objection future", OVL, lambda: replace(s(OVL), objection_received_on=date(2026, 11, 30)), "Datum för underrättelsen om bestridandet ligger efter ansökningsdagen."),
    ("deadline", OVL, lambda: replace(s(OVL), deadline=None), "Sista dag för begäran om överlämnande saknas."),
    ("deadline passed", OVL, lambda: replace(s(OVL), deadline=date(2026, 11, 20)), "Begäran om överlämnande är för sen (sista dag 2026-11-20, ansökningsdag 2026-11-23)."),
    ("ovl track", OVL, lambda: replace(s(OVL), track_label=""), "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas."),
    ("ovl track reason", OVL, lambda: replace(s(OVL), track_reason=""), "Skälet för handläggningsformen (FT-mål eller ordinärt) saknas."),
    ("ovl fee", OVL, lambda: replace(s(OVL), additional_fee=None), "Tilläggsavgift saknas."),
    ("ovl claim lines", OVL, lambda: with_line(OVL, capital=D("0")), "Kapitalbeloppet för faktura 88412307 måste vara större än noll"),
    # --- verkställighet -------------------------------------------------------------------
    ("title kind", VST, lambda: with_title(kind=""), "Exekutionstitel: typ saknas (dom eller utslag)."),
    ("title authority", VST, lambda: with_title(authority=""), "Exekutionstitel: domstol eller myndighet saknas."),
    ("title number", VST, lambda: with_title(case_number=""), "Exekutionstitel: målnummer saknas."),
    ("title date", VST, lambda: with_title(decided_on=None), "Exekutionstitel: datum för dom/utslag saknas."),
    ("title date future", VST, lambda: with_title(decided_on=date(2026, 12, 1), final_on=None), "Exekutionstitel: datum för dom/utslag ligger efter ansökningsdagen."),
    ("title final", VST, lambda: with_title(final_on=date(2026, 9, 1)), "Exekutionstitel: laga kraft-datum ligger före datum för dom/utslag."),
    ("awarded none", VST, lambda: replace(s(VST), awarded=(), deductions=()), "Tillerkända belopp saknas: minst ett belopp enligt exekutionstiteln måste anges."),
    ("awarded label", VST, lambda: with_line(VST, 3, "awarded", label=""), "Tillerkänt belopp 4: benämning saknas."),
    ("awarded amount", VST, lambda: with_line(VST, 3, "awarded", amount=D("0")), "Tillerkänt belopp 4 (Förseningsersättning): beloppet måste vara större än noll."),
    ("awarded basis", VST, lambda: with_line(VST, 4, "awarded", interest_basis=""), "Tillerkänt belopp 5 (Rättegångskostnader): räntegrund saknas."),
    ("deduction label", VST, lambda: with_line(VST, 0, "deductions", label=""), "Avräkning 1: benämning saknas."),
    ("deduction too big", VST, lambda: with_line(VST, 0, "deductions", amount=D("99999.00")), "Avräknade belopp överstiger de tillerkända beloppen."),
    ("enforcement fee", VST, lambda: replace(s(VST), enforcement_fee=None), "Grundavgift saknas."),
    ("debtor vst", VST, lambda: with_party(VST, "debtor", city=""), "Gäldenärens postort saknas."),
    # --- kostnadsräkning --------------------------------------------------------------------
    ("kst court", KST, lambda: replace(s(KST), court=""), "Domstol saknas."),
    ("kst number", KST, lambda: replace(s(KST), court_case_number=""), "Domstolens målnummer saknas."),
    ("kst counsel", KST, lambda: replace(s(KST), counsel=None), "Ombudet saknas (ombudet undertecknar handlingen)."),
    ("kst track", KST, lambda: replace(s(KST), track_label=""), "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas."),
    ("kst cap note", KST, lambda: replace(s(KST), cap_note=""), "Förklaring till begränsningen av ersättningen (RB 18 kap. 8 a §) saknas."),
    ("kst no lines", KST, lambda: replace(s(KST), lines=()), "Kostnadsposter saknas: minst en kostnad måste anges."),
    ("kst label", KST, lambda: with_line(KST, 0, "lines", label=""), "Kostnadspost 1: benämning saknas."),
    ("kst claimed", KST, lambda: with_line(KST, 0, "lines", claimed=D("0"), recoverable=D("0")), "yrkat belopp måste vara större än noll."),
    ("kst recoverable negative", KST, lambda: with_line(KST, 0, "lines", recoverable=D("-1.00")), "ersättningsgillt belopp kan inte vara negativt."),
    ("kst recoverable too big", KST, lambda: with_line(KST, 0, "lines", recoverable=D("601.00")), "Kostnadspost ”Ansökningsavgift (tilläggsavgift vid överlämnande)”: ersättningsgillt belopp överstiger yrkat belopp."),
    ("kst rule", KST, lambda: with_line(KST, 0, "lines", rule=""), "regel för ersättningen saknas."),
    ("kst party", KST, lambda: with_party(KST, "party", name=""), "Partens namn saknas."),
    ("kst opponent", KST, lambda: with_party(KST, "opponent", street=""), "Motpartens utdelningsadress saknas."),
    # --- förlikning ------------------------------------------------------------------------
    ("frl debt", FRL, lambda: replace(s(FRL), debt_lines=()), "Skuldposter saknas: den erkända skulden måste anges."),
    ("frl debt label", FRL, lambda: with_line(FRL, 0, "debt_lines", label=""), "Skuldpost 1: benämning saknas."),
    ("frl plan", FRL, lambda: replace(s(FRL), instalments=()), "Avbetalningsplan saknas: minst en delbetalning måste anges."),
    ("frl instalment amount", FRL, lambda: with_line(FRL, 0, "instalments", amount=D("0")), "Delbetalning 1: beloppet måste vara större än noll."),
    ("frl instalment early", FRL, lambda: with_line(FRL, 0, "instalments", due_date=date(2026, 11, 1)), "Delbetalning 1 förfaller (2026-11-01) före avtalsdagen (2026-11-23)."),
    ("frl order", FRL, lambda: with_line(FRL, 2, "instalments", due_date=date(2026, 12, 28)), "Delbetalning 3: förfallodagarna måste komma i tidsordning (2026-12-28)."),
    ("frl sum", FRL, lambda: with_line(FRL, 0, "instalments", amount=D("1.00")), "Summan av delbetalningarna"),
    ("frl payment", FRL, lambda: replace(s(FRL), payment_details=""), "Betalningsuppgifter saknas (hur gäldenären ska betala)."),
    ("frl default terms", FRL, lambda: replace(s(FRL), default_terms=()), "Villkor vid utebliven betalning saknas."),
    ("frl court", FRL, lambda: replace(s(FRL), court_case_number="T 1-26"), "Domstol saknas trots att ett målnummer har angetts."),
    ("frl debtor", FRL, lambda: with_party(FRL, "debtor", name=""), "Gäldenärens namn saknas."),
    ("frl creditor", FRL, lambda: with_party(FRL, "creditor", identity_number=""), "Borgenärens personnummer/organisationsnummer saknas."),
    # --- characters XML cannot hold, types, decimals ------------------------------------------
    ("control char", STM, lambda: with_party(STM, "defendant", name="Bygg\x01 AB"), "Otillåtet tecken (kontrolltecken U+0001) i fältet Svarande namn."),
    ("control char nested", STM, lambda: with_line(STM, 1, "evidence", proves="a\x0cb"), "Otillåtet tecken (kontrolltecken U+000C) i fältet Bevis 2 bevistema."),
    ("control char debtor frl", FRL, lambda: with_party(FRL, "debtor", city="\x00"), "Otillåtet tecken (kontrolltecken U+0000) i fältet Gäldenär postort."),
    ("control char top", BFL, lambda: replace(s(BFL), grounds=("ok", "x\x1fy")), "Otillåtet tecken (kontrolltecken U+001F) i fältet Grunder stycke 2."),
    ("non-character", KST, lambda: replace(s(KST), vat_note="\uffff"), "Otillåtet tecken (icke-tecken U+FFFF) i fältet Mervärdesskatt."),
    ("surrogate", VST, lambda: with_title(case_number="T\ud800"), "Otillåtet tecken (ensamt surrogattecken U+D800) i fältet Exekutionstitel målnummer."),
    ("docxtpl escape", STM, lambda: replace(s(STM), subject="Fordran %_} x"), "Teckenföljden ”%_}” kan inte återges i dokumentet (fältet Saken)."),
    ("decimals", STM, lambda: with_line(STM, capital=D("100.005")), "Beloppet i fältet Fordringsrad 1 kapitalbelopp har fler än två decimaler (100.005)."),
    ("not a number", STM, lambda: replace(s(STM), court_fee=D("NaN")), "Fältet Ansökningsavgift är inte ett tal (NaN)."),
    ("float amount", STM, lambda: with_line(STM, capital=100.0), "Fältet Fordringsrad 1 kapitalbelopp ska vara ett belopp av typen Decimal (fick float)."),
    ("datetime", STM, lambda: replace(s(STM), filing_date=datetime(2026, 11, 23, 12)), "Fältet Ansökningsdag ska vara ett datum (fick datetime)."),
    ("missing text", STM, lambda: replace(s(STM), court=None), "Fältet Tingsrätt saknas."),
    ("text type", STM, lambda: replace(s(STM), court=5), "Fältet Tingsrätt ska vara text (fick int)."),
    ("bool type", BFL, lambda: replace(s(BFL), enforce_immediately="ja"), "Fältet Verkställighet direkt ska vara ja/nej (fick str)."),
    ("int type", STM, lambda: with_line(STM, 0, "evidence", number="1"), "Fältet Bevis 1 nummer ska vara heltal (fick str)."),
    ("list not tuple", STM, lambda: replace(s(STM), claim_lines=list(s(STM).claim_lines)), "Fältet Fordringsrader ska vara en tuple (fick list)."),
    ("wrong dataclass", STM, lambda: replace(s(STM), plaintiff_counsel=s(STM).plaintiff), "Fältet Kärandens ombud har fel typ (Party, ska vara Counsel)."),
]


def test_samples_are_valid():
    for kind in KINDS:
        assert validate(kind, sample_input(kind)) == [], kind


@pytest.mark.parametrize(("name", "kind", "make", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(name, kind, make, expected):
    problems = validate(kind, make())
    assert any(expected in p for p in problems), problems


def test_messages_name_exactly_what_is_wrong():
    problems = validate(STM, with_party(STM, "defendant", name="Bygg\x01 AB", identity_number=""))
    assert problems == [
        "Otillåtet tecken (kontrolltecken U+0001) i fältet Svarande namn.",
        "Svarandens personnummer/organisationsnummer saknas.",
    ]


def test_type_problems_stop_the_rules_from_running():
    problems = validate(STM, with_line(STM, capital=None))
    assert problems == ["Fältet Fordringsrad 1 kapitalbelopp saknas."]


def test_wrong_input_type_for_kind():
    assert validate(STM, s(BFL)) == [
        "Fel sorts indata för stamningsansokan: BetalningsforelaggandeInput (ska vara StamningsansokanInput)."
    ]
    with pytest.raises(KeyError):
        validate("kallelse", s(STM))


def test_every_problem_is_reported_at_once():
    data = replace(s(STM), evidence=(), grounds=(), court="", jurisdiction="")
    assert len(validate(STM, data)) == 4


def test_render_with_problems_raises_and_writes_nothing(tmp_path):
    data = replace(s(STM), evidence=())
    with pytest.raises(FilingIncomplete) as info:
        filings.render(STM, data)
    assert info.value.problems == ["Bevisuppgift saknas: minst ett bevis måste anges (RB 42 kap. 2 §)."]
    target = tmp_path / "out.docx"
    with pytest.raises(FilingIncomplete):
        filings.render_to_path(STM, data, target)
    assert list(tmp_path.iterdir()) == []


def test_control_characters_are_refused_not_dropped(tmp_path):
    data = with_party(STM, "defendant", name="Bygg\x07Söner")
    with pytest.raises(FilingIncomplete) as info:
        filings.render(STM, data)
    assert "Otillåtet tecken (kontrolltecken U+0007) i fältet Svarande namn." in info.value.problems


def test_find_forbidden_characters():
    assert find_forbidden_characters("Åsa Öberg\tvägen\r\n12") == []
    assert find_forbidden_characters("a\x01b\x01c\x1b") == ["kontrolltecken U+0001", "kontrolltecken U+001B"]
    assert find_forbidden_characters("\ufffe") == ["icke-tecken U+FFFE"]
    assert find_forbidden_characters("\x7f\x85") == []  # allowed by XML 1.0


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("556677-8899", True),
        ("5566778899", True),
        ("760512-1214", True),
        ("19760512-1214", True),
        ("197605121214", True),
        ("760512+1214", True),
        ("16556677-8899", True),
        ("760512-1215", False),
        ("7605121", False),
        ("abc", False),
    ],
)
def test_identity_numbers(number, ok):
    assert (identity_number_problem(number) is None) is ok


def test_filing_date_boundaries_for_due_claims():
    data = s(STM)
    due = data.claim_lines[0].due_date
    data = replace(data, claim_lines=data.claim_lines[:1], evidence=data.evidence[:1])
    assert validate(STM, replace(data, filing_date=due + timedelta(days=1))) == []
    assert validate(STM, replace(data, filing_date=due)) == [
        f"Fordran på faktura 1041 är inte förfallen (förfallodag {due.isoformat()}, ansökningsdag {due.isoformat()})."
    ]
