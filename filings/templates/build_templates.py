"""Build the .docx templates in this directory, reproducibly.

    python filings/templates/build_templates.py          # (re)write all templates
    python filings/templates/build_templates.py --check  # exit 1 if a committed template is stale

Each template is a python-docx document whose text holds docxtpl/Jinja tags
(``{{ plaintiff.name }}``, ``{%tr for line in claim_lines %}`` …).  The
output is deterministic: fixed core properties, parts that are not needed
(thumbnail, stylesWithEffects, customXml) removed, and the zip rewritten
with a fixed timestamp, so the same script with the same python-docx/lxml
gives the same bytes — and the same template version (the first 12 hex of
the file's SHA-256, see ``filings/versions.py``).

Rules for template text (so docxtpl and the engine treat it right):
* every amount goes through ``|money`` / ``|amount``, every date through
  ``|isodate``, rates through ``|percent`` (printing a raw Decimal/date/None
  is an error);
* no legal number (fee, rate, limit) is written here: they all come from
  the input;
* don't use ``&`` or ``<`` in static text inside Jinja tags, nor in the
  core properties (docxtpl renders those with autoescape).
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

DROP_DOC_RELS = {
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.CUSTOM_XML,
}
DROP_PKG_RELS = {RT.THUMBNAIL}


# --------------------------------------------------------------------------
# Small builder
# --------------------------------------------------------------------------


class Builder:
    def __init__(self, title: str, kind: str) -> None:
        self.doc = Document()
        self.kind = kind
        self._setup(title)

    # -- document set-up ---------------------------------------------------
    def _setup(self, title: str) -> None:
        doc = self.doc
        pkg = doc.part.package
        for rid, rel in list(doc.part.rels.items()):
            if rel.reltype in DROP_DOC_RELS:
                del doc.part.rels[rid]
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype in DROP_PKG_RELS:
                del pkg.rels[rid]

        cp = doc.core_properties
        cp.title = title
        cp.subject = "Tvist: " + title
        cp.author = "Tvist"
        cp.last_modified_by = "Tvist"
        cp.comments = "Mall byggd av filings/templates/build_templates.py"
        cp.keywords = self.kind
        cp.category = "Mall"
        cp.language = "sv-SE"
        cp.identifier = self.kind
        cp.revision = 1
        cp.created = FIXED_TIME
        cp.modified = FIXED_TIME
        cp.last_printed = FIXED_TIME

        section = doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_height = Cm(29.7)
        section.page_width = Cm(21.0)
        section.left_margin = Cm(2.5)
        section.right_margin = Cm(2.2)
        section.top_margin = Cm(2.2)
        section.bottom_margin = Cm(2.0)
        section.header_distance = Cm(1.0)
        section.footer_distance = Cm(1.0)

        styles = doc.styles
        normal = styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(11.5)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Times New Roman")
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "sv-SE")
        rpr.append(lang)
        normal.paragraph_format.space_after = Pt(5)
        normal.paragraph_format.line_spacing = 1.1
        for name, size in (("Heading 1", 13), ("Heading 2", 11.5)):
            st = styles[name]
            st.font.name = "Arial"
            st.font.size = Pt(size)
            st.font.bold = True
            st.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
            st.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
            st.paragraph_format.space_after = Pt(4)
            st.paragraph_format.keep_with_next = True
        t = styles["Title"]
        t.font.name = "Arial"
        t.font.size = Pt(18)
        t.font.bold = True
        t.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
        t.paragraph_format.space_before = Pt(6)
        t.paragraph_format.space_after = Pt(12)

        # header and footer (rendered too: they hold tags)
        header = section.header
        hp = header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = hp.add_run("{{ document_title }} · Vår referens: {{ case_reference }}")
        r.font.size = Pt(8.5)
        r.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

        footer = section.footer
        fp = footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._small(fp, "Sida ")
        self._field(fp, "PAGE", "1")
        self._small(fp, " (")
        self._field(fp, "NUMPAGES", "1")
        self._small(fp, ")")

    @staticmethod
    def _small(p, text):
        r = p.add_run(text)
        r.font.size = Pt(8.5)
        return r

    @staticmethod
    def _field(p, instr: str, placeholder: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {instr} ")
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), "17")
        rpr.append(sz)
        r.append(rpr)
        t = OxmlElement("w:t")
        t.text = placeholder
        r.append(t)
        fld.append(r)
        p._p.append(fld)

    # -- content -----------------------------------------------------------
    def p(
        self, *parts, style=None, align=None, bold=False, italic=False, size=None, keep=False, after=None, before=None
    ):
        """A paragraph; ``parts`` are strings or (text, {"bold": True}) pairs."""
        para = self.doc.add_paragraph(style=style)
        for part in parts:
            text, fmt = (part, {}) if isinstance(part, str) else part
            run = para.add_run(text)
            run.bold = fmt.get("bold", bold) or None
            run.italic = fmt.get("italic", italic) or None
            if size or fmt.get("size"):
                run.font.size = Pt(fmt.get("size", size))
        if align == "right":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif align == "center":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif align == "justify":
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if keep:
            para.paragraph_format.keep_with_next = True
        if after is not None:
            para.paragraph_format.space_after = Pt(after)
        if before is not None:
            para.paragraph_format.space_before = Pt(before)
        return para

    def tag(self, text: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag (removed by docxtpl)."""
        self.doc.add_paragraph(text)

    def h1(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Heading 1")

    def h2(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Heading 2")

    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")

    def loop_paragraphs(self, loop: str, body: str, align="justify") -> None:
        self.tag("{%p for " + loop + " %}")
        self.p(body, align=align)
        self.tag("{%p endfor %}")

    def table(self, widths_cm, header=None, grid=True):
        t = self.doc.add_table(rows=0, cols=len(widths_cm))
        t.style = self.doc.styles["Table Grid"] if grid else self.doc.styles["Normal Table"]
        t.alignment = WD_TABLE_ALIGNMENT.LEFT
        t.autofit = False
        t._widths = widths_cm
        for col, w in zip(t.columns, widths_cm):
            col.width = Cm(w)
        if header:
            self.row(t, header, bold=True, shade="E8ECF2", repeat=True)
        return t

    def row(self, t, cells, bold=False, shade=None, repeat=False, size=10, align=None):
        r = t.add_row()
        trpr = r._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if repeat:
            trpr.append(OxmlElement("w:tblHeader"))
        for i, text in enumerate(cells):
            cell = r.cells[i]
            cell.width = Cm(t._widths[i])
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(1)
            if text:
                parts = text if isinstance(text, tuple) else (text,)
                for part in parts:
                    run = para.add_run(part)
                    run.font.size = Pt(size)
                    if bold:
                        run.bold = True
            a = (align or {}).get(i)
            if a == "right":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if shade:
                tcpr = cell._tc.get_or_add_tcPr()
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), shade)
                tcpr.append(shd)
        return r

    def tr_tag(self, t, text: str) -> None:
        """A table row holding only a ``{%tr … %}`` tag (removed by docxtpl)."""
        r = t.add_row()
        r.cells[0].paragraphs[0].add_run(text)
        for i, c in enumerate(r.cells):
            c.width = Cm(t._widths[i])

    def spacer(self, pt: float = 2) -> None:
        para = self.doc.add_paragraph()
        para.paragraph_format.space_after = Pt(pt)

    # -- recurring blocks ----------------------------------------------------
    def party_table(self, role: str, var: str, counsel_var: str | None, counsel_role: str = "Ombud") -> None:
        """Key/value table for a party (RB 33 kap. 1 §) and, if any, its ombud."""
        t = self.table([4.3, 12.0], grid=False)
        right = None
        self.row(t, [role, "{{ " + var + ".name }}"], bold=False, size=11, align=right)
        t.rows[-1].cells[0].paragraphs[0].runs[0].bold = True
        t.rows[-1].cells[1].paragraphs[0].runs[0].bold = True
        self.row(t, ["{{ " + var + "|id_label }}", "{{ " + var + ".identity_number }}"], size=11)
        self.row(
            t, ["Adress", "{{ " + var + ".street }}, {{ " + var + ".postal_code }} {{ " + var + ".city }}"], size=11
        )
        self.row(t, ["Telefon", "{{ " + var + ".phone if " + var + ".phone else 'uppgift saknas' }}"], size=11)
        self.tr_tag(t, "{%tr if " + var + ".email %}")
        self.row(t, ["E-post", "{{ " + var + ".email }}"], size=11)
        self.tr_tag(t, "{%tr endif %}")
        if counsel_var:
            c = counsel_var
            self.tr_tag(t, "{%tr if " + c + " %}")
            self.row(t, [counsel_role, "{{ " + c + ".name }}, {{ " + c + ".firm }}"], size=11)
            t.rows[-1].cells[0].paragraphs[0].runs[0].bold = True
            self.row(t, ["Adress", "{{ " + c + ".street }}, {{ " + c + ".postal_code }} {{ " + c + ".city }}"], size=11)
            self.row(t, ["Telefon", "{{ " + c + ".phone }}"], size=11)
            self.tr_tag(t, "{%tr if " + c + ".email %}")
            self.row(t, ["E-post", "{{ " + c + ".email }}"], size=11)
            self.tr_tag(t, "{%tr endif %}")
            self.tr_tag(t, "{%tr if " + c + ".reference %}")
            self.row(t, ["Ombudets referens", "{{ " + c + ".reference }}"], size=11)
            self.tr_tag(t, "{%tr endif %}")
            self.tr_tag(t, "{%tr endif %}")
        self.spacer(4)

    def addressee(self, to: str) -> None:
        self.p("{{ place }} den {{ filing_date|isodate }}", align="right", after=0)
        self.p("Vår referens: {{ case_reference }}", align="right", size=10)
        self.p(("Till " + to, {"bold": True}), after=10)

    def signature(self, party_var: str, counsel_var: str = "signing_counsel") -> None:
        self.spacer(8)
        self.p("{{ place }} den {{ filing_date|isodate }}", keep=True)
        self.p("{{ " + party_var + ".name }}", keep=True, bold=True)
        self.tag("{%p if " + counsel_var + " %}")
        self.p("genom ombud enligt fullmakt", keep=True, italic=True, after=28)
        self.p("{{ " + counsel_var + ".name }}", keep=True, after=0)
        self.p("{{ " + counsel_var + ".firm }}", after=0)
        self.p(
            "{{ "
            + counsel_var
            + ".phone }}{% if "
            + counsel_var
            + ".email %} · {{ "
            + counsel_var
            + ".email }}{% endif %}",
            size=10,
        )
        self.tag("{%p else %}")
        self.p("", after=28)
        self.p("Behörig firmatecknare för {{ " + party_var + ".name }}")
        self.tag("{%p endif %}")

    def evidence_table(self, var: str = "evidence") -> None:
        t = self.table(
            [1.6, 4.8, 2.6, 2.2, 5.1], header=["Nr", "Bevis", "Slag", "Datum", "Bevistema (vad beviset ska styrka)"]
        )
        self.tr_tag(t, "{%tr for e in " + var + " %}")
        self.row(
            t,
            [
                "Bevis {{ e.number }}",
                "{{ e.title }}",
                "{{ e.kind }}",
                "{{ e.dated|isodate if e.dated else '–' }}",
                "{{ e.proves }}",
            ],
        )
        self.tr_tag(t, "{%tr endfor %}")
        self.spacer(4)

    def save(self, path: Path) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        data = _deterministic_zip(buf.getvalue())
        path.write_bytes(data)
        return data


