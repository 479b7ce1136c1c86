#!/usr/bin/env python3
"""Gateway benchmark of Ebb: the same backend instance measured directly, through Debian's nginx
(reverse proxy with upstream keep-alive) and through Ebb's gateway, in one run.

Throughput: Debian's `wrk` (closed loop) against GET /healthz of the sample model server; req/s,
p50/p99 and the proxy process's CPU-seconds per 10,000 requests, as ratios to nginx. Added latency:
an open-loop fixed rate (FixedRate.java, compiled with javac) against POST .../predict of a second
instance with LATENCY_MS=100; p50/p99 and the p99 each proxy adds over the direct path.

Standard library only (Python 3.11). Starts Ebb, nginx and the load generators itself, on 127.0.0.1
only, and stops all of them at the end (also on errors and Ctrl-C). It asserts nothing about time:
every number is reported, none is judged. See README.md next to this file.
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
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
NAMESPACE = "bench"
ECHO = "echo"        # the light backend: GET /healthz for wrk
SLOW = "slow"        # LATENCY_MS=100: POST /v1/models/bench:predict for the fixed rate
LIGHT_PATH = "/healthz"
PREDICT_PATH = "/v1/models/bench:predict"
PREDICT_BODY = '{"instances": [[5.1, 3.5, 1.4, 0.2]]}'
HEALTH_PATH = "/actuator/health"
CLK_TCK = os.sysconf("SC_CLK_TCK")
BACKEND_MAX_IDLE = 2000


class BenchError(Exception):
    """A condition that makes the run meaningless; the message says what happened."""


def progress(text: str):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# Processes


def proc_stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may contain spaces.
    return text[text.rindex(")") + 2:].split()


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (all their threads), in seconds. Children are listed
    explicitly by the caller (nginx workers); cutime/cstime would only count children that have
    exited, and Ebb's children are the backend instances themselves, which must not be counted."""
    total = 0
    for pid in pids:
        fields = proc_stat(pid)
        if fields is not None:
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat: utime, stime
    return total / CLK_TCK


JVM_THREAD_GROUPS = [("event loops", ("vert.x-eventloo",)), ("JIT compiler", ("C1 CompilerThre", "C2 CompilerThre")),
                     ("GC", ("GC Thread", "G1 ")), ("access log writer", ("ebb-access-log",))]


def jvm_thread_cpu(pid: int) -> dict[str, float]:
    """utime + stime of one JVM's threads, in seconds, summed by what the threads do (their names in
    /proc/<pid>/task/*/comm, cut to 15 characters by Linux); everything else counts as "other"."""
    groups: dict[str, float] = {name: 0.0 for name, _ in JVM_THREAD_GROUPS}
    groups["other"] = 0.0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return groups
    for tid in tids:
        try:
            name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        ticks = int(fields[11]) + int(fields[12])
        group = next((g for g, prefixes in JVM_THREAD_GROUPS if name.startswith(prefixes)), "other")
        groups[group] += ticks / CLK_TCK
    return groups


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> list[str]:
    try:
        return [p.decode(errors="replace") for p in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if p]
    except OSError:
        return []


def environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return {}
    env = {}
    for item in raw:
        if b"=" in item:
            k, v = item.split(b"=", 1)
            env[k.decode(errors="replace")] = v.decode(errors="replace")
    return env


def all_pids() -> list[int]:
    return [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()]


def model_server_pids(marker: str) -> list[int]:
    """Model-server processes started by an Ebb of this run: their working directory lies in
    one of our data dirs (each instance gets a scratch dir under $EBB_DATA_DIR/runtime/)."""
    found = []
    for pid in all_pids():
        args = cmdline(pid)
        if any(a.endswith("model-server.jar") for a in args):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                cwd = ""
            if cwd.startswith(marker):
                found.append(pid)
    return found


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


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fields = proc_stat(pid)
        if fields is None or fields[0] == "Z":
            return True
        time.sleep(0.1)
    return False


# --------------------------------------------------------------------------------------------
# HTTP (control plane calls only; the load comes from wrk and FixedRate.java)


def http_call(port: int, method: str, path: str, token: str | None = None, body=None,
              headers: dict | None = None, timeout: float = 30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        h = {"Accept": "application/json"}
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn.request(method, path, body=data, headers=h)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Ebb:
    """One Ebb JVM on a fresh data dir, random ports, a random admin token; 127.0.0.1 only."""

    def __init__(self, jar: Path, label: str, workdir: Path, extra_jvm: list[str] | None = None,
                 extra_env: dict | None = None):
        self.jar = jar
        self.label = label
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"ebb-bench-gw-{label}-", dir=workdir))
        self.log_path = workdir / f"ebb-{label}.log"
        self.log_file = open(self.log_path, "wb")
        self.http_port = free_port()
        self.gateway_port = free_port()
        self.public_port = free_port()
        self.token = secrets.token_urlsafe(32)
        self.extra_jvm = extra_jvm or []
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.startup_seconds = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, timeout: float = 180.0):
        env = dict(os.environ)
        env.update({
            "EBB_DATA_DIR": str(self.data_dir),
            "EBB_HTTP_PORT": str(self.http_port),
            "EBB_GATEWAY_PORT": str(self.gateway_port),
            "EBB_GATEWAY_PUBLIC_PORT": str(self.public_port),
            "EBB_GATEWAY_HOST": HOST,
            "EBB_BOOTSTRAP_TOKEN": self.token,
            "SERVER_ADDRESS": HOST,
        })
        env.update(self.extra_env)
        started = time.monotonic()
        # Own session: Ctrl-C reaches this script only, which stops everything in order.
        self.process = subprocess.Popen(["java", *self.extra_jvm, "-jar", str(self.jar)], env=env,
                                        stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = started + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"Ebb ({self.label}) exited with code {self.process.returncode} during start-up; "
                                 f"last lines of {self.log_path}:\n{self.log_tail()}")
            try:
                status, _ = http_call(self.http_port, "GET", HEALTH_PATH, timeout=5)
                if status == 200:
                    self.startup_seconds = time.monotonic() - started
                    return
                last = f"status {status}"
            except (OSError, http.client.HTTPException) as e:
                last = f"{type(e).__name__}: {e}"
            time.sleep(0.2)
        raise BenchError(f"Ebb ({self.label}) did not answer {HEALTH_PATH} within {timeout:.0f} s ({last}); "
                         f"last lines of {self.log_path}:\n{self.log_tail()}")

    def api(self, method: str, path: str, body=None, expected=(200,)):
        status, payload = http_call(self.http_port, method, path, self.token, body)
        if status not in expected:
            raise BenchError(f"{method} {path} answered {status}: {payload[:1000].decode(errors='replace')}")
        return json.loads(payload) if payload else None

    def stop(self):
        """SIGTERM (Ebb stops its instances and its PostgreSQL), then whatever is left of its group."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:
                process.terminate()
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                progress(f"Ebb ({self.label}) did not stop within 60 s of SIGTERM; killing process group {process.pid}")
                signal_group(process.pid, signal.SIGKILL)
                process.wait()
        stop_leftovers(str(self.data_dir))
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

    def log_tail(self, lines: int = 40) -> str:
        self.log_file.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_findings(self):
        """(WARN count, ERROR count, access-log lines, up to 15 distinct notable lines)."""
        warn = error = access = 0
        notable, seen = [], set()
        with open(self.log_path, errors="replace") as f:
            for line in f:
                if "ebb.gateway.access" in line:
                    access += 1
                    continue
                is_warn = " WARN " in line
                is_error = " ERROR " in line
                warn += is_warn
                error += is_error
                if is_warn or is_error or "Exception" in line:
                    key = line.split(" : ", 1)[-1][:160]
                    if key not in seen and len(notable) < 15:
                        seen.add(key)
                        notable.append(line.rstrip()[:400])
        return warn, error, access, notable


def end_process(process: subprocess.Popen, grace: float, sig: int = signal.SIGTERM):
    """Sends `sig` to a process still running and waits up to `grace` seconds; past that, SIGKILL to its group."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            signal_group(process.pid, signal.SIGKILL)
            process.wait()


