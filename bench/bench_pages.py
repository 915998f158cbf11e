"""Pages where users wait, at 10 000 / 100 000 / 1 000 000 cases, on SQLite and PostgreSQL.

For each database and size: a fresh database migrated with the project's migrations
(``flask db upgrade``'s function), filled by bench/datagen.py, then p50/p95 of each page
through the Flask test client as a logged-in jurist (the portal as the largest creditor's
user), warm-up requests not counted; the nightly deadline job over the whole database (wall
time); optionally an HTTP load run with gunicorn on loopback.

    python -m bench.bench_pages --sizes 10000,100000            # SQLite, and PostgreSQL when
    BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:54400/postgres python -m bench.bench_pages \\
        --sizes 1000000 --requests 100 --http                    # BENCH_PG_URL is set

``BENCH_PG_URL`` names a server and a database the benchmark may connect to; it creates and
drops its own databases ``tvist_bench_<size>`` there (``BENCH_PG_PREFIX`` changes the prefix). ``--keep DIR`` keeps the SQLite files
(and the PostgreSQL databases) and reuses them in a later run with the same DIR.
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 23)
PAGE_TARGET_MS = 100.0
NIGHTLY_TARGET_S = 60.0


def _load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _pg_database(base_url: str, name: str, *, create: bool) -> str:
    """URL of database ``name`` on the server of ``base_url`` (dropped and created when ``create``)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    if create:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    return match.group(1)


def _login(client, email: str, password: str) -> None:
    token = _csrf(client.get("/logga-in").get_data(as_text=True))
    response = client.post("/logga-in", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login of {email} failed: {response.status_code}")


def _time_page(client, url: str, n: int, warmup: int, expect: str | None) -> tuple[float, float, int]:
    response = client.get(url)
    if response.status_code in (302, 303) and "/logga-in" not in response.headers["Location"]:
        # A search for an identity number is moved out of the URL (a redirect to a search token):
        # the page the user waits for is the redirect's target.
        url = response.headers["Location"]
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        if expect and expect not in response.get_data(as_text=True):
            raise RuntimeError(f"{url}: {expect!r} not on the page")
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), _percentile(times, 0.95), n


