"""`flask serve`: web server and Celery worker stop together, whatever signal reaches the server
process (no worker is left running), and the port is chosen with --port."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90
STOP_SECONDS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    """Running and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _group(pgid: int) -> list[int]:
    """The live processes in the process group (the server, its worker and the worker's pool)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


@pytest.fixture(scope="module")
def serve_env(tmp_path_factory):
    instance = tmp_path_factory.mktemp("serve-instance")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{instance / 'tvist.sqlite'}",
           "CELERY_BROKER_URL": f"sqla+sqlite:///{instance / 'broker.sqlite'}",
           "CELERY_RESULT_BACKEND": f"db+sqlite:///{instance / 'results.sqlite'}",
           "TVIST_STORAGE_DIR": str(instance / "files"), "SECRET_KEY": "serve-test",
           "TVIST_AUDIT_KEY": "serve-test", "TVIST_AUDIT_ANCHOR": str(instance / "audit_anchor.json"),
           "PYTHONUNBUFFERED": "1"}
    for name in ("FLASK_APP", "FLASK_DEBUG", "TEST_DATABASE_URL"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    return env, instance


def _start(env: dict, log_path: Path) -> tuple[subprocess.Popen, int, int]:
    """`flask serve --port N` in a session of its own; returns it, its port and its worker's pid
    once the web server answers and the worker is ready."""
    port = _free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + STARTUP_SECONDS
    worker_pid = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, log_path.read_text()
        text = log_path.read_text(errors="replace")
        match = re.search(r"Celery worker pid (\d+)", text)
        worker_pid = int(match.group(1)) if match else None
        if worker_pid and re.search(r"\bready\.", text):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/logga-in", timeout=5) as response:
                    if response.status == 200:
                        return proc, port, worker_pid
            except OSError:
                pass
        time.sleep(0.25)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("flask serve did not start:\n" + log_path.read_text(errors="replace"))


@pytest.mark.worker
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGKILL],
                         ids=lambda s: s.name)
def test_any_signal_to_flask_serve_stops_the_worker_too(serve_env, tmp_path, sig):
    env, _instance = serve_env
    proc, port, worker_pid = _start(env, tmp_path / "serve.log")
    try:
        assert _alive(worker_pid) and len(_group(proc.pid)) >= 2
        os.kill(proc.pid, sig)  # the server process only, as a service manager or `kill` does
        proc.wait(timeout=STOP_SECONDS)
        deadline = time.monotonic() + STOP_SECONDS
        while _group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(worker_pid), "the Celery worker was left running"
        assert _group(proc.pid) == [], "processes of flask serve were left running"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/logga-in", timeout=2)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_make_run_takes_the_port():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^PORT \?= 5000$", makefile, re.M)
    assert "flask serve --host $(HOST) --port $(PORT)" in makefile
