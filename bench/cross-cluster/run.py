#!/usr/bin/env python3
"""Cross-cluster hop benchmark of Ebb (issue 19): what forwarding a request to another cluster's gateway adds, against a
direct call between the same two network namespaces.

Two network namespaces, A and B, joined by a veth pair (as gateway/src/test/.../NetworkNamespaceTest.java joins them).
A runs the backend (Debian's nginx, one worker, a 512-byte file) and the gateway of cluster `a` with its peer listener;
B runs the gateway of cluster `b` and the client. Each gateway is the standalone jar with the JVM options of
gateway/Dockerfile, and routes with a snapshot this script writes to its `$EBB_DATA_DIR/gateway/routing.json`, its
control plane a closed port: the start-from-the-last-snapshot path. Paths, all with the client in B:

  direct:  B -> nginx in A, across the link (the baseline)
  hop:     B -> B's gateway (loopback) -> A's gateway peer listener (across the link) -> nginx (loopback in A)
  local-a: B -> A's gateway internal listener (across the link) -> nginx: one gateway, no hop

Throughput: wrk -t1 -c16 and -c64 (closed loop); added latency: bench/gateway/FixedRate.java at a fixed rate (open
loop, no coordinated omission); the paths interleaved in every round, the order rotated from round to round.

Standard library only; the process, wrk, fixed-rate and report helpers are bench/gateway/run.py's, the backend and the
gateway's JVM options bench/dataplane/run.py's. Needs root (ip netns). Everything started is stopped and both namespaces
are deleted at the end, also on errors, Ctrl-C and SIGTERM. It asserts nothing about time. See README.md here.
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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


dp = _load("ebb_dataplane_bench", HERE.parent / "dataplane" / "run.py")
gw = dp.gw  # bench/gateway/run.py, as the data-plane benchmark loaded it
common = dp.common  # bench/common.py
BenchError = gw.BenchError
progress = gw.progress
median = gw.median
REPO_ROOT = gw.REPO_ROOT
FILE_PATH = dp.FILE_PATH
NAMESPACE = "bench"
SERVICE = "static"
REVISION = "static-00001"
SERVICE_HOST = f"{SERVICE}.{NAMESPACE}.svc.cluster.local"

# Inside the two namespaces nothing else listens, so the ports are fixed.
SUBNET = "10.233.0"
ADDRESS_A = f"{SUBNET}.1"
ADDRESS_B = f"{SUBNET}.2"
BACKEND_PORT = 8080
GATEWAY_PORT = 8081
PUBLIC_PORT = 8082
HEALTH_PORT = 8086
PEER_PORT = 8443
CLOSED_PORT = 9  # the control plane's URL: nothing listens there, as when every control plane is away

PATHS = {
    "direct": "direct: B → nginx in A",
    "hop": "cross-cluster hop: B → gateway b → gateway a (peer) → nginx",
    "local-a": "gateway a only: B → gateway a (internal) → nginx",
}


# --------------------------------------------------------------------------------------------
# Two network namespaces


def run_ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if check and out.returncode != 0:
        raise BenchError(f"ip {' '.join(args)} failed ({out.returncode}): {out.stderr.strip()}")
    return out


class Namespaces:
    """A and B joined by a veth pair, A at ADDRESS_A and B at ADDRESS_B; names carry this process's id."""

    def __init__(self):
        tag = str(os.getpid())
        self.a = f"ebb-xc-a-{tag}"
        self.b = f"ebb-xc-b-{tag}"
        self.link_a = f"exa{tag}"[:15]  # interface names have at most 15 characters
        self.link_b = f"exb{tag}"[:15]
        self.created: list[str] = []

    def create(self):
        for ns in (self.a, self.b):
            run_ip("netns", "add", ns)
            self.created.append(ns)
        run_ip("link", "add", self.link_a, "type", "veth", "peer", "name", self.link_b)
        self.created.append("link")
        run_ip("link", "set", self.link_a, "netns", self.a)
        run_ip("link", "set", self.link_b, "netns", self.b)
        run_ip("-n", self.a, "addr", "add", f"{ADDRESS_A}/24", "dev", self.link_a)
        run_ip("-n", self.b, "addr", "add", f"{ADDRESS_B}/24", "dev", self.link_b)
        for ns, link in ((self.a, self.link_a), (self.a, "lo"), (self.b, self.link_b), (self.b, "lo")):
            run_ip("-n", ns, "link", "set", link, "up")

    def delete(self):
        """Deleting a namespace deletes its end of the veth pair, and with it the other end; the pair is deleted by name
        too, in case it never moved into a namespace."""
        if "link" in self.created:
            run_ip("link", "del", self.link_a, check=False)
        for ns in self.created:
            if ns != "link":
                out = run_ip("netns", "del", ns, check=False)
                if out.returncode != 0:
                    progress(f"could not delete network namespace {ns}: {out.stderr.strip()}")
        self.created = []

    def link_facts(self) -> str:
        out = run_ip("-n", self.a, "-d", "link", "show", self.link_a, check=False).stdout.split()
        mtu = out[out.index("mtu") + 1] if "mtu" in out else "?"
        return f"veth pair {self.link_a} ({ADDRESS_A}, in {self.a}) ↔ {self.link_b} ({ADDRESS_B}, in {self.b}), MTU {mtu}"


