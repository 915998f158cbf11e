"""Forum (RB 10 kap. 1 §): the tingsrätt for the svarande's folkbokföring.

The municipality → court table is data (``app/law/data/domsagor.toml``, after förordning
(1982:996) om rikets indelning i domsagor). An unknown municipality raises LawDataMissing.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from app.law.errors import LawDataMissing
from app.law.tables import DATA_DIR

_FILE = "app/law/data/domsagor.toml"


@dataclass(frozen=True)
class Forum:
    court: str
    municipality: str
    reason: str  # Swedish sentence for the filing: the facts that make the court competent
    source: str


@functools.cache
def _table() -> dict:
    with open(DATA_DIR / "domsagor.toml", "rb") as fh:
        return tomllib.load(fh)


def municipalities() -> dict[str, str]:
    return dict(_table()["municipalities"])


def district_court_for(municipality: str, *, is_company: bool = False) -> Forum:
    """The competent tingsrätt for a svarande registered in ``municipality``."""
    name = (municipality or "").strip()
    court = municipalities().get(name)
    if court is None:
        raise LawDataMissing(
            f"Ingen tingsrätt är registrerad för kommunen '{name or '(saknas)'}'. "
            f"Lägg till kommunen i {_FILE} (förordning 1982:996 om rikets indelning i domsagor)."
        )
    where = f"har sitt säte i {name}" if is_company else f"är folkbokförd i {name}"
    genitive = court + "s" if not court.endswith("s") else court
    reason = f"Svaranden {where}, som hör till {genitive} domsaga. {court} är därför behörig (RB 10 kap. 1 §)."
    return Forum(court=court, municipality=name, reason=reason, source=_table()["meta"]["source"])
