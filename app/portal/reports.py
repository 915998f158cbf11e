"""The creditor's reports: the case list (as filtered on screen) and a monthly report, as CSV
(semicolon-separated, UTF-8 with BOM, decimal comma: what Excel expects in Sweden) and XLSX.

Personnummer are masked (app.core.identity.mask_identity_number); organisationsnummer are public
and shown in full. Text that a spreadsheet would read as a formula is neutralised.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEntry
from app.auth.models import User
from app.cases.models import Case
from app.cases.status import CaseStatus
from app.core.access import visible_cases
from app.core.clock import STOCKHOLM
from app.core.formatting import isodate, local_time
from app.core.identity import mask_identity_number
from app.enforcement.models import Payment
from app.extensions import db
from app.portal.services import CLOSED_STATUSES, TRACK_LABELS, ZERO, month_bounds, recovered_by_case

MAX_EXPORT_ROWS = 50_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
               "oktober", "november", "december")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]  # str, int, Decimal or date cells
    summary: list[tuple[str, object]] | None = None


# --- The case list ------------------------------------------------------------------------

CASE_HEADERS = ["Referens", "Er referens", "Gäldenär", "Person-/organisationsnummer", "Typ", "Status",
                "Måltyp", "Kapital (kr)", "Inbetalt (kr)", "Registrerad", "Senast ändrad"]


def case_table(stmt: Select) -> Table:
    """Every case the (already scoped and filtered) statement selects, at most MAX_EXPORT_ROWS."""
    cases = list(db.session.scalars(stmt.limit(MAX_EXPORT_ROWS)).unique())
    paid = recovered_by_case([c.id for c in cases])
    rows = [[c.reference, c.creditor_reference, c.debtor.name, mask_identity_number(c.debtor.identity_number),
             c.debtor.kind_label, c.status.label, TRACK_LABELS.get(c.triage_track, c.triage_track or ""),
             c.total_capital, paid.get(c.id, ZERO), _local_date(c.created_at), _local_date(c.updated_at)]
            for c in cases]
    return Table(title="Ärenden", headers=CASE_HEADERS, rows=rows)


# --- The monthly report ---------------------------------------------------------------------

MONTH_HEADERS = ["Händelse", "Datum", "Referens", "Er referens", "Gäldenär", "Person-/organisationsnummer",
                 "Status nu", "Belopp (kr)"]


@dataclass
class MonthReport:
    month: date
    opened: list[tuple[date, Case]]
    closed: list[tuple[date, Case, CaseStatus]]
    payments: list[Payment]

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month.month - 1]} {self.month.year}"

    @property
    def opened_capital(self) -> Decimal:
        return sum((c.total_capital for _, c in self.opened), ZERO)

    @property
    def closed_capital(self) -> Decimal:
        return sum((c.total_capital for _, c, _ in self.closed), ZERO)

    @property
    def recovered(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    def summary(self) -> list[tuple[str, object]]:
        return [("Månad", self.month.strftime("%Y-%m")),
                ("Nya ärenden", len(self.opened)), ("Kapital i nya ärenden (kr)", self.opened_capital),
                ("Avslutade ärenden", len(self.closed)), ("Kapital i avslutade ärenden (kr)", self.closed_capital),
                ("Inbetalningar", len(self.payments)), ("Inbetalt (kr)", self.recovered)]

    def table(self) -> Table:
        rows = []
        for on, case in self.opened:
            rows.append(["Nytt ärende", on, *_case_cells(case), case.total_capital])
        for on, case, status in self.closed:
            rows.append([f"Avslutat: {status.label}", on, *_case_cells(case), case.total_capital])
        for payment in self.payments:
            rows.append([f"Inbetalning: {payment.source.label}", payment.paid_on, *_case_cells(payment.case),
                         payment.amount])
        rows.sort(key=lambda r: (r[1], r[2], r[0]))
        return Table(title=f"Månadsrapport {self.month:%Y-%m}", headers=MONTH_HEADERS, rows=rows,
                     summary=self.summary())


def _case_cells(case: Case) -> list:
    return [case.reference, case.creditor_reference, case.debtor.name,
            mask_identity_number(case.debtor.identity_number), case.status.label]


def month_report(user: User, month: date) -> MonthReport:
    """Cases registered, cases closed (paid, written off or withdrawn) and payments received in
    ``month`` (Swedish calendar month). When a case was closed is read from the audit log: the
    entry that moved its status to a closed one."""
    start, end = month_bounds(month)
    first, following = start.astimezone(STOCKHOLM).date(), end.astimezone(STOCKHOLM).date()
    opened_cases = db.session.scalars(visible_cases(user, select(Case).options(joinedload(Case.debtor))
                                                   .where(Case.created_at >= start, Case.created_at < end)
                                                   .order_by(Case.created_at))).unique().all()
    opened = [(_local_date(c.created_at), c) for c in opened_cases]

    closed_values = [s.value for s in CLOSED_STATUSES]
    entries = db.session.execute(
        select(AuditEntry.case_id, AuditEntry.at, AuditEntry.before, AuditEntry.after)
        .where(AuditEntry.entity_type == "Case", AuditEntry.at >= start, AuditEntry.at < end,
               AuditEntry.action.in_(("create", "update")),
               AuditEntry.case_id.in_(visible_cases(user, select(Case.id))))
        .order_by(AuditEntry.id)).all()
    closed_on: dict[int, tuple[date, str]] = {}
    for case_id, at, before, after in entries:
        new = (after or {}).get("status")
        old = (before or {}).get("status")
        if new in closed_values and old not in closed_values:
            closed_on[case_id] = (_local_date(at), new)
    closed_cases = {c.id: c for c in db.session.scalars(
        select(Case).options(joinedload(Case.debtor)).where(Case.id.in_(list(closed_on))))} if closed_on else {}
    closed = sorted(((on, closed_cases[cid], CaseStatus(status)) for cid, (on, status) in closed_on.items()
                     if cid in closed_cases), key=lambda r: (r[0], r[1].reference))

    payments = db.session.scalars(visible_cases(
        user, select(Payment).join(Case, Payment.case_id == Case.id)
        .options(joinedload(Payment.case).joinedload(Case.debtor))
        .where(Payment.paid_on >= first, Payment.paid_on < following)
        .order_by(Payment.paid_on, Payment.id))).unique().all()
    return MonthReport(month=month, opened=opened, closed=closed, payments=list(payments))


def _local_date(value: datetime | None) -> date | None:
    return local_time(value).date() if value is not None else None


# --- Writers ------------------------------------------------------------------------------------

def _safe_text(value: str) -> str:
    """A cell beginning with = + - @ would be run as a formula by a spreadsheet (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, (date, datetime)):
        return isodate(value)
    if isinstance(value, str):
        return _safe_text(value)
    return str(value)


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    if table.summary:
        sheet.title = "Sammanfattning"
        for r, (label, value) in enumerate(table.summary, start=1):
            _xlsx_cell(sheet, r, 1, label)
            _xlsx_cell(sheet, r, 2, value)
        sheet.column_dimensions["A"].width = 34
        sheet.column_dimensions["B"].width = 16
        sheet = workbook.create_sheet()
    sheet.title = table.title[:31].replace("/", "-")
    for c, header in enumerate(table.headers, start=1):
        _xlsx_cell(sheet, 1, c, header).font = Font(bold=True)
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            _xlsx_cell(sheet, r, c, value)
    sheet.freeze_panes = "A2"
    for c, header in enumerate(table.headers, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(12, min(40, len(header) + 4))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        cell.value = value
        cell.number_format = "#,##0.00"
    elif isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text begins with
    else:
        cell.value = value
    return cell