PROBE = """import http.client, sys
c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=5)
c.request("GET", sys.argv[3], headers={"Host": sys.argv[4]} if sys.argv[4] else {})
r = c.getresponse()
r.read()
print(r.status)
"""


def ns_get(ns: str, address: str, port: int, path: str, host_header: str = "") -> str:
    """GET from inside a namespace (this process stays outside both): the status, or what went wrong."""
    try:
        out = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", PROBE, address, str(port), path, host_header],
                             capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "timed out"
    if out.returncode == 0 and out.stdout.strip().isdigit():
        return out.stdout.strip()
    return (out.stderr.strip().splitlines() or [f"exit {out.returncode}"])[-1]


def wait_for(what: str, check, processes: list, timeout: float = 90) -> float:
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        for name, process, log in processes:
            if process.poll() is not None:
                raise BenchError(f"{name} exited with {process.returncode} while waiting for {what}; see {log}")
        last = check()
        if last == "200":
            return time.monotonic() - started
        time.sleep(0.2)
    raise BenchError(f"{what}: no 200 within {timeout:.0f} s (last: {last})")


# --------------------------------------------------------------------------------------------
# Processes in the namespaces


class NsProcess:
    """A process run with `ip netns exec` (which execs it: the pid is the process's own), in a session of its own."""

    def __init__(self, name: str, ns: str, command: list[str], log: Path, cwd: Path | None = None, env: dict | None = None):
        self.name = name
        self.ns = ns
        self.command = command
        self.log_path = log
        self.log = open(log, "wb")
        self.process = subprocess.Popen(["ip", "netns", "exec", ns, *command], cwd=cwd, env=env,
                                        stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self):
        gw.end_process(self.process, 40)  # a gateway drains for up to 30 s
        gw.signal_group(self.process.pid, signal.SIGKILL)
        self.log.close()


def snapshot(cluster: str, revision: dict, peers: list[dict], peer_tokens: list[str]) -> dict:
    """A routing snapshot as the control plane serves it to one cluster's gateways (api/.../RoutingSnapshot.java)."""
    return {"version": 1, "cluster": cluster,
            "services": [{"namespace": NAMESPACE, "name": SERVICE, "visibility": "cluster-local",
                          "targets": [{"revision": REVISION, "percent": 100, "tag": None}]}],
            "revisions": [{"namespace": NAMESPACE, "name": REVISION, "service": SERVICE, "protocol": "http1",
                           "timeoutSeconds": 30, "concurrencyLimit": 0, **revision}],
            "peers": peers, "peerTokens": peer_tokens}