def stop_leftovers(marker: str):
    """Stops model servers and PostgreSQL processes that belong to a data dir of this run."""
    pids = model_server_pids(marker)
    for pid in all_pids():
        args = cmdline(pid)
        if args and args[0].endswith("postgres") and any(marker in a for a in args):
            pids.append(pid)
    for pid in pids:
        progress(f"stopping leftover process {pid}: {' '.join(cmdline(pid))[:200]}")
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        if not wait_gone(pid, 15):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class PrototypeProxy:
    """A benchmark-only prototype of the gateway's hot path (reactor-proxy/ReactorProxy.java on Reactor Netty,
    netty-proxy/NettyProxy.java on plain Netty), run by the JDK's source launcher on the classpath that Maven
    resolves from its pom.xml (Spring Boot 4.0.7's versions)."""

    def __init__(self, workdir: Path, name: str, label: str, main: str, version_jars: tuple[str, ...],
                 event_loops: int, routes: dict[str, int]):
        self.workdir = workdir
        self.name = name
        self.label = label
        self.main = main
        self.version_jars = version_jars
        self.port = free_port()
        self.event_loops = event_loops
        self.routes = routes
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.versions = ""

    def start(self, timeout: float = 120):
        project = HERE / self.name
        classpath_file = self.workdir / f"{self.name}.classpath"
        out = subprocess.run(["mvn", "-q", "-f", str(project / "pom.xml"), "dependency:build-classpath",
                              f"-Dmdep.outputFile={classpath_file}"], capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            raise BenchError(f"could not resolve the {self.label}'s classpath: {out.stdout[-2000:]}{out.stderr[-2000:]}")
        classpath = classpath_file.read_text().strip()
        jars = [Path(j).name for j in classpath.split(":")]
        self.versions = ", ".join(j[:-4] for j in jars if j.startswith(self.version_jars))
        self.log_file = open(self.log_path, "wb")
        cmd = ["java", "-cp", classpath, str(project / self.main), str(self.port), str(self.event_loops),
               *[f"{host}={HOST}:{port}" for host, port in self.routes.items()]]
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the {self.label} exited with {self.process.returncode}: "
                                 f"{self.log_path.read_text(errors='replace')[-2000:]}")
            if "listening" in self.log_path.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise BenchError(f"the {self.label} did not listen within {timeout:.0f} s")

    def stop(self):
        if self.process is None:
            return
        end_process(self.process, 15)
        self.process = None
        self.log_file.close()


class Nginx:
    """Debian's nginx, run by hand from a temporary prefix, in the foreground (daemon off)."""

    def __init__(self, workdir: Path, workers: str, echo_port: int, slow_port: int, keepalive: int,
                 access_log: bool = False):
        self.prefix = workdir / ("nginx-logged" if access_log else "nginx")
        self.access_log = access_log
        self.prefix.mkdir()
        for d in ("logs", "tmp"):
            (self.prefix / d).mkdir()
        self.port = free_port()
        self.slow_port = free_port()
        self.workers = workers
        self.conf = self.prefix / "nginx.conf"
        headers = ("        proxy_http_version 1.1;\n"
                   "        proxy_set_header Connection \"\";\n"
                   "        proxy_set_header Host $host;\n"
                   "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                   "        proxy_set_header X-Forwarded-Proto $scheme;\n"
                   "        proxy_set_header X-Forwarded-Host $host;\n"
                   "        proxy_set_header X-Request-Id $request_id;\n"
                   "        add_header X-Request-Id $request_id;\n")
        tmp = self.prefix / "tmp"
        # On: Debian's nginx.conf default, `access_log /var/log/nginx/access.log;` (combined format, unbuffered).
        access_log = f"access_log {self.prefix}/logs/access.log;" if access_log else "access_log off;"
        self.conf.write_text(f"""# Written by bench/gateway/run.py
worker_processes {workers};
daemon off;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    {access_log}
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # wrk's connections stay open for the whole run, as they do with the gateway (default: closed after 1000 requests).
    keepalive_requests 1000000;
    upstream echo {{
        server {HOST}:{echo_port};
        keepalive {keepalive};
        keepalive_requests 1000000;
    }}
    upstream slow {{
        server {HOST}:{slow_port};
        keepalive {keepalive};
        keepalive_requests 1000000;
    }}
    server {{
        listen {HOST}:{self.port};
        location / {{
            proxy_pass http://echo;
{headers}        }}
    }}
    server {{
        listen {HOST}:{self.slow_port};
        location / {{
            proxy_pass http://slow;
{headers}        }}
    }}
}}
""")
        self.log_path = self.prefix / "logs" / "stdout.log"
        self.process: subprocess.Popen | None = None

    def start(self):
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(["nginx", "-c", str(self.conf), "-p", str(self.prefix)],
                                        stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"nginx exited with {self.process.returncode}: "
                                 f"{self.log_path.read_text(errors='replace')[-2000:]}"
                                 f"{(self.prefix / 'logs' / 'error.log').read_text(errors='replace')[-2000:]}")
            try:
                status, _ = http_call(self.port, "GET", LIGHT_PATH, timeout=2)
                if status == 200 and children_of(self.process.pid):
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise BenchError("nginx did not answer within 20 s")

    def pids(self) -> list[int]:
        return [self.process.pid, *children_of(self.process.pid)]

    def stop(self):
        if self.process is None:
            return
        end_process(self.process, 15, signal.SIGQUIT)  # nginx's graceful shutdown
        if group_alive(self.process.pid):
            signal_group(self.process.pid, signal.SIGKILL)
        self.process = None
        self.log_file.close()

    def access_lines(self) -> int:
        try:
            with open(self.prefix / "logs" / "access.log", "rb") as f:
                return sum(1 for _ in f)
        except OSError:
            return 0

    def error_lines(self) -> list[str]:
        try:
            return [l for l in (self.prefix / "logs" / "error.log").read_text(errors="replace").splitlines() if l]
        except OSError:
            return []


