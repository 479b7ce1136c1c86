#!/usr/bin/env python3
"""Control-plane benchmark of Ebb: seeds N services in one namespace through the REST API and
reports p50/p99/max latency of create, get, list page and traffic update, each next to the same
run's baseline, GET /actuator/health (same server, HTTP stack and client; no database work).

Standard library only (Python 3.11). Starts the jar itself on 127.0.0.1 with a fresh data dir and
stops it at the end. It asserts nothing about time: every number is reported, none is judged.
See README.md next to this file.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import json
import math
import os
import platform
import random
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
NAMESPACE = "bench"
WARMUP_NAMESPACE = "bench-warmup"
PAGE_LIMIT = 100
SERVICES_PATH = f"/api/v1/namespaces/{NAMESPACE}/services"
HEALTH_PATH = "/actuator/health"  # the baseline; --baseline-path changes it
LIVENESS_PATH = "/actuator/health/liveness"
TRAFFIC_BODIES = (
    # Alternated per service so every update is a real change (an identical PUT is a no-op on the server).
    {"traffic": [{"latestRevision": True, "percent": 100}]},
    {"traffic": [{"latestRevision": True, "percent": 100, "tag": "t1"}]},
)


class BenchError(Exception):
    """A condition that makes the run meaningless; the message says what happened."""


# --------------------------------------------------------------------------------------------
# HTTP


class Client:
    """One keep-alive HTTP/1.1 connection. Times each request from sending it to the last byte of
    the response body. (Re)connecting happens before the clock starts, so a connection closed by
    the server (Tomcat closes a keep-alive connection after 100 requests by default) does not put
    a TCP handshake into one operation's latency; such reconnects are counted instead."""

    def __init__(self, port: int, token: str | None):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.headers = {"Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connects = 0

    def request(self, method: str, path: str, body: object | None = None):
        """Returns (status, response headers, body bytes, seconds)."""
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if self.conn.sock is None:
            self.conn.connect()
            self.connects += 1
        try:
            start = time.perf_counter_ns()
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
            elapsed = (time.perf_counter_ns() - start) / 1e9
        except (OSError, http.client.HTTPException) as e:
            self.conn.close()
            raise BenchError(f"{method} {path} failed: {type(e).__name__}: {e}") from e
        if response.will_close:
            self.conn.close()
        return response.status, response.headers, payload, elapsed

    def expect(self, method: str, path: str, expected: int, body: object | None = None):
        status, headers, payload, elapsed = self.request(method, path, body)
        if status != expected:
            raise BenchError(describe_unexpected(method, path, expected, status, headers, payload))
        return headers, payload, elapsed

    def close(self):
        self.conn.close()


def describe_unexpected(method, path, expected, status, headers, payload) -> str:
    text = f"{method} {path} answered {status}, expected {expected}"
    content_type = headers.get("Content-Type", "")
    try:
        problem = json.loads(payload) if payload else None
    except ValueError:
        problem = None
    if isinstance(problem, dict) and ("detail" in problem or "title" in problem):
        text += f": {problem.get('detail') or problem.get('title')}"
        extra = {k: v for k, v in problem.items() if k not in ("detail", "title", "status", "type", "instance")}
        if extra:
            text += f" {json.dumps(extra)[:2000]}"
    elif payload:
        text += f" ({content_type or 'no content type'}): {payload[:500].decode(errors='replace')}"
    return text


def parse_json(method: str, path: str, payload: bytes):
    try:
        return json.loads(payload)
    except ValueError as e:
        raise BenchError(f"{method} {path}: response is not JSON: {payload[:300]!r}") from e


# --------------------------------------------------------------------------------------------
# The server


class Server:
    def __init__(self, jar: Path):
        self.jar = jar
        self.data_dir = Path(tempfile.mkdtemp(prefix="ebb-bench-data-"))
        log = tempfile.NamedTemporaryFile(prefix="ebb-bench-server-", suffix=".log", delete=False)
        self.log_path = Path(log.name)
        self.log_file = log
        self.port = free_port()
        self.token = secrets.token_urlsafe(32)
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None

    def start(self, timeout: float = 120.0):
        env = dict(os.environ)
        env.update({
            "EBB_DATA_DIR": str(self.data_dir),
            "EBB_HTTP_PORT": str(self.port),
            "EBB_BOOTSTRAP_TOKEN": self.token,
            # The benchmark seeds one namespace far past the default 1,000 services a namespace may hold.
            "EBB_API_MAX_SERVICES_PER_NAMESPACE": "1000000",
            "SERVER_ADDRESS": HOST,  # listen on loopback only
        })
        started = time.monotonic()
        # Own session: Ctrl-C in the terminal reaches this script only, which then stops the server
        # in order; and the embedded PostgreSQL started by the JVM can be found by process group.
        self.process = subprocess.Popen(["java", "-jar", str(self.jar)], env=env, stdin=subprocess.DEVNULL,
                                        stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = started + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with code {self.process.returncode} during start-up; "
                                 f"last lines of {self.log_path}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", HEALTH_PATH)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    self.startup_seconds = time.monotonic() - started
                    return
                last = f"status {response.status}"
            except (OSError, http.client.HTTPException) as e:
                last = f"{type(e).__name__}: {e}"
            time.sleep(0.1)
        raise BenchError(f"GET {HEALTH_PATH} did not answer 200 within {timeout:.0f} s ({last}); "
                         f"last lines of {self.log_path}:\n{self.log_tail()}")

    def stop(self):
        """Stops the server (SIGTERM, so Spring shuts down and stops its PostgreSQL), waits for it,
        kills what is left of its process group, and deletes the data dir."""
        process = self.process
        if process is not None:
            if process.poll() is None:
                try:
                    process.terminate()
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    print(f"server did not stop within 60 s of SIGTERM; killing process group {process.pid}",
                          file=sys.stderr)
                    signal_group(process.pid, signal.SIGKILL)
                    process.wait()
            # A PostgreSQL the JVM did not stop: it runs in a session of its own, so find it by its data dir.
            stop_leftover_postgres(self.data_dir)
            # Anything else still in the server's process group: TERM, then KILL.
            if group_alive(process.pid):
                signal_group(process.pid, signal.SIGTERM)
                for _ in range(100):
                    if not group_alive(process.pid):
                        break
                    time.sleep(0.1)
                else:
                    signal_group(process.pid, signal.SIGKILL)
            self.process = None
        self.log_file.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        self.log_file.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def log_findings(self):
        """(count of WARN lines, count of ERROR lines, up to 20 distinct notable lines)."""
        warn = error = 0
        notable: list[str] = []
        seen = set()
        for line in self.log_path.read_text(errors="replace").splitlines():
            is_warn = " WARN " in line or line.startswith("WARN")
            is_error = " ERROR " in line or line.startswith("ERROR")
            warn += is_warn
            error += is_error
            if is_warn or is_error or "Exception" in line:
                key = line.split(" : ", 1)[-1][:160]
                if key not in seen and len(notable) < 20:
                    seen.add(key)
                    notable.append(line[:400])
        return warn, error, notable


def stop_leftover_postgres(data_dir: Path):
    """Fast-shuts-down (SIGINT, then SIGKILL after 15 s) any postmaster whose command line names a
    directory inside data_dir, i.e. one started by our server and left running."""
    marker = str(data_dir)
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"postgres") and any(marker.encode() in part for part in cmdline):
            pids.append(int(entry.name))
    for pid in pids:
        print(f"stopping leftover PostgreSQL {pid} of {data_dir}", file=sys.stderr)
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            continue
        for _ in range(150):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def signal_group(pgid: int, sig: int):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


