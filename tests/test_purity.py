"""The legal core and the document engine load neither Flask nor SQLAlchemy (issue 12): workers,
the CLI and scripts can use them without the web stack, and nothing in them can reach a request or
a database session. Checked in a fresh interpreter, where nothing else has imported them."""
from __future__ import annotations

import subprocess
import sys

import pytest

WEB_AND_DB = ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_login", "celery")


@pytest.mark.parametrize("module", ["app.law", "filings"])
def test_module_imports_neither_flask_nor_sqlalchemy(module):
    code = (f"import sys, {module}, importlib, pkgutil\n"
            f"pkg = importlib.import_module('{module}')\n"
            "for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "    if not info.name.endswith('build_templates'):\n"
            "        importlib.import_module(info.name)\n"
            f"print(','.join(m for m in {WEB_AND_DB!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "", f"importing {module} loaded {loaded}"
