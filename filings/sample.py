"""Realistic sample inputs for every document kind (tests, benchmark, demos).

The people, companies and numbers are invented.  The identity numbers pass
the Luhn check but belong to nobody we know of.  The amounts (interest,
fees, the track reason) are *sample data*: in the application they are
computed by ``app.law`` and passed in; nothing here is used by the engine.

One party is deliberately named ``Bygg & Söner <AB> "Nord"`` to exercise
escaping, and the data is full of å ä ö é.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .model import (
    AwardLine,
    BetalningsforelaggandeInput,
    ClaimLine,
    CostClaimLine,
    CostLine,
    Counsel,
    EnforceableTitle,
    EvidenceItem,
    FilingInput,
    ForlikningInput,
    Instalment,
    InterestPeriod,
    InterestSpec,
    KostnadsrakningInput,
    OverlamnandeInput,
    Party,
    StamningsansokanInput,
    VerkstallighetInput,
)

__all__ = ["TRICKY_NAME", "FILING_DATE", "sample_input", "sample_inputs", "sample_interest_spec"]

TRICKY_NAME = 'Bygg & Söner <AB> "Nord"'
FILING_DATE = date(2026, 11, 23)
D = Decimal

# Sample rates only (referensränta + 8 points per half-year, as app.law would give them).
_SAMPLE_RATES = [
    (date(2025, 1, 1), D("11.00")),
    (date(2025, 7, 1), D("10.00")),
    (date(2026, 1, 1), D("10.00")),
    (date(2026, 7, 1), D("10.00")),
]

CONVENTION = "Enkel ränta per dag, faktiskt antal dagar/365; perioden till och med dagen före ansökan."


def sample_interest_spec(invoice_number: str, principal: Decimal, start: date, end: date) -> InterestSpec:
    """An interest specification the way ``app.law`` would produce it (sample rates)."""
    bounds = [b for b, _ in _SAMPLE_RATES]
    periods = []
    cur = start
    while cur < end:
        rate = [r for b, r in _SAMPLE_RATES if b <= cur][-1]
        nxt = min([b for b in bounds if b > cur] + [end])
        days = (nxt - cur).days
        amount = (principal * rate / 100 * days / 365).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        periods.append(InterestPeriod(start=cur, end=nxt, rate=rate, days=days, amount=amount))
        cur = nxt
    total = sum((p.amount for p in periods), D("0.00"))
    return InterestSpec(
        invoice_number=invoice_number, principal=principal, periods=tuple(periods), total=total, convention=CONVENTION
    )


AGENCY_COUNSEL = Counsel(
    name="Émilie Bergström",
    firm="Tvist Inkasso AB, juridiska avdelningen",
    street="Sveavägen 44, 4 tr",
    postal_code="111 34",
    city="Stockholm",
    phone="08-123 456 70",
    email="emilie.bergstrom@tvistinkasso.se",
    reference="EB/2026-0412",
)

ELFIRMAN = Party(
    name="Åkesson & Öberg Elinstallationer AB",
    identity_number="556677-8899",
    is_company=True,
    street="Verkstadsgatan 12",
    postal_code="753 23",
    city="Uppsala",
    phone="018-55 44 33",
    email="ekonomi@akesson-oberg.se",
)

BYGG = Party(
    name=TRICKY_NAME,
    identity_number="559123-4561",
    is_company=True,
    street="Industrivägen 7 B",
    postal_code="752 28",
    city="Uppsala",
    phone="018-12 34 56",
    email="info@byggsoner-nord.se",
)

KREDIT = Party(
    name="Kredithanteraren i Sverige AB",
    identity_number="556012-3456",
    is_company=True,
    street="Box 1234",
    postal_code="111 82",
    city="Stockholm",
    phone="08-700 12 00",
    email="kundservice@kredithanteraren.se",
)

TELEKOM = Party(
    name="Nordström Telekom AB",
    identity_number="556801-2347",
    is_company=True,
    street="Telegatan 3",
    postal_code="169 79",
    city="Solna",
)

ASA = Party(
    name="Åsa Öhman-Éricsson",
    identity_number="760512-1214",
    is_company=False,
    street="Ängsvägen 4 lgh 1102",
    postal_code="831 40",
    city="Östersund",
    phone="070-123 45 67",
)

JORGEN = Party(
    name="Jörgen Ågren",
    identity_number="880228-2825",
    is_company=False,
    street="Fältgatan 19",
    postal_code="582 22",
    city="Linköping",
    phone="073-987 65 43",
    email="jorgen.agren@example.se",
)


def _stamningsansokan() -> StamningsansokanInput:
    lines = (
        ClaimLine(
            invoice_number="1041",
            invoice_date=date(2026, 1, 15),
            due_date=date(2026, 2, 14),
            capital=D("18750.00"),
            description="Elinstallation, etapp 1, kv. Kvarnen 3 (Gränby), enligt ramavtal",
            interest_from=date(2026, 2, 15),
            interest_basis="6 § räntelagen (1975:635)",
        ),
        ClaimLine(
            invoice_number="1057",
            invoice_date=date(2026, 2, 27),
            due_date=date(2026, 3, 29),
            capital=D("12400.00"),
            description="Elinstallation, etapp 2, inklusive material (kabel, centraler)",
            interest_from=date(2026, 3, 30),
            interest_basis="6 § räntelagen (1975:635)",
        ),
        ClaimLine(
            invoice_number="1063",
            invoice_date=date(2026, 3, 20),
            due_date=date(2026, 4, 19),
            capital=D("9980.50"),
            description="Tilläggsarbeten: belysning i trapphus och garage enligt ÄTA-lista nr 4",
            interest_from=date(2026, 4, 20),
            interest_basis="6 § räntelagen (1975:635)",
        ),
    )
    return StamningsansokanInput(
        case_reference="TV-2026-0412",
        filing_date=FILING_DATE,
        place="Stockholm",
        court="Uppsala tingsrätt",
        plaintiff=ELFIRMAN,
        plaintiff_counsel=AGENCY_COUNSEL,
        defendant=BYGG,
        defendant_counsel=None,
        subject="Fordran (entreprenad, elinstallationer)",
        claim_lines=lines,
        fee_lines=(
            CostLine(
                label="Förseningsersättning, faktura 1041, 1057 och 1063",
                amount=D("1350.00"),
                note="3 × 450 kr enligt 4 a § lagen (1981:739) om ersättning för inkassokostnader m.m.",
            ),
        ),
        claims_litigation_costs=True,
        grounds=(
            f"Parterna har den 10 december 2025 ingått ett ramavtal enligt vilket {ELFIRMAN.name} "
            f"(”Elfirman”) åtagit sig att utföra elinstallationer åt {TRICKY_NAME} (”Bolaget”) "
            "i bostadsprojektet kv. Kvarnen 3 i Uppsala mot ersättning enligt avtalade à-priser.",
            "Elfirman har utfört arbetena fackmässigt och i avtalad tid. Arbetena har godkänts vid "
            "slutbesiktning den 2 april 2026. Bolaget har inte betalat fakturorna 1041, 1057 och 1063, "
            "trots att de har förfallit till betalning.",
            "Betalningstiden var bestämd i förväg. Bolaget ska därför betala dröjsmålsränta från "
            "dagen efter respektive förfallodag till dess betalning sker. Elfirman har vidare rätt till "
            "förseningsersättning för varje faktura eftersom Bolaget är näringsidkare.",
        ),
        statement_of_facts=(
            "Elfirman är ett elinstallationsföretag i Uppsala med ett tjugotal anställda. Bolaget är "
            "generalentreprenör för uppförandet av 42 bostadsrättslägenheter i kv. Kvarnen 3 i Gränby.",
            "Enligt ramavtalet (bevis 1) skulle Elfirman fakturera löpande efter varje etapp med "
            "30 dagars betalningstid. Etapp 1 avslutades i januari 2026 och fakturerades den "
            "15 januari 2026 (faktura 1041). Etapp 2 avslutades i februari 2026 och fakturerades "
            "den 27 februari 2026 (faktura 1057).",
            "Under våren 2026 beställde Bolagets platschef Jörgen Ågren tilläggsarbeten avseende "
            "belysning i trapphus och garage. Beställningen framgår av ÄTA-lista nr 4, som har "
            "undertecknats av båda parter (bevis 3). Tilläggsarbetena fakturerades den 20 mars 2026 "
            "(faktura 1063).",
            "Slutbesiktning av elinstallationerna skedde den 2 april 2026. Besiktningsmannen "
            "noterade inga fel som Elfirman ansvarar för (bevis 4).",
            "Bolaget har inte invänt mot fakturorna inom betalningstiden. Betalningspåminnelser "
            "skickades den 5 maj 2026 och inkassokrav den 2 juni 2026 (bevis 5). Bolaget har därefter "
            "per e-post den 15 juni 2026 uppgett att betalning dröjer på grund av likviditetsproblem, "
            "men har inte gjort några invändningar mot fordringarna.",
            "Eftersom Bolaget inte har betalat ser sig Elfirman nödsakad att väcka talan.",
        ),
        evidence=(
            EvidenceItem(
                number=1,
                title="Ramavtal om elinstallationer, kv. Kvarnen 3",
                kind="Skriftlig bevisning",
                dated=date(2025, 12, 10),
                proves="att parterna har avtalat om elinstallationer mot ersättning enligt à-prislista "
                "och om 30 dagars betalningstid.",
            ),
            EvidenceItem(
                number=2,
                title="Fakturorna 1041, 1057 och 1063",
                kind="Skriftlig bevisning",
                dated=date(2026, 3, 20),
                proves="fordringarnas storlek och förfallodagar.",
            ),
            EvidenceItem(
                number=3,
                title="ÄTA-lista nr 4, undertecknad av båda parter",
                kind="Skriftlig bevisning",
                dated=date(2026, 3, 2),
                proves="att Bolaget har beställt de tilläggsarbeten som faktureras i faktura 1063.",
            ),
            EvidenceItem(
                number=4,
                title="Protokoll från slutbesiktning",
                kind="Skriftlig bevisning",
                dated=date(2026, 4, 2),
                proves="att arbetena har utförts fackmässigt och godkänts.",
            ),
            EvidenceItem(
                number=5,
                title="Betalningspåminnelser, inkassokrav och e-post från Bolaget",
                kind="Skriftlig bevisning",
                dated=date(2026, 6, 15),
                proves="att Bolaget har krävts på betalning och inte har invänt mot fordringarna.",
            ),
            EvidenceItem(
                number=6,
                title="Vittnesförhör med projektledaren Lars Ödmark, Elfirman",
                kind="Muntlig bevisning",
                dated=None,
                attached=False,
                proves="att arbetena har utförts i den omfattning som har fakturerats och att "
                "tilläggsarbetena beställdes av Bolaget.",
            ),
        ),
        jurisdiction=(
            "Bolagets styrelse har sitt säte i Uppsala kommun. Uppsala tingsrätt är därför behörig "
            "enligt 10 kap. 1 § andra stycket rättegångsbalken."
        ),
        track_label="Ordinärt tvistemål",
        track_reason=(
            "Värdet av det som yrkas, 41 130,50 kr i kapital jämte förseningsersättning och upplupen "
            "ränta fram till ansökan, överstiger uppenbart hälften av prisbasbeloppet för 2026 "
            "(29 600 kr). Målet ska därför handläggas enligt reglerna för ordinära tvistemål "
            "(1 kap. 3 d § rättegångsbalken)."
        ),
        court_fee=D("2800.00"),
        request_default_judgment=True,
        other_notes=("Käranden är beredd att delta i muntlig förberedelse per telefon eller video.",),
    )


def _betalningsforelaggande() -> BetalningsforelaggandeInput:
    lines = (
        ClaimLine(
            invoice_number="88412307",
            invoice_date=date(2025, 1, 31),
            due_date=date(2025, 2, 28),
            capital=D("4850.00"),
            description="Mobilabonnemang och slutfaktura för bindningstid, abonnemang 070-123 45 67",
            interest_from=date(2025, 3, 1),
            interest_basis="6 § räntelagen (1975:635)",
        ),
        ClaimLine(
            invoice_number="88419954",
            invoice_date=date(2025, 3, 31),
            due_date=date(2025, 4, 30),
            capital=D("2375.00"),
            description="Avbetalning mobiltelefon, återstående belopp efter uppsägning",
            interest_from=date(2025, 5, 1),
            interest_basis="6 § räntelagen (1975:635)",
        ),
    )
    specs = tuple(
        sample_interest_spec(line.invoice_number, line.capital, line.interest_from, FILING_DATE) for line in lines
    )
    return BetalningsforelaggandeInput(
        case_reference="TV-2026-0977",
        filing_date=FILING_DATE,
        place="Stockholm",
        applicant=KREDIT,
        applicant_counsel=AGENCY_COUNSEL,
        debtor=ASA,
        claim_lines=lines,
        interest=specs,
        fee_lines=(
            CostLine(
                label="Ansökningsavgift",
                amount=D("300.00"),
                note="Förordningen (1992:1094) om avgifter vid Kronofogdemyndigheten",
            ),
            CostLine(label="Ersättning för upprättande av ansökan", amount=D("380.00")),
            CostLine(label="Påminnelseavgift", amount=D("60.00"), note="Avtalad när skulden uppkom"),
            CostLine(label="Inkassokostnad", amount=D("180.00")),
        ),
        grounds=(
            "Fordran avser obetalda fakturor enligt abonnemangsavtal om mobiltelefoni och "
            "avbetalningsavtal om en mobiltelefon, båda ingångna den 12 januari 2024 mellan "
            "svaranden och Nordström Telekom AB.",
            "Fordran har överlåtits till sökanden den 1 oktober 2025. Svaranden har underrättats om överlåtelsen.",
        ),
        promissory_note=False,
        original_creditor=TELEKOM,
        assigned_on=date(2025, 10, 1),
        transfer_to_court_if_contested=True,
        enforce_immediately=True,
    )


def _overlamnande() -> OverlamnandeInput:
    bfl = _betalningsforelaggande()
    return OverlamnandeInput(
        case_reference="TV-2026-0977",
        filing_date=FILING_DATE,
        place="Stockholm",
        kfm_case_number="12-483921-26",
        applicant=KREDIT,
        applicant_counsel=AGENCY_COUNSEL,
        debtor=ASA,
        objection_received_on=date(2026, 11, 10),
        deadline=date(2026, 12, 8),
        track_label="Förenklat tvistemål (FT-mål)",
        track_reason=(
            "Värdet av det som yrkas, 7 225,00 kr i kapital jämte upplupen ränta, uppgår uppenbart "
            "inte till hälften av prisbasbeloppet för 2026 (29 600 kr). Målet ska därför handläggas "
            "som förenklat tvistemål (1 kap. 3 d § rättegångsbalken)."
        ),
        additional_fee=D("600.00"),
        court="Östersunds tingsrätt",
        claim_lines=bfl.claim_lines,
        objection_summary=(
            "Svaranden har bestridit ansökan och anfört att abonnemanget sades upp i december 2024 "
            "och att telefonen har återlämnats."
        ),
        response=(
            "Sökanden vidhåller ansökan. Uppsägningen skedde först den 31 januari 2025, varför "
            "avgifterna under bindningstiden ska betalas enligt avtalet.",
            "Någon telefon har inte återlämnats till Nordström Telekom AB; återstående "
            "avbetalningar är därför förfallna.",
        ),
        evidence=(
            EvidenceItem(
                number=1,
                title="Abonnemangsavtal och avbetalningsavtal",
                kind="Skriftlig bevisning",
                dated=date(2024, 1, 12),
                proves="avtalsvillkoren, bindningstiden och avbetalningsplanen.",
            ),
            EvidenceItem(
                number=2,
                title="Bekräftelse av uppsägning",
                kind="Skriftlig bevisning",
                dated=date(2025, 1, 31),
                proves="att abonnemanget sades upp först den 31 januari 2025.",
            ),
        ),
    )


def _verkstallighet() -> VerkstallighetInput:
    return VerkstallighetInput(
        case_reference="TV-2026-0412",
        filing_date=FILING_DATE,
        place="Stockholm",
        applicant=ELFIRMAN,
        applicant_counsel=AGENCY_COUNSEL,
        debtor=BYGG,
        title=EnforceableTitle(
            kind="Dom",
            authority="Uppsala tingsrätt",
            case_number="T 4711-26",
            decided_on=date(2026, 9, 15),
            final_on=date(2026, 10, 7),
        ),
        awarded=(
            AwardLine(
                label="Kapitalbelopp, faktura 1041",
                amount=D("18750.00"),
                interest_from=date(2026, 2, 15),
                interest_basis="6 § räntelagen (1975:635)",
            ),
            AwardLine(
                label="Kapitalbelopp, faktura 1057",
                amount=D("12400.00"),
                interest_from=date(2026, 3, 30),
                interest_basis="6 § räntelagen (1975:635)",
            ),
            AwardLine(
                label="Kapitalbelopp, faktura 1063",
                amount=D("9980.50"),
                interest_from=date(2026, 4, 20),
                interest_basis="6 § räntelagen (1975:635)",
            ),
            AwardLine(label="Förseningsersättning", amount=D("1350.00")),
            AwardLine(
                label="Rättegångskostnader",
                amount=D("18450.00"),
                interest_from=date(2026, 9, 15),
                interest_basis="6 § räntelagen (1975:635)",
            ),
        ),
        deductions=(CostLine(label="Inbetalning från gäldenären", amount=D("5000.00"), note="Mottagen 2026-10-20"),),
        enforcement_fee=D("600.00"),
        notes=(
            "Sökanden begär i första hand löneutmätning eller utmätning av banktillgodohavanden.",
            "Gäldenären har enligt uppgift fordringar på beställare i pågående byggprojekt.",
        ),
    )


def _kostnadsrakning() -> KostnadsrakningInput:
    return KostnadsrakningInput(
        case_reference="TV-2026-0977",
        filing_date=FILING_DATE,
        place="Stockholm",
        court="Östersunds tingsrätt",
        court_case_number="FT 2231-26",
        party=KREDIT,
        opponent=ASA,
        counsel=AGENCY_COUNSEL,
        track_label="Förenklat tvistemål (FT-mål)",
        capped=True,
        cap_note=(
            "Målet är ett förenklat tvistemål. Ersättning för rättegångskostnader kan därför endast "
            "avse de kostnader som anges i 18 kap. 8 a § rättegångsbalken."
        ),
        lines=(
            CostClaimLine(
                label="Ansökningsavgift (tilläggsavgift vid överlämnande)",
                claimed=D("600.00"),
                recoverable=D("600.00"),
                rule="RB 18 kap. 8 a § första stycket 2",
            ),
            CostClaimLine(
                label="Kostnader i Kronofogdens mål (ansökningsavgift och ersättning för ansökan)",
                claimed=D("680.00"),
                recoverable=D("680.00"),
                rule="Ersätts enligt reglerna för det summariska målet",
            ),
            CostClaimLine(
                label="Rådgivning, 1 timme",
                claimed=D("1531.00"),
                recoverable=D("1531.00"),
                rule="RB 18 kap. 8 a § första stycket 1 (en timme per instans, timkostnadsnormen)",
            ),
            CostClaimLine(
                label="Ombudsarvode utöver rådgivning, 5,5 timmar",
                claimed=D("8420.50"),
                recoverable=D("0.00"),
                rule="Ersätts inte i FT-mål (RB 18 kap. 8 a §)",
                note="Yrkas för det fall målet inte är ett FT-mål",
            ),
            CostClaimLine(
                label="Resa till muntlig förberedelse, Stockholm–Östersund t.o.r.",
                claimed=D("1845.00"),
                recoverable=D("1845.00"),
                rule="RB 18 kap. 8 a § första stycket 3 (förordningen 1987:965)",
            ),
        ),
        vat_note="Beloppen anges utan mervärdesskatt eftersom sökanden är momsregistrerad.",
        interest_note="Sökanden yrkar ränta på ersättningen enligt 6 § räntelagen (1975:635) från dagen för tingsrättens dom.",
    )


def _forlikning() -> ForlikningInput:
    debt = (
        CostLine(label="Kapitalbelopp, fakturorna 88412307 och 88419954", amount=D("7225.00")),
        CostLine(label="Upplupen ränta till och med 2026-11-22", amount=D("1231.50")),
        CostLine(label="Påminnelseavgift", amount=D("60.00")),
        CostLine(label="Inkassokostnad", amount=D("180.00")),
        CostLine(label="Ansökningsavgift och ersättning för ansökan, Kronofogden", amount=D("680.00")),
        CostLine(label="Avgift för avbetalningsplan", amount=D("170.00")),
    )
    total = sum((c.amount for c in debt), D("0.00"))
    n = 6
    part = (total / n).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    amounts = [part] * (n - 1) + [total - part * (n - 1)]
    first = date(2026, 12, 28)
    dates = [first]
    for _ in range(n - 1):
        d = dates[-1]
        dates.append(date(d.year + (d.month // 12), d.month % 12 + 1, 28))
    return ForlikningInput(
        case_reference="TV-2026-0977",
        filing_date=FILING_DATE,
        place="Stockholm",
        creditor=KREDIT,
        creditor_counsel=AGENCY_COUNSEL,
        debtor=ASA,
        debt_lines=debt,
        instalments=tuple(Instalment(due_date=d, amount=a) for d, a in zip(dates, amounts)),
        payment_details="Bankgiro 5555-1234, ange OCR-nummer 4477120977 vid varje betalning.",
        default_terms=(
            "Om en delbetalning inte har kommit borgenären till handa senast fem dagar efter "
            "förfallodagen förfaller hela den återstående skulden till omedelbar betalning.",
            "Vid dröjsmål löper ränta på den obetalda skulden enligt 6 § räntelagen (1975:635) från "
            "förfallodagen till dess betalning sker, och borgenären får utan ytterligare "
            "underrättelse ansöka om verkställighet.",
        ),
        other_terms=(
            "Gäldenären erkänner skulden enligt ovan. Erkännandet avbryter preskription.",
            "Så länge avbetalningsplanen fullgörs vidtar borgenären inga ytterligare indrivningsåtgärder "
            "och återkallar ansökan om betalningsföreläggande i Kronofogdens mål 12-483921-26.",
        ),
        kfm_case_number="12-483921-26",
    )


_BUILDERS = {
    "stamningsansokan": _stamningsansokan,
    "betalningsforelaggande": _betalningsforelaggande,
    "overlamnande": _overlamnande,
    "verkstallighet": _verkstallighet,
    "kostnadsrakning": _kostnadsrakning,
    "forlikning": _forlikning,
}


def sample_input(kind: str, **changes: object) -> FilingInput:
    """A complete, valid sample input for ``kind``; ``changes`` replace top-level fields."""
    data = _BUILDERS[kind]()
    return replace(data, **changes) if changes else data


def sample_inputs() -> dict[str, FilingInput]:
    return {kind: builder() for kind, builder in _BUILDERS.items()}