# --------------------------------------------------------------------------------------------
# Measurements


class Result:
    def __init__(self, operation: str, clients: int, seconds: list[float], baseline: "Result | None" = None,
                 wall: float | None = None):
        self.operation = operation
        self.clients = clients
        self.seconds = sorted(seconds)
        self.baseline = baseline
        self.wall = wall

    def percentile(self, q: float) -> float:
        """Nearest rank: the smallest sample with at least q of all samples at or below it."""
        rank = max(1, math.ceil(q * len(self.seconds)))
        return self.seconds[rank - 1]

    @property
    def count(self):
        return len(self.seconds)


def run_parallel(clients: list[Client], work: list, task, stop: threading.Event) -> tuple[list[float], float]:
    """Runs task(client, item) -> seconds over work with one thread per client; items are taken
    from a shared queue in order. Returns (all latencies, wall seconds). Any failure aborts all."""
    lock = threading.Lock()
    position = [0]
    latencies: list[list[float]] = [[] for _ in clients]
    failures: list[BaseException] = []

    def worker(index: int):
        client = clients[index]
        mine = latencies[index]
        try:
            while not stop.is_set():
                with lock:
                    i = position[0]
                    if i >= len(work):
                        return
                    position[0] = i + 1
                mine.append(task(client, work[i]))
        except BaseException as e:  # noqa: BLE001 - handed to the main thread
            failures.append(e)
            stop.set()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True, name=f"client-{i}") for i in range(len(clients))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(timeout=0.5)  # short joins so Ctrl-C reaches the main thread
    wall = time.perf_counter() - start
    if failures:
        raise failures[0]
    if stop.is_set():
        raise KeyboardInterrupt
    return [s for chunk in latencies for s in chunk], wall


