"""Chart geometry for the portal's server-side SVG charts (templates/portal/_charts.html).

Pure arithmetic: rows of (label, value) in, coordinates out. The template draws them with SVG
presentation attributes (``fill``, ``width``, ``height``): the CSP allows no inline style and
no script, and no chart library is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.cases.status import CaseStatus

# Colours with at least 4.5:1 contrast against white, by phase of the case's course.
PHASE_COLOURS = {
    "triage": "#0b6bcb",
    "kronofogden": "#8a5a00",
    "court": "#14426b",
    "enforcement": "#1d6b35",
    "closed": "#5c6670",
}
STATUS_PHASE = {
    CaseStatus.NEW: "triage", CaseStatus.DISPUTED: "triage", CaseStatus.INVESTIGATING: "triage",
    CaseStatus.LITIGATION_PROPOSED: "triage", CaseStatus.SETTLEMENT: "enforcement",
    CaseStatus.PAYMENT_ORDER: "kronofogden", CaseStatus.UTSLAG: "kronofogden", CaseStatus.KFM_DISPUTED: "kronofogden",
    CaseStatus.TRANSFERRED: "court", CaseStatus.SUMMONS: "court", CaseStatus.PREPARATION: "court",
    CaseStatus.HEARING: "court", CaseStatus.JUDGMENT: "court", CaseStatus.FINAL: "court",
    CaseStatus.ENFORCEMENT: "enforcement", CaseStatus.MONITORING: "enforcement",
    CaseStatus.PAID: "closed", CaseStatus.WRITTEN_OFF: "closed", CaseStatus.WITHDRAWN: "closed",
}
PHASE_LABELS = {"triage": "Bestridande och utredning", "kronofogden": "Kronofogden", "court": "Tingsrätten",
                "enforcement": "Betalning och indrivning", "closed": "Avslutade"}


def short_label(label: str) -> str:
    """"Bestridd – väntar på triage" → "Bestridd": the part before the dash, for narrow places."""
    return label.split(" – ")[0]


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    fill: str
    label_x: float
    label_y: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    axis_y: float = 0.0  # the baseline of a column chart


def horizontal_bars(rows: list[tuple[str, float | Decimal | int, str, str]], *, width: int = 560,
                    label_width: int = 240, value_width: int = 70, row_height: int = 28) -> Chart:
    """``rows``: (label, value, value text, fill). Bars scale to the largest value; a non-zero
    value gets at least a sliver so that it is visible."""
    top = max((float(v) for _, v, _, _ in rows), default=0.0)
    span = width - label_width - value_width
    bars = []
    for i, (label, value, text, fill) in enumerate(rows):
        y = i * row_height + 4
        length = 0.0 if top <= 0 else span * float(value) / top
        if float(value) > 0:
            length = max(length, 2.0)
        bars.append(Bar(label=label, value_text=text, x=label_width, y=y, width=round(length, 1),
                        height=row_height - 10, fill=fill, label_x=label_width - 8,
                        label_y=y + (row_height - 10) / 2 + 5, value_x=label_width + round(length, 1) + 6))
    return Chart(width=width, height=max(len(rows), 1) * row_height + 4, bars=bars)


def columns(rows: list[tuple[str, int, str]], *, width: int = 560, height: int = 220, fill: str = "#14426b") -> Chart:
    """A column chart: ``rows`` are (label, value, value text); labels under the columns."""
    top = max((v for _, v, _ in rows), default=0)
    plot_top, plot_bottom = 22, height - 28
    slot = width / max(len(rows), 1)
    bar_width = slot * 0.6
    bars = []
    for i, (label, value, text) in enumerate(rows):
        h = 0.0 if top <= 0 else (plot_bottom - plot_top) * value / top
        if value > 0:
            h = max(h, 2.0)
        x = i * slot + (slot - bar_width) / 2
        bars.append(Bar(label=label, value_text=text, x=round(x, 1), y=round(plot_bottom - h, 1),
                        width=round(bar_width, 1), height=round(h, 1), fill=fill,
                        label_x=round(i * slot + slot / 2, 1), label_y=height - 8,
                        value_x=round(i * slot + slot / 2, 1)))
    return Chart(width=width, height=height, bars=bars, axis_y=plot_bottom)


@dataclass(frozen=True)
class Share:
    """A 100 % bar split in two: e.g. recovered and still outstanding."""

    width: int
    part_width: float
    percent_text: str


def share(part: Decimal, whole: Decimal, *, width: int = 560) -> Share:
    if whole <= 0:
        return Share(width=width, part_width=0.0, percent_text="–")
    ratio = min(max(part / whole, Decimal(0)), Decimal(1))
    percent = (part / whole * 100).quantize(Decimal("0.1"))
    return Share(width=width, part_width=round(float(ratio) * width, 1),
                 percent_text=f"{percent} %".replace(".", ","))
