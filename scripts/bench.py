"""`make bench`: serve the seeded site with gunicorn and measure, in one run, a plain Wagtail
page against a module page with a quiz, both for a signed-in volunteer.

Prints requests/s and p50/p95 latency for each page and their ratio. The target is a module
page within 1.5x of the plain page. Only 127.0.0.1 is contacted; every loop is bounded."""

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
PLAIN_PATH = "/en/privacy/"
MODULE_PATH = "/en/courses/psychological-first-aid/look/"
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.bench"}


def manage(*args, debug=False):
    env = dict(ENV)
    if debug:  # seed_demo refuses to run without DEBUG; the dev settings share the database
        env["DJANGO_SETTINGS_MODULE"] = "website.settings.dev"
        env.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def session_cookie() -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.bench"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(email="aija@example.org"))
    return client.cookies["sessionid"].value


def wait_for_port(timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", PORT)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def measure(path: str, cookie: str) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    per_worker = REQUESTS // CONCURRENCY
    errors = []

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        for _ in range(per_worker):
            start = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            if response.status != 200:
                errors.append(response.status)
            with lock:
                latencies.append(elapsed)
        connection.close()

    # Warm up caches and connections, bounded.
    warm = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    for _ in range(20):
        warm.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        warm.getresponse().read()
    warm.close()

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{path}: {len(errors)} non-200 answers, e.g. {errors[:3]}")
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main():
    print("Preparing the benchmark database (migrate, seed_demo, collectstatic)…", flush=True)
    manage("migrate", "--no-input")
    manage("createcachetable")
    manage("seed_demo", debug=True)
    manage("collectstatic", "--no-input")
    cookie = session_cookie()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "website.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        wait_for_port()
        plain = measure(PLAIN_PATH, cookie)
        module = measure(MODULE_PATH, cookie)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\n{'page':<48} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, row in (
        ("plain Wagtail page " + PLAIN_PATH, plain),
        ("module page with quiz " + MODULE_PATH, module),
    ):
        numbers = f"{row['requests']:>8} {row['rps']:>8.1f} {row['p50']:>8.1f} {row['p95']:>8.1f}"
        print(f"{label:<48} {numbers}")
    ratio = module["p50"] / plain["p50"]
    rps_ratio = plain["rps"] / module["rps"]
    verdict = "meets" if ratio <= 1.5 else "misses"
    print(
        f"\nmodule/plain: p50 {ratio:.2f}x, p95 {module['p95'] / plain['p95']:.2f}x, "
        f"throughput {rps_ratio:.2f}x slower. Target <= 1.5x: {verdict}."
    )


if __name__ == "__main__":
    main()
