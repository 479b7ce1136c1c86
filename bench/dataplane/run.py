#!/usr/bin/env python3
"""Data-plane benchmark of Ebb (issue 17): the gateway's own cost in front of a backend so fast that the proxy
dominates. The backend is Debian's nginx (1 worker) serving a 512-byte file, run by Ebb's local runtime as the
instance of a service; the same instance is measured directly, through nginx as a reverse proxy (`worker_processes
auto`, upstream keep-alive) and through Ebb's gateway, both as a process of its own (`ebb-gateway-exec.jar`, routing
from the control plane it long-polls) and embedded in `ebb.jar`, in one run.

Throughput: `wrk -t1 -c64 -d8s` (closed loop), interleaved rounds after a warm-up; req/s, p50/p99, the proxy's
CPU-seconds per 10,000 requests and its resident memory, as ratios to nginx in the same round. Added latency: an
open-loop fixed rate (../gateway/FixedRate.java) of 1000 GET/s; the p99 each proxy adds over the direct path.

Standard library only; the process, load and report helpers are bench/gateway/run.py's. Everything runs on
127.0.0.1 and everything started is stopped at the end (also on errors, Ctrl-C and SIGTERM). It asserts nothing
about time: every number is reported. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import common  # noqa: E402  (bench/common.py)

HERE = Path(__file__).resolve().parent


def _load_gateway_bench():
    spec = importlib.util.spec_from_file_location("ebb_gateway_bench", HERE.parent / "gateway" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gw = _load_gateway_bench()
HOST = gw.HOST
BenchError = gw.BenchError
progress = gw.progress
REPO_ROOT = gw.REPO_ROOT
SERVICE = "static"
FILE_PATH = "/512.bin"
FILE_SIZE = 512
SERVICE_HOST = f"{SERVICE}.{gw.NAMESPACE}.svc.cluster.local"
# Before each fixed-rate run: wait until the machine is at most this busy over a second, at most this long (common.settle).
SETTLE_BUSY = 0.05
SETTLE_TIMEOUT = 30.0


# --------------------------------------------------------------------------------------------
# The backend: nginx as an Ebb service


def write_backend(workdir: Path, nginx: str, listen: str = HOST) -> Path:
    """The service's command: a shell script that writes an nginx config listening on `listen`:$PORT (Ebb's local
    runtime sets PORT for every instance) in the instance's own directory and then becomes that nginx."""
    root = workdir / "static"
    www = root / "www"
    www.mkdir(parents=True)
    (www / FILE_PATH.lstrip("/")).write_bytes(b"x" * (FILE_SIZE - 1) + b"\n")
    # Run as root, nginx's worker drops to `nobody`, which must reach the file through the temporary directory (0700).
    workdir.chmod(0o711)
    for d in (root, www):
        d.chmod(0o755)
    script = root / "serve.sh"
    # $PORT and $PWD are the shell's; nothing else in the config contains a '$'.
    script.write_text(f"""#!/bin/sh
# Written by bench/dataplane/run.py: nginx with one worker serving a {FILE_SIZE}-byte file on the port Ebb gives it.
set -e
mkdir -p tmp
cat > nginx.conf <<EOF
worker_processes 1;
daemon off;
pid $PWD/nginx.pid;
error_log $PWD/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $PWD/tmp/body;
    proxy_temp_path $PWD/tmp/proxy;
    fastcgi_temp_path $PWD/tmp/fastcgi;
    uwsgi_temp_path $PWD/tmp/uwsgi;
    scgi_temp_path $PWD/tmp/scgi;
    default_type application/octet-stream;
    server {{
        listen {listen}:$PORT;
        location = /healthz {{
            return 200 "ok\\n";
        }}
        location / {{
            root {www};
        }}
    }}
}}
EOF
exec {nginx} -c "$PWD/nginx.conf" -p "$PWD/"
""")
    script.chmod(0o755)
    return script


