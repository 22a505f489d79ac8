"""`make bench`: measure Atbalsts against a bare Wagtail project of the same version, in one run.

What is served
  Atbalsts: settings website.settings.bench (DEBUG off, its own bench.sqlite3 prepared with
  migrate, createcachetable, seed_demo and collectstatic; the database is kept between runs).
  Bare: a project made in a temporary folder by the installed Wagtail's own ``wagtail start``,
  with DEBUG off, SQLite with the same connection options as Atbalsts, the same cache backend,
  migrate, createcachetable and collectstatic. Both run under gunicorn with the same settings
  (BENCH_WORKERS sync workers, log level warning) on 127.0.0.1, ports BENCH_PORT (Atbalsts) and
  BENCH_PORT + 1 (bare). Only HTML pages are requested, never static files.

Who visits
  Anonymous, or signed in with a session cookie made by Django's test client (force_login) in
  the project's own settings, by scripts/bench_visitor.py: in Atbalsts the demo volunteer
  aija@example.org, whose session also records a password login as a real one would; in the
  bare project an ordinary user (not staff). The pages of Atbalsts are looked up in the seeded
  data (the module page is the issue's "look" of psychological-first-aid); the quiz attempt
  page is aija's open attempt on that module's quiz, started during the preparation.

How it is measured
  Each server answers every page with its SQL query count (scripts/bench_querycount.py, first
  in MIDDLEWARE of both bench settings, counts queries with connection.execute_wrapper).
  1. Cold pass: for each page in turn, the Django cache is emptied and its server started
     afresh; the first request's query count is "SQL cold". That request also checks that the
     page answers 200 and that the visitor is signed in (or not) as intended.
  2. Both servers are started afresh and every page is warmed up (WARMUP requests each).
  3. BENCH_REQUESTS per page, BENCH_CONCURRENCY clients at a time, in ROUNDS rounds that
     alternate the pages (A B C ... A B C ...) so that machine noise falls on all of them
     alike. Per page: requests/s (requests over the summed wall time of its batches), p50 and
     p95 latency, "SQL warm" (the median query count of its requests) and server CPU per
     request: the utime + stime of the gunicorn master's worker processes (the processes whose
     parent is the master, read from /proc/<pid>/stat) before and after each batch, summed
     over its batches and divided by its requests. The master's own time is not counted. The
     load generator runs on the same machine and takes CPU time too, alike for every page.
  Each page's requests/s is compared with the bare home page for the same kind of visitor.

Supervision (issue #8; data made by scripts/bench_supervision.py)
  Calendar feed: a supervisor who runs a weekly group whose sessions cover two years (one
  behind, one ahead: about 104 sessions with 4-6 seats each) and offers a debrief slot every
  four weeks, in a team of its own in the bench database, made afresh on every run, with a new
  calendar address. Its feed (/calendar/<token>.ics, no session cookie: the token is the key)
  is one more page of the table above, measured the same way. The lines under the table say
  how many sessions the feed holds of those seeded: ``feed_sessions`` starts 90 days back.
  Booking: on PostgreSQL (BENCH_POSTGRES_URL, default the throwaway database atbalsts_bench on
  127.0.0.1:5432 as user postgres, created when missing and kept between runs), a third
  gunicorn (BENCH_BOOKING_WORKERS sync workers, port BENCH_PORT + 2). A team of its own with
  BENCH_BOOKERS volunteers, all signed in (as the bench visitor is), and BOOKING_SESSIONS
  sessions of BOOKING_CAPACITY seats for them. Each volunteer first opens the session page
  (not timed) for the CSRF cookie and the form's token; then, one session after another, every
  volunteer posts "book" twice (a double click), all in random order from
  BENCH_BOOKING_THREADS clients at a time. Reported: POSTs per second, p50/p95, SQL per POST,
  the answers (each must be the redirect to the session page, none 5xx) and per session the
  seats given (must equal the capacity), the waiting list (everyone else), and people with
  more than one active place (must be 0). PASS/FAIL for seats == capacity. Without PostgreSQL
  (or psycopg) a line says the part was skipped.

Wellbeing (data made by scripts/bench_wellbeing.py)
  Two more pages of the table above, measured the same way, each for a person of its own in a
  team of its own, made afresh on every run (the people are kept between runs, their
  check-ins replaced):
  - "check-ins, 2 years": the wellbeing page (/en/check-ins/) of a volunteer with two years of
    weekly pulses (104 check-ins, made by wellbeing.services.checkin_create), signed in as the
    bench visitor is.
  - "team check-ins": the team's check-ins page (/en/teams/<slug>/check-ins/, the
    coordinators' totals per month) of a team of BENCH_WELLBEING_VOLUNTEERS volunteers
    (default 2,000) who each answered the pulse every week of the last 52 (about 104,000
    check-ins, written with bulk_create, each scored by wellbeing.instruments.score); nobody
    shares scores or flags with the team. Seen by its coordinator, signed in with a session
    that has completed the second factor (coordinators need one to reach any page). It takes
    seconds per request, so it is requested BENCH_WELLBEING_TEAM_REQUESTS times (default 30)
    instead of BENCH_REQUESTS, after BENCH_CONCURRENCY warm-up requests instead of WARMUP,
    each given WELLBEING_TEAM_TIMEOUT seconds instead of REQUEST_TIMEOUT; its p50/p95 include
    the wait for a free worker (BENCH_CONCURRENCY clients, BENCH_WORKERS workers), its CPU
    per request does not.
  The lines under the table say what was seeded and how long making it took (the wall time
  of each script, from Python's start), the pages' sizes, and how many of the team's months
  show every volunteer (the page must have read them all).

Coordinators (issue #10; data made by scripts/bench_coordinators.py)
  Two teams of their own, "Bench coordinators 100" and "Bench coordinators 2000" (the number
  of volunteers), each with 24 months of history written with bulk_create: the two demo
  courses required of the team, with each volunteer's completions and renewals, quiz
  attempts and module progress (some never finish, some let a renewal lapse, a few use up
  their attempts); weekly supervision groups of 12 seats (one per 50 volunteers) with their
  sessions from 24 months back to five weeks ahead and the seats booked and marked, debrief
  requests (a few waiting now); weekly pulses of two in three volunteers, scored by
  wellbeing.instruments.score; two coordinators with an authenticator app each. A team is
  kept between runs when it was finished by the same version of the script, has the right
  size and was made less than a week ago (BENCH_COORDINATORS_FRESH=1 makes it again: about
  half a minute for both). Seen by the team's first coordinator, signed in as the wellbeing
  team's coordinator is (password and second factor recorded in the session). Four more
  pages of the table above: each team's dashboard (/en/teams/<slug>/dashboard/), and for the
  team of 2,000 its funder report over the last 24 months as XLSX
  (/en/teams/<slug>/report/?start=YYYY-MM&end=YYYY-MM&format=xlsx) and as a page. They are
  measured as the others, but BENCH_COORDINATORS_REQUESTS times each (default 30) after
  COORDINATORS_WARMUP warm-up requests, by one client at a time (a team has a few
  coordinators, not a crowd: the latencies have no queue in them), each request given
  COORDINATORS_TIMEOUT seconds. Each page is first checked once (the dashboards and the page
  name the team, the export is an XLSX file). Printed under the table: what each team holds
  and how long making it took (or that it was kept), a small table (p50, p95, CPU per
  request, SQL warm and cold, size) and PASS/FAIL against the issue's targets: the same
  number of SQL queries on both dashboards, the dashboard's p50 for 2,000 under 300 ms, the
  XLSX export's p50 for 2,000 under 2 s.

BENCH_ONLY=supervision, BENCH_ONLY=wellbeing or BENCH_ONLY=coordinators runs only that part
(no bare project, no other page; the demo data is still prepared): the quick way to work on
them.

Only 127.0.0.1 is contacted (PostgreSQL wherever BENCH_POSTGRES_URL says); every loop is
bounded. The temporary folder and every server (its whole process group) are removed on exit,
error or Ctrl+C."""