def _probes(app) -> dict:
    """Search terms that exist in the generated data: a common surname, a rarer one, a case
    reference and a company's organisationsnummer."""
    from sqlalchemy import func, select

    from app.cases.models import Case
    from app.debtors.models import Debtor
    from app.extensions import db

    with app.app_context():
        n = db.session.scalar(select(func.count(Case.id)))
        mid = db.session.scalar(select(Case).order_by(Case.id).offset(n // 2).limit(1))
        company_case = db.session.execute(
            select(Case.reference, Debtor.identity_number).join(Debtor, Debtor.id == Case.debtor_id)
            .where(Debtor.is_company.is_(True), Case.id >= mid.id).order_by(Case.id).limit(1)).one()
        return {"n": n, "reference": mid.reference, "orgnr": company_case.identity_number,
                "orgnr_reference": company_case.reference}


def _build(url: str, size: int, instance: Path, reuse: bool) -> tuple[object, dict, float | None]:
    os.environ["SECRET_KEY"] = os.environ["TVIST_AUDIT_KEY"] = "bench-pages"
    from flask_migrate import upgrade
    from sqlalchemy import func, inspect, select

    from app import create_app
    from app.cases.models import Case
    from app.extensions import db
    from bench import datagen

    app = create_app({"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": url,
                      "STORAGE_DIR": str(instance / "files"), "SECRET_KEY": "bench-pages",
                      "WTF_CSRF_ENABLED": True})
    info, seconds = {}, None
    with app.app_context():
        existing = 0
        if reuse and inspect(db.engine).has_table("cases"):
            existing = db.session.scalar(select(func.count(Case.id)))
        upgrade()
        if existing != size:
            result = datagen.generate(size, today=TODAY)
            seconds = result["seconds"]
            info = result
            print(f"  generated {size:_} cases, {result['rows']:_} rows in {result['seconds']} s "
                  f"({result['rows_per_s']:_} rows/s)".replace("_", " "), flush=True)
        else:
            datagen.analyze()
    return app, info, seconds


PAGES = [
    # (key, label, url template, who, expected text)
    ("list", "case list, default sort (page 1)", "/arenden/", "jurist", None),
    ("list_deep", "case list, deep page (sida=200)", "/arenden/?sida=200", "jurist", None),
    ("list_status", "case list, status filter (bestridd)", "/arenden/?status=disputed", "jurist", None),
    ("list_sorted", "case list, sorted by amount", "/arenden/?sortera=-belopp", "jurist", None),
    ("search_common", "search: common surname (Andersson)", "/arenden/?q=Andersson", "jurist", None),
    ("search_name", "search: first name + rarer surname (Anna Lindqvist)", "/arenden/?q=Anna+Lindqvist",
     "jurist", None),
    ("search_reference", "search: case reference", "/arenden/?q={reference}", "jurist", "{reference}"),
    ("search_orgnr", "search: organisationsnummer", "/arenden/?q={orgnr}", "jurist", "{orgnr_reference}"),
    ("triage", "triage queue", "/triage/", "jurist", None),
    ("portal", "portal overview (largest creditor)", "/portal/", "creditor", None),
    ("portal_list", "portal case list (largest creditor)", "/portal/arenden/", "creditor", None),
]


def measure_pages(app, db_label: str, size: int, n: int, warmup: int) -> list[dict]:
    from bench import datagen

    probes = _probes(app)
    clients = {}
    for who, email in (("jurist", "jurist0@bench.test"), ("creditor", "portal0@bench.test")):
        client = app.test_client()
        _login(client, email, datagen.PASSWORD)
        clients[who] = client
    rows = []
    for key, label, url, who, expect in PAGES:
        url = url.format(**probes)
        expect = expect.format(**probes) if expect else None
        p50, p95, count = _time_page(clients[who], url, n, warmup, expect)
        print(f"  {db_label} {size:>9,} {label:<55} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms", flush=True)
        rows.append({"figure": f"{label}, p95 ms — {db_label}, {size:_} cases".replace("_", " "),
                     "target": f"< {PAGE_TARGET_MS:.0f}", "measured": round(p95, 1), "baseline": None,
                     "ratio": None, "p50": round(p50, 1), "key": key, "db": db_label, "size": size,
                     "requests": count})
    return rows


def measure_nightly(app, db_label: str, size: int) -> list[dict]:
    """The daily job (course.scan_deadlines) over the whole database, and the computation a full
    recomputation would do: every case's deadlines and late interest from its stored facts."""
    from app.extensions import db
    from app.hearings.services import scan_deadlines

    rows = []
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        started = time.perf_counter()
        computed = compute_all(url, TODAY)
        seconds = time.perf_counter() - started
        print(f"  {db_label} {size:>9,} deadlines + interest for every case: {seconds:.1f} s "
              f"({computed['cases']} cases, {computed['deadlines']} deadlines)", flush=True)
        rows.append({"figure": f"deadline + interest computation, all cases, s — {db_label}, {size:_} cases"
                     .replace("_", " "), "target": f"< {NIGHTLY_TARGET_S:.0f}", "measured": round(seconds, 1),
                     "baseline": None, "ratio": None, "key": "compute", "db": db_label, "size": size,
                     "note": f"{computed['workers']} processes"})
        started = time.perf_counter()
        result = scan_deadlines(TODAY, 7)
        seconds = time.perf_counter() - started
        db.session.remove()
        print(f"  {db_label} {size:>9,} nightly deadline job: {seconds:.1f} s, {result}", flush=True)
        rows.append({"figure": f"nightly deadline job (scan_deadlines, first run: {result['flagged']:_} "
                     f"deadlines flagged), s — {db_label}, {size:_} cases".replace("_", " "),
                     "target": f"< {NIGHTLY_TARGET_S:.0f}", "measured": round(seconds, 1), "baseline": None,
                     "ratio": None, "key": "nightly", "db": db_label, "size": size})
    return rows


def _compute_range(url: str, first_id: int, last_id: int, today: date) -> tuple[int, int, int]:
    """Deadlines (app.course.deadlines) of every case and late interest (app.law.interest) on
    every open case's claim lines, for case ids in [first_id, last_id]; Core reads in batches."""
    from sqlalchemy import create_engine, select

    from app.cases.models import Case, ClaimLine
    from app.cases.status import OPEN_STATUSES
    from app.course.deadlines import CaseFacts, derive_deadlines
    from app.law.interest import late_interest

    engine = create_engine(url)
    open_values = {s.value for s in OPEN_STATUSES}
    n_cases = n_deadlines = n_interest = 0
    step = 20_000
    with engine.connect() as conn:
        for start in range(first_id, last_id + 1, step):
            end = min(start + step - 1, last_id)
            lines: dict[int, list] = {}
            for case_id, invoice_date, due_date, capital in conn.execute(
                    select(ClaimLine.case_id, ClaimLine.invoice_date, ClaimLine.due_date, ClaimLine.capital)
                    .where(ClaimLine.case_id.between(start, end))):
                lines.setdefault(case_id, []).append((invoice_date, due_date, capital))
            for row in conn.execute(select(
                    Case.id, Case.status, Case.consumer_claim, Case.kfm_served_on, Case.kfm_answer_days,
                    Case.kfm_objection_notified_on, Case.utslag_on, Case.judgment_on, Case.default_judgment,
                    Case.default_judgment_served_on, Case.settlement_on, Case.appealed,
                    Case.limitation_interruptions).where(Case.id.between(start, end))):
                own = lines.get(row.id, [])
                facts = CaseFacts(
                    kfm_served_on=row.kfm_served_on, answer_days=row.kfm_answer_days,
                    kfm_objection_notified_on=row.kfm_objection_notified_on, utslag_on=row.utslag_on,
                    judgment_on=row.judgment_on, default_judgment=row.default_judgment,
                    default_judgment_served_on=row.default_judgment_served_on, settlement_on=row.settlement_on,
                    claim_arose_on=min((line[0] for line in own), default=None), consumer_claim=row.consumer_claim,
                    limitation_interruptions=tuple(sorted(date.fromisoformat(d)
                                                          for d in (row.limitation_interruptions or []))),
                    appealed=row.appealed)
                n_deadlines += len(derive_deadlines(facts))
                n_cases += 1
                if str(getattr(row.status, "value", row.status)) in open_values:
                    for _invoice, due, capital in own:
                        late_interest(capital, due, today)
                        n_interest += 1
    engine.dispose()
    return n_cases, n_deadlines, n_interest


def compute_all(url: str, today: date, workers: int | None = None) -> dict:
    """Every case's deadlines and interest, split by id range over ``workers`` processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sqlalchemy import create_engine, func, select

    from app.cases.models import Case

    workers = workers or os.cpu_count() or 1
    engine = create_engine(url)
    with engine.connect() as conn:
        low, high = conn.execute(select(func.min(Case.id), func.max(Case.id))).one()
    engine.dispose()
    span = (high - low + workers) // workers
    ranges = [(low + i * span, min(high, low + (i + 1) * span - 1)) for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_compute_range, [url] * workers, [r[0] for r in ranges], [r[1] for r in ranges],
                                [today] * workers))
    return {"cases": sum(r[0] for r in results), "deadlines": sum(r[1] for r in results),
            "interest": sum(r[2] for r in results), "workers": workers}


# --- HTTP load ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http_login(port: int, email: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/logga-in")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    body = f"email={email}&password={password}&csrf_token={_csrf(html)}"
    conn.request("POST", "/logga-in", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"HTTP login failed: {response.status}")
    conn.close()
    return response.getheader("Set-Cookie", "").split(";")[0] or cookie


def _drive(port: int, cookie: str, path: str, threads: int, seconds: float) -> tuple[float, float, int, int]:
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, _percentile(latencies, 0.95), len(latencies), errors[0]


def measure_http(app, url: str, db_label: str, size: int, instance: Path, *, workers: int, threads: int,
                 clients: int, seconds: float) -> list[dict]:
    """gunicorn (gthread, keep-alive) serving the case list on loopback, driven by ``clients``
    keep-alive connections; baseline: the same page through the test client, one at a time."""
    from bench import datagen

    client = app.test_client()
    _login(client, "jurist0@bench.test", datagen.PASSWORD)
    for _ in range(5):
        client.get("/arenden/")
    started = time.perf_counter()
    n = 0
    while time.perf_counter() - started < min(seconds, 10):
        client.get("/arenden/").get_data()
        n += 1
    baseline_rps = n / (time.perf_counter() - started)

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-pages", "TVIST_STORAGE_DIR": str(instance / "files")}
    log = open(instance / f"gunicorn-{db_label}-{size}.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
         "--keep-alive", "30", "-b", f"127.0.0.1:{port}", "app.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        cookie = _http_login(port, "jurist0@bench.test", datagen.PASSWORD)
        _drive(port, cookie, "/arenden/", clients, 3)  # warm-up: every worker connected and loaded
        rps, p95, count, errors = _drive(port, cookie, "/arenden/", clients, seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    print(f"  {db_label} {size:>9,} HTTP case list: {rps:.0f} req/s, p95 {p95:.1f} ms, {errors} errors "
          f"(test client single-threaded: {baseline_rps:.0f} req/s)", flush=True)
    setup = f"gunicorn {workers} workers × {threads} threads, {clients} keep-alive clients, {seconds:.0f} s"
    return [
        {"figure": f"HTTP case list, requests/s ({setup}) — {db_label}, {size:_} cases".replace("_", " "),
         "target": None, "measured": round(rps, 1), "baseline": round(baseline_rps, 1),
         "ratio": rps / baseline_rps if baseline_rps else None, "key": "http_rps", "db": db_label, "size": size,
         "note": f"{count} requests, {errors} errors; baseline: Flask test client, one request at a time"},
        {"figure": f"HTTP case list, p95 ms under that load — {db_label}, {size:_} cases".replace("_", " "),
         "target": None, "measured": round(p95, 1), "baseline": None, "ratio": None, "key": "http_p95",
         "db": db_label, "size": size},
    ]


def run(sizes: list[int] | None = None, *, requests: int = 100, warmup: int = 5, pg_url: str | None = None,
        keep: str | None = None, http_size: int | None = None, http_seconds: float = 20, workers: int = 3,
        threads: int = 2, clients: int = 8, nightly: bool = True, only: str | None = None) -> list[dict]:
    sizes = sizes or [10_000, 100_000]
    pg_url = pg_url if pg_url is not None else os.environ.get("BENCH_PG_URL")
    prefix = os.environ.get("BENCH_PG_PREFIX", "tvist_bench")
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tvist-bench-pages-"))
    base.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    databases = [("SQLite", None)] + ([("PostgreSQL", pg_url)] if pg_url else [])
    if only:
        databases = [d for d in databases if d[0].lower() == only.lower()]
    for size in sizes:
        for label, server in databases:
            instance = base / f"{label.lower()}-{size}"
            instance.mkdir(parents=True, exist_ok=True)
            if server:
                url = _pg_database(server, f"{prefix}_{size}", create=not keep or not (instance / "built").exists())
            else:
                path = instance / "bench.sqlite"
                if not keep and path.exists():
                    path.unlink()
                url = f"sqlite:///{path}"
            print(f"{label}, {size:_} cases ({_load()}) …".replace("_", " "), flush=True)
            app, info, gen_seconds = _build(url, size, instance, reuse=bool(keep))
            (instance / "built").write_text(json.dumps(info))
            if gen_seconds is not None:
                rows.append({"figure": f"datagen, {size:_} cases ({info['rows']:_} rows), s — {label}"
                             .replace("_", " "), "target": None, "measured": gen_seconds, "baseline": None,
                             "ratio": None, "key": "datagen", "db": label, "size": size,
                             "note": f"{info['rows_per_s']:_} rows/s".replace("_", " ")})
            rows += measure_pages(app, label, size, requests, warmup)
            if http_size == size and importlib.util.find_spec("gunicorn") is None:
                print("  gunicorn is not installed (pip install -e '.[prod]'): no HTTP load run", flush=True)
            elif http_size == size:
                rows += measure_http(app, url, label, size, instance, workers=workers, threads=threads,
                                     clients=clients, seconds=http_seconds)
            if nightly:
                rows += measure_nightly(app, label, size)
                (instance / "built").unlink(missing_ok=True)  # the job changed the data
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
            print(f"  ({_load()})", flush=True)
    if not keep:
        shutil.rmtree(base, ignore_errors=True)
        if pg_url:
            from sqlalchemy import create_engine

            admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for size in sizes:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{prefix}_{size}" WITH (FORCE)')
            admin.dispose()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated case counts (e.g. 1000000)")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--keep", help="keep (and reuse) the databases under this directory")
    parser.add_argument("--http", type=int, default=None, help="size at which to run the gunicorn load test")
    parser.add_argument("--http-seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-nightly", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    rows = run([int(s) for s in args.sizes.split(",")], requests=args.requests, warmup=args.warmup, keep=args.keep,
               http_size=args.http, http_seconds=args.http_seconds, workers=args.workers, threads=args.threads,
               clients=args.clients, nightly=not args.no_nightly, only=args.only)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