def cwd_of(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def backend_pids(port: int) -> tuple[int, int]:
    """(master, worker) of the nginx instance that Ebb started on `port`: the nginx master whose working directory (the
    instance's own) holds the config listening there. nginx rewrites its argv and environ area for its process titles,
    so /proc/<pid>/environ does not show PORT."""
    masters = []
    for pid in gw.all_pids():
        if (gw.cmdline(pid) or [""])[0].startswith("nginx: master"):
            try:
                conf = (Path(cwd_of(pid)) / "nginx.conf").read_text()
            except OSError:
                continue
            if f"listen {HOST}:{port};" in conf:
                masters.append(pid)
    if len(masters) != 1:
        raise BenchError(f"expected one nginx master listening on {port}, found {masters}")
    workers = gw.children_of(masters[0])
    if len(workers) != 1:
        raise BenchError(f"expected one worker of the backend nginx {masters[0]}, found {workers}")
    return masters[0], workers[0]


# --------------------------------------------------------------------------------------------
# The standalone gateway


def image_jvm_args() -> list[str]:
    """The JVM options gateway/Dockerfile's ENTRYPOINT starts the gateway with (its heap): what the image ships."""
    for line in (REPO_ROOT / "gateway" / "Dockerfile").read_text().splitlines():
        if line.startswith("ENTRYPOINT"):
            argv = json.loads(line[len("ENTRYPOINT"):].strip())
            return argv[1:argv.index("-jar")]
    raise SystemExit("gateway/Dockerfile has no ENTRYPOINT in exec form: pass --gateway-jvm-arg")


class StandaloneGateway:
    """`java -jar gateway/target/ebb-gateway-exec.jar`, routing from the control plane it long-polls, as README's
    section on the gateway runs it, on loopback ports of its own."""

    def __init__(self, jar: Path, workdir: Path, control_plane: str, token: str, access_log: bool, jvm_args: list[str]):
        self.port = gw.free_port()
        self.health_port = gw.free_port()
        self.data_dir = workdir / "gateway-data"
        self.log_path = workdir / "gateway.log"
        self.command = ["java", *jvm_args, "-jar", str(jar),
                        f"--ebb.gateway.control-plane-url={control_plane}", f"--ebb.gateway.token={token}",
                        f"--ebb.gateway.host={HOST}", f"--ebb.gateway.port={self.port}",
                        f"--ebb.gateway.public-port={gw.free_port()}", f"--ebb.gateway.health-port={self.health_port}",
                        f"--ebb.data-dir={self.data_dir}"]
        if not access_log:
            self.command.append("--logging.level.ebb.gateway.access=OFF")
        self.process: subprocess.Popen | None = None
        self.startup_seconds = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, timeout: float = 120):
        self.data_dir.mkdir(parents=True)
        self.log_file = open(self.log_path, "wb")
        started = time.monotonic()
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise BenchError(f"the standalone gateway exited with {self.process.returncode}; see {self.log_path}")
            try:
                if gw.http_call(self.health_port, "GET", "/readyz", timeout=2)[0] == 200:
                    self.startup_seconds = time.monotonic() - started
                    return
            except (OSError, gw.http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise BenchError(f"the standalone gateway was not ready within {timeout:.0f} s; see {self.log_path}")

    def stop(self):
        if self.process is None:
            return
        gw.end_process(self.process, 40)  # the gateway drains for up to 30 s
        gw.signal_group(self.process.pid, signal.SIGKILL)
        self.process = None
        self.log_file.close()


# --------------------------------------------------------------------------------------------
# Memory


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class RssSampler:
    """The largest resident set of a group of processes (summed), read from /proc every 100 ms while in use."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.max_kib = rss_kib(pids) if pids else 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.1):
            self.max_kib = max(self.max_kib, rss_kib(self.pids))

    def __enter__(self):
        if self.pids:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self.pids:
            self._thread.join()
            self.max_kib = max(self.max_kib, rss_kib(self.pids))


def measured_wrk(target, args, seconds: float, backend_worker: int) -> dict:
    pids = target.pids() if target.pids else []
    with RssSampler(pids) as rss:
        r = gw.run_wrk(target, args, seconds, backend_worker, path=FILE_PATH)
    r["rss_max_kib"] = rss.max_kib
    return r


# --------------------------------------------------------------------------------------------
# The report


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f}"


def f2(x: float) -> str:
    return f"{x:.2f}"


def native_memory_kib(pid: int) -> dict[str, int]:
    """Committed KiB per category from the JVM's native memory tracking (`-XX:NativeMemoryTracking=summary`)."""
    out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                         timeout=30).stdout
    found = {}
    for line in out.splitlines():
        # "-                 Java Heap (reserved=131072KB, committed=32768KB)" and "Total: reserved=..., committed=..."
        head, _, rest = line.strip().lstrip("-").partition("(reserved=")
        if not rest and line.startswith("Total:"):
            head, rest = "Total", line.partition("reserved=")[2]
        if rest and "committed=" in rest:
            found[head.strip()] = int(rest.split("committed=")[1].split("KB")[0])
    return found