def _deterministic_zip(data: bytes) -> bytes:
    """Same entries, same order, fixed timestamps and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            new.create_system = 3
            zout.writestr(new, zin.read(info.filename), compresslevel=9)
    return out.getvalue()


# --------------------------------------------------------------------------
# The six templates
# --------------------------------------------------------------------------

MONEY_RIGHT = {3: "right"}


def build_stamningsansokan() -> Builder:
    b = Builder("Stämningsansökan", "stamningsansokan")
    b.addressee("{{ court }}")
    b.title("STÄMNINGSANSÖKAN")

    b.h1("Parter")
    b.party_table("Kärande", "plaintiff", "plaintiff_counsel", "Ombud")
    b.party_table("Svarande", "defendant", "defendant_counsel", "Ombud")
    b.p(("Saken: ", {"bold": True}), "{{ subject }}")

    b.h1("Yrkanden")
    b.p(
        "1. {{ defendant.name }} ska förpliktas att till {{ plaintiff.name }} betala {{ total_capital|money }} "
        "jämte ränta enligt nedan till dess betalning sker. Beloppet avser följande fakturor.",
        align="justify",
    )
    t = b.table([2.0, 2.4, 2.4, 2.9, 6.6], header=["Faktura", "Fakturadatum", "Förfallodag", "Kapital", "Ränta"])
    b.tr_tag(t, "{%tr for line in claim_lines %}")
    b.row(
        t,
        [
            "{{ line.invoice_number }}",
            "{{ line.invoice_date|isodate }}",
            "{{ line.due_date|isodate }}",
            "{{ line.capital|money }}",
            "{% if line.interest_from %}Ränta enligt {{ line.interest_basis }} från den {{ line.interest_from|isodate }} till dess betalning sker{% else %}Ingen ränta yrkas{% endif %}",
        ],
        align=MONEY_RIGHT,
    )
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa", "", "", "{{ total_capital|money }}", ""], bold=True, align=MONEY_RIGHT)
    b.spacer(4)
    b.tag("{%p if fee_lines %}")
    b.p(
        "{{ fees_item_no }}. {{ defendant.name }} ska förpliktas att till {{ plaintiff.name }} betala "
        "{{ total_fees|money }} avseende följande kostnader.",
        align="justify",
    )
    t = b.table([7.5, 2.9, 5.9], header=["Kostnad", "Belopp", "Grund"])
    b.tr_tag(t, "{%tr for f in fee_lines %}")
    b.row(t, ["{{ f.label }}", "{{ f.amount|money }}", "{{ f.note }}"], align={1: "right"})
    b.tr_tag(t, "{%tr endfor %}")
    b.spacer(4)
    b.tag("{%p endif %}")
    b.tag("{%p if costs_item_no %}")
    b.p(
        "{{ costs_item_no }}. {{ defendant.name }} ska förpliktas att ersätta {{ plaintiff.name }} för "
        "rättegångskostnader med belopp som kommer att anges senare.",
        align="justify",
    )
    b.tag("{%p endif %}")

    b.h1("Grunder")
    b.loop_paragraphs("g in grounds", "{{ g }}")

    b.tag("{%p if statement_of_facts %}")
    b.h1("Utveckling av talan")
    b.loop_paragraphs("s in statement_of_facts", "{{ s }}")
    b.tag("{%p endif %}")

    b.h1("Bevisning (bevisuppgift)")
    b.p(
        "{{ plaintiff.name }} åberopar följande bevisning och anger för varje bevis vad som ska styrkas "
        "med det. Skriftlig bevisning bifogas ansökan.",
        align="justify",
    )
    b.evidence_table()

    b.h1("Domstolens behörighet")
    b.p("{{ jurisdiction }}", align="justify")

    b.h1("Handläggning")
    b.p(("{{ track_label }}. ", {"bold": True}), "{{ track_reason }}", align="justify")
    b.tag("{%p if request_default_judgment %}")
    b.p(
        "{{ plaintiff.name }} begär tredskodom om svaranden inte svarar i målet eller inte inställer sig "
        "till sammanträde.",
        align="justify",
    )
    b.tag("{%p endif %}")
    b.loop_paragraphs("n in other_notes", "{{ n }}")

    b.h1("Ansökningsavgift")
    b.p(
        "Ansökningsavgiften om {{ court_fee|money }} betalas enligt domstolens anvisning. Underrättelser i "
        "målet kan skickas till ombudet.",
        align="justify",
    )

    b.tag("{%p if attachments %}")
    b.h1("Bilagor")
    b.p("Fullmakt för ombudet", after=2)
    b.tag("{%p for e in attachments %}")
    b.p("Bevis {{ e.number }}: {{ e.title }}{% if e.dated %} ({{ e.dated|isodate }}){% endif %}", after=2)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    b.signature("plaintiff")
    return b


def build_betalningsforelaggande() -> Builder:
    b = Builder("Ansökan om betalningsföreläggande", "betalningsforelaggande")
    b.addressee("Kronofogdemyndigheten")
    b.title("ANSÖKAN OM BETALNINGSFÖRELÄGGANDE")

    b.h1("Parter")
    b.party_table("Sökande", "applicant", "applicant_counsel", "Ombud")
    b.party_table("Svarande", "debtor", None)
    b.tag("{%p if original_creditor %}")
    b.h2("Ursprunglig borgenär")
    b.p(
        "Fordran har överlåtits till sökanden{% if assigned_on %} den {{ assigned_on|isodate }}{% endif %}. "
        "Ursprunglig borgenär är {{ original_creditor.name }} ({{ original_creditor|id_label|lower }} "
        "{{ original_creditor.identity_number }}).",
        align="justify",
    )
    b.tag("{%p endif %}")

    b.h1("Yrkande")
    b.p(
        "Sökanden yrkar att svaranden föreläggs att betala {{ total_claimed|money }}, varav kapital "
        "{{ total_capital|money }}, upplupen ränta {{ total_interest|money }} och kostnader "
        "{{ total_fees|money }}, jämte ränta på kapitalbeloppen enligt nedan till dess betalning sker.",
        align="justify",
    )
    t = b.table(
        [2.3, 4.3, 2.2, 2.4, 2.4, 2.7],
        header=["Faktura", "Avser", "Förfallodag", "Kapital", "Upplupen ränta", "Ränta därefter"],
    )
    b.tr_tag(t, "{%tr for row in claim_rows %}")
    b.row(
        t,
        [
            "{{ row.line.invoice_number }}",
            "{{ row.line.description }}",
            "{{ row.line.due_date|isodate }}",
            "{{ row.line.capital|money }}",
            "{{ row.spec.total|money if row.spec else '–' }}",
            "{% if row.spec %}Enligt {{ row.line.interest_basis }} från {{ row.spec.end|isodate }}{% elif row.line.interest_from %}Enligt {{ row.line.interest_basis }} från {{ row.line.interest_from|isodate }}{% else %}Ingen ränta{% endif %}",
        ],
        align={3: "right", 4: "right"},
    )
    b.tr_tag(t, "{%tr endfor %}")
    b.row(
        t,
        ["Summa", "", "", "{{ total_capital|money }}", "{{ total_interest|money }}", ""],
        bold=True,
        align={3: "right", 4: "right"},
    )
    b.spacer(4)

    b.tag("{%p if interest %}")
    b.h2("Specifikation av upplupen ränta")
    b.p(
        "Upplupen ränta har beräknats fram till ansökningsdagen och anges som belopp. Räntesatsen "
        "för varje period framgår av tabellen.",
        align="justify",
    )
    t = b.table(
        [2.0, 2.5, 2.4, 2.4, 1.4, 2.2, 3.4],
        header=["Faktura", "Kapital", "Från och med", "Till och med", "Dagar", "Räntesats", "Ränta"],
    )
    b.tr_tag(t, "{%tr for spec in interest %}")
    b.tr_tag(t, "{%tr for period in spec.periods %}")
    b.row(
        t,
        [
            "{{ spec.invoice_number }}",
            "{{ spec.principal|money }}",
            "{{ period.start|isodate }}",
            "{{ period.last_day|isodate }}",
            "{{ period.days }}",
            "{{ period.rate|percent }}",
            "{{ period.amount|money }}",
        ],
        align={1: "right", 4: "right", 5: "right", 6: "right"},
    )
    b.tr_tag(t, "{%tr endfor %}")
    r = b.row(
        t,
        ["Summa ränta faktura {{ spec.invoice_number }}", "", "", "", "", "", "{{ spec.total|money }}"],
        bold=True,
        align={6: "right"},
    )
    r.cells[0].merge(r.cells[5])
    b.tr_tag(t, "{%tr endfor %}")
    r = b.row(
        t,
        ["Summa upplupen ränta", "", "", "", "", "", "{{ total_interest|money }}"],
        bold=True,
        align={6: "right"},
        shade="E8ECF2",
    )
    r.cells[0].merge(r.cells[5])
    b.tag("{%p for spec in interest %}")
    b.p("Beräkningsgrund, faktura {{ spec.invoice_number }}: {{ spec.convention }}", size=9.5, after=1)
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    b.h2("Kostnader")
    t = b.table([7.5, 2.9, 5.9], header=["Kostnad", "Belopp", "Anmärkning"])
    b.tr_tag(t, "{%tr for f in fee_lines %}")
    b.row(t, ["{{ f.label }}", "{{ f.amount|money }}", "{{ f.note }}"], align={1: "right"})
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa kostnader", "{{ total_fees|money }}", ""], bold=True, align={1: "right"})
    b.spacer(4)

    b.h2("Sammanställning")
    t = b.table([9.0, 3.5])
    b.row(t, ["Kapital", "{{ total_capital|money }}"], align={1: "right"})
    b.row(t, ["Upplupen ränta", "{{ total_interest|money }}"], align={1: "right"})
    b.row(t, ["Kostnader", "{{ total_fees|money }}"], align={1: "right"})
    b.row(t, ["Totalt", "{{ total_claimed|money }}"], bold=True, align={1: "right"}, shade="E8ECF2")
    b.spacer(4)

    b.h1("Grund")
    b.loop_paragraphs("g in grounds", "{{ g }}")

    b.h1("Övriga uppgifter")
    t = b.table([12.0, 2.5])
    b.row(t, ["Fordran grundas på löpande skuldebrev", "{{ promissory_note|yesno }}"])
    b.row(
        t,
        [
            "Om svaranden bestrider ansökan ska målet överlämnas till tingsrätt",
            "{{ transfer_to_court_if_contested|yesno }}",
        ],
    )
    b.row(t, ["Sökanden begär verkställighet direkt om utslag meddelas", "{{ enforce_immediately|yesno }}"])
    b.row(t, ["Fordran har överlåtits", "{{ (original_creditor is not none)|yesno }}"])
    b.spacer(4)

    b.signature("applicant")
    return b


def build_overlamnande() -> Builder:
    b = Builder("Begäran om överlämnande till tingsrätt", "overlamnande")
    b.addressee("Kronofogdemyndigheten")
    b.title("BEGÄRAN OM ÖVERLÄMNANDE TILL TINGSRÄTT")
    b.p(("Kronofogdemyndighetens mål nr: ", {"bold": True}), "{{ kfm_case_number }}")
    b.p(("Sista dag för begäran: ", {"bold": True}), "{{ deadline|isodate }}")

    b.h1("Parter")
    b.party_table("Sökande", "applicant", "applicant_counsel", "Ombud")
    b.party_table("Svarande", "debtor", None)

    b.h1("Begäran")
    b.p(
        "Svaranden har bestritt ansökan om betalningsföreläggande. Sökanden underrättades om bestridandet den "
        "{{ objection_received_on|isodate }}. Sökanden begär att målet överlämnas till "
        "{{ court if court else 'tingsrätten' }} för fortsatt handläggning som tvistemål. Begäran ges in "
        "den {{ filing_date|isodate }}, före utgången av den tid som gäller för begäran "
        "({{ deadline|isodate }}).",
        align="justify",
    )
    b.h2("Handläggning i tingsrätten")
    b.p(("{{ track_label }}. ", {"bold": True}), "{{ track_reason }}", align="justify")
    b.h2("Tilläggsavgift")
    b.p(
        "Tilläggsavgiften om {{ additional_fee|money }} tas ut av tingsrätten när målet har överlämnats och "
        "betalas enligt tingsrättens anvisning.",
        align="justify",
    )

    b.tag("{%p if claim_lines %}")
    b.h1("Fordran")
    t = b.table([2.4, 7.0, 2.4, 2.9], header=["Faktura", "Avser", "Förfallodag", "Kapital"])
    b.tr_tag(t, "{%tr for line in claim_lines %}")
    b.row(
        t,
        [
            "{{ line.invoice_number }}",
            "{{ line.description }}",
            "{{ line.due_date|isodate }}",
            "{{ line.capital|money }}",
        ],
        align=MONEY_RIGHT,
    )
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa", "", "", "{{ total_capital|money }}"], bold=True, align=MONEY_RIGHT)
    b.spacer(4)
    b.tag("{%p endif %}")

    b.tag("{%p if objection_summary %}")
    b.h1("Bestridandet")
    b.p("{{ objection_summary }}", align="justify")
    b.tag("{%p endif %}")
    b.tag("{%p if response %}")
    b.h1("Sökandens inställning")
    b.loop_paragraphs("r in response", "{{ r }}")
    b.tag("{%p endif %}")

    b.tag("{%p if evidence %}")
    b.h1("Bevisning (bevisuppgift)")
    b.p("Sökanden åberopar följande bevisning. Skriftlig bevisning bifogas.", align="justify")
    b.evidence_table()
    b.tag("{%p endif %}")

    b.signature("applicant")
    return b


def build_verkstallighet() -> Builder:
    b = Builder("Ansökan om verkställighet", "verkstallighet")
    b.addressee("Kronofogdemyndigheten")
    b.title("ANSÖKAN OM VERKSTÄLLIGHET")

    b.h1("Parter")
    b.party_table("Sökande", "applicant", "applicant_counsel", "Ombud")
    b.party_table("Gäldenär", "debtor", None)

    b.h1("Exekutionstitel")
    t = b.table([5.0, 11.3])
    b.row(t, ["Slag", "{{ title.kind }}"])
    b.row(t, ["Domstol/myndighet", "{{ title.authority }}"])
    b.row(t, ["Målnummer", "{{ title.case_number }}"])
    b.row(t, ["Meddelad", "{{ title.decided_on|isodate }}"])
    b.row(t, ["Laga kraft", "{{ title.final_on|isodate if title.final_on else 'Uppgift lämnas inte' }}"])
    b.spacer(4)
    b.p("Exekutionstiteln bifogas i original eller bestyrkt kopia.", size=10)

    b.h1("Belopp enligt exekutionstiteln")
    t = b.table([5.0, 2.9, 8.4], header=["Post", "Belopp", "Ränta"])
    b.tr_tag(t, "{%tr for a in awarded %}")
    b.row(
        t,
        [
            "{{ a.label }}",
            "{{ a.amount|money }}",
            "{% if a.interest_from %}Ränta enligt {{ a.interest_basis }} från den {{ a.interest_from|isodate }} till dess betalning sker{% else %}–{% endif %}",
        ],
        align={1: "right"},
    )
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa tillerkänt", "{{ total_awarded|money }}", ""], bold=True, align={1: "right"})
    b.spacer(4)
    b.tag("{%p if deductions %}")
    b.h2("Avgår")
    t = b.table([5.0, 2.9, 8.4], header=["Post", "Belopp", "Anmärkning"])
    b.tr_tag(t, "{%tr for dd in deductions %}")
    b.row(t, ["{{ dd.label }}", "{{ dd.amount|money }}", "{{ dd.note }}"], align={1: "right"})
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa avgår", "{{ total_deductions|money }}", ""], bold=True, align={1: "right"})
    b.spacer(4)
    b.tag("{%p endif %}")

    b.h1("Yrkande")
    b.p(
        "Sökanden ansöker om verkställighet mot {{ debtor.name }} ({{ debtor|id_label|lower }} "
        "{{ debtor.identity_number }}) för {{ total_claimed|money }} jämte ränta enligt exekutionstiteln.",
        align="justify",
    )
    b.p(
        "Grundavgiften, {{ enforcement_fee|money }}, betalas enligt Kronofogdemyndighetens anvisning.",
        align="justify",
    )
    b.tag("{%p if notes %}")
    b.h1("Övriga upplysningar")
    b.loop_paragraphs("n in notes", "{{ n }}")
    b.tag("{%p endif %}")

    b.signature("applicant")
    return b


def build_kostnadsrakning() -> Builder:
    b = Builder("Kostnadsräkning", "kostnadsrakning")
    b.addressee("{{ court }}")
    b.p(("Mål nr {{ court_case_number }}", {"bold": True}), after=0)
    b.p("{{ party.name }} ./. {{ opponent.name }}", after=6)
    b.title("KOSTNADSRÄKNING")

    b.p(
        "{{ party.name }} ({{ party|id_label|lower }} {{ party.identity_number }}) yrkar ersättning för "
        "rättegångskostnader enligt följande. Handläggning: {{ track_label }}.",
        align="justify",
    )
    t = b.table([4.4, 2.4, 2.9, 4.3, 2.3], header=["Kostnad", "Yrkat", "Ersättnings-gillt", "Regel", "Anmärkning"])
    b.tr_tag(t, "{%tr for line in lines %}")
    b.row(
        t,
        [
            "{{ line.label }}",
            "{{ line.claimed|money }}",
            "{{ line.recoverable|money }}",
            "{{ line.rule }}",
            "{{ line.note }}",
        ],
        align={1: "right", 2: "right"},
    )
    b.tr_tag(t, "{%tr endfor %}")
    b.row(
        t,
        ["Summa", "{{ total_claimed|money }}", "{{ total_recoverable|money }}", "", ""],
        bold=True,
        align={1: "right", 2: "right"},
        shade="E8ECF2",
    )
    b.spacer(4)

    b.tag("{%p if capped %}")
    b.h2("Begränsning i förenklat tvistemål")
    b.p("{{ cap_note }}", align="justify")
    b.p(
        "Av yrkade {{ total_claimed|money }} är {{ total_recoverable|money }} ersättningsgillt enligt reglerna ovan.",
        align="justify",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if vat_note %}")
    b.h2("Mervärdesskatt")
    b.p("{{ vat_note }}", align="justify")
    b.tag("{%p endif %}")
    b.tag("{%p if interest_note %}")
    b.h2("Ränta")
    b.p("{{ interest_note }}", align="justify")
    b.tag("{%p endif %}")

    b.signature("party")
    return b


def build_forlikning() -> Builder:
    b = Builder("Förlikningsavtal med avbetalningsplan", "forlikning")
    b.p("Vår referens: {{ case_reference }}", align="right", size=10)
    b.title("FÖRLIKNINGSAVTAL MED AVBETALNINGSPLAN")

    b.h1("Parter")
    b.party_table("Borgenär", "creditor", "creditor_counsel", "Ombud")
    b.party_table("Gäldenär", "debtor", None)
    b.tag("{%p if court_case_number %}")
    b.p("Avtalet avser tvisten i {{ court }}, mål nr {{ court_case_number }}.", align="justify")
    b.tag("{%p endif %}")
    b.tag("{%p if kfm_case_number %}")
    b.p("Avtalet avser fordran i Kronofogdemyndighetens mål nr {{ kfm_case_number }}.", align="justify")
    b.tag("{%p endif %}")

    b.h1("1. Erkännande av skuld")
    b.p(
        "{{ debtor.name }} erkänner att till {{ creditor.name }} vara skyldig {{ total_debt|money }} "
        "enligt följande specifikation.",
        align="justify",
    )
    t = b.table([11.5, 4.0], header=["Post", "Belopp"])
    b.tr_tag(t, "{%tr for dl in debt_lines %}")
    b.row(t, ["{{ dl.label }}{% if dl.note %} ({{ dl.note }}){% endif %}", "{{ dl.amount|money }}"], align={1: "right"})
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa erkänd skuld", "{{ total_debt|money }}"], bold=True, align={1: "right"}, shade="E8ECF2")
    b.spacer(4)

    b.h1("2. Avbetalningsplan")
    b.p("Skulden betalas enligt följande plan.", align="justify")
    t = b.table([2.0, 5.0, 4.0], header=["Nr", "Förfallodag", "Belopp"])
    b.tr_tag(t, "{%tr for inst in instalments %}")
    b.row(t, ["{{ loop.index }}", "{{ inst.due_date|isodate }}", "{{ inst.amount|money }}"], align={2: "right"})
    b.tr_tag(t, "{%tr endfor %}")
    b.row(t, ["Summa", "", "{{ total_instalments|money }}"], bold=True, align={2: "right"})
    b.spacer(4)

    b.h1("3. Betalning")
    b.p("{{ payment_details }}", align="justify")

    b.h1("4. Dröjsmål")
    b.loop_paragraphs("term in default_terms", "{{ term }}")

    b.tag("{%p if other_terms %}")
    b.h1("5. Övriga villkor")
    b.loop_paragraphs("term in other_terms", "{{ term }}")
    b.tag("{%p endif %}")

    b.p(
        "Detta avtal har upprättats i två likalydande exemplar, varav parterna har tagit var sitt.",
        align="justify",
        before=8,
    )

    t = b.table([8.0, 8.0], grid=False)
    b.row(t, ["{{ place }} den {{ filing_date|isodate }}", "Ort och datum: ______________________"], size=11)
    b.row(t, ["", ""], size=11)
    b.row(t, ["______________________________", "______________________________"], size=11)
    b.row(t, ["{{ creditor.name }}", "{{ debtor.name }}"], size=11)
    b.row(
        t,
        ["{% if signing_counsel %}genom {{ signing_counsel.name }}, {{ signing_counsel.firm }}{% endif %}", "Gäldenär"],
        size=10,
    )
    return b


BUILDERS = {
    "stamningsansokan": build_stamningsansokan,
    "betalningsforelaggande": build_betalningsforelaggande,
    "overlamnande": build_overlamnande,
    "verkstallighet": build_verkstallighet,
    "kostnadsrakning": build_kostnadsrakning,
    "forlikning": build_forlikning,
}


def build_all(target: Path = HERE) -> dict[str, str]:
    """Write every template into ``target``; return kind -> sha256 hex."""
    target.mkdir(parents=True, exist_ok=True)
    digests = {}
    for kind, build in BUILDERS.items():
        data = build().save(target / f"{kind}.docx")
        digests[kind] = hashlib.sha256(data).hexdigest()
    return digests


def main(argv: list[str]) -> int:
    if "--check" in argv:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            fresh = build_all(Path(tmp))
        stale = []
        for kind, digest in fresh.items():
            path = HERE / f"{kind}.docx"
            if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                stale.append(kind)
        if stale:
            print("stale templates (run build_templates.py):", ", ".join(stale))
            return 1
        print("templates up to date")
        return 0
    for kind, digest in build_all().items():
        print(f"{kind:24s} {digest[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