def start_gateway(name: str, ns: str, cluster: str, host: str, peer_port: int | None, routing: dict, workdir: Path,
                  jar: Path, jvm_args: list[str]) -> NsProcess:
    """The standalone gateway, configured through the environment as README documents it, its last snapshot written to
    $EBB_DATA_DIR/gateway/routing.json before it starts, and its control plane a port where nothing listens."""
    data = workdir / f"gateway-{cluster}"
    (data / "gateway").mkdir(parents=True)
    (data / "gateway" / "routing.json").write_text(json.dumps(routing, indent=1) + "\n")
    env = {**os.environ, "EBB_DATA_DIR": str(data), "EBB_GATEWAY_CLUSTER": cluster,
           "EBB_GATEWAY_CONTROL_PLANE_URL": f"http://127.0.0.1:{CLOSED_PORT}", "EBB_GATEWAY_TOKEN": "no-control-plane",
           "EBB_GATEWAY_HOST": host, "EBB_GATEWAY_PORT": str(GATEWAY_PORT), "EBB_GATEWAY_PUBLIC_PORT": str(PUBLIC_PORT),
           "EBB_GATEWAY_HEALTH_PORT": str(HEALTH_PORT), "LOGGING_LEVEL_EBB_GATEWAY_ACCESS": "off"}
    if peer_port is not None:
        env["EBB_GATEWAY_PEER_PORT"] = str(peer_port)
    return NsProcess(name, ns, ["java", *jvm_args, "-jar", str(jar)], workdir / f"gateway-{cluster}.log", cwd=data, env=env)


def log_lines(path: Path, needles: tuple[str, ...]) -> list[str]:
    try:
        return [line.strip()[:300] for line in path.read_text(errors="replace").splitlines() if any(n in line for n in needles)]
    except OSError:
        return []


# --------------------------------------------------------------------------------------------
# Measuring


NCPU = os.cpu_count() or 1


def machine_busy() -> float:
    """CPU-seconds the whole machine spent busy so far (user, nice, system, irq, softirq in /proc/stat)."""
    return common.busy_ticks(common.cpu_times()) / gw.CLK_TCK


class OthersShare:
    """How much of the machine processes outside this run used during a measurement: the machine's busy time minus the
    CPU of this run's processes (the gateways and nginx from /proc, the clients as waited-for children, this script),
    as a share of all cores. The kernel's network work for our packets that is accounted to no process (softirq) counts
    as others', so it is an upper bound: a few % on a quiet machine."""

    def __init__(self, pids):
        self.pids = pids

    def ours(self) -> float:
        t = os.times()
        return gw.cpu_seconds(self.pids()) + t.user + t.system + t.children_user + t.children_system

    def __enter__(self):
        self.start, self.busy, self.mine = time.monotonic(), machine_busy(), self.ours()
        return self

    def __exit__(self, *exc):
        elapsed = time.monotonic() - self.start
        self.share = max(0.0, (machine_busy() - self.busy) - (self.ours() - self.mine)) / (elapsed * NCPU)


def pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def cpu_of(pids: dict[str, int]) -> dict[str, float]:
    return {k: gw.cpu_seconds([pid]) for k, pid in pids.items()}


def measured_wrk(target, args, seconds: float, worker: int, cpu_pids: dict[str, int], ours) -> dict:
    before = cpu_of(cpu_pids)
    with OthersShare(ours) as others:
        r = gw.run_wrk(target, args, seconds, worker, path=FILE_PATH)
    after = cpu_of(cpu_pids)
    r["cpu"] = {k: after[k] - before[k] for k in cpu_pids}
    r["others"] = others.share
    return r


def rotated(items: list, n: int) -> list:
    n %= len(items)
    return items[n:] + items[:n]


def f2(x: float) -> str:
    return f"{x:.2f}"


def ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def loadavg() -> str:
    return " / ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(args, targets, facts, notes, command, start_load, end_load, busy) -> str:
    by = {t.key: t for t in targets}
    direct = by["direct"]
    lines = ["# Cross-cluster hop benchmark (issue 19)", "",
             f"Generated by `{command}`. What one cross-cluster hop adds to a request: the client in network namespace B, "
             "nginx (1 worker, a 512-byte file) in namespace A, the two joined by a veth pair; each cluster's gateway is "
             "the standalone jar running in its namespace with a routing snapshot read from its file and no control "
             "plane. See `bench/cross-cluster/README.md`.", "",
             "| path | how the request gets to nginx |", "|---|---|"]
    for t in targets:
        lines.append(f"| {t.key} | {PATHS[t.key].split(': ', 1)[1]} |")
    lines += ["", "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in facts]
    shares = [r["others"] for t in targets for c in args.connections for r in t.wrk[c]] + \
        [f["others"] for t in targets for f in t.fixed_runs]
    lines += ["", f"Processes outside this run used {pct(median(shares))} of the machine's CPU during the median measured "
                  f"run, {pct(max(shares))} at most (per run in the tables below; see Notes)."]
    if busy:
        lines += ["", f"**Busy machine**: the 1-minute load average was {start_load.split(' / ')[0]} at the start and "
                      f"{end_load.split(' / ')[0]} at the end (quiet: under {args.quiet_load:g} at the start): something "
                      "else was using the cores, and the figures below carry its noise."]

    lines += ["", "## Throughput (closed loop)", "",
              f"`wrk -t{args.threads} -c<N> -d{args.duration:g}s` from namespace B, `GET {FILE_PATH}`; {args.rounds} round(s), "
              f"in each every path after {args.warmup:g} s of warm-up ({args.first_warmup:g} s for a path through a "
              "gateway the first time), the order of the paths rotated from round to round. Median over the rounds; "
              "the ratio is to the direct path in the same round (median of the per-round ratios).", "",
              "| path | connections | req/s | × direct | p50 ms | p99 ms | gateway b CPU-s/10k | gateway a CPU-s/10k | "
              "nginx CPU-s/10k | errors |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in args.connections:
        for t in targets:
            runs = t.wrk[c]
            ratios = [r["rps"] / d["rps"] for r, d in zip(runs, direct.wrk[c])]

            def cpu(key):
                return f2(median([r["cpu"][key] / r["requests"] * 10000 for r in runs]))

            errors = sum(r["errors"] + r["non2xx"] for r in runs)
            lines.append(f"| {t.key} | {c} | {median([r['rps'] for r in runs]):,.0f} | "
                         f"{'–' if t is direct else f'**{median(ratios):.2f}**'} | {ms(median([r['p50'] for r in runs]))} | "
                         f"{ms(median([r['p99'] for r in runs]))} | {cpu('gateway b')} | {cpu('gateway a')} | {cpu('nginx')} | "
                         f"{errors if errors else 0} |")
    lines += ["", "Every round (req/s; × direct in the same round; the share of the machine's CPU that processes outside "
              "this run used meanwhile, see Notes):", "",
              "| connections | round | " + " | ".join(t.key for t in targets) + " |",
              "|---:|---:|" + "---:|" * len(targets)]
    for c in args.connections:
        for i in range(args.rounds):
            cells = []
            for t in targets:
                r, d = t.wrk[c][i], direct.wrk[c][i]
                cells.append(f"{r['rps']:,.0f}" + ("" if t is direct else f" ({r['rps'] / d['rps']:.2f} ×)")
                             + f"; others {pct(r['others'])}")
            lines.append(f"| {c} | {i + 1} | " + " | ".join(cells) + " |")

    lines += ["", "## Added latency at a fixed rate (open loop)", "",
              f"{args.rate:g} `GET {FILE_PATH}`/s for {args.fixed_duration:g} s after {args.fixed_warmup:g} s at the same "
              f"rate (`bench/gateway/FixedRate.java` in namespace B, {args.fixed_workers} keep-alive connections); latency "
              "from the scheduled instant to the last byte, so a stall shows in the tail instead of lowering the rate. "
              f"{args.fixed_rounds} round(s), the paths interleaved, the order rotated. Percentiles: median over the "
              "rounds. Added: the path's percentile minus the direct path's in the same round, median over the rounds "
              "(each round in brackets).", "",
              "| path | p50 ms | p90 ms | p99 ms | p99.9 ms | p50 added ms | p99 added ms | non-200 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    quiet_cells = []
    for t in targets:
        runs = t.fixed_runs

        def added(q):
            values = [(f[q] - d[q]) * 1000 for f, d in zip(runs, direct.fixed_runs)]
            return f"**{median(values):+.2f}** (" + ", ".join(f"{v:+.2f}" for v in values) + ")"

        def quiet(q):
            values = [(f[q] - d[q]) * 1000 for f, d in zip(runs, direct.fixed_runs)
                      if max(f["others"], d["others"]) < args.quiet_share]
            return f"{median(values):+.2f} ({len(values)})" if values else "– (0)"

        quiet_cells.append(f"{t.key}: p50 {quiet('p50')}, p99 {quiet('p99')}")
        non200 = sum(f["count"] - f["statuses"].get("200", 0) for f in runs)
        lines.append(f"| {t.key} | {ms(median([f['p50'] for f in runs]))} | {ms(median([f['p90'] for f in runs]))} | "
                     f"{ms(median([f['p99'] for f in runs]))} | {ms(median([f['p999'] for f in runs]))} | "
                     f"{'–' if t is direct else added('p50')} | {'–' if t is direct else added('p99')} | {non200} |")
    lines += ["", f"Added over the quiet rounds only (the path's run and the direct run of the round both with others' "
                  f"share under {pct(args.quiet_share)}; their number in brackets): " + "; ".join(quiet_cells[1:]) + " ms."]
    lines += ["", "Every round (p50 / p99 ms; others' share of the CPU meanwhile):", "",
              "| round | " + " | ".join(t.key for t in targets) + " |", "|---:|" + "---:|" * len(targets)]
    for i in range(args.fixed_rounds):
        lines.append(f"| {i + 1} | " + " | ".join(
            f"{ms(t.fixed_runs[i]['p50'])} / {ms(t.fixed_runs[i]['p99'])}; others {pct(t.fixed_runs[i]['others'])}"
            for t in targets) + " |")
    if "local-a" in by:
        hop, local = by["hop"], by["local-a"]
        p50 = median([(h["p50"] - l["p50"]) * 1000 for h, l in zip(hop.fixed_runs, local.fixed_runs)])
        p99 = median([(h["p99"] - l["p99"]) * 1000 for h, l in zip(hop.fixed_runs, local.fixed_runs)])
        lines += ["", f"The hop over one gateway (hop minus gateway a only, same round, median): p50 {p50:+.2f} ms, "
                      f"p99 {p99:+.2f} ms: what gateway b and its forwarding add on top of a single gateway."]
    lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    lines += ["", "Commands (the last run of each):", ""]
    for c in args.connections:
        for t in targets:
            lines.append(f"- {t.key}, -c{c}: `{t.wrk[c][-1]['cmd']}`")
    for t in targets:
        lines.append(f"- {t.key}, fixed rate: `{t.fixed_runs[-1]['cmd']}`")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------


QUICK = {"rounds": 1, "duration": 2, "first_warmup": 4, "warmup": 1, "fixed_warmup": 1, "fixed_duration": 3,
         "fixed_rounds": 1}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="under a minute: " + ", ".join(f"--{k.replace('_', '-')} {v}" for k, v in QUICK.items())
                        + ", --connections 64; explicit options win")
    p.add_argument("--gateway-jar", type=Path, default=REPO_ROOT / "gateway" / "target" / "ebb-gateway-exec.jar")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (-t)")
    p.add_argument("--connections", type=int, action="append", default=None, metavar="N",
                   help="wrk connections (-c), repeatable; 16 and 64 by default, 64 with --quick")
    p.add_argument("--duration", type=float, default=5, help="seconds per measured wrk run (-d)")
    p.add_argument("--rounds", type=int, default=3, help="rounds of interleaved wrk runs")
    p.add_argument("--first-warmup", type=float, default=15,
                   help="seconds of wrk before the first measured run of a path through a gateway (JIT)")
    p.add_argument("--warmup", type=float, default=2, help="seconds of wrk before every other measured run")
    p.add_argument("--rate", type=float, default=1000, help="requests/s of the fixed-rate test")
    p.add_argument("--fixed-duration", type=float, default=8, help="measured seconds of each fixed-rate run")
    p.add_argument("--fixed-warmup", type=float, default=2, help="untimed seconds at the same rate before each")
    p.add_argument("--fixed-rounds", type=int, default=5,
                   help="rounds of interleaved fixed-rate runs; the added latency is the median over them")
    p.add_argument("--fixed-workers", type=int, default=64, help="client connections of the fixed-rate test")
    p.add_argument("--no-local", action="store_true", help="skip the path through gateway a alone")
    p.add_argument("--gateway-jvm-arg", action="append", default=None, metavar="ARG",
                   help="JVM option of both gateways (repeatable); by default those of gateway/Dockerfile's ENTRYPOINT")
    p.add_argument("--quiet-load", type=float, default=0.5,
                   help="a 1-minute load average above this at the start marks the run busy in the report")
    p.add_argument("--quiet-share", type=float, default=0.1,
                   help="a fixed-rate round counts as quiet when processes outside the run used less than this share of "
                        "the CPU during both its run and the direct path's")
    p.add_argument("--keep-logs", action="store_true", help="keep the working directory (logs, snapshots, nginx config)")
    p.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    p.set_defaults(pin=False)
    first = p.parse_args(argv)
    if first.quick:
        p.set_defaults(**QUICK)
    args = p.parse_args(argv)
    args.connections = args.connections or ([64] if args.quick else [16, 64])
    args.gateway_jar = args.gateway_jar.resolve()
    if not args.gateway_jar.is_file():
        p.error(f"no {args.gateway_jar}; build it: mvn -q install -DskipTests -pl api && mvn -q -pl gateway package -DskipTests")
    for tool in ("wrk", "nginx", "java", "ip"):
        if shutil.which(tool) is None:
            p.error(f"'{tool}' is not on the PATH (apt-get install nginx wrk iproute2)")
    if os.geteuid() != 0:
        p.error("creating network namespaces needs root")
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    command = shlex.join(["python3", "bench/cross-cluster/run.py", *argv])
    began = time.monotonic()

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    uptime_start = gw.first_line(["uptime"])
    facts = gw.machine_facts(args.gateway_jar)
    facts.insert(2, ("Kernel", Path("/proc/sys/kernel/osrelease").read_text().strip()))
    facts.append(("`uptime` at the start", uptime_start))
    start_load = loadavg()
    busy = float(start_load.split(" / ")[0]) > args.quiet_load
    workdir = Path(tempfile.mkdtemp(prefix="ebb-bench-cross-cluster-"))
    progress(f"working directory: {workdir}")
    ns = Namespaces()
    started: list[NsProcess] = []
    notes: list[str] = []
    status = 0
    try:
        ns.create()
        progress(f"network namespaces {ns.a} ({ADDRESS_A}) and {ns.b} ({ADDRESS_B}), joined by a veth pair")
        nginx_binary = shutil.which("nginx")
        script = dp.write_backend(workdir, nginx_binary, listen="0.0.0.0")
        instance = workdir / "static" / "instance"
        instance.mkdir()
        nginx = NsProcess("nginx", ns.a, ["/bin/sh", str(script)], workdir / "nginx.log", cwd=instance,
                          env={**os.environ, "PORT": str(BACKEND_PORT)})
        started.append(nginx)

        jvm_args = args.gateway_jvm_arg if args.gateway_jvm_arg is not None else dp.image_jvm_args()
        token = "bench-peer-token-" + os.urandom(8).hex()
        routing_a = snapshot("a", {"endpoints": [{"instance": f"{REVISION}-a", "host": "127.0.0.1", "port": BACKEND_PORT}],
                                   "placedHere": True, "remotes": []}, peers=[], peer_tokens=[token])
        routing_b = snapshot("b", {"endpoints": [], "placedHere": False, "remotes": [{"cluster": "a", "ready": 1}]},
                             peers=[{"cluster": "a", "host": ADDRESS_A, "port": PEER_PORT, "token": token}], peer_tokens=[])
        gateway_a = start_gateway("gateway a", ns.a, "a", "0.0.0.0", PEER_PORT, routing_a, workdir, args.gateway_jar, jvm_args)
        started.append(gateway_a)
        gateway_b = start_gateway("gateway b", ns.b, "b", "127.0.0.1", None, routing_b, workdir, args.gateway_jar, jvm_args)
        started.append(gateway_b)
        watched = [(p.name, p.process, p.log_path) for p in started]

        wait_for("nginx in A, from B", lambda: ns_get(ns.b, ADDRESS_A, BACKEND_PORT, FILE_PATH), watched)
        worker_pids = gw.children_of(nginx.pid)
        if len(worker_pids) != 1:
            raise BenchError(f"expected one worker of nginx {nginx.pid}, found {worker_pids}")
        worker = worker_pids[0]
        ready_a = wait_for("gateway a's /readyz", lambda: ns_get(ns.a, "127.0.0.1", HEALTH_PORT, "/readyz"), watched)
        ready_b = wait_for("gateway b's /readyz", lambda: ns_get(ns.b, "127.0.0.1", HEALTH_PORT, "/readyz"), watched)
        progress(f"gateways ready from their snapshot files (a after {ready_a:.1f} s, b then {ready_b:.1f} s more)")
        wait_for("the hop B → gateway b → gateway a → nginx",
                 lambda: ns_get(ns.b, "127.0.0.1", GATEWAY_PORT, FILE_PATH, SERVICE_HOST), watched)
        wait_for("gateway a's internal listener, from B",
                 lambda: ns_get(ns.b, ADDRESS_A, GATEWAY_PORT, FILE_PATH, SERVICE_HOST), watched)
        routed_from_file = [(log_lines(g.log_path, ("listening on",)) + ["(no line)"])[0] for g in (gateway_a, gateway_b)]
        routed_from_file += log_lines(gateway_b.log_path, ("is unreachable",))[:1]

        targets = [gw.Target("direct", PATHS["direct"], BACKEND_PORT, BACKEND_PORT, None, f"{ADDRESS_A}:{BACKEND_PORT}",
                             address=ADDRESS_A, netns=ns.b),
                   gw.Target("hop", PATHS["hop"], GATEWAY_PORT, GATEWAY_PORT, SERVICE_HOST, SERVICE_HOST,
                             address="127.0.0.1", netns=ns.b)]
        if not args.no_local:
            targets.append(gw.Target("local-a", PATHS["local-a"], GATEWAY_PORT, GATEWAY_PORT, SERVICE_HOST, SERVICE_HOST,
                                     address=ADDRESS_A, netns=ns.b))
        cpu_pids = {"gateway b": gateway_b.pid, "gateway a": gateway_a.pid, "nginx": worker}

        def ours():
            return [gateway_a.pid, gateway_b.pid, nginx.pid, *gw.children_of(nginx.pid)]

        def check_alive(after: str):
            for p in started:
                if p.process.poll() is not None:
                    raise BenchError(f"{p.name} exited with {p.process.returncode} during {after}; see {p.log_path}")
            if not Path(f"/proc/{worker}").exists():
                raise BenchError(f"nginx's worker {worker} is gone after {after}")

        for t in targets:
            t.wrk = {c: [] for c in args.connections}
            t.fixed_runs = []
        warmed: set[str] = set()
        for round_no in range(args.rounds):
            for c in args.connections:
                args_c = argparse.Namespace(**{**vars(args), "connections": c})
                for t in rotated(targets, round_no):
                    warmup = args.warmup if t.key == "direct" or t.key in warmed else args.first_warmup
                    warmed.add(t.key)
                    progress(f"round {round_no + 1}/{args.rounds}, -c{c}: {t.key}: {warmup:g} s warm-up, "
                             f"{args.duration:g} s measured")
                    gw.run_wrk(t, args_c, warmup, worker, path=FILE_PATH)
                    r = measured_wrk(t, args_c, args.duration, worker, cpu_pids, ours)
                    check_alive(f"round {round_no + 1} of {t.key}")
                    t.wrk[c].append(r)
                    progress(f"  {r['rps']:,.0f} req/s, p50 {ms(r['p50'])} ms, p99 {ms(r['p99'])} ms; others "
                             f"{pct(r['others'])}; CPU-s "
                             + ", ".join(f"{k} {v:.1f}" for k, v in r["cpu"].items())
                             + (f"; {r['errors']} socket errors, {r['non2xx']} non-2xx" if r["errors"] or r["non2xx"] else ""))
        if "hop" in warmed and median([r["cpu"]["gateway a"] for r in targets[1].wrk[args.connections[0]]]) <= 0:
            raise BenchError("gateway a used no CPU while requests took the hop: they did not cross it")

        for round_no in range(args.fixed_rounds):
            for t in rotated(targets, round_no):
                progress(f"fixed rate, round {round_no + 1}/{args.fixed_rounds}: {t.key}: {args.rate:g}/s, "
                         f"{args.fixed_warmup:g} s warm-up + {args.fixed_duration:g} s")
                with OthersShare(ours) as others:
                    f = gw.run_fixed(t, args, workdir, method="GET", path=FILE_PATH, body="")
                f["others"] = others.share
                check_alive(f"the fixed-rate test of {t.key}")
                t.fixed_runs.append(f)
                progress(f"  p50 {ms(f['p50'])} ms, p90 {ms(f['p90'])} ms, p99 {ms(f['p99'])} ms, statuses {f['statuses']}, "
                         f"others {pct(f['others'])}")

        end_load = loadavg()
        facts.append(("`uptime` at the end", gw.first_line(["uptime"])))
        facts.append(("Link", ns.link_facts()))
        notes.append("Everything runs on this one machine: wrk or the fixed-rate client, both gateways and nginx share "
                     f"its {facts[0][1]} core(s); a veth pair is a kernel hop, not a network. The figures are the cost of "
                     "the software on the path (a second gateway, a second proxy hop, the peer headers), not of a "
                     "network between clusters, which a real deployment adds on top.")
        notes.append(f"Gateways: `{shlex.join(['java', *jvm_args, '-jar', 'gateway/target/ebb-gateway-exec.jar'])}` "
                     f"({'as given' if args.gateway_jvm_arg is not None else 'the JVM options of gateway/Dockerfile'}), "
                     "configured through the environment: `EBB_GATEWAY_CLUSTER` a / b, `EBB_GATEWAY_PEER_PORT` "
                     f"{PEER_PORT} on a, `EBB_GATEWAY_CONTROL_PLANE_URL=http://127.0.0.1:{CLOSED_PORT}` (nothing listens), "
                     "`LOGGING_LEVEL_EBB_GATEWAY_ACCESS=off` (no access log, as bench/dataplane runs by default). Gateway a "
                     f"binds 0.0.0.0 in A, gateway b 127.0.0.1 in B.")
        notes.append("Routing without a control plane: each gateway started from a snapshot this script wrote to "
                     "`$EBB_DATA_DIR/gateway/routing.json` (version 1; a: the revision placed here with nginx's endpoint "
                     "and the peer token; b: the revision not placed here, remote a with 1 ready, peer a at "
                     f"{ADDRESS_A}:{PEER_PORT} with that token). /readyz answered 200 at once and both routed; their logs: "
                     + "; ".join(f"`{line.split(' : ', 1)[-1]}`" for line in routed_from_file[:4]))
        notes.append(f"Backend: `{script.name}` of bench/dataplane (nginx {nginx_binary}, 1 worker, `access_log off`, "
                     f"`sendfile on`) listening on 0.0.0.0:{BACKEND_PORT} in A; gateway a reaches it on 127.0.0.1.")
        notes.append("Others' share: during each measured run, the machine's busy CPU time (/proc/stat: user, nice, "
                     "system, irq, softirq) minus that of this run's processes (both gateways and nginx from "
                     "/proc/<pid>/stat, the client and this script from os.times()), over the run's duration × "
                     f"{NCPU} cores. The kernel's network work accounted to no process counts as others', so it is an "
                     "upper bound: a few % on a quiet machine; tens of % mean another build or test was running.")
        notes.append("CPU-s/10k: utime+stime per 10,000 requests of each gateway JVM (all threads) and of nginx's worker "
                     "during the measured wrk run, from /proc/<pid>/stat.")
        notes.append(f"The whole run took {time.monotonic() - began:.0f} s.")
        text = report(args, targets, facts, notes, command, start_load, end_load, busy)
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
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # clean up fully even on a second Ctrl-C
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for p in reversed(started):
            p.stop()
        ns.delete()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if status or args.keep_logs:
        progress(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