# --------------------------------------------------------------------------------------------
# Load


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise BenchError(f"cannot parse wrk duration {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(out: str) -> dict:
    result = {"errors": 0, "non2xx": 0}
    for line in out.splitlines():
        s = line.strip()
        m = re.match(r"(50|75|90|99)%\s+(\S+)", s)
        if m:
            result[f"p{m.group(1)}"] = parse_duration(m.group(2))
        m = re.match(r"(\d+) requests in ([\d.]+\w+),", s)
        if m:
            result["requests"] = int(m.group(1))
            result["seconds"] = parse_duration(m.group(2))
        if s.startswith("Requests/sec:"):
            result["rps"] = float(s.split()[1])
        if s.startswith("Non-2xx or 3xx responses:"):
            result["non2xx"] = int(s.split()[-1])
        if s.startswith("Socket errors:"):
            result["errors"] = sum(int(x) for x in re.findall(r"\w+ (\d+)", s))
    for key in ("p50", "p99", "rps", "requests"):
        if key not in result:
            raise BenchError(f"could not find {key} in wrk's output:\n{out}")
    return result


class Target:
    def __init__(self, key: str, label: str, port: int, slow_port: int, host_header: str | None,
                 slow_host_header: str, pids=None, note: str = "", jvm_pid: int | None = None,
                 address: str = HOST, netns: str | None = None):
        self.key = key
        self.label = label
        self.port = port
        self.slow_port = slow_port
        self.host_header = host_header
        self.slow_host_header = slow_host_header
        self.pids = pids  # callable returning the proxy's pids, or None for the direct path
        self.jvm_pid = jvm_pid  # the proxy's JVM, whose CPU is also broken down by thread
        self.address = address  # where the client connects (../cross-cluster/ measures across network namespaces)
        self.netns = netns  # the network namespace the client runs in (`ip netns exec`), None for this one
        self.note = note
        self.runs: list[dict] = []
        self.fixed: dict | None = None
        self.syscalls: dict | None = None  # with --syscalls: per-request system calls (run_syscalls)


def run_wrk(target: Target, args, seconds: float, backend_pid: int, path: str = LIGHT_PATH) -> dict:
    # wrk takes whole seconds only (it refuses "-d6.5s").
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout", "5s"]
    if args.pin:
        cmd = ["taskset", "-c", "0", *cmd]
    if target.netns:
        cmd = ["ip", "netns", "exec", target.netns, *cmd]
    if target.host_header:
        cmd += ["-H", f"Host: {target.host_header}"]
    if getattr(args, "new_connections", False):
        # wrk opens a new connection for the next request when the server closes one.
        cmd += ["-H", "Connection: close"]
    cmd.append(f"http://{target.address}:{target.port}{path}")
    proxy_pids = target.pids() if target.pids else []
    jvm_before = jvm_thread_cpu(target.jvm_pid) if target.jvm_pid else None
    proxy_before = cpu_seconds(proxy_pids)
    backend_before = cpu_seconds([backend_pid])
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"wrk did not finish: {shlex.join(cmd)}") from e
    proxy_after = cpu_seconds(proxy_pids)
    jvm_after = jvm_thread_cpu(target.jvm_pid) if target.jvm_pid else None
    backend_after = cpu_seconds([backend_pid])
    if out.returncode != 0:
        raise BenchError(f"{shlex.join(cmd)} failed ({out.returncode}): {out.stderr}{out.stdout}")
    r = parse_wrk(out.stdout)
    r["cmd"] = shlex.join(cmd)
    r["proxy_cpu"] = proxy_after - proxy_before if proxy_pids else None
    r["backend_cpu"] = backend_after - backend_before
    if jvm_before is not None:
        r["jvm_threads"] = {group: jvm_after[group] - jvm_before[group] for group in jvm_before}
    return r


SYSCALL_GROUPS = [
    ("reads", ("read", "readv", "recvfrom", "recvmsg")),
    ("writes", ("write", "writev", "sendto", "sendmsg")),
    ("epoll waits", ("epoll_wait", "epoll_pwait", "epoll_pwait2")),
    ("epoll_ctl", ("epoll_ctl",)),
    ("futex", ("futex",)),
]


def run_syscalls(target: Target, args, backend_pid: int) -> dict:
    """One more wrk run while `perf stat` counts the proxy's system calls (kernel tracepoints, every thread) and
    context switches: per request, how often the proxy enters the kernel and for what."""
    events = ["raw_syscalls:sys_enter", "context-switches"] + [
        f"syscalls:sys_enter_{name}" for _, names in SYSCALL_GROUPS for name in names]
    out_file = Path(tempfile.mkstemp(prefix="perf-stat-", suffix=".csv")[1])
    perf = subprocess.Popen(["perf", "stat", "-x", ",", "-o", str(out_file), "-e", ",".join(events),
                             "-p", ",".join(str(p) for p in target.pids())],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        if perf.poll() is not None:
            raise BenchError(f"perf stat could not count system calls: {perf.stderr.read().strip()}")
        r = run_wrk(target, args, args.duration, backend_pid)
    finally:
        perf.send_signal(signal.SIGINT)
        perf.wait(timeout=30)
    counts = {}
    for line in out_file.read_text().splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[0].strip().isdigit():
            counts[fields[2]] = int(fields[0])
    out_file.unlink()
    per = {"all": counts.get("raw_syscalls:sys_enter", 0), "context switches": counts.get("context-switches", 0)}
    for group, names in SYSCALL_GROUPS:
        per[group] = sum(counts.get(f"syscalls:sys_enter_{name}", 0) for name in names)
    return {"requests": r["requests"], "rps": r["rps"], "per_request": {k: v / r["requests"] for k, v in per.items()}}


def run_fixed(target: Target, args, workdir: Path, method: str = "POST", path: str = PREDICT_PATH,
              body: str = PREDICT_BODY) -> dict:
    out_file = workdir / f"fixed-{target.key}.txt"
    classes = fixed_rate_classes(workdir)
    cmd = [*FIXED_RATE_JAVA, "-cp", str(classes), "FixedRate", target.address, str(target.slow_port), method, path,
           target.slow_host_header, body, str(args.rate), str(args.fixed_warmup), str(args.fixed_duration),
           str(args.fixed_workers), str(out_file)]
    shown = shlex.join([*FIXED_RATE_JAVA, "-cp", "<classes>", "FixedRate", *cmd[len(FIXED_RATE_JAVA) + 3:-1], "<file>"])
    if target.netns:
        cmd = ["ip", "netns", "exec", target.netns, *cmd]
        shown = shlex.join(["ip", "netns", "exec", target.netns]) + " " + shown
    timeout = args.fixed_warmup + args.fixed_duration + 120
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"FixedRate did not finish within {timeout} s") from e
    if out.returncode != 0:
        raise BenchError(f"FixedRate against {target.label} failed ({out.returncode}): {out.stderr}{out.stdout}")
    summary = dict(kv.split("=", 1) for kv in out.stdout.split())
    scheduled, sent, statuses = [], [], {}
    for line in out_file.read_text().splitlines():
        a, b, c = line.split()
        scheduled.append(int(a) / 1e6)
        sent.append(int(b) / 1e6)
        statuses[c] = statuses.get(c, 0) + 1
    scheduled.sort()
    sent.sort()
    return {"p50": pct(scheduled, 0.5), "p90": pct(scheduled, 0.9), "p99": pct(scheduled, 0.99),
            "p999": pct(scheduled, 0.999), "max": scheduled[-1], "send_p99": pct(sent, 0.99), "count": len(scheduled),
            "statuses": statuses, "summary": summary, "cmd": shown}


# The fixed-rate client's JVM: compiled ahead (javac), not by the source launcher, and C1 only, so that neither javac's
# work nor C2's compilations run beside the measured requests; on two cores they made part of every path's tail.
FIXED_RATE_JAVA = ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