def create_body(name: str, index: int) -> dict:
    return {"name": name, "template": {"image": "ghcr.io/acme/model:1.0", "env": {"MODEL": f"m{index % 10 + 1}"}}}


class Bench:
    def __init__(self, args, server: Server):
        self.args = args
        self.server = server
        self.rng = random.Random(args.seed)
        self.stop = threading.Event()
        self.names = [f"svc-{i:05d}" for i in range(1, args.services + 1)]
        self.etags: dict[str, str] = {}
        self.tagged: dict[str, bool] = {}  # current traffic of each service: with tag t1 or without
        self.results: list[Result] = []
        self.notes: list[str] = []
        self.clients: list[Client] = []

    def client(self) -> Client:
        c = Client(self.server.port, self.server.token)
        self.clients.append(c)
        return c

    def progress(self, text: str):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    # -- operations (each returns its latency in seconds)

    def health(self, client: Client, _=None) -> float:
        _, payload, elapsed = client.expect("GET", self.args.baseline_path, 200)
        return elapsed

    def liveness(self, client: Client, _=None) -> float:
        _, payload, elapsed = client.expect("GET", LIVENESS_PATH, 200)
        return elapsed

    def create(self, client: Client, index: int, namespace: str = NAMESPACE) -> float:
        name = self.names[index] if namespace == NAMESPACE else f"warm-{index:05d}"
        path = f"/api/v1/namespaces/{namespace}/services"
        headers, payload, elapsed = client.expect("POST", path, 201, create_body(name, index))
        if namespace == NAMESPACE:
            view = parse_json("POST", path, payload)
            if view.get("name") != name:
                raise BenchError(f"POST {path} for {name} answered a service named {view.get('name')!r}")
            self.etags[name] = headers.get("ETag")
            self.tagged[name] = any(t.get("tag") for t in traffic_of(view))
        return elapsed

    def get(self, client: Client, name: str) -> float:
        path = f"{SERVICES_PATH}/{name}"
        _, payload, elapsed = client.expect("GET", path, 200)
        return elapsed

    def traffic(self, client: Client, name: str) -> float:
        path = f"{SERVICES_PATH}/{name}/traffic"
        body = TRAFFIC_BODIES[0] if self.tagged[name] else TRAFFIC_BODIES[1]
        headers, payload, elapsed = client.expect("PUT", path, 200, body)
        etag = headers.get("ETag")
        if etag is not None and etag == self.etags.get(name):
            raise BenchError(f"PUT {path} did not change the service (ETag still {etag}); "
                             "the benchmark would be timing a no-op")
        self.etags[name] = etag
        self.tagged[name] = not self.tagged[name]
        return elapsed

    def walk(self, client: Client, latencies: list[float], limit_pages: int | None = None) -> int:
        """Walks the namespace page by page; returns the number of services seen."""
        token = None
        seen = 0
        pages = 0
        while True:
            path = f"{SERVICES_PATH}?limit={PAGE_LIMIT}"
            if token:
                path += "&continue=" + urlquote(token)
            _, payload, elapsed = client.expect("GET", path, 200)
            latencies.append(elapsed)
            page = parse_json("GET", path, payload)
            items = page.get("items")
            if not isinstance(items, list) or len(items) > PAGE_LIMIT:
                raise BenchError(f"GET {path}: unexpected page shape: {payload[:300]!r}")
            seen += len(items)
            pages += 1
            token = page.get("continue")
            if not token or (limit_pages is not None and pages >= limit_pages):
                return seen

    # -- phases

    def measure(self, operation: str, clients: int, items: list, task, baseline: Result | None = None) -> Result:
        connections = [self.client() for _ in range(clients)]
        # One untimed request per connection so that connecting is not part of the first sample.
        for c in connections:
            self.health(c)
        self.progress(f"measuring {operation}: {len(items)} requests, {clients} client(s)")
        seconds, wall = run_parallel(connections, items, task, self.stop)
        result = Result(operation, clients, seconds, baseline, wall)
        self.results.append(result)
        self.progress(f"  p50 {ms(result.percentile(0.5))} ms, p99 {ms(result.percentile(0.99))} ms, "
                      f"max {ms(result.seconds[-1])} ms, {wall:.1f} s")
        return result

    def run(self):
        a = self.args
        samples = a.samples
        clients = a.clients

        self.progress(f"warm-up: {a.warmup} health calls on 1 and on {clients} clients, "
                      f"{a.warmup_creates} creates in namespace '{WARMUP_NAMESPACE}'")
        one = self.client()
        for _ in range(a.warmup):
            self.health(one)
        many = [self.client() for _ in range(clients)]
        run_parallel(many, list(range(a.warmup)), self.health, self.stop)
        run_parallel(many, list(range(a.warmup_creates)),
                     lambda c, i: self.create(c, i, WARMUP_NAMESPACE), self.stop)

        health_many = self.measure("health (baseline)", clients, list(range(samples)), self.health)
        create = self.measure("create", clients, list(range(a.services)), self.create, health_many)
        create_rate = a.services / create.wall
        self.notes.append(f"Seeding: {a.services:,} creates in {create.wall:.1f} s with {clients} clients "
                          f"({create_rate:.0f} creates/s).")

        # Check the seeding through the API, and warm up the read and traffic paths.
        self.progress("checking the seeded namespace with one list walk; warming up get, list and traffic")
        seen = self.walk(one, [])
        if seen != a.services:
            raise BenchError(f"listing namespace '{NAMESPACE}' returned {seen} services, expected {a.services}")
        for _ in range(a.warmup):
            self.get(one, self.rng.choice(self.names))
        for _ in range(max(1, a.warmup // 4)):
            self.traffic(one, self.rng.choice(self.names))
        # A walk of at most warm-up/10 pages (20 by default) warms the list path without reading all pages.
        self.walk(one, [], limit_pages=max(1, a.warmup // 10))

        health_one = self.measure("health (baseline)", 1, list(range(samples)), self.health)
        if a.baseline_path != LIVENESS_PATH:
            for _ in range(a.warmup):
                self.liveness(one)
            self.measure("health/liveness (no db check)", 1, list(range(samples)), self.liveness, health_one)
        self.measure("get", 1, [self.rng.choice(self.names) for _ in range(samples)], self.get, health_one)

        pages_per_walk = max(1, math.ceil(a.services / PAGE_LIMIT))
        walks = max(1, math.ceil(a.list_pages / pages_per_walk))
        list_latencies: list[float] = []
        self.progress(f"measuring list page: {walks} walk(s) of {pages_per_walk} pages of {PAGE_LIMIT}")
        lc = self.client()
        self.health(lc)
        start = time.perf_counter()
        for _ in range(walks):
            if self.stop.is_set():
                raise KeyboardInterrupt
            seen = self.walk(lc, list_latencies)
            if seen != a.services:
                raise BenchError(f"a list walk returned {seen} services, expected {a.services}")
        listing = Result(f"list page (limit={PAGE_LIMIT})", 1, list_latencies, health_one, time.perf_counter() - start)
        self.results.append(listing)
        self.progress(f"  p50 {ms(listing.percentile(0.5))} ms, p99 {ms(listing.percentile(0.99))} ms, "
                      f"max {ms(listing.seconds[-1])} ms, {listing.wall:.1f} s")
        self.notes.append(f"List: {walks} full walk(s) of the namespace, {pages_per_walk} pages each, "
                          f"following `continue` tokens.")

        self.measure("traffic update", 1, [self.rng.choice(self.names) for _ in range(samples)], self.traffic,
                     health_one)
        reconnects = sum(max(0, c.connects - 1) for c in self.clients)
        self.notes.append(f"Keep-alive connections; {reconnects} reconnect(s) after the server closed a connection "
                          "(done outside the timed part of a request).")


def traffic_of(view: dict) -> list:
    spec = view.get("spec") if isinstance(view.get("spec"), dict) else view
    traffic = spec.get("traffic")
    return traffic if isinstance(traffic, list) else []


def urlquote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


# --------------------------------------------------------------------------------------------
# Machine facts and the report


def machine_facts(jar: Path) -> list[tuple[str, str]]:
    facts = []
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    facts.append(("nproc", str(cpus)))
    try:
        quota = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota and quota[0] != "max":
            facts.append(("cgroup CPU limit", f"{int(quota[0]) / int(quota[1]):.2f} CPUs"))
    except (OSError, ValueError, IndexError):
        pass
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    facts.append(("CPU", model))
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                facts.append(("Memory", f"{kib / 1024 / 1024:.1f} GiB"))
                break
    except (OSError, ValueError):
        pass
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        facts.append(("Java", (out.stderr or out.stdout).splitlines()[0].strip()))
    except (OSError, IndexError, subprocess.TimeoutExpired):
        facts.append(("Java", "unknown"))
    facts.append(("Python", platform.python_version()))
    facts.append(("OS", f"{platform.system()} {platform.release()}"))
    shown = jar.resolve()
    if shown.is_relative_to(REPO_ROOT):
        shown = shown.relative_to(REPO_ROOT)
    try:
        digest = hashlib.sha256()
        with jar.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        facts.append(("Jar", f"`{shown}` ({jar.stat().st_size / 1e6:.0f} MB, sha256 {digest.hexdigest()[:12]})"))
    except OSError:
        facts.append(("Jar", f"`{shown}`"))
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
        facts.append(("Load average before start (1/5/15 min)", " / ".join(load)))
    except OSError:
        pass
    facts.append(("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
    return facts


def report(bench: Bench, server: Server, facts, command: str, total_seconds: float, log_summary: str) -> str:
    a = bench.args
    lines = [
        "## Control-plane benchmark",
        "",
        f"{a.services:,} services seeded through the REST API into namespace `{NAMESPACE}` of a fresh Ebb "
        "(embedded PostgreSQL), then each operation timed per request, client and server on the same machine "
        f"over 127.0.0.1. Baseline: `GET {a.baseline_path}` on the same server, same HTTP stack and client, "
        "no API work, measured in the same run at the same number of concurrent clients as the "
        "operation it is compared with (`p99 / health p99` is the operation's p99 over that baseline's p99)."
        + (" Note that `/actuator/health` still evaluates all health indicators, including `db` "
           "(a connection-validity check against PostgreSQL); `/actuator/health/liveness` below does no "
           "database call at all and is shown for reference." if a.baseline_path == HEALTH_PATH else ""),
        "",
        "| Operation | Clients | Count | p50 ms | p99 ms | max ms | p99 / health p99 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in bench.results:
        p99 = r.percentile(0.99)
        if r.baseline is None:
            ratio = "1.0 (baseline)"
        else:
            ratio = f"{p99 / r.baseline.percentile(0.99):.1f}"
        lines.append(f"| {r.operation} | {r.clients} | {r.count:,} | {ms(r.percentile(0.5))} | {ms(p99)} | "
                     f"{ms(r.seconds[-1])} | {ratio} |")
    by_name = {r.operation: r for r in bench.results}
    lines += [""]
    if "create" in by_name and "get" in by_name:
        lines.append(f"Issue goals, for reference (absolute, this machine): create p99 ≤ 50 ms, measured "
                     f"{ms(by_name['create'].percentile(0.99))} ms; get p99 ≤ 10 ms, measured "
                     f"{ms(by_name['get'].percentile(0.99))} ms.")
        lines.append("")
    lines.append(f"Server start-up: {server.startup_seconds:.1f} s from `java -jar` to the first 200 from "
                 f"`/actuator/health` (empty data dir: includes initialising the embedded PostgreSQL).")
    for note in bench.notes:
        lines.append(note)
    lines.append(f"Latency: from sending the request to reading the last byte of the response; p50/p99 by "
                 f"nearest rank. Traffic updates alternate each service between "
                 f"`[{{\"latestRevision\":true,\"percent\":100}}]` and the same with `\"tag\":\"t1\"`, so each "
                 f"is a real change (checked by its ETag). Whole run: {total_seconds:.0f} s. {log_summary}")
    lines += ["", "Machine:", ""]
    for key, value in facts:
        lines.append(f"- {key}: {value}")
    lines += ["", "Command (from the repository root):", "", "```", command, "```", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--jar", type=Path, default=REPO_ROOT / "backend" / "target" / "ebb.jar",
                   help="the Ebb jar to run (build it with 'mvn -DskipTests package' at the repository root)")
    p.add_argument("--services", type=int, default=10000, help="services to seed (all creates are timed)")
    p.add_argument("--samples", type=int, default=2000, help="timed requests for health, get and traffic update")
    p.add_argument("--list-pages", type=int, default=None,
                   help="timed list pages, rounded up to whole walks of the namespace (default: samples / 4)")
    p.add_argument("--clients", type=int, default=4,
                   help="concurrent client threads for seeding (and its health baseline)")
    p.add_argument("--warmup", type=int, default=200, help="untimed warm-up requests per kind")
    p.add_argument("--warmup-creates", type=int, default=200,
                   help=f"untimed creates in namespace '{WARMUP_NAMESPACE}' before seeding")
    p.add_argument("--baseline-path", default=HEALTH_PATH,
                   help="the unauthenticated GET that serves as the baseline")
    p.add_argument("--seed", type=int, default=1, help="random seed for picking services")
    p.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    args = p.parse_args(argv)
    if args.list_pages is None:
        args.list_pages = max(1, args.samples // 4)
    for name in ("services", "samples", "list_pages", "clients"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.services > 99999:
        p.error("--services is at most 99999 (names are svc-00001 ... svc-99999)")
    args.jar = args.jar.resolve()
    if not args.jar.is_file():
        p.error(f"no jar at {args.jar}; build it with 'mvn -DskipTests package' at {REPO_ROOT} or pass --jar")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = shlex.join(["python3", sys.argv[0], *argv])
    began = time.monotonic()

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    facts = machine_facts(args.jar)
    server = Server(args.jar)
    bench = None
    status = 0
    try:
        print(f"starting {args.jar} on {HOST}:{server.port}; server log: {server.log_path}", file=sys.stderr)
        server.start()
        print(f"server answered {HEALTH_PATH} after {server.startup_seconds:.1f} s", file=sys.stderr)
        bench = Bench(args, server)
        bench.run()
    except BenchError as e:
        print(f"\nABORTED: {e}\nserver log: {server.log_path}", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("\ninterrupted; stopping the server", file=sys.stderr)
        status = 130
    finally:
        if bench is not None:
            bench.stop.set()
            for c in bench.clients:
                c.close()
        server.stop()
    if status:
        return status

    warn, error, notable = server.log_findings()
    log_summary = f"Server log: {warn} WARN and {error} ERROR line(s)."
    if notable:
        print("notable server log lines:", file=sys.stderr)
        for line in notable:
            print(f"  {line}", file=sys.stderr)
    text = report(bench, server, facts, command, time.monotonic() - began, log_summary)
    print(text)
    if args.out:
        args.out.write_text(text)
        print(f"wrote {args.out}", file=sys.stderr)
    print(f"server log kept at {server.log_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
