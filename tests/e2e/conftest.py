"""End-to-end browser tests: the real app (`flask serve`: Werkzeug + a real Celery worker) on
loopback, on its own temporary database, broker and file storage, driven by Chromium through
Playwright (sync API).

* The whole directory is skipped, with the reason, when the `playwright` Python package or
  Chromium (``/usr/bin/chromium``, or ``TVIST_E2E_CHROMIUM``) is missing. Playwright never
  downloads a browser here (no ``playwright install``).
* Every test writes screenshots to ``tests/artifacts/e2e/<test name>/NN-<step>.png``; a failing
  test also gets ``NN-failure-*.png``, a Playwright trace (``trace.zip``, open it with
  ``playwright show-trace``) and the server log (``server.log``).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("TVIST_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 15_000
STARTUP_TIMEOUT_S = 90


def skip_reason() -> str | None:
    """Why the browser tests cannot run on this machine, or None."""
    if sync_playwright is None:
        return ("e2e: the 'playwright' Python package is not installed "
                "(pip install playwright; Chromium comes from the system, never `playwright install`)")
    if not CHROMIUM.exists():
        return f"e2e: Chromium not found at {CHROMIUM} (apt-get install chromium, or set TVIST_E2E_CHROMIUM)"
    return None


# --- pytest hooks ------------------------------------------------------------------------------

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: end-to-end browser test (real web server + Celery worker + Chromium via Playwright)")


def _in_this_directory(item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    if reason is None:
        return
    for item in items:
        if _in_this_directory(item):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    if _in_this_directory(item):
        setattr(item, f"rep_{report.when}", report)


def _failed(node) -> bool:
    return any(getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call"))


# --- The unit tests' autouse app context is not wanted here ------------------------------------

@pytest.fixture(autouse=True)
def _app_context():
    """Overrides tests/conftest.py's autouse fixture: the e2e tests talk to a separate server
    process over HTTP, so no in-process app, test database or table cleaning."""
    yield


# --- The live server ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveServer:
    url: str
    instance: Path
    log_path: Path
    env: dict

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict, *args: str, log: Path) -> None:
    with open(log, "a") as out:
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"`flask {' '.join(args)}` failed (exit {result.returncode}):\n"
                           + "\n".join(log.read_text(errors="replace").splitlines()[-40:]))


def _group_alive(pgid: int) -> bool:
    """Whether any non-zombie process is left in the process group."""
    proc = Path("/proc")
    if not proc.is_dir():  # pragma: no cover - not Linux
        try:
            os.killpg(pgid, 0)
            return True
        except ProcessLookupError:
            return False
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            return True
    return False


def _wait_group_gone(proc: subprocess.Popen, pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        proc.poll()  # reap the server itself; its orphaned children are reaped by init
        if not _group_alive(pgid):
            return True
        time.sleep(0.2)
    return False


def _stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Stop `flask serve` and its Celery worker (and the worker's children): SIGINT to the whole
    process group, as Ctrl-C does, then SIGKILL whatever is still running after ``timeout``."""
    pgid = proc.pid  # start_new_session=True: the server leads its own process group
    for sig, seconds in ((signal.SIGINT, timeout), (signal.SIGKILL, 10)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        if _wait_group_gone(proc, pgid, seconds):
            break
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


def _wait_until_up(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`flask serve` exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/logga-in", timeout=5) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError) as exc:
            last_error = exc
        time.sleep(0.25)
    else:
        raise RuntimeError(f"{url}/logga-in did not answer within {STARTUP_TIMEOUT_S} s ({last_error})")
    # The worker is started by `flask serve` too; bulk jobs need it, so wait until it is ready.
    while time.monotonic() < deadline:
        if re.search(r"\bready\.", log_path.read_text(errors="replace")):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"`flask serve` exited with {proc.returncode}")
        time.sleep(0.25)
    raise RuntimeError(f"the Celery worker was not ready within {STARTUP_TIMEOUT_S} s:\n"
                       + "\n".join(log_path.read_text(errors="replace").splitlines()[-40:]))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`flask serve` (web + Celery worker) on a free loopback port, on a fresh migrated database
    with the demo data, isolated from the developer's instance/ folder."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    instance = tmp_path_factory.mktemp("e2e-instance")
    env = {**os.environ,
           "DATABASE_URL": f"sqlite:///{instance / 'tvist.sqlite'}",
           "CELERY_BROKER_URL": f"sqla+sqlite:///{instance / 'broker.sqlite'}",
           "CELERY_RESULT_BACKEND": f"db+sqlite:///{instance / 'results.sqlite'}",
           "TVIST_STORAGE_DIR": str(instance / "files"),
           "SECRET_KEY": "e2e",
           "TVIST_AUDIT_KEY": "e2e-audit", "TVIST_AUDIT_ANCHOR": str(instance / "audit_anchor.json"),
           "PYTHONUNBUFFERED": "1"}
    for name in ("FLASK_APP", "FLASK_DEBUG", "TEST_DATABASE_URL", "TVIST_SECURE_COOKIES",
                 "TVIST_SMTP_HOST", "TVIST_SMTP_PORT", "TVIST_MAIL_FROM"):
        env.pop(name, None)
    setup_log = instance / "setup.log"
    _flask(env, "db", "upgrade", log=setup_log)
    _flask(env, "seed-demo", log=setup_log)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = instance / "serve.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_until_up(url, proc, log_path)
        yield LiveServer(url=url, instance=instance, log_path=log_path, env=env)
    finally:
        _stop_group(proc)
        log.close()


# --- Browser, contexts, pages, artifacts -------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _safe_name(name: str) -> str:
    """An ASCII file name: 'Triagekö' → 'triageko'."""
    ascii_name = name.translate(str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU"))
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_name).strip("-").lower()


@pytest.fixture
def artifacts(request) -> Path:
    """tests/artifacts/e2e/<test name>/ (emptied at the start of the test)."""
    folder = ARTIFACTS / _safe_name(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


class Shots:
    """Numbered full-page screenshots: ``shot(page, "triage")`` → ``03-triage.png``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{_safe_name(step)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(artifacts) -> Shots:
    return Shots(artifacts)


@pytest.fixture
def new_context(browser, live_server, request, artifacts, shot):
    """A factory of browser contexts (one per logged-in user). Every context is traced; on a
    failure each open page is screenshotted, the traces are saved and the server log copied."""
    contexts = []
    closed: set[int] = set()

    def make():
        ctx = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="sv-SE",
                                  timezone_id="Europe/Stockholm", accept_downloads=True)
        ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
        ctx.tracing.start(screenshots=True, snapshots=True, sources=False)
        ctx.on("close", lambda _ctx, key=id(ctx): closed.add(key))
        contexts.append(ctx)
        return ctx

    yield make

    failed = _failed(request.node)
    for index, ctx in enumerate(contexts):
        if id(ctx) in closed:  # closed by the test itself
            continue
        suffix = "" if index == 0 else f"-{index + 1}"
        try:
            if failed:
                for number, pg in enumerate(ctx.pages):
                    try:
                        shot(pg, f"failure{suffix}-page{number + 1}")
                    except Exception:  # a crashed page must not hide the test's own error
                        pass
                ctx.tracing.stop(path=str(artifacts / f"trace{suffix}.zip"))
            else:
                ctx.tracing.stop()
        finally:
            ctx.close()
    if failed:
        shutil.copyfile(live_server.log_path, artifacts / "server.log")


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