# The p99 added is judged against 1 ms; a direct path whose own p99 at the fixed rate is larger than that (the client,
# the backend and the host, no proxy) cannot resolve it, whatever the load average said.
P99_GOAL_MS = 1.0


def verdicts(args, gateways, nginx, direct, standalone, standalone_memory, cpu, n_cpu: float, busy: bool) -> list[str]:
    """The report's lines against issue 17's goals, for a run with keep-alive clients."""
    median = gw.median
    lines = []
    missed = "**missed** (busy machine)" if busy else "**missed**"
    verdict = (lambda ok: "within the goal, **not judged: busy machine**") if busy else (lambda ok: "**met**")
    ruler_ms = direct.fixed["p99"] * 1000
    if ruler_ms > P99_GOAL_MS:
        lines.append(f"The direct path's own p99 at {args.rate:g} req/s was {ruler_ms:.2f} ms in its median round, more than "
                     f"the {P99_GOAL_MS:g} ms the p99 added is judged against: this host's tail is larger than the goal, "
                     "so no p99 added is judged in this run.")
        lines.append("")
    for t in gateways:
        ratios = [a["rps"] / b["rps"] for a, b in zip(t.runs, nginx.runs)]
        cpu_ratio = median([cpu(r) for r in t.runs]) / n_cpu
        added = median(t.fixed_added)
        nginx_added = median(nginx.fixed_added)
        lines.append(f"- {t.label}: req/s ≥ 0.9 × nginx in every round (aim 1.0): "
                     f"{', '.join(f'{x:.2f}' for x in ratios)}: "
                     f"{verdict(min(ratios) >= 0.9) if min(ratios) >= 0.9 else missed}; CPU per request ≤ 1.2 × nginx's: "
                     f"{cpu_ratio:.2f} ×: {verdict(cpu_ratio <= 1.2) if cpu_ratio <= 1.2 else missed}; p99 added at "
                     f"{args.rate:g} req/s ≤ 1 ms: {added:+.2f} ms (nginx {nginx_added:+.2f} ms): "
                     + ("**not judged: the direct path's tail is over 1 ms**" if ruler_ms > P99_GOAL_MS
                        else verdict(added <= 1) if added <= 1 else missed) + ".")
    if standalone_memory is not None:
        m = standalone_memory
        peak = max(standalone.runs, key=lambda r: r["rss_max_kib"])
        idle_ok = max(m["idle"], m["after"]) < 150 * 1024
        peak_ok = peak["rss_max_kib"] < 300 * 1024
        at = (f"at {peak['rps']:,.0f} req/s" + ("" if max(r["rps"] for r in standalone.runs) >= 10000 else
              ", **below the goal's 10k req/s: this run did not reach it**"))
        lines.append(f"- Standalone gateway idles under 150 MB RSS: {mib(m['idle'])} MiB after start, {mib(m['after'])} MiB "
                     f"after the load: {verdict(idle_ok) if idle_ok else missed}; under 300 MB at 10k req/s: "
                     f"{mib(peak['rss_max_kib'])} MiB {at}: {verdict(peak_ok) if peak_ok else missed}.")
    return lines