import contextlib
import http.client
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
PYTHON = sys.executable
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ROUNDS = 3
WARMUP = 20
START_TIMEOUT = 60.0  # seconds for a fresh server to answer its first request
REQUEST_TIMEOUT = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
BARE_NAME = "bareproject"
ATBALSTS_DATABASE_URL = f"sqlite:///{ROOT / 'bench.sqlite3'}"
ONLY = os.environ.get("BENCH_ONLY", "")  # "" for everything, or one of PARTS
PARTS = ("supervision", "wellbeing", "coordinators")
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/atbalsts_bench"
)
BOOKERS = int(os.environ.get("BENCH_BOOKERS", "60"))
BOOKING_THREADS = int(os.environ.get("BENCH_BOOKING_THREADS", "16"))
BOOKING_WORKERS = int(os.environ.get("BENCH_BOOKING_WORKERS", "4"))
BOOKING_SESSIONS = 3
BOOKING_CAPACITY = 8
BOOKING_CLICKS = 2  # POSTs per volunteer and session: a double click
WELLBEING_VOLUNTEERS = int(os.environ.get("BENCH_WELLBEING_VOLUNTEERS", "2000"))
# The team's totals take seconds per request: fewer requests, fewer warm-up requests and a
# longer wait for each than the other pages.
WELLBEING_TEAM_REQUESTS = int(os.environ.get("BENCH_WELLBEING_TEAM_REQUESTS", "30"))
WELLBEING_TEAM_WARMUP = CONCURRENCY
WELLBEING_TEAM_TIMEOUT = 300.0
COORDINATORS_SIZES = (100, 2000)  # volunteers of the two synthetic teams
# The coordinators' pages are requested by one client at a time (a team has a few
# coordinators, not a crowd): their latencies are the pages' own, without a queue.
COORDINATORS_REQUESTS = int(os.environ.get("BENCH_COORDINATORS_REQUESTS", "30"))
COORDINATORS_WARMUP = 3
COORDINATORS_TIMEOUT = 300.0
DASHBOARD_P50_GOAL = 0.3  # seconds, for the team of 2,000
XLSX_P50_GOAL = 2.0  # seconds, for the team of 2,000


