from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # the package may not be installed (editable) yet
    sys.path.insert(0, str(ROOT))

from filings.engine import Engine  # noqa: E402
from filings.sample import sample_inputs  # noqa: E402


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture()
def samples() -> dict:
    return sample_inputs()