def report(args, targets, facts, end_load: str, memory: dict, notes: list[str], command: str) -> str:
    by = {t.key: t for t in targets}
    nginx = by["nginx"]
    median = gw.median
    gateways = [t for t in targets if t.jvm_pid]
    wrk_targets = [t for t in targets if t.runs]

    def cpu(r):
        return r["proxy_cpu"] / r["requests"] * 10000

    start_load = float(next(v for k, v in facts if k.startswith("Load average")).split(" / ")[0])
    busy = args.quiet.busy(start_load)
    lines = ["# Data-plane benchmark (issue 17): the gateway in front of a fast backend", "",
             f"Command (from the repository root): `{command}`", "", "| Machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in facts]
    lines += [f"| Load average at the end (1/5/15 min) | {end_load} |", ""]
    if busy:
        lines += [args.quiet.banner(start_load, "the numbers below"), ""]
    lines += [
        f"Backend: Debian's nginx with 1 worker serving a {FILE_SIZE}-byte file (`GET {FILE_PATH}`), run by Ebb's local "
        f"runtime as the one instance of service `{SERVICE}` (scale min 1, max 1). Every path reaches that instance. "
        f"Throughput: `wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s --latency` with the Host header"
        + (" and `Connection: close` (**a new connection for every request**)" if args.new_connections else "") + ", "
        f"{args.rounds} round(s), the paths interleaved in each round, each after a warm-up with the same settings split "
        f"into {args.warmup_runs} wrk run(s) ({args.first_warmup:g} s for a JVM in the first round, {args.warmup:g} s "
        "otherwise). CPU is the proxy process's utime+stime over the measured run (nginx: master and workers; Ebb: the "
        "whole JVM), per 10,000 requests; RSS the largest sum of the proxy's VmRSS sampled every 100 ms during the run.",
        "", "## Throughput (closed loop), median over the rounds", "",
        "| Path | req/s | p50 ms | p99 ms | proxy CPU-s / 10k | req/s vs nginx | CPU vs nginx | proxy RSS max MiB "
        "| backend CPU-s / 10k |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    n_rps = median([r["rps"] for r in nginx.runs])
    n_cpu = median([cpu(r) for r in nginx.runs])
    for t in wrk_targets:
        rps = median([r["rps"] for r in t.runs])
        has_cpu = t.pids is not None
        c = median([cpu(r) for r in t.runs]) if has_cpu else None
        lines.append(f"| {t.label} | {rps:,.0f} | {f2(median([r['p50'] for r in t.runs]) * 1000)} | "
                     f"{f2(median([r['p99'] for r in t.runs]) * 1000)} | {f2(c) if has_cpu else '–'} | {rps / n_rps:.2f} | "
                     f"{f'{c / n_cpu:.2f}' if has_cpu else '–'} | "
                     f"{mib(max(r['rss_max_kib'] for r in t.runs)) if has_cpu else '–'} | "
                     f"{f2(median([r['backend_cpu'] / r['requests'] * 10000 for r in t.runs]))} |")
    lines += ["", "Every round (req/s; p99 ms; proxy CPU-s per 10k; ratios to nginx in the same round; errors = socket "
              "errors + non-2xx):", "", "| Round | " + " | ".join(t.label for t in wrk_targets) + " |",
              "|---|" + "---|" * len(wrk_targets)]
    for i in range(args.rounds):
        cells = []
        for t in wrk_targets:
            r, ref = t.runs[i], nginx.runs[i]
            cell = f"{r['rps']:,.0f}; {f2(r['p99'] * 1000)}"
            if t.pids is not None:
                cell += f"; {f2(cpu(r))}"
            if t is not nginx and t.pids is not None:
                cell += f"; **{r['rps'] / ref['rps']:.2f} ×** req/s, {cpu(r) / cpu(ref):.2f} × CPU"
            if r["errors"] + r["non2xx"]:
                cell += f"; **{r['errors'] + r['non2xx']} errors**"
            cells.append(cell)
        lines.append(f"| {i + 1} | " + " | ".join(cells) + " |")
    if gateways:
        groups = [g for g, _ in gw.JVM_THREAD_GROUPS] + ["other"]
        lines += ["", "Where each gateway JVM's CPU went, by thread (CPU-s per 10k requests, median over the rounds):", "",
                  "| Path | " + " | ".join(groups) + " |", "|---|" + "---:|" * len(groups)]
        for t in gateways:
            lines.append(f"| {t.label} | " + " | ".join(
                f2(median([r["jvm_threads"][g] / r["requests"] * 10000 for r in t.runs])) for g in groups) + " |")

    direct = by["direct"]
    lines += ["", "## Added latency at a fixed rate (open loop)", "",
              f"{args.rate:g} `GET {FILE_PATH}`/s for {args.fixed_duration:g} s after {args.fixed_warmup:g} s of warm-up at "
              f"the same rate (`bench/gateway/FixedRate.java`, {args.fixed_workers} keep-alive connections); latency from the "
              "scheduled instant to the last byte, so a stall shows in the tail instead of lowering the rate. "
              f"{args.fixed_rounds} round(s), the paths interleaved in each; the figures are those of each path's median "
              "round by p99, the p99 added the median over the rounds of the p99 over the direct path's in the same round.", "",
              "| Path | requests | p50 ms | p99 ms | p99.9 ms | max ms | p99 added vs direct ms (each round) | non-200 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for t in targets:
        f = t.fixed
        added = "–" if t is direct else (f"{median(t.fixed_added):+.2f} ("
                                         + ", ".join(f"{a:+.2f}" for a in t.fixed_added) + ")")
        lines.append(f"| {t.label} | {f['count']:,} | {f2(f['p50'] * 1000)} | {f2(f['p99'] * 1000)} | "
                     f"{f2(f['p999'] * 1000)} | {f2(f['max'] * 1000)} | {added} | "
                     f"{sum(r['count'] - r['statuses'].get('200', 0) for r in t.fixed_runs)} |")

    lines += ["", "## Memory (resident set, /proc/<pid>/status VmRSS)", "",
              "| Process | idle after start MiB | max during the wrk runs MiB (at req/s) | idle after the load MiB |",
              "|---|---:|---:|---:|"]
    for t in targets:
        if t.key in memory:
            m = memory[t.key]
            peak = max(t.runs, key=lambda r: r["rss_max_kib"]) if t.runs else None
            during = f"{mib(peak['rss_max_kib'])} ({peak['rps']:,.0f})" if peak else "–"
            lines.append(f"| {t.label} | {mib(m['idle'])} | {during} | {mib(m['after'])} |")

    nmt = memory.get("gateway", {}).get("nmt")
    if nmt:
        lines += ["", "Where the standalone gateway's memory is (`jcmd <pid> VM.native_memory summary`, committed MiB; "
                  "RSS can be lower where committed pages were never touched, and higher by what the C library keeps):", "",
                  "| Category | idle after start | idle after the load |", "|---|---:|---:|"]
        for category in sorted(nmt["after"], key=lambda c: -nmt["after"][c]):
            if max(nmt["after"][category], nmt["idle"].get(category, 0)) >= 1024:
                lines.append(f"| {category} | {mib(nmt['idle'].get(category, 0))} | {mib(nmt['after'][category])} |")

    lines += ["", "## Against the goals", ""]
    if args.new_connections:
        lines += ["Not judged: the goals are for keep-alive clients, and this run opened a new connection for every "
                  "request (`--new-connections`).", ""]
    else:
        lines += verdicts(args, gateways, nginx, direct, by["gateway"] if "gateway" in memory else None,
                          memory.get("gateway"), cpu, n_cpu, busy)
    lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    lines += ["", "Commands:", ""]
    for t in wrk_targets:
        lines.append(f"- {t.label}: `{t.runs[-1]['cmd']}`")
    for t in targets:
        lines.append(f"- {t.label}, fixed rate: `{t.fixed['cmd']}`")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------


QUICK = {"rounds": 2, "duration": 5, "first_warmup": 9, "warmup": 2, "warmup_runs": 2, "fixed_warmup": 2,
         "fixed_duration": 5, "fixed_rounds": 1, "no_embedded": True, "no_direct_wrk": True}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="under 2 minutes: " + ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in QUICK.items()
                                                         if v is not True) + ", no embedded gateway, no direct wrk runs "
                        "(the fixed rate still measures the direct path); explicit options win")
    p.add_argument("--jar", type=Path, default=REPO_ROOT / "backend" / "target" / "ebb.jar")
    p.add_argument("--gateway-jar", type=Path, default=REPO_ROOT / "gateway" / "target" / "ebb-gateway-exec.jar")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (-t)")
    p.add_argument("--connections", type=int, default=64, help="wrk connections (-c)")
    p.add_argument("--duration", type=float, default=8, help="seconds per measured wrk run (-d)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of interleaved wrk runs")
    p.add_argument("--first-warmup", type=float, default=30, help="seconds of wrk before a JVM's first measured run")
    p.add_argument("--warmup", type=float, default=6, help="seconds of wrk before every other measured run")
    p.add_argument("--warmup-runs", type=int, default=3, help="wrk runs each warm-up is split into (see ../gateway/README.md)")
    p.add_argument("--nginx-keepalive", type=int, default=64, help="idle upstream keep-alive connections per nginx worker")
    p.add_argument("--rate", type=float, default=1000, help="requests/s of the fixed-rate test")
    p.add_argument("--fixed-duration", type=float, default=10, help="measured seconds of each fixed-rate run")
    p.add_argument("--fixed-warmup", type=float, default=3, help="untimed seconds at the same rate before each")
    p.add_argument("--fixed-rounds", type=int, default=3,
                   help="rounds of interleaved fixed-rate runs; the p99 added is the median over them")
    p.add_argument("--fixed-workers", type=int, default=64, help="client connections of the fixed-rate test")
    p.add_argument("--access-log", action="store_true",
                   help="access log on in every proxy (nginx's default combined log, the gateways' default); off by default")
    p.add_argument("--no-embedded", action="store_true", help="skip the gateway embedded in ebb.jar")
    p.add_argument("--no-direct-wrk", action="store_true", help="skip the direct path in the wrk rounds")
    p.add_argument("--gateway-jvm-arg", action="append", default=None, metavar="ARG",
                   help="JVM option for the standalone gateway (repeatable); by default those of gateway/Dockerfile's "
                        "ENTRYPOINT, the heap the gateway ships with")
    p.add_argument("--ebb-jvm-arg", action="append", default=[], metavar="ARG", help="JVM option for ebb.jar (repeatable)")
    p.add_argument("--variant-jvm-arg", action="append", default=[], metavar="ARG",
                   help="also start a second standalone gateway with the first one's JVM options plus this one "
                        "(repeatable), measured in the same rounds: an A/B of a JVM option or system property in one run")
    p.add_argument("--pin", action="store_true", help="wrk on CPU 0 (taskset), as ../gateway/run.py --pin")
    p.add_argument("--new-connections", action="store_true",
                   help="wrk sends 'Connection: close': every request on a new connection (what a proxy pays per "
                        "connection, as in a burst of new clients); the fixed rate stays on keep-alive connections")
    common.Quiet.add_arguments(p)
    p.add_argument("--keep-logs", action="store_true")
    p.add_argument("--nmt", action="store_true",
                   help="start the standalone gateway with native memory tracking and report its committed memory by "
                        "category, idle after start and after the load (tracking costs a little CPU)")
    p.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    first = p.parse_args(argv)
    if first.quick:
        p.set_defaults(**QUICK)
    args = p.parse_args(argv)
    for jar in ("jar", "gateway_jar"):
        setattr(args, jar, getattr(args, jar).resolve())
        if not getattr(args, jar).is_file():
            p.error(f"no {getattr(args, jar)}; build it with 'mvn -DskipTests package' at {REPO_ROOT}")
    for tool in ("wrk", "nginx", "java"):
        if shutil.which(tool) is None:
            p.error(f"'{tool}' is not on the PATH (apt-get install nginx wrk)")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = shlex.join(["python3", "bench/dataplane/run.py", *argv])
    began = time.monotonic()

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    facts = gw.machine_facts(args.jar)
    facts.insert(4, ("Kernel", Path("/proc/sys/kernel/osrelease").read_text().strip()))
    args.quiet = common.Quiet(args)
    workdir = Path(tempfile.mkdtemp(prefix="ebb-bench-dataplane-"))
    progress(f"working directory: {workdir}")
    log_flag = [] if args.access_log else ["-Dlogging.level.ebb.gateway.access=OFF"]
    ebb = gw.Ebb(args.jar, "main", workdir, extra_jvm=[*log_flag, *args.ebb_jvm_arg])
    gateway = None
    variant = None
    nginx = None
    targets = []
    memory: dict[str, dict] = {}
    notes: list[str] = []
    status = 0
    try:
        nginx_binary = shutil.which("nginx")
        script = write_backend(workdir, nginx_binary)
        progress(f"starting Ebb: API {HOST}:{ebb.http_port}, embedded gateway {HOST}:{ebb.gateway_port}")
        ebb.start()
        progress(f"Ebb answered after {ebb.startup_seconds:.1f} s; deploying '{SERVICE}' (nginx, 1 worker)")
        gw.deploy_template(ebb, SERVICE, {"command": ["/bin/sh", str(script)], "readiness": {"path": "/healthz"},
                                          "scale": {"min": 1, "max": 1}})
        revision, backend_port = gw.endpoint_of(ebb, SERVICE)
        master, worker = backend_pids(backend_port)
        progress(f"backend {revision} on port {backend_port} (nginx master {master}, worker {worker})")

        token = ebb.api("POST", "/api/v1/tokens", {"name": "bench-dataplane-gateway", "kind": "gateway"},
                        expected=(201,))["value"]
        if args.gateway_jvm_arg is None:
            args.gateway_jvm_arg = image_jvm_args()
        if args.nmt:
            args.gateway_jvm_arg = [*args.gateway_jvm_arg, "-XX:NativeMemoryTracking=summary"]
        gateway = StandaloneGateway(args.gateway_jar, workdir, f"http://{HOST}:{ebb.http_port}", token, args.access_log,
                                    args.gateway_jvm_arg)
        gateway.start()
        gw.wait_routed(gateway.port, SERVICE_HOST, path=FILE_PATH)
        progress(f"standalone gateway on {HOST}:{gateway.port} (pid {gateway.pid}) ready after {gateway.startup_seconds:.1f} s")
        if args.variant_jvm_arg:
            variant = StandaloneGateway(args.gateway_jar, workdir / "variant", f"http://{HOST}:{ebb.http_port}", token,
                                        args.access_log, [*args.gateway_jvm_arg, *args.variant_jvm_arg])
            variant.start()
            gw.wait_routed(variant.port, SERVICE_HOST, path=FILE_PATH)
            progress(f"variant gateway on {HOST}:{variant.port} (pid {variant.pid}) ready after {variant.startup_seconds:.1f} s")
        if not args.no_embedded:
            gw.wait_routed(ebb.gateway_port, SERVICE_HOST, path=FILE_PATH)

        nginx = gw.Nginx(workdir, "auto", backend_port, backend_port, args.nginx_keepalive, access_log=args.access_log)
        nginx.start()
        progress(f"nginx proxy on {HOST}:{nginx.port} (master {nginx.process.pid}, workers {nginx.pids()[1:]})")

        direct = gw.Target("direct", "direct (no proxy)", backend_port, backend_port, None, f"{HOST}:{backend_port}")
        targets.append(direct)
        targets.append(gw.Target("nginx", "nginx (reverse proxy)", nginx.port, nginx.port, SERVICE_HOST, SERVICE_HOST,
                                 pids=nginx.pids))
        targets.append(gw.Target("gateway", "Ebb gateway, own process", gateway.port, gateway.port, SERVICE_HOST,
                                 SERVICE_HOST, pids=lambda: [gateway.pid], jvm_pid=gateway.pid))
        if variant is not None:
            targets.append(gw.Target("variant", "Ebb gateway, own process, with " + " ".join(args.variant_jvm_arg),
                                     variant.port, variant.port, SERVICE_HOST, SERVICE_HOST, pids=lambda: [variant.pid],
                                     jvm_pid=variant.pid))
        if not args.no_embedded:
            targets.append(gw.Target("embedded", "Ebb gateway embedded in ebb.jar", ebb.gateway_port, ebb.gateway_port,
                                     SERVICE_HOST, SERVICE_HOST, pids=lambda: [ebb.pid], jvm_pid=ebb.pid))

        time.sleep(2)
        for t in targets:
            if t.pids:
                memory[t.key] = {"idle": rss_kib(t.pids())}
        if args.nmt:
            memory["gateway"]["nmt"] = {"idle": native_memory_kib(gateway.pid)}

        def check_alive(after: str):
            processes = [("Ebb", ebb.process), ("the standalone gateway", gateway.process), ("nginx", nginx.process)]
            if variant is not None:
                processes.append(("the variant gateway", variant.process))
            for name, proc in processes:
                if proc.poll() is not None:
                    raise BenchError(f"{name} exited with code {proc.returncode} during {after}; not stopped by this script")
            if not Path(f"/proc/{worker}").exists():
                raise BenchError(f"the backend's nginx worker {worker} is gone after {after}")

        wrk_targets = [t for t in targets if not (t is direct and args.no_direct_wrk)]
        for round_no in range(1, args.rounds + 1):
            for t in wrk_targets:
                warmup = args.first_warmup if round_no == 1 and t.jvm_pid else args.warmup
                progress(f"round {round_no}/{args.rounds}: {t.label}: {warmup:g} s warm-up, {args.duration:g} s measured")
                for _ in range(args.warmup_runs):
                    gw.run_wrk(t, args, warmup / args.warmup_runs, worker, path=FILE_PATH)
                check_alive(f"the warm-up of {t.label}")
                r = measured_wrk(t, args, args.duration, worker)
                check_alive(f"round {round_no} of {t.label}")
                t.runs.append(r)
                extra = (f", CPU {r['proxy_cpu'] / r['requests'] * 10000:.2f} s/10k, RSS max {mib(r['rss_max_kib'])} MiB"
                         if r["proxy_cpu"] is not None else "")
                progress(f"  {r['rps']:,.0f} req/s, p99 {r['p99'] * 1000:.2f} ms{extra}"
                         + (f", {r['errors']} socket errors, {r['non2xx']} non-2xx" if r["errors"] or r["non2xx"] else ""))

        for t in targets:
            t.fixed_runs = []
        settled = []
        for round_no in range(1, args.fixed_rounds + 1):
            for t in targets:
                settled.append(common.settle(SETTLE_BUSY, timeout=SETTLE_TIMEOUT))
                progress(f"fixed rate, round {round_no}/{args.fixed_rounds}: {t.label}: {args.rate:g}/s, "
                         f"{args.fixed_warmup:g} s warm-up + {args.fixed_duration:g} s (after {settled[-1]:.0f} s for the "
                         "machine to settle)")
                t.fixed_runs.append(gw.run_fixed(t, args, workdir, method="GET", path=FILE_PATH, body=""))
                check_alive(f"the fixed-rate test of {t.label}")
                f = t.fixed_runs[-1]
                progress(f"  p50 {f['p50'] * 1000:.2f} ms, p99 {f['p99'] * 1000:.2f} ms, statuses {f['statuses']}")
        direct_runs = direct.fixed_runs
        for t in targets:
            # The p99 each round adds over the direct path measured in the same round; the round of the median stands for
            # the path in the table.
            t.fixed_added = [(f["p99"] - d["p99"]) * 1000 for f, d in zip(t.fixed_runs, direct_runs)]
            t.fixed = sorted(t.fixed_runs, key=lambda f: f["p99"])[len(t.fixed_runs) // 2]

        notes.append(f"Before each fixed-rate run the script waited until the machine was quiet ({SETTLE_BUSY:.0%} of its "
                     f"CPU time busy over a second at most, {SETTLE_TIMEOUT:g} s at most): {min(settled):.0f}-{max(settled):.0f} s "
                     "here. Right after a wrk run the JVMs go on compiling what it made hot and the control plane takes in "
                     "the last load reports; measured at 1000 req/s, that showed in every path's tail, direct included.")
        time.sleep(3)
        for t in targets:
            if t.key in memory:
                memory[t.key]["after"] = rss_kib(t.pids())
        if args.nmt:
            memory["gateway"]["nmt"]["after"] = native_memory_kib(gateway.pid)
        end_load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
        notes.append(f"Access logs {'on' if args.access_log else 'off'} in every proxy (nginx `access_log "
                     f"{'on' if args.access_log else 'off'}`; the gateways "
                     f"{'at their default' if args.access_log else 'with `logging.level.ebb.gateway.access=OFF`'}).")
        notes.append("nginx proxy: `worker_processes auto` (" + str(len(nginx.pids()) - 1) + " workers here), upstream "
                     f"`keepalive {args.nginx_keepalive}`, HTTP/1.1 upstream, `keepalive_requests 1000000`, X-Forwarded-* and "
                     "X-Request-Id set as the gateway sets them (the config of ../gateway/run.py).")
        notes.append(f"Standalone gateway: `{shlex.join(['java', *args.gateway_jvm_arg, '-jar', 'gateway/target/ebb-gateway-exec.jar'])}` "
                     "with `--ebb.gateway.control-plane-url`, a token of kind `gateway` and loopback ports; JVM options "
                     f"{'as given' if args.gateway_jvm_arg != image_jvm_args() else 'those of gateway/Dockerfile'}. Ready after "
                     f"{gateway.startup_seconds:.1f} s. Its CPU is its own JVM's; the embedded gateway's CPU is the whole Ebb "
                     "JVM's (control plane included).")
        notes.append(f"Backend: `/bin/sh {script.name}` writes the config and execs `{nginx_binary}` (1 worker, "
                     f"`access_log off`, `sendfile on`, `keepalive_requests 1000000`); instance {revision} on port "
                     f"{backend_port}. Backend CPU counts its worker process.")
        notes.append(f"Ebb started in {ebb.startup_seconds:.1f} s; the whole run took {time.monotonic() - began:.0f} s.")
        facts.append(args.quiet.stop())
        text = report(args, targets, facts, end_load, memory, notes, command)
        print(text)
        if args.out:
            args.out.write_text(text)
            progress(f"wrote {args.out}")
    except BenchError as e:
        progress(f"ABORTED: {e}")
        status = 1
    except KeyboardInterrupt:
        progress("interrupted; stopping everything")
        status = 130
    finally:
        if nginx is not None:
            nginx.stop()
        if gateway is not None:
            gateway.stop()
        if variant is not None:
            variant.stop()
        ebb.stop()
        leftovers = [pid for pid in gw.all_pids() if cwd_of(pid).startswith(str(workdir))]
        for pid in leftovers:
            progress(f"stopping leftover process {pid}: {' '.join(gw.cmdline(pid))[:200]}")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if status or args.keep_logs:
        progress(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