@dataclass
class Server:
    """One Django project served by gunicorn on 127.0.0.1:``port``."""

    name: str
    directory: Path
    settings: str
    wsgi: str
    port: int
    workers: int = WORKERS
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. its own DATABASE_URL
    process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        path = [str(self.directory), str(SCRIPTS), os.environ.get("PYTHONPATH", "")]
        return {
            **os.environ,
            **self.extra_env,
            "DJANGO_SETTINGS_MODULE": self.settings,
            "PYTHONPATH": os.pathsep.join(filter(None, path)),
        }

    def manage(self, *args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=self.directory,
            env=env or self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def visitor(self, kind: str) -> dict:
        """Run scripts/bench_visitor.py in this project's settings; its JSON answer."""
        return self.script("bench_visitor.py", kind)

    def script(self, name: str, *args: str) -> dict:
        """Run scripts/``name`` in this project's settings; its JSON answer (last line)."""
        output = subprocess.run(
            [PYTHON, str(SCRIPTS / name), *args],
            cwd=self.directory,
            env=self.env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def clear_cache(self) -> None:
        self.manage("shell", "-c", "from django.core.cache import cache; cache.clear()")

    def start(self) -> None:
        if port_in_use(self.port):
            raise SystemExit(f"127.0.0.1:{self.port} is already in use: set BENCH_PORT")
        command = [
            *(PYTHON, "-m", "gunicorn", self.wsgi),
            *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
            *("--log-level", "warning"),
        ]
        self.process = subprocess.Popen(
            command, cwd=self.directory, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not port_in_use(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn for {self.name} did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        """End the server's whole process group (master and workers)."""
        if self.process is None:
            return
        process, self.process = self.process, None
        signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def worker_cpu_ticks(self) -> dict[int, int]:
        """utime + stime (clock ticks) of each process whose parent is the gunicorn master."""
        ticks = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:  # the process ended meanwhile
                continue
            fields = text.rsplit(")", 1)[1].split()  # fields from the 3rd (state) on
            if int(fields[1]) == self.process.pid:
                ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
        return ticks


@dataclass
class Target:
    """One page for one kind of visitor, and what was measured on it."""

    label: str
    server: Server
    path: str
    visitor: str  # "anonymous" or "signed-in"
    cookie: str | None = None  # "name=value" of the session cookie when signed in
    user: str = "anonymous"  # what X-Bench-User must say
    goal: float | None = None  # least requests/s as a share of the bare page's
    shown_path: str = ""  # what the listing shows instead of a path holding a secret
    requests: int = REQUESTS  # measured requests, over the ROUNDS rounds
    warmup: int = WARMUP
    timeout: float = REQUEST_TIMEOUT  # seconds for each request under load
    clients: int = CONCURRENCY  # concurrent clients while it is measured
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    seconds: float = 0.0
    cpu_ticks: int = 0
    cold_queries: int = 0

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie} if self.cookie else {}

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended already
        os.killpg(pid, signum)


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def atbalsts_prepare() -> tuple[Server, dict]:
    server = Server("Atbalsts", ROOT, "website.settings.bench", "website.wsgi", PORT)
    server.manage("migrate", "--no-input")
    server.manage("createcachetable")
    # seed_demo refuses to run without DEBUG; the dev settings share the bench database.
    database_url = os.environ.get("DATABASE_URL", ATBALSTS_DATABASE_URL)
    seed_env = {**server.env, "DJANGO_SETTINGS_MODULE": "website.settings.dev"}
    server.manage("seed_demo", env={**seed_env, "DATABASE_URL": database_url})
    server.manage("collectstatic", "--no-input")
    site = server.visitor("atbalsts")
    if ONLY in ("", "supervision"):
        site["feed"] = server.script("bench_supervision.py", "feed")
    if ONLY in ("", "wellbeing"):
        site["wellbeing"] = wellbeing_prepare(server)
    if ONLY in ("", "coordinators"):
        site["coordinators"] = coordinators_prepare(server)
    return server, site


def wellbeing_prepare(server: Server) -> dict:
    """The wellbeing volunteer and team (scripts/bench_wellbeing.py); each answer with the
    wall time of its script in ``wall``."""
    data = {}
    for kind, args in (("volunteer", ()), ("team", (str(WELLBEING_VOLUNTEERS),))):
        started = time.monotonic()
        data[kind] = server.script("bench_wellbeing.py", kind, *args)
        data[kind]["wall"] = time.monotonic() - started
    return data


def coordinators_prepare(server: Server) -> list[dict]:
    """The coordinators' teams (scripts/bench_coordinators.py), smallest first; each answer
    with the wall time of its script in ``wall``."""
    teams = []
    for size in COORDINATORS_SIZES:
        started = time.monotonic()
        teams.append(server.script("bench_coordinators.py", "team", str(size)))
        teams[-1]["wall"] = time.monotonic() - started
    return teams


def bare_settings(atbalsts: dict) -> str:
    """The bare project's bench settings: its production settings, with Atbalsts' database
    connection options and cache, and the query counter."""
    database = atbalsts["database"]
    options = database["OPTIONS"] if database["ENGINE"].endswith("sqlite3") else {}
    return "\n".join(
        [
            '"""Written by scripts/bench.py of Atbalsts for its benchmark."""',
            "from .production import *  # noqa",
            "",
            'SECRET_KEY = "bench-only-not-secret"',
            "DEBUG = False",
            'ALLOWED_HOSTS = ["127.0.0.1", "localhost"]',
            f'DATABASES["default"].update(CONN_MAX_AGE={database["CONN_MAX_AGE"]!r})',
            f'DATABASES["default"]["OPTIONS"] = {options!r}',
            f'CACHES = {{"default": {atbalsts["cache"]!r}}}',
            'MIDDLEWARE = ["bench_querycount.QueryCountMiddleware", *MIDDLEWARE]',
            'LOGGING = {"version": 1, "disable_existing_loggers": True}',
            "",
        ]
    )


def bare_prepare(folder: Path, atbalsts: dict) -> tuple[Server, dict]:
    directory = folder / "bare"
    directory.mkdir()
    subprocess.run(
        [PYTHON, "-m", "wagtail.bin.wagtail", "start", BARE_NAME, str(directory)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (directory / BARE_NAME / "settings" / "bench.py").write_text(bare_settings(atbalsts))
    server = Server(
        "bare Wagtail", directory, f"{BARE_NAME}.settings.bench", f"{BARE_NAME}.wsgi", PORT + 1
    )
    server.manage("migrate", "--no-input")
    server.manage("createcachetable")
    server.manage("collectstatic", "--no-input")
    return server, server.visitor("bare")


def signed_in(visitor: dict) -> dict:
    """Target arguments for the session cookie of a bench script's answer."""
    cookie = visitor["cookie"]
    return {
        "visitor": "signed-in",
        "cookie": f"{cookie['name']}={cookie['value']}",
        "user": str(cookie["user"]),
    }


def targets_for(
    atbalsts: Server, site: dict, bare: Server | None, bare_site: dict | None
) -> list[Target]:
    """The pages; without the bare project (BENCH_ONLY) only those of that part."""
    parts = []
    if "feed" in site:
        parts.append(
            Target(
                "Atbalsts: calendar feed",
                atbalsts,
                site["feed"]["path"],
                "anonymous",  # the token in the address is the only key
                shown_path="/calendar/<token>.ics",
            )
        )
    if "wellbeing" in site:
        volunteer, team = site["wellbeing"]["volunteer"], site["wellbeing"]["team"]
        parts += [
            Target(
                "Atbalsts: check-ins, 2 years", atbalsts, volunteer["path"], **signed_in(volunteer)
            ),
            Target(
                "Atbalsts: team check-ins",
                atbalsts,
                team["path"],
                **signed_in(team),
                requests=WELLBEING_TEAM_REQUESTS,
                warmup=WELLBEING_TEAM_WARMUP,
                timeout=WELLBEING_TEAM_TIMEOUT,
            ),
        ]
    for team in site.get("coordinators", []):
        size = f"{team['size']:,}"
        coordinator = {
            **signed_in(team),
            "requests": COORDINATORS_REQUESTS,
            "warmup": COORDINATORS_WARMUP,
            "timeout": COORDINATORS_TIMEOUT,
            "clients": 1,
        }
        parts.append(
            Target(f"Atbalsts: dashboard, {size}", atbalsts, team["dashboard"], **coordinator)
        )
        if team["size"] == max(COORDINATORS_SIZES):
            parts += [
                Target(f"Atbalsts: report XLSX, {size}", atbalsts, team["xlsx"], **coordinator),
                Target(f"Atbalsts: report page, {size}", atbalsts, team["report"], **coordinator),
            ]
    if bare is None:
        return parts

    pages, bare_home = site["pages"], bare_site["pages"]["home"]
    member, bare_member = signed_in(site), signed_in(bare_site)
    return [
        Target("bare: home page", bare, bare_home, "anonymous"),
        Target("bare: home page", bare, bare_home, **bare_member),
        Target("Atbalsts: information page", atbalsts, pages["privacy"], "anonymous"),
        Target("Atbalsts: information page", atbalsts, pages["privacy"], **member, goal=0.9),
        Target("Atbalsts: home page", atbalsts, pages["home"], **member, goal=0.7),
        Target("Atbalsts: course page", atbalsts, pages["course"], **member),
        Target("Atbalsts: module page", atbalsts, pages["module"], **member, goal=0.7),
        Target("Atbalsts: quiz attempt page", atbalsts, pages["attempt"], **member),
        *parts,
    ]


def first_request(target: Target) -> int:
    """Request the page once with X-Bench-Check; abort unless it answers 200 to the intended
    visitor. Returns its query count."""
    timeout = max(START_TIMEOUT, target.timeout)
    connection = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=timeout)
    try:
        connection.request("GET", target.path, headers={**target.headers, "X-Bench-Check": "1"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    where = f"{target.label} {target.path} ({target.visitor})"
    if response.status != 200:
        location = response.getheader("Location", "")
        raise SystemExit(f"{where} answered {response.status} {location}, not 200")
    if response.getheader("X-Bench-User") != target.user:
        raise SystemExit(f"{where} was served to user {response.getheader('X-Bench-User')}")
    return int(response.getheader("X-Bench-Queries"))


def cold_pass(targets: list[Target]) -> None:
    """Per page: empty the Django cache, start its server afresh, request the page once."""
    for target in targets:
        print(f"  {target.label}, {target.visitor}", flush=True)
        target.server.clear_cache()
        target.server.start()
        try:
            target.cold_queries = first_request(target)
        finally:
            target.server.stop()


def load(target: Target, count: int) -> list[tuple[float, int]]:
    """``count`` requests from the target's clients (CONCURRENCY unless it says otherwise);
    (latency in seconds, queries) of each."""
    clients = target.clients
    shares = [count // clients + (i < count % clients) for i in range(clients)]
    samples: list[list[tuple[float, int]]] = [[] for _ in shares]
    failures: list[str] = []

    def client(share: int, out: list[tuple[float, int]]) -> None:
        connection = http.client.HTTPConnection(
            "127.0.0.1", target.server.port, timeout=target.timeout
        )
        try:
            for _ in range(share):
                started = time.perf_counter()
                connection.request("GET", target.path, headers=target.headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    failures.append(f"HTTP {response.status}")
                    return
                out.append((elapsed, int(response.getheader("X-Bench-Queries"))))
        except (OSError, http.client.HTTPException) as error:
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(share, out), daemon=True)
        for share, out in zip(shares, samples, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{target.label} {target.path}: {failures[:3]}")
    return [sample for out in samples for sample in out]


def measure(target: Target, count: int) -> None:
    before = target.server.worker_cpu_ticks()
    started = time.perf_counter()
    samples = load(target, count)
    target.seconds += time.perf_counter() - started
    after = target.server.worker_cpu_ticks()
    if before.keys() != after.keys():
        raise SystemExit(f"a gunicorn worker of {target.server.name} was replaced mid-run")
    target.cpu_ticks += sum(after.values()) - sum(before.values())
    target.latencies += [latency for latency, _queries in samples]
    target.queries += [queries for _latency, queries in samples]


def warm_runs(targets: list[Target]) -> None:
    for target in targets:
        load(target, target.warmup)
    for number in range(ROUNDS):
        batches = [t.requests // ROUNDS + (number < t.requests % ROUNDS) for t in targets]
        counts = ", ".join(str(count) for count in sorted(set(batches), reverse=True))
        print(f"  round {number + 1}/{ROUNDS}: {counts} requests per page", flush=True)
        for target, batch in zip(targets, batches, strict=True):
            measure(target, batch)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def report(targets: list[Target], bare: Server) -> None:
    baseline = {t.visitor: t for t in targets if t.server is bare}
    columns = ("page", "visitor", "requests", "req/s", "p50 ms", "p95 ms", "CPU ms/req")
    columns += ("SQL warm", "SQL cold", "x bare")
    print(f"\n{columns[0]:<28} {columns[1]:<9}" + "".join(f" {c:>10}" for c in columns[2:]))
    for t in targets:
        base = baseline.get(t.visitor)
        ratio = f"{t.rps / base.rps:>9.2f}x" if base else f"{'-':>10}"
        numbers = (
            f"{len(t.latencies):>10} {t.rps:>10.1f} {percentile(t.latencies, 0.5) * 1000:>10.1f}"
            f" {percentile(t.latencies, 0.95) * 1000:>10.1f}"
            f" {t.cpu_ticks / CLOCK_TICKS * 1000 / len(t.latencies):>10.1f}"
            f" {statistics.median(t.queries):>10g} {t.cold_queries:>10} {ratio}"
        )
        print(f"{t.label:<28} {t.visitor:<9} {numbers}")
    print(
        "\nx bare: requests/s against the bare home page for the same kind of visitor.\n"
        "SQL warm: median queries per measured request. SQL cold: queries of the first request"
        "\nto the page from a freshly started server with an emptied cache (one fresh start per"
        "\npage, before the measured runs). CPU: gunicorn workers' user + system time."
    )
    goals = [t for t in targets if t.goal is not None and t.visitor in baseline]
    if goals:
        print("\nTargets from the issue:")
    for t in goals:
        ratio = t.rps / baseline[t.visitor].rps
        verdict = "met" if ratio >= t.goal else "NOT met"
        name = f"{t.label} ({t.visitor})"
        print(f"  {name:<45} >= {t.goal:.1f}x bare: {ratio:.2f}x  {verdict}")


def page_body(target: Target) -> bytes:
    """Request the page once as its visitor; its body (it must answer 200)."""
    timeout = max(START_TIMEOUT, target.timeout)
    connection = http.client.HTTPConnection("127.0.0.1", target.server.port, timeout=timeout)
    try:
        connection.request("GET", target.path, headers=target.headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise SystemExit(f"{target.label} answered {response.status}, not 200")
    return body


def feed_check(target: Target) -> tuple[int, int]:
    """Request the calendar feed once: its events and its size in bytes."""
    body = page_body(target)
    return body.count(b"BEGIN:VEVENT"), len(body)


def feed_report(target: Target, feed: dict, events: int, size: int) -> None:
    seeded, held = feed["seeded"], feed["feed"]
    total = seeded["group_sessions"] + seeded["debrief_slots"]
    print(
        f"\nCalendar feed of a supervisor with 2 years of sessions ({target.shown_path}):\n"
        f"  seeded: {seeded['group_sessions']} weekly group sessions and "
        f"{seeded['debrief_slots']} debrief slots ({seeded['bookings']} seats), from "
        f"{-seeded['first_days']:.0f} days back to {seeded['last_days']:.0f} days ahead.\n"
        f"  p50 {percentile(target.latencies, 0.5) * 1000:.1f} ms, p95 "
        f"{percentile(target.latencies, 0.95) * 1000:.1f} ms, {target.rps:.1f} req/s, "
        f"SQL per request {statistics.median(target.queries):g} (cold {target.cold_queries}); "
        f"{events} events, {size / 1024:.0f} kB per response."
    )
    if held["sessions"]:
        window = f"from {-held['first_days']:.0f} days back to {held['last_days']:.0f} days ahead"
    else:
        window = "nothing"
    print(
        f"  The feed holds {held['sessions']} of the {total} sessions, {window}: "
        "feed_sessions reads from 90 days back and has no limit ahead."
    )


def wellbeing_check(volunteer: Target, team: Target, data: dict) -> dict:
    """Request both wellbeing pages once: their sizes in bytes, and in how many months the
    team's table counts every volunteer of the team (a respondents cell of that number)."""
    people = data["team"]["seeded"]["people"]
    body = page_body(team)
    return {
        "volunteer_size": len(page_body(volunteer)),
        "team_size": len(body),
        "months_all": body.count(f"<td>{people}</td>".encode()),
    }


def wellbeing_report(volunteer: Target, team: Target, data: dict, checked: dict) -> None:
    def timing(target: Target) -> str:
        return (
            f"p50 {percentile(target.latencies, 0.5) * 1000:.1f} ms, p95 "
            f"{percentile(target.latencies, 0.95) * 1000:.1f} ms, {target.rps:.1f} req/s, "
            f"SQL per request {statistics.median(target.queries):g} "
            f"(cold {target.cold_queries}), {len(target.latencies)} requests"
        )

    mine, theirs = data["volunteer"], data["team"]
    seeded = theirs["seeded"]
    print(
        f"\nWellbeing (every pulse scored by wellbeing.instruments.score):\n"
        f"  {volunteer.path}: a volunteer with {mine['seeded']['check_ins']} weekly pulses "
        f"({mine['seeded']['concern']} in a concerning range) from "
        f"{-mine['seeded']['first_days']:.0f} days back, made in {mine['wall']:.1f} s.\n"
        f"    {timing(volunteer)}; {checked['volunteer_size'] / 1024:.0f} kB per response.\n"
        f"  {team.path}: {seeded['people']} volunteers with {seeded['check_ins']} weekly pulses "
        f"({seeded['concern']} concerning) from {-seeded['first_days']:.0f} days back, seen by "
        f"their coordinator; made in {theirs['wall']:.1f} s (people {seeded['seconds_people']} "
        f"s, the old check-ins deleted {seeded['seconds_delete']} s, the new written "
        f"{seeded['seconds_check_ins']} s).\n"
        f"    {timing(team)}; {checked['team_size'] / 1024:.0f} kB per response; the pulse's "
        f"totals count all {seeded['people']} volunteers in {checked['months_all']} of its 12 "
        "months."
    )


def coordinators_check(targets: list[Target], teams: list[dict]) -> dict[str, int]:
    """Request each coordinators' page once: its size in bytes (by path). The dashboards and
    the report page must name the team; the export must be an XLSX file (a ZIP archive)."""
    names = {team[key]: team["team"] for team in teams for key in ("dashboard", "report")}
    sizes = {}
    for target in targets:
        body = page_body(target)
        if target.path in names and names[target.path].encode() not in body:
            raise SystemExit(f"{target.label} does not name the team {names[target.path]!r}")
        if target.path.endswith("format=xlsx") and not body.startswith(b"PK\x03\x04"):
            raise SystemExit(f"{target.label} is not an XLSX file")
        sizes[target.path] = len(body)
    return sizes


def coordinators_report(targets: list[Target], teams: list[dict], sizes: dict[str, int]) -> None:
    by_path = {target.path: target for target in targets}
    print(
        "\nCoordinators (data made by scripts/bench_coordinators.py), signed in as the team's "
        "coordinator\n(second factor done), one client at a time:"
    )
    for team in teams:
        seeded = team["seeded"]
        if team["kept"]:
            made = f"kept, made {team['made_days_ago']:g} days ago (script {team['wall']:.1f} s)"
        else:
            parts = ", ".join(f"{part} {s:g}" for part, s in team["seconds_parts"].items())
            made = f"made in {team['wall']:.1f} s ({parts} s)"
        print(
            f"  team of {team['size']:,}, 24 months of history: {seeded['volunteers']:,} "
            f"volunteers, {seeded['completions']:,} course completions,\n"
            f"    {seeded['quiz_attempts']:,} quiz attempts, {seeded['sessions']:,} sessions, "
            f"{seeded['bookings']:,} bookings, {seeded['debrief_requests']:,} debrief requests, "
            f"{seeded['check_ins']:,} weekly pulses;\n    {made}."
        )
    biggest = teams[-1]
    rows = [(f"dashboard, {team['size']:,}", team["dashboard"]) for team in teams]
    period = " to ".join(biggest["period"])
    rows += [
        (f"report XLSX, {biggest['size']:,} ({period})", biggest["xlsx"]),
        (f"report page, {biggest['size']:,} ({period})", biggest["report"]),
    ]
    columns = ("requests", "p50 ms", "p95 ms", "CPU ms/req", "SQL warm", "SQL cold", "kB")
    print(f"  {'page':<40}" + "".join(f" {c:>10}" for c in columns))
    for label, path in rows:
        t = by_path[path]
        print(
            f"  {label:<40} {len(t.latencies):>10} {percentile(t.latencies, 0.5) * 1000:>10.1f}"
            f" {percentile(t.latencies, 0.95) * 1000:>10.1f}"
            f" {t.cpu_ticks / CLOCK_TICKS * 1000 / len(t.latencies):>10.1f}"
            f" {statistics.median(t.queries):>10g} {t.cold_queries:>10}"
            f" {sizes[path] / 1024:>10.0f}"
        )
    small, large = by_path[teams[0]["dashboard"]], by_path[biggest["dashboard"]]
    queries = [statistics.median(t.queries) for t in (small, large)]
    dashboard_p50 = percentile(large.latencies, 0.5)
    xlsx_p50 = percentile(by_path[biggest["xlsx"]].latencies, 0.5)
    checks = [
        (
            f"same SQL queries on both dashboards ({queries[0]:g} and {queries[1]:g})",
            queries[0] == queries[1],
        ),
        (
            f"dashboard p50 for {biggest['size']:,} under {DASHBOARD_P50_GOAL * 1000:.0f} ms "
            f"({dashboard_p50 * 1000:.0f} ms)",
            dashboard_p50 < DASHBOARD_P50_GOAL,
        ),
        (
            f"XLSX export p50 for {biggest['size']:,} under {XLSX_P50_GOAL:g} s ({xlsx_p50:.2f} s)",
            xlsx_p50 < XLSX_P50_GOAL,
        ),
    ]
    print("  Targets from the issue:")
    for name, passed in checks:
        print(f"    {name:<62} {'PASS' if passed else 'FAIL'}")


@dataclass
class BookingRun:
    """Booking under parallel load on PostgreSQL, and what came of it."""

    server: Server
    postgres: str  # the server's version
    capacity: int
    sessions: list[dict]  # pk, page and book paths
    latencies: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    answers: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)  # str(session pk) -> booking-count's row
    failed: tuple[int, int] | None = None  # (session pk, user pk) of the first 5xx
    replayed: dict | None = None  # booking-replay's answer for it


def postgres_database() -> str:
    """Make sure BENCH_POSTGRES_URL's database exists (created when missing) and return the
    server's version; RuntimeError with the reason when PostgreSQL cannot be used."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError as error:
        raise RuntimeError(f"psycopg is not installed ({error})") from error
    parts = urlsplit(POSTGRES_URL)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, connect_timeout=5, autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if found is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return connection.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:
        raise RuntimeError(str(error).strip().splitlines()[0]) from error


def postgres_where() -> str:
    """BENCH_POSTGRES_URL without any password."""
    parts = urlsplit(POSTGRES_URL)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def booking_visitors(server: Server, data: dict) -> list[dict]:
    """Each volunteer opens the first session's page, as a browser does before booking; that
    checks they are signed in and gives the CSRF cookie and the form's token."""
    page = data["sessions"][0]["page"]

    def open_page(visitor: dict) -> dict:
        cookies = {visitor["name"]: visitor["value"]}
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(
                "GET", page, headers={"Cookie": cookie_header(cookies), "X-Bench-Check": "1"}
            )
            response = connection.getresponse()
            body = response.read().decode()
        finally:
            connection.close()
        if response.status != 200 or response.getheader("X-Bench-User") != str(visitor["user"]):
            raise SystemExit(
                f"{page} answered {response.status} to user {response.getheader('X-Bench-User')}"
                f", not 200 to user {visitor['user']}"
            )
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.update({k: v.value for k, v in SimpleCookie(header).items()})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if token is None or len(cookies) < 2:
            raise SystemExit(f"{page} gave user {visitor['user']} no booking form or CSRF cookie")
        return {"cookie": cookie_header(cookies), "token": token.group(1), "user": visitor["user"]}

    with ThreadPoolExecutor(BOOKING_THREADS) as pool:
        return list(pool.map(open_page, data["visitors"]))


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def booking_round(run: BookingRun, session: dict, visitors: list[dict], seed: int) -> None:
    """Every volunteer posts "book" BOOKING_CLICKS times, in random order, BOOKING_THREADS
    at a time."""
    jobs = [visitor for visitor in visitors for _ in range(BOOKING_CLICKS)]
    random.Random(seed).shuffle(jobs)

    def post(visitor: dict) -> tuple[float | None, str, int]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", run.server.port, timeout=REQUEST_TIMEOUT
        )
        headers = {
            "Cookie": visitor["cookie"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
        try:
            started = time.perf_counter()
            connection.request(
                "POST",
                session["book"],
                body=urlencode({"csrfmiddlewaretoken": visitor["token"]}),
                headers=headers,
            )
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
        except (OSError, http.client.HTTPException) as error:
            return None, f"failed ({type(error).__name__})", 0
        finally:
            connection.close()
        answer = str(response.status)
        if response.status == 302:
            location = urlsplit(response.getheader("Location", "")).path
            answer = "302 to the session" if location == session["page"] else f"302 to {location}"
        return elapsed, answer, int(response.getheader("X-Bench-Queries", "0"))

    started = time.perf_counter()
    with ThreadPoolExecutor(BOOKING_THREADS) as pool:
        results = list(pool.map(post, jobs))
    run.seconds += time.perf_counter() - started
    for visitor, (elapsed, answer, queries) in zip(jobs, results, strict=True):
        run.answers[answer] += 1
        if answer.startswith("5") and run.failed is None:
            run.failed = (session["pk"], visitor["user"])
        if elapsed is not None:
            run.latencies.append(elapsed)
            run.queries.append(queries)


def booking_bench(servers: list[Server]) -> BookingRun | str:
    """The booking part on PostgreSQL; a line saying why it was skipped when it cannot run.
    The server is appended to ``servers`` so that the caller stops it whatever happens."""
    try:
        postgres = postgres_database()
    except RuntimeError as error:
        return (
            f"\nBooking under parallel load: SKIPPED, PostgreSQL at {postgres_where()} cannot "
            f"be used ({error}). Set BENCH_POSTGRES_URL to run it."
        )
    server = Server(
        "Atbalsts on PostgreSQL",
        ROOT,
        "website.settings.bench",
        "website.wsgi",
        PORT + 2,
        workers=BOOKING_WORKERS,
        extra_env={"DATABASE_URL": POSTGRES_URL},
    )
    server.manage("migrate", "--no-input")
    server.manage("createcachetable")
    data = server.script(
        "bench_supervision.py",
        "booking-prepare",
        *(str(n) for n in (BOOKERS, BOOKING_SESSIONS, BOOKING_CAPACITY)),
    )
    run = BookingRun(server, postgres, data["capacity"], data["sessions"])
    servers.append(server)
    server.start()
    visitors = booking_visitors(server, data)
    for number, session in enumerate(run.sessions, 1):
        print(f"  session {number}/{len(run.sessions)}", flush=True)
        booking_round(run, session, visitors, seed=number)
    server.stop()
    run.counts = server.script(
        "bench_supervision.py", "booking-count", *(str(s["pk"]) for s in run.sessions)
    )
    if run.failed is not None:  # after the count: a replay that succeeds books a place
        run.replayed = server.script(
            "bench_supervision.py", "booking-replay", *map(str, run.failed)
        )
    return run


def booking_report(run: BookingRun | str | None) -> None:
    if run is None:  # BENCH_ONLY=wellbeing or coordinators
        return
    if isinstance(run, str):
        print(run)
        return
    answers = ", ".join(f"{count} {answer}" for answer, count in sorted(run.answers.items()))
    errors = sum(count for answer, count in run.answers.items() if answer[0] in "5f")
    waiting = BOOKERS - run.capacity
    print(
        f"\nBooking under parallel load: PostgreSQL {run.postgres} at {postgres_where()}, "
        f"gunicorn {BOOKING_WORKERS} sync workers, {BOOKING_THREADS} clients at a time.\n"
        f"  {len(run.sessions)} sessions of {run.capacity} seats, one after another; on each, "
        f"{BOOKERS} signed-in volunteers post 'book' {BOOKING_CLICKS} times (a double click), "
        "in random order.\n"
        f"  {sum(run.answers.values())} POSTs, {len(run.latencies) / run.seconds:.1f} req/s, "
        f"p50 {percentile(run.latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(run.latencies, 0.95) * 1000:.1f} ms, "
        f"SQL per POST {statistics.median(run.queries):g} (median).\n"
        f"  Answers: {answers}; 5xx or failed: {errors}."
    )
    if run.replayed is not None:
        print(f"  The first 5xx, replayed alone in Django's test client: {run.replayed}")
    rows = [run.counts[str(session["pk"])] for session in run.sessions]
    for number, row in enumerate(rows, 1):
        print(
            f"  session {number}: seats {row['confirmed']} of {run.capacity} "
            f"(beyond the seats {row['over_capacity']}), waiting list {row['waitlisted']} "
            f"(expected {waiting}), cancelled {row['cancelled']}, people with more than one "
            f"place {row['duplicates']}, people placed {row['people']} of {BOOKERS}"
        )
    checks = [
        (
            "seats given == capacity in every session",
            all(r["confirmed"] == run.capacity for r in rows),
        ),
        ("no one holds two places (duplicates 0)", all(r["duplicates"] == 0 for r in rows)),
        ("everyone else on the waiting list", all(r["waitlisted"] == waiting for r in rows)),
        (
            "no 5xx, every answer the redirect to the session",
            set(run.answers) == {"302 to the session"},
        ),
    ]
    for name, passed in checks:
        print(f"  {name:<52} {'PASS' if passed else 'FAIL'}")


def header(targets: list[Target], atbalsts: dict) -> None:
    database = atbalsts["database"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\nPython {platform.python_version()}, Django {version('django')}, Wagtail "
        f"{version('wagtail')}, gunicorn {version('gunicorn')}; {os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.2f} (other work on the machine skews the numbers).\n"
        f"Each server: gunicorn, {WORKERS} sync workers; {CONCURRENCY} concurrent clients; "
        f"database {database}; cache {atbalsts['cache']['BACKEND'].rsplit('.', 1)[-1]}."
    )
    print("Pages:")
    for t in targets:
        where = f"{t.server.name} 127.0.0.1:{t.server.port}{t.shown_path or t.path}"
        print(f"  {t.label:<28} {t.visitor:<9} {where}")


def main() -> None:
    if ONLY not in ("", *PARTS):
        raise SystemExit(f"BENCH_ONLY={ONLY!r}: leave it empty or say one of {', '.join(PARTS)}")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl+C
    started = time.monotonic()
    servers: list[Server] = []
    bare = bare_site = feed = booking = None
    wellbeing: list[Target] = []
    coordinators: list[Target] = []
    with tempfile.TemporaryDirectory(prefix="atbalsts-bench-") as folder:
        try:
            made = {
                "supervision": "the supervisor's two years",
                "wellbeing": "the wellbeing volunteer and team",
                "coordinators": "the coordinators' teams",
            }
            extra = ", ".join(made[part] for part in PARTS if ONLY in ("", part))
            print(f"Preparing Atbalsts (migrate, seed_demo, collectstatic, {extra})...", flush=True)
            atbalsts, site = atbalsts_prepare()
            servers.append(atbalsts)
            if not ONLY:
                print("Preparing a bare Wagtail project (wagtail start, migrate)...", flush=True)
                bare, bare_site = bare_prepare(Path(folder), site)
                servers.append(bare)
            targets = targets_for(atbalsts, site, bare, bare_site)
            if "feed" in site:
                feed = next(t for t in targets if t.path == site["feed"]["path"])
            if "wellbeing" in site:
                paths = [site["wellbeing"][kind]["path"] for kind in ("volunteer", "team")]
                wellbeing = [next(t for t in targets if t.path == path) for path in paths]
            if "coordinators" in site:
                keys = ("dashboard", "xlsx", "report")
                paths = {team[key] for team in site["coordinators"] for key in keys}
                coordinators = [t for t in targets if t.path in paths]
            header(targets, site)
            print("\nCold pass: a fresh server per page...", flush=True)
            cold_pass(targets)
            print("Measuring...", flush=True)
            for server in servers:
                server.start()
            if feed is not None:
                events, size = feed_check(feed)
            if wellbeing:
                checked = wellbeing_check(*wellbeing, site["wellbeing"])
            if coordinators:
                sizes = coordinators_check(coordinators, site["coordinators"])
            warm_runs(targets)
            for server in servers:
                server.stop()
            if ONLY in ("", "supervision"):
                print("Booking under parallel load on PostgreSQL...", flush=True)
                booking = booking_bench(servers)
        finally:
            for server in servers:
                server.stop()
    report(targets, bare)
    if feed is not None:
        feed_report(feed, site["feed"], events, size)
    if wellbeing:
        wellbeing_report(*wellbeing, site["wellbeing"], checked)
    if coordinators:
        coordinators_report(coordinators, site["coordinators"], sizes)
    booking_report(booking)
    print(
        f"\nTotal time {time.monotonic() - started:.0f} s; "
        f"load average at the end {os.getloadavg()[0]:.2f}."
    )


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit(
            "\nInterrupted: the servers are stopped, the temporary folder removed."
        ) from None