def fixed_rate_classes(workdir: Path) -> Path:
    """FixedRate.java compiled once per run into the run's directory (`javac -d <classes> bench/gateway/FixedRate.java`)."""
    classes = workdir / "fixed-rate-classes"
    if not (classes / "FixedRate.class").exists():
        out = subprocess.run(["javac", "--release", "17", "-d", str(classes), str(HERE / "FixedRate.java")],
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise BenchError(f"javac could not compile FixedRate.java: {out.stderr}{out.stdout}")
    return classes


def pct(sorted_values: list[float], q: float) -> float:
    """Nearest rank."""
    return sorted_values[max(1, math.ceil(q * len(sorted_values))) - 1]


def median(values: list[float]) -> float:
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


# --------------------------------------------------------------------------------------------
# Set-up through Ebb's API


def deploy(ebb: Ebb, name: str, jar: Path, env: dict, timeout: float = 180) -> dict:
    """One instance, always: min 1 because the direct, nginx and Reactor Netty paths bypass the gateway, which
    would see the revision idle and scale it to zero; max 1 because 100 requests in flight at the fixed rate
    would make the autoscaler add a second instance (and later stop one, maybe the measured one)."""
    # The JDK server closes idle keep-alive connections beyond 200 (sun.net.httpserver.maxIdleConnections); with four
    # proxies pooling connections to the same instance it would close pooled ones under whichever proxy runs next.
    return deploy_template(ebb, name, {"command": ["java", f"-Dsun.net.httpserver.maxIdleConnections={BACKEND_MAX_IDLE}",
                                                   "-jar", str(jar)], "env": env,
                                       "readiness": {"path": "/healthz"}, "scale": {"min": 1, "max": 1}}, timeout)


def deploy_template(ebb: Ebb, name: str, template: dict, timeout: float = 180) -> dict:
    """Creates the service in the bench namespace and waits until it is Ready; returns its view."""
    ebb.api("POST", f"/api/v1/namespaces/{NAMESPACE}/services", {"name": name, "template": template}, expected=(201,))
    deadline = time.monotonic() + timeout
    view = None
    while time.monotonic() < deadline:
        view = ebb.api("GET", f"/api/v1/namespaces/{NAMESPACE}/services/{name}")
        conditions = (view.get("status") or {}).get("conditions") or []
        ready = next((c for c in conditions if c.get("type") == "Ready"), None)
        if ready and ready.get("status") == "True":
            return view
        if ready and ready.get("status") == "False":
            raise BenchError(f"service {name} failed: {ready}")
        time.sleep(0.25)
    raise BenchError(f"service {name} was not Ready within {timeout:.0f} s: {json.dumps(view)[:1500]}")


def endpoint_of(ebb: Ebb, service: str, timeout: float = 60) -> tuple[str, int]:
    """(revision, port) of the service's one ready instance, from the routing snapshot."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snapshot = ebb.api("GET", "/internal/v1/routing")
        for revision in snapshot.get("revisions", []):
            if revision.get("namespace") == NAMESPACE and revision.get("service") == service and revision.get("endpoints"):
                endpoints = revision["endpoints"]
                if len(endpoints) != 1:
                    raise BenchError(f"expected one instance of {service}, the routing snapshot has {endpoints}")
                return revision["name"], int(endpoints[0]["port"])
        time.sleep(0.25)
    raise BenchError(f"no endpoint of {service} in the routing snapshot within {timeout:.0f} s")


def pid_listening_as(port: int, marker: str) -> int:
    for pid in model_server_pids(marker):
        if environ(pid).get("PORT") == str(port):
            return pid
    raise BenchError(f"no model-server process with PORT={port} under {marker}")


POLL_INTERVAL = 0.001


def measure_route_changes(ebb: Ebb, revision: str, gateways: list[tuple[str, int]], count: int) -> dict:
    """Gives the echo revision a new tag `count` times through the traffic API and times, on every gateway at once
    (one polling thread each, on a keep-alive connection), how long after the API's answer the tag's URL first
    answers 200. Returns {gateway label: [seconds, ...]}; a change not routed within 5 s aborts the run."""
    import threading
    times: dict[str, list[float]] = {label: [] for label, _ in gateways}
    for i in range(count):
        tag = f"change{i}"
        host = f"{tag}-{ECHO}.{NAMESPACE}.svc.cluster.local"
        seen: dict[str, float] = {}
        go = threading.Event()

        def poll(label: str, port: int):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            go.wait()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                try:
                    conn.request("GET", LIGHT_PATH, headers={"Host": host})
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        seen[label] = time.monotonic()
                        break
                    # A poll every millisecond or so: fine enough for a 100 ms goal, and it leaves the 2 cores to the
                    # gateways and the control plane instead of spinning (a spinning poller measured its own load).
                    time.sleep(POLL_INTERVAL)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.close()

        threads = [threading.Thread(target=poll, args=g, daemon=True) for g in gateways]
        for t in threads:
            t.start()
        go.set()
        ebb.api("PUT", f"/api/v1/namespaces/{NAMESPACE}/services/{ECHO}/traffic",
                {"traffic": [{"revision": revision, "percent": 100, "tag": tag}]})
        answered = time.monotonic()
        answered_wall = time.time()
        for t in threads:
            t.join(10)
        for label, _ in gateways:
            if label not in seen:
                raise BenchError(f"the {label} gateway did not route {host} within 5 s of the traffic change")
            times[label].append(max(0.0, seen[label] - answered))
        slow = {label: seen[label] - answered for label, _ in gateways if seen[label] - answered > 0.1}
        if slow:
            # The wall-clock instant lets the Ebb logs (ISO timestamps in UTC) be searched for what happened then.
            progress(f"  change {i + 1} ({tag}, API answered at "
                     f"{time.strftime('%H:%M:%S', time.gmtime(answered_wall))}.{int(answered_wall % 1 * 1000):03d} UTC) "
                     "reached " + ", ".join(f"the {label} gateway after {v * 1000:.0f} ms" for label, v in slow.items()))
        time.sleep(0.3)  # changes apart, as a person or a pipeline makes them, not a burst
    return times


def wait_routed(port: int, host_header: str, path: str = LIGHT_PATH, timeout: float = 60):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, payload = http_call(port, "GET", path, headers={"Host": host_header}, timeout=5)
            if status == 200:
                return
            last = f"{status} {payload[:200]!r}"
        except (OSError, http.client.HTTPException) as e:
            last = f"{type(e).__name__}: {e}"
        time.sleep(0.2)
    raise BenchError(f"the gateway on port {port} did not route {host_header} within {timeout:.0f} s: {last}")


# --------------------------------------------------------------------------------------------
# Machine facts and the report


def first_line(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        text = (out.stderr or "") + (out.stdout or "")
        return text.strip().splitlines()[0].strip() if text.strip() else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def machine_facts(jar: Path) -> list[tuple[str, str]]:
    facts = [("nproc", str(len(os.sched_getaffinity(0))))]
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.lower().startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    facts.append(("CPU", model))
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            facts.append(("Memory", f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"))
    facts.append(("Java", first_line(["java", "-version"])))
    facts.append(("nginx", first_line(["nginx", "-v"])))
    wrk = first_line(["wrk", "-v"])
    facts.append(("wrk", wrk.split(" Copyright")[0]))
    facts.append(("Python", platform.python_version()))
    facts.append(("OS", f"{platform.system()} {platform.release()}"))
    digest = hashlib.sha256()
    with jar.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    shown = jar.relative_to(REPO_ROOT) if jar.is_relative_to(REPO_ROOT) else jar
    facts.append(("Jar", f"`{shown}` ({jar.stat().st_size / 1e6:.0f} MB, sha256 {digest.hexdigest()[:12]})"))
    facts.append(("Load average before start (1/5/15 min)", " / ".join(Path("/proc/loadavg").read_text().split()[:3])))
    facts.append(("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
    return facts


def f2(x: float) -> str:
    return f"{x:.2f}"


def report(args, targets: list[Target], notes: list[str], facts, command: str,
           route_changes: dict[str, list[float]]) -> str:
    by = {t.key: t for t in targets}
    nginx = by["nginx"]
    direct = by["direct"]

    def summary(t: Target) -> dict:
        s = {"rps": median([r["rps"] for r in t.runs]), "p50": median([r["p50"] for r in t.runs]),
             "p99": median([r["p99"] for r in t.runs]),
             "backend_cpu": median([r["backend_cpu"] / r["requests"] * 10000 for r in t.runs])}
        if t.pids:
            s["cpu"] = median([r["proxy_cpu"] / r["requests"] * 10000 for r in t.runs])
        return s

    sums = {t.key: summary(t) for t in targets}
    n = sums["nginx"]
    d = sums["direct"]
    lines = [
        "## Gateway benchmark",
        "",
        f"One backend instance (the sample model server, deployed through Ebb's API and run by Ebb's local runtime) "
        f"measured in the same run: directly, through Debian's nginx (reverse proxy, upstream keep-alive), "
        f"through Ebb's gateway and (with --reactor, --netty) through prototypes of the gateway's hot path on Reactor Netty and on plain Netty. Throughput: `wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s "
        f"--latency` against `GET {LIGHT_PATH}`, {args.rounds} round(s), the targets interleaved in each round, "
        f"each after a warm-up with the same wrk settings ({args.first_warmup:g} s in the first round, {args.warmup:g} s "
        f"later); the table shows each column's median over the rounds. CPU is the proxy "
        f"process's utime+stime from `/proc/<pid>/stat` over the measured interval, per 10,000 requests.",
        "",
        "### Throughput (closed loop)",
        "",
        "| Path | req/s | p50 ms | p99 ms | proxy CPU-s / 10k req | req/s vs nginx | p99 vs nginx | CPU vs nginx | req/s vs direct | backend CPU-s / 10k |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in targets:
        s = sums[t.key]
        cpu = f2(s["cpu"]) if "cpu" in s else "–"
        cpu_ratio = f"{s['cpu'] / n['cpu']:.2f}" if "cpu" in s else "–"
        lines.append(f"| {t.label} | {s['rps']:,.0f} | {f2(s['p50'] * 1000)} | {f2(s['p99'] * 1000)} | {cpu} | "
                     f"{s['rps'] / n['rps']:.2f} | {s['p99'] / n['p99']:.2f} | {cpu_ratio} | "
                     f"{s['rps'] / d['rps']:.2f} | {f2(s['backend_cpu'])} |")
    lines += ["", "Every round (req/s, p50/p99 ms, proxy CPU-s per 10k; errors = socket errors + non-2xx):", ""]
    lines += ["| Round | " + " | ".join(t.label for t in targets) + " |", "|---|" + "---|" * len(targets)]
    for i in range(args.rounds):
        cells = []
        for t in targets:
            r = t.runs[i]
            cpu = f", {r['proxy_cpu'] / r['requests'] * 10000:.2f}" if r["proxy_cpu"] is not None else ""
            err = r["errors"] + r["non2xx"]
            cells.append(f"{r['rps']:,.0f}; {f2(r['p50'] * 1000)}/{f2(r['p99'] * 1000)}{cpu}"
                         + (f"; **{err} errors**" if err else ""))
        lines.append(f"| {i + 1} | " + " | ".join(cells) + " |")

    jvm_targets = [t for t in targets if t.jvm_pid and all("jvm_threads" in r for r in t.runs)]
    if jvm_targets:
        groups = [g for g, _ in JVM_THREAD_GROUPS] + ["other"]
        lines += ["", "Where each Ebb JVM's CPU went while it was measured, by thread (CPU-s per 10k requests, median "
                  "over the rounds; the JIT compiler is still compiling the gateway's code when a measurement follows a "
                  "pause, nginx has nothing like it):", "",
                  "| Path | " + " | ".join(groups) + " | total |", "|---|" + "---:|" * (len(groups) + 1)]
        for t in jvm_targets:
            per = {g: median([r["jvm_threads"][g] / r["requests"] * 10000 for r in t.runs]) for g in groups}
            total = median([sum(r["jvm_threads"].values()) / r["requests"] * 10000 for r in t.runs])
            lines.append(f"| {t.label} | " + " | ".join(f2(per[g]) for g in groups) + f" | {f2(total)} |")

    counted = [t for t in targets if t.syscalls]
    if counted:
        names = list(counted[0].syscalls["per_request"])
        lines += ["", "System calls and context switches of the proxy process per request, counted by `perf stat` "
                  "(kernel tracepoints, every thread) over one more wrk run of each proxy after the rounds "
                  "(`--syscalls`); reads and writes include their vectored and socket forms, epoll waits every "
                  "epoll_wait/epoll_pwait:", "",
                  "| Path | " + " | ".join(names) + " | req/s meanwhile |", "|---|" + "---:|" * (len(names) + 1)]
        for t in counted:
            per = t.syscalls["per_request"]
            lines.append(f"| {t.label} | " + " | ".join(f2(per[k]) for k in names) + f" | {t.syscalls['rps']:,.0f} |")

    lines += ["", f"### Added latency at a fixed rate (open loop)", "",
              f"{args.rate:g} requests/s for {args.fixed_duration:g} s (after {args.fixed_warmup:g} s of warm-up at the "
              f"same rate) of `POST {PREDICT_PATH}` to a second instance with `LATENCY_MS=100`. Requests are scheduled "
              f"on a clock whether or not replies have come back; latency counts from the scheduled instant to the "
              f"last byte of the response (`FixedRate.java`, {args.fixed_workers} keep-alive connections).", "",
              "| Path | requests | p50 ms | p99 ms | p99.9 ms | max ms | p99 added vs direct ms | non-200 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for t in targets:
        f = t.fixed
        added = "–" if t.key == "direct" else f"{(f['p99'] - direct.fixed['p99']) * 1000:+.2f}"
        bad = f["count"] - f["statuses"].get("200", 0)
        lines.append(f"| {t.label} | {f['count']:,} | {f2(f['p50'] * 1000)} | {f2(f['p99'] * 1000)} | "
                     f"{f2(f['p999'] * 1000)} | {f2(f['max'] * 1000)} | {added} | {bad} |")
    lines += [""]
    for t in targets:
        s = t.fixed["summary"]
        lines.append(f"- {t.label}: sent at {s.get('send_rate')}/s, late by {s.get('late_mean_us')} µs "
                     f"on average (max {s.get('late_max_us')} µs), {s.get('connections')} connection(s) opened, "
                     f"{s.get('stale_retries')} retried on a stale keep-alive connection.")

    if any(route_changes.values()):
        lines += ["", "### Route changes", "",
                  f"{args.route_changes} traffic changes (`PUT .../services/{ECHO}/traffic` giving the revision a new tag, "
                  "0.3 s apart); the time from the API's answer to the first 200 on the new tag's URL, polled about "
                  f"every {POLL_INTERVAL * 1000:g} ms on a keep-alive connection on every gateway at once. "
                  "0 means the gateway routed the tag before the API's answer reached the client.", "",
                  "| Gateway | changes | p50 ms | p90 ms | max ms |", "|---|---:|---:|---:|---:|"]
        for label, values in route_changes.items():
            v = sorted(values)
            lines.append(f"| {label} | {len(v)} | {f2(pct(v, 0.5) * 1000)} | {f2(pct(v, 0.9) * 1000)} | {f2(v[-1] * 1000)} |")

    lines += ["", "### Against the goals", "",
              "Each Ebb gateway is judged against the nginx that logs as it does: the default (access log on) against "
              "nginx's default (access log on), access log off against access log off.", ""]
    pairs = {"gateway": "nginx-logged", "gateway-quiet": "nginx", "gateway-uncounted": "nginx", "reactor": "nginx",
             "netty": "nginx"}
    for t in targets:
        if t.key in pairs and pairs[t.key] in by:
            s = sums[t.key]
            ref = by[pairs[t.key]]
            r = sums[ref.key]
            added = (t.fixed["p99"] - direct.fixed["p99"]) * 1000
            # Measured one after the other within a round, the two share that round's state of the machine.
            paired = [a["rps"] / b["rps"] for a, b in zip(t.runs, ref.runs)]
            lines.append(f"- {t.label} against {ref.label}: throughput {s['rps'] / r['rps']:.2f} × (goal ≥ 0.9, aim 1.0; "
                         f"round by round {', '.join(f'{x:.2f}' for x in paired)}, median {median(paired):.2f}); "
                         f"CPU {s['cpu'] / r['cpu']:.2f} × (goal ≤ 1.5); p99 added at {args.rate:g} rps "
                         f"{added:+.2f} ms (goal ≤ 1 ms; that nginx {(ref.fixed['p99'] - direct.fixed['p99']) * 1000:+.2f} ms).")
    if "gateway" in by:
        s = sums["gateway"]
        lines.append(f"- For comparison, {by['gateway'].label} against nginx (access log off): throughput "
                     f"{s['rps'] / n['rps']:.2f} ×, CPU {s['cpu'] / n['cpu']:.2f} ×.")
    if "gateway-quiet" in by and "gateway-uncounted" in by and "nginx" in by:
        counted, bare, ref = by["gateway-quiet"], by["gateway-uncounted"], by["nginx"]
        with_metrics = [a["rps"] / b["rps"] for a, b in zip(counted.runs, ref.runs)]
        without = [a["rps"] / b["rps"] for a, b in zip(bare.runs, ref.runs)]
        drop = 1 - median(with_metrics) / median(without)
        lines.append(f"- Request metrics: the gateway's throughput ratio against nginx (access log off) is {median(with_metrics):.2f} × "
                     f"with them (round by round {', '.join(f'{x:.2f}' for x in with_metrics)}) and {median(without):.2f} × "
                     f"without (round by round {', '.join(f'{x:.2f}' for x in without)}): a drop of {drop * 100:.1f} % "
                     f"(goal ≤ 3 %); CPU per 10k requests {sums['gateway-quiet']['cpu'] / sums['gateway-uncounted']['cpu']:.2f} × "
                     "with against without.")
    if any(route_changes.values()):
        worst = max(max(v) for v in route_changes.values())
        lines.append(f"- Route changes: slowest of {args.route_changes} changes reached every gateway "
                     f"{worst * 1000:.1f} ms after the API answered (goal: applied within 100 ms).")
    lines += ["", "### Notes", ""]
    lines += [f"- {note}" for note in notes]
    lines += ["", "Commands:", ""]
    for t in targets:
        lines.append(f"- {t.label}: `{t.runs[0]['cmd']}`")
    lines += ["", "Machine:", ""]
    lines += [f"- {k}: {v}" for k, v in facts]
    lines += ["", "Command (from the repository root):", "", "```", command, "```", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--jar", type=Path, default=REPO_ROOT / "backend" / "target" / "ebb.jar")
    p.add_argument("--model-server-jar", type=Path,
                   default=REPO_ROOT / "examples" / "model-server" / "target" / "model-server.jar")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (-t)")
    p.add_argument("--connections", type=int, default=32, help="wrk connections (-c)")
    p.add_argument("--duration", type=float, default=10, help="seconds per measured wrk run (-d)")
    p.add_argument("--warmup-runs", type=int, default=3,
                   help="wrk runs each warm-up is split into: the connections close and open again between them, as "
                        "before the measured run, so a JIT has met those paths before it is measured (as JMH's warm-up "
                        "iterations do)")
    p.add_argument("--first-warmup", type=float, default=30,
                   help="seconds of untimed wrk before each target's first measured run (the JVMs' JIT needs it)")
    p.add_argument("--warmup", type=float, default=9, help="seconds of untimed wrk before each later measured run")
    p.add_argument("--rounds", type=int, default=3, help="rounds of (direct, nginx, gateway...) wrk runs")
    p.add_argument("--nginx-workers", default="2", help="nginx worker_processes (the gateway has one event loop per core)")
    p.add_argument("--nginx-keepalive", type=int, default=64, help="idle upstream keep-alive connections per nginx worker")
    p.add_argument("--rate", type=float, default=1000, help="requests/s of the fixed-rate test")
    p.add_argument("--fixed-duration", type=float, default=20, help="measured seconds of the fixed-rate test")
    p.add_argument("--fixed-warmup", type=float, default=5, help="untimed seconds at the same rate before it")
    p.add_argument("--fixed-workers", type=int, default=200,
                   help="client connections of the fixed-rate test (the JDK HTTP server keeps at most 200 idle); each "
                        "sends every WORKERS-th request, so at 1000/s a request's latency past WORKERS ms delays the next "
                        "on its connection (counted, from its scheduled instant): 200 leaves the 100 ms backend 100 ms")
    p.add_argument("--no-quiet-gateway", action="store_true",
                   help="skip the second Ebb whose gateway runs with its access log off")
    p.add_argument("--uncounted-gateway", action="store_true",
                   help="also a third Ebb like the access-log-off one whose gateway does not count requests "
                        "(EBB_GATEWAY_REQUEST_METRICS=false), to measure what the request metrics cost")
    p.add_argument("--reactor", action="store_true",
                   help="also measure the Reactor Netty prototype (reactor-proxy/) as a column of its own")
    p.add_argument("--netty", action="store_true",
                   help="also measure the plain Netty prototype (netty-proxy/) as a column of its own")
    p.add_argument("--route-changes", type=int, default=20,
                   help="traffic changes whose time to reach the gateways is measured")
    p.add_argument("--ebb-jvm-arg", action="append", default=[], metavar="ARG",
                   help="extra JVM option for the Ebb JVMs, e.g. -XX:StartFlightRecording=... to profile (repeatable)")
    p.add_argument("--pin", action="store_true",
                   help="pin wrk to CPU 0 and the echo backend to CPU 1 (taskset), to cut the spread between rounds")
    p.add_argument("--syscalls", action="store_true",
                   help="after the rounds, one more wrk run per proxy while `perf stat` counts its system calls and "
                        "context switches per request (needs perf and kernel tracepoints)")
    p.add_argument("--keep-logs", action="store_true", help="keep Ebb's logs and the raw latencies")
    p.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    args = p.parse_args(argv)
    args.jar = args.jar.resolve()
    args.model_server_jar = args.model_server_jar.resolve()
    for jar in (args.jar, args.model_server_jar):
        if not jar.is_file():
            p.error(f"no jar at {jar}; build it with 'mvn -DskipTests package' at {REPO_ROOT}")
    for tool in ("wrk", "nginx", "java") + (("perf",) if args.syscalls else ()):
        if shutil.which(tool) is None:
            p.error(f"'{tool}' is not on the PATH (apt-get install nginx wrk)")
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
    workdir = Path(tempfile.mkdtemp(prefix="ebb-bench-gateway-"))
    progress(f"working directory (logs, nginx prefix, data dirs): {workdir}")
    ebb = Ebb(args.jar, "main", workdir, extra_jvm=args.ebb_jvm_arg)
    quiet = None
    uncounted = None
    nginx = None
    nginx_logged = None
    route_changes: dict[str, list[float]] = {}
    prototypes: list[PrototypeProxy] = []
    notes: list[str] = []
    targets: list[Target] = []
    status = 0
    findings = []
    try:
        progress(f"starting Ebb: API {HOST}:{ebb.http_port}, gateway {HOST}:{ebb.gateway_port}")
        ebb.start()
        progress(f"Ebb answered after {ebb.startup_seconds:.1f} s; deploying '{ECHO}' and '{SLOW}'")
        deploy(ebb, ECHO, args.model_server_jar, {"LOG_REQUESTS": "false"})
        deploy(ebb, SLOW, args.model_server_jar, {"LOG_REQUESTS": "false", "LATENCY_MS": "100"})
        echo_revision, echo_port = endpoint_of(ebb, ECHO)
        slow_revision, slow_port = endpoint_of(ebb, SLOW)
        marker = str(workdir)
        backend_pid = pid_listening_as(echo_port, marker)
        progress(f"backend {echo_revision} on port {echo_port} (pid {backend_pid}); {slow_revision} on port {slow_port}")
        if args.pin:
            # Every thread of the backend on the second core, wrk on the first: the proxies get what is left of both.
            subprocess.run(["taskset", "-a", "-p", "-c", "1", str(backend_pid)], check=True, stdout=subprocess.DEVNULL)
        echo_host = f"{ECHO}.{NAMESPACE}.svc.cluster.local"
        slow_host = f"{SLOW}.{NAMESPACE}.svc.cluster.local"
        wait_routed(ebb.gateway_port, echo_host)

        if not args.no_quiet_gateway:
            # A gateway reports load with a token of its own kind; the admin token may read routing but not report.
            gateway_token = ebb.api("POST", "/api/v1/tokens", {"name": "bench-quiet-gateway", "kind": "gateway"},
                                    expected=(201,))["value"]
            quiet = Ebb(args.jar, "quiet", workdir, extra_jvm=[*args.ebb_jvm_arg,
                f"-Debb.gateway.control-plane-url=http://{HOST}:{ebb.http_port}",
                f"-Debb.gateway.token={gateway_token}",
                "-Dlogging.level.ebb.gateway.access=OFF",
            ], extra_env={"EBB_RUNTIME_ENABLED": "false"})
            progress(f"starting a second Ebb whose gateway has its access log off and routes from the first "
                     f"(gateway {HOST}:{quiet.gateway_port})")
            quiet.start()
            wait_routed(quiet.gateway_port, echo_host)
            if args.uncounted_gateway:
                uncounted = Ebb(args.jar, "uncounted", workdir, extra_jvm=[*args.ebb_jvm_arg,
                    f"-Debb.gateway.control-plane-url=http://{HOST}:{ebb.http_port}",
                    f"-Debb.gateway.token={gateway_token}",
                    "-Dlogging.level.ebb.gateway.access=OFF",
                ], extra_env={"EBB_RUNTIME_ENABLED": "false", "EBB_GATEWAY_REQUEST_METRICS": "false"})
                progress(f"starting a third Ebb like the second whose gateway does not count requests "
                         f"(gateway {HOST}:{uncounted.gateway_port})")
                uncounted.start()
                wait_routed(uncounted.gateway_port, echo_host)

        nginx = Nginx(workdir, args.nginx_workers, echo_port, slow_port, args.nginx_keepalive)
        nginx.start()
        progress(f"nginx on {HOST}:{nginx.port} (workers {nginx.pids()[1:]}, master {nginx.process.pid})")
        nginx_logged = Nginx(workdir, args.nginx_workers, echo_port, slow_port, args.nginx_keepalive, access_log=True)
        nginx_logged.start()
        progress(f"nginx with its default access log on {HOST}:{nginx_logged.port}")

        loops = len(os.sched_getaffinity(0))
        backends = {echo_host: echo_port, slow_host: slow_port}
        if args.reactor:
            prototypes.append(PrototypeProxy(workdir, "reactor-proxy", "Reactor Netty prototype", "ReactorProxy.java",
                                             ("reactor-netty-http", "netty-codec-http-", "reactor-core"), loops, backends))
        if args.netty:
            prototypes.append(PrototypeProxy(workdir, "netty-proxy", "plain Netty prototype", "NettyProxy.java",
                                             ("netty-codec-http-", "netty-transport-native-epoll"), loops, backends))
        for prototype in prototypes:
            progress(f"building and starting the {prototype.label}")
            prototype.start()
            wait_routed(prototype.port, echo_host)
            progress(f"{prototype.label} on {HOST}:{prototype.port} (pid {prototype.process.pid}; {prototype.versions})")

        targets.append(Target("direct", "direct (no proxy)", echo_port, slow_port, None, f"{HOST}:{slow_port}"))
        targets.append(Target("nginx", "nginx (access log off)", nginx.port, nginx.slow_port, None,
                              f"{HOST}:{nginx.slow_port}", pids=nginx.pids))
        targets.append(Target("nginx-logged", "nginx (access log on, its default)", nginx_logged.port,
                              nginx_logged.slow_port, None, f"{HOST}:{nginx_logged.slow_port}", pids=nginx_logged.pids))
        targets.append(Target("gateway", "Ebb gateway (access log on, default)", ebb.gateway_port, ebb.gateway_port,
                              echo_host, slow_host, pids=lambda: [ebb.pid], jvm_pid=ebb.pid))
        if quiet is not None:
            targets.append(Target("gateway-quiet", "Ebb gateway (access log off)", quiet.gateway_port,
                                  quiet.gateway_port, echo_host, slow_host, pids=lambda: [quiet.pid], jvm_pid=quiet.pid))
        if uncounted is not None:
            targets.append(Target("gateway-uncounted", "Ebb gateway (access log off, request metrics off)",
                                  uncounted.gateway_port, uncounted.gateway_port, echo_host, slow_host,
                                  pids=lambda: [uncounted.pid], jvm_pid=uncounted.pid))
        for prototype in prototypes:
            targets.append(Target(prototype.name.split("-")[0], f"{prototype.label} (bench only)", prototype.port,
                                  prototype.port, echo_host, slow_host, pids=lambda p=prototype: [p.process.pid]))

        # The Ebb JVMs also run a control plane: how much CPU do they use when no request arrives?
        idle_pids = [ebb.pid] + ([quiet.pid] if quiet else []) + ([uncounted.pid] if uncounted else [])
        time.sleep(2)
        before = [cpu_seconds([p]) for p in idle_pids]
        time.sleep(5)
        idle = [(cpu_seconds([p]) - b) / 5 for p, b in zip(idle_pids, before)]

        slow_pid = pid_listening_as(slow_port, marker)

        def check_alive(after: str):
            """Another process on the machine may stop ours; then the numbers are meaningless."""
            for name, proc in [("Ebb (main)", ebb.process), ("Ebb (quiet)", quiet.process if quiet else None),
                               ("nginx", nginx.process), ("nginx (access log on)", nginx_logged.process),
                               *[(prototype.label, prototype.process) for prototype in prototypes]]:
                if proc is not None and proc.poll() is not None:
                    raise BenchError(f"{name} exited with code {proc.returncode} during {after}; "
                                     "not stopped by this script (another process on the machine?)")
            for name, pid in [("backend echo", backend_pid), ("backend slow", slow_pid)]:
                if not Path(f"/proc/{pid}").exists():
                    raise BenchError(f"{name} (pid {pid}) is gone after {after}; not stopped by this script")

        for round_no in range(1, args.rounds + 1):
            for t in targets:
                warmup = args.first_warmup if round_no == 1 else args.warmup
                progress(f"round {round_no}/{args.rounds}: {t.label}: {warmup:g} s warm-up in {args.warmup_runs} wrk "
                         f"run(s), {args.duration:g} s measured")
                for _ in range(args.warmup_runs):
                    run_wrk(t, args, warmup / args.warmup_runs, backend_pid)
                    check_alive(f"the warm-up of {t.label}")
                r = run_wrk(t, args, args.duration, backend_pid)
                check_alive(f"round {round_no} of {t.label}")
                t.runs.append(r)
                cpu = f", proxy CPU {r['proxy_cpu'] / r['requests'] * 10000:.2f} s/10k" if r["proxy_cpu"] is not None else ""
                if "jvm_threads" in r:
                    cpu += " (" + ", ".join(f"{g} {v:.2f} s" for g, v in r["jvm_threads"].items()) + ")"
                progress(f"  {r['rps']:,.0f} req/s, p50 {r['p50'] * 1000:.2f} ms, p99 {r['p99'] * 1000:.2f} ms{cpu}"
                         + (f", {r['errors']} socket errors, {r['non2xx']} non-2xx" if r['errors'] or r['non2xx'] else ""))

        if args.syscalls:
            for t in targets:
                if t.pids:
                    progress(f"system calls: {t.label}: {args.duration:g} s of wrk under perf stat")
                    t.syscalls = run_syscalls(t, args, backend_pid)
                    check_alive(f"counting the system calls of {t.label}")
                    progress("  " + ", ".join(f"{k} {v:.2f}" for k, v in t.syscalls["per_request"].items())
                             + f" per request ({t.syscalls['rps']:,.0f} req/s)")

        for t in targets:
            progress(f"fixed rate: {t.label}: {args.rate:g}/s, {args.fixed_warmup:g} s warm-up + {args.fixed_duration:g} s")
            t.fixed = run_fixed(t, args, workdir)
            check_alive(f"the fixed-rate test of {t.label}")
            f = t.fixed
            progress(f"  p50 {f['p50'] * 1000:.2f} ms, p99 {f['p99'] * 1000:.2f} ms, max {f['max'] * 1000:.2f} ms, "
                     f"statuses {f['statuses']}")

        progress(f"route changes: {args.route_changes} tag changes through the traffic API")
        gateways = [("in-process (same JVM as the API)", ebb.gateway_port)]
        if quiet is not None:
            gateways.append(("remote (long-polls the API)", quiet.gateway_port))
        route_changes = measure_route_changes(ebb, echo_revision, gateways, args.route_changes)
        check_alive("the route changes")
        notes.append(f"nginx {args.nginx_workers} worker process(es) each, two instances: one with `access_log off`, one "
                     "with Debian's default `access_log` (combined format, one write per request, to a file), "
                     f"`worker_connections 4096`, "
                     f"upstream `keepalive {args.nginx_keepalive}`, `proxy_http_version 1.1`, `proxy_set_header Connection \"\"`, "
                     f"`keepalive_requests 1000000` towards clients and upstream; it sets X-Forwarded-For/-Proto/-Host "
                     f"and X-Request-Id (`$request_id`) as the gateway does. The gateway runs one Vert.x event loop per core "
                     f"({len(os.sched_getaffinity(0))}), so both proxies have the same number of request threads.")
        notes.append(f"Ebb's gateway shares its JVM with the control plane (Tomcat, Spring, the routing publisher, "
                     f"the local runtime's probes); its CPU is the whole JVM's. Idle, with no requests, "
                     + ", ".join(f"the {e.label} JVM used {v * 1000:.0f} ms CPU per second" for e, v in
                                 zip([ebb] + ([quiet] if quiet else []) + ([uncounted] if uncounted else []), idle))
                     + f" (over 5 s), i.e. about {idle[0] * args.duration:.1f} CPU-s in a {args.duration:g} s run, "
                     "not subtracted above. The embedded PostgreSQL is a separate process and not counted.")
        if quiet is not None:
            notes.append("The gateway's access log (logger `ebb.gateway.access`, one line per request, written to "
                         "standard output: each event loop formats its lines as bytes into a buffer of its own, which one "
                         "thread writes out every 10 ms, `AccessLog`; here redirected to a file) "
                         "is on by default. `access log off` is a second Ebb "
                         "started with `-Dlogging.level.ebb.gateway.access=OFF` and `EBB_RUNTIME_ENABLED=false`, "
                         "whose gateway long-polls its routing from the first Ebb "
                         "(`ebb.gateway.control-plane-url`), so it proxies to the very same backend instance.")
        notes.append(f"wrk: {args.threads} thread(s) and {args.connections} connections. Client, proxy and backend share "
                     f"the machine's {len(os.sched_getaffinity(0))} cores, so req/s measures the whole system and the "
                     "proxy's CPU per request is the cleaner comparison; backend CPU per 10k shows the backend did the "
                     "same work on every path.")
        if args.pin:
            notes.append("Pinned (`--pin`): wrk ran on CPU 0 and every thread of the echo backend on CPU 1 (`taskset`); "
                         "the proxies were not pinned.")
        notes.append("Backend: the sample model server (JDK built-in HTTP server); "
                     f"`{echo_revision}` on port {echo_port} for wrk and `{slow_revision}` (LATENCY_MS=100) on port "
                     f"{slow_port} for the fixed rate, both run by Ebb's local runtime.")
        for prototype in prototypes:
            if prototype.name == "reactor-proxy":
                notes.append(f"Reactor Netty prototype (bench/gateway/reactor-proxy, not the product): {prototype.versions}, "
                             f"{prototype.event_loops} event loops shared by server and client (colocated), a pool of up to 1024 "
                             "keep-alive connections, Netty's native epoll transport (on the classpath, so Reactor Netty uses it). "
                             "Per request: Host lookup in a map, X-Forwarded-For/-Proto/-Host and X-Request-Id (a random UUID), "
                             "hop-by-hop headers removed both ways; no admission, metering, timeout or access log. Its CPU is "
                             "its own JVM's, which runs nothing else.")
            else:
                notes.append(f"Plain Netty prototype (bench/gateway/netty-proxy, not the product): {prototype.versions}, "
                             f"{prototype.event_loops} epoll event loops shared by server and client, each with its own idle "
                             "keep-alive connections per backend; Netty's HTTP codec, the decoded request and response objects "
                             "forwarded as they are with one flush per message end. Per request: Host lookup in a map, "
                             "X-Forwarded-For/-Proto/-Host and X-Request-Id, hop-by-hop headers removed both ways; no admission, "
                             "metering, timeout, back-pressure or access log. Its CPU is its own JVM's, which runs nothing else.")
        notes.append(f"Ebb start-up: {ebb.startup_seconds:.1f} s to the first 200 from `{HEALTH_PATH}`.")
    except BenchError as e:
        progress(f"ABORTED: {e}")
        status = 1
    except KeyboardInterrupt:
        progress("interrupted; stopping everything")
        status = 130
    finally:
        for n in (nginx, nginx_logged):
            if n is not None:
                n.stop()
        for prototype in prototypes:
            prototype.stop()
        for e in (uncounted, quiet, ebb):
            if e is not None:
                e.stop()
        leftovers = model_server_pids(str(workdir))
        if leftovers:
            progress(f"model servers still running after Ebb stopped: {leftovers}; stopping them")
            stop_leftovers(str(workdir))
        for e in (ebb, quiet, uncounted):
            if e is not None:
                findings.append((e, *e.log_findings()))
                shutil.rmtree(e.data_dir, ignore_errors=True)

    for e, warn, error, access, notable in findings:
        progress(f"Ebb ({e.label}) log {e.log_path}: {warn} WARN, {error} ERROR, {access:,} access-log lines")
        for line in notable:
            print(f"    {line}", file=sys.stderr)
    if status:
        progress(f"logs kept in {workdir}")
        return status

    log_note = "; ".join(f"{e.label} Ebb: {warn} WARN and {error} ERROR line(s), {access:,} access-log lines"
                         for e, warn, error, access, _ in findings)
    nginx_errors = nginx.error_lines() + nginx_logged.error_lines()
    notes.append(f"Logs: {log_note}; nginx error.log: {len(nginx_errors)} line(s);"
                 f" nginx access.log (access log on): {nginx_logged.access_lines():,} lines."
                 f" Left-over processes after the run: {len(model_server_pids(str(workdir)))}."
                 f" Whole run: {time.monotonic() - began:.0f} s.")
    for e, warn, error, access, notable in findings:
        for line in notable:
            notes.append(f"{e.label} Ebb log: `{line[:300]}`")
    for line in nginx_errors[:5]:
        notes.append(f"nginx error.log: `{line[:300]}`")
    text = report(args, targets, notes, facts, command, route_changes)
    print(text)
    if args.out:
        args.out.write_text(text)
        progress(f"wrote {args.out}")
    if args.keep_logs:
        progress(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
