#!/usr/bin/env python3
"""Cold start as a client sees it (issue 17): what Ebb adds to an app's own start when a request arrives for a
revision at zero, timed by the client, not by Ebb.

For each app (`python3 -m http.server` and the sample model server), in one run and interleaved:

- direct: the app's binary (the same absolute path and arguments Ebb runs, never a PATH shim) is spawned, polled
  with a TCP connect every 5 ms, and one GET is sent on the first connection that succeeds, timed from spawn to the
  end of the response;
- through Ebb: a service at zero (`scale.min` 0, a 6 s window and no grace, so Ebb takes it to zero by itself) gets
  one GET on a new connection to the gateway, timed from before the connect to the end of the response.

What Ebb adds is judged per percentile: the p50 (p95) through Ebb minus the p50 (p95) of the direct starts, as the
data-plane benchmark's p99 added is. Each run's own difference (Ebb minus the direct start just before it) is shown
beside it; its spread carries the app's spread twice. The first cold start after Ebb's start is reported apart from
the later ones (against the later runs' paired p50), and the phases of the slowest come from `GET .../coldstarts`.

Standard library only; Ebb and the helpers are run.py's. Everything runs on 127.0.0.1 and is stopped at the end.
Nothing is judged on a busy machine. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import secrets
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import common  # noqa: E402  (bench/common.py)

HERE = Path(__file__).resolve().parent


def _load_coldstart_bench():
    spec = importlib.util.spec_from_file_location("ebb_coldstart_bench", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cs = _load_coldstart_bench()
HOST = cs.HOST
BenchError = cs.BenchError
progress = cs.progress
nearest_rank = cs.nearest_rank
WINDOW = 6.0       # the shortest scale.window Ebb accepts (ServiceRules.MIN_WINDOW)
POLL = 0.005       # the direct side's TCP connect poll
ZERO_POLL = 0.5    # how often the API is asked whether the services are at zero again: each ask is a dozen API calls,
                   # and polling faster kept Ebb's request threads and JIT compiler busy into the next measurements


def get_on(sock: socket.socket, path: str, host: str, request_id: str) -> tuple[int, dict[str, str], int]:
    """One GET on a connected socket, read to the end of the response: (status, headers, body bytes)."""
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ebb-bench-coldstart-client\r\n"
                  f"X-Request-Id: {request_id}\r\nConnection: close\r\n\r\n").encode("ascii"))
    response = http.client.HTTPResponse(sock, method="GET")
    response.begin()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, len(body)


def direct_start(app, workdir: Path, timeout: float = 60.0) -> tuple[float, int]:
    """Seconds from spawn to the end of the response to one GET, and its status; the app is then killed."""
    port = cs.free_port()
    env = dict(os.environ)
    env.update(app.env)
    env["PORT"] = str(port)
    argv = [a.replace("{PORT}", str(port)) for a in app.argv]
    scratch = Path(tempfile.mkdtemp(dir=workdir))
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=scratch, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.perf_counter() - started < timeout:
            try:
                sock = socket.create_connection((HOST, port), timeout=timeout)
            except ConnectionRefusedError:
                if process.poll() is not None:
                    raise BenchError(f"{app.label} exited with code {process.returncode} before it answered")
                time.sleep(POLL)
                continue
            if sock.getsockname() == sock.getpeername():
                # The app's port is in the ephemeral range, where the poll's own source ports come from: a connect to it
                # while nothing listens there can come back connected to itself (TCP simultaneous open). Not the app.
                sock.close()
                time.sleep(POLL)
                continue
            with sock:
                status, _, _ = get_on(sock, app.readiness, f"{HOST}:{port}", "direct")
            return time.perf_counter() - started, status
        raise BenchError(f"{app.label} did not answer within {timeout:.0f} s")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def through_ebb(ebb, app, service: str, request_id: str, timeout: float = 120.0) -> tuple[float, int, str | None]:
    """Seconds from before the connect to the end of the response to one GET through the gateway on a new connection,
    its status and its Ebb-Cold-Start header (absent when the request did not wait for a cold start)."""
    started = time.perf_counter()
    with socket.create_connection((HOST, ebb.gateway_port), timeout=timeout) as sock:
        status, headers, _ = get_on(sock, app.readiness, f"{service}.{cs.NAMESPACE}.svc.cluster.local", request_id)
    return time.perf_counter() - started, status, headers.get("ebb-cold-start")


def at_zero(ebb, services: list[str]) -> bool:
    """No instance in the runtime's view (desired, ready, listed) and no endpoint in the gateway's routing."""
    for service in services:
        instances = ebb.api("GET", cs.services_path(service) + f"/revisions/{service}-00001")["status"]["instances"]
        if instances["desired"] or instances["ready"] or instances.get("items"):
            return False
    routing = ebb.api("GET", "/internal/v1/routing")
    return not any(r.get("endpoints") for r in routing.get("revisions", []) if r.get("service") in services)


def wait_zero(ebb, services: list[str], timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while not at_zero(ebb, services):
        if time.monotonic() > deadline:
            raise BenchError(f"{services} did not reach zero within {timeout:.0f} s")
        time.sleep(ZERO_POLL)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def report(args, apps, results, phases, facts, end_load, ebb, command) -> str:
    start_load = float(next(v for k, v in facts if k.startswith("Load average")).split(" / ")[0])
    busy = args.quiet.busy(start_load)
    lines = ["# Cold start from the client (issue 17)", "", f"Command (from the repository root): `{command}`", "",
             "| Machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in facts]
    lines += [f"| Load average at the end (1/5/15 min) | {end_load} |", ""]
    if busy:
        lines += [args.quiet.banner(start_load, "the numbers"), ""]
    lines += [
        f"{args.runs} cold starts per app through Ebb, each right after a direct start of the same binary with the same "
        f"arguments (direct: spawn, TCP connect every {POLL * 1000:g} ms, one GET on the first connection, to the end of "
        "the response; Ebb: a new connection to the gateway's internal listener and one GET for a service at zero, to "
        "the end of the response). **Added** = a percentile through Ebb minus the same percentile of the direct starts, "
        "as the data-plane benchmark's p99 added is; the goals are judged on it. Paired = each run through Ebb minus the "
        "direct start just before it, whose spread carries the app's own spread twice (two starts of the app in each "
        "difference), shown beside it. The revisions reach zero by "
        f"themselves (`scale.window` {WINDOW:g} s, `EBB_SCALE_TO_ZERO_GRACE=0s`); {args.services} services per app take "
        "turns so that a batch of cold starts fits between two scale-downs, and no measurement starts until every "
        f"service is at zero again or less than {WINDOW - args.batch_budget:g} s before the earliest possible "
        "scale-down. Percentiles are nearest rank, over the runs after the first.", "",
        "| App | binary | direct p50 / p95 ms | through Ebb p50 / p95 ms | **added p50 / p95 ms** | paired p50 / p95 ms "
        "| first cold start: paired ms (vs later p50) |", "|---|---|---:|---:|---:|---:|---:|"]
    verdicts = []
    for app in apps:
        r = results[app.name]
        later = r["runs"][1:]
        first = r["runs"][0]
        direct = [x["direct"] for x in later]
        through = [x["ebb"] for x in later]
        over = [x["ebb"] - x["direct"] for x in later]
        p50, p95 = nearest_rank(over, 50), nearest_rank(over, 95)
        o50 = nearest_rank(through, 50) - nearest_rank(direct, 50)
        o95 = nearest_rank(through, 95) - nearest_rank(direct, 95)
        first_over = first["ebb"] - first["direct"]
        lines.append(f"| {app.label} | `{shlex.join(app.argv)}` | {ms(nearest_rank(direct, 50))} / {ms(nearest_rank(direct, 95))} "
                     f"| {ms(nearest_rank(through, 50))} / {ms(nearest_rank(through, 95))} | **{ms(o50)} / {ms(o95)}** "
                     f"| {ms(p50)} / {ms(p95)} | {ms(first_over)} ({first_over - p50:+.3f} s) |")
        verdicts.append((app, o50, o95, first_over - p50))
    lines += ["", "Every run, ms (direct / through Ebb; * = the first):", ""]
    for app in apps:
        lines.append(f"- {app.label}: " + ", ".join(f"{ms(x['direct'])}/{ms(x['ebb'])}{'*' if i == 0 else ''}"
                                                   for i, x in enumerate(results[app.name]["runs"])))
    lines += ["", "## Where the slowest waited", "",
              "Phases from `GET .../coldstarts` (ms after the gateway saw the request arrive: when the autoscaler asked "
              "for an instance, when the runtime started it and saw it ready, when the gateway forwarded the request and "
              "got its first byte), for the slowest run of each app by the client's clock, for the first, and each "
              "phase's median over the later runs (so the row's cells need not add up to one run):", "",
              "| App | run | client ms | gateway ms | scale requested | instance started | instance ready | forwarded "
              "| first byte |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    steps = ("scaleRequested", "instanceStarted", "instanceReady", "forwarded", "firstByte")

    def offsets(event) -> list[float | None]:
        arrived = cs_instant(event["arrived"])
        return [(cs_instant(event[k]) - arrived) * 1000 if event.get(k) else None for k in steps]

    for app in apps:
        runs = results[app.name]["runs"]
        slowest = max(runs[1:], key=lambda x: x["ebb"])
        for label, run in (("first", runs[0]), ("slowest of the later", slowest)):
            event = phases.get(run["id"])
            if event is None:
                lines.append(f"| {app.label} | {label} | {ms(run['ebb'])} | – | (no record) |||||")
                continue
            cells = ["–" if x is None else f"{x:.0f}" for x in offsets(event)]
            lines.append(f"| {app.label} | {label} | {ms(run['ebb'])} | {event.get('totalMs', '–')} | " + " | ".join(cells) + " |")
        later = [offsets(phases[run["id"]]) for run in runs[1:] if run["id"] in phases]
        if later:
            medians = [statistics.median(xs) if (xs := [o[i] for o in later if o[i] is not None]) else None
                       for i in range(len(steps))]
            totals = [phases[run["id"]]["totalMs"] for run in runs[1:] if phases.get(run["id"], {}).get("totalMs") is not None]
            lines.append(f"| {app.label} | median of the later {len(later)} | {ms(statistics.median([r['ebb'] for r in runs[1:]]))} | "
                         f"{statistics.median(totals) if totals else '–'} | "
                         + " | ".join("–" if x is None else f"{x:.0f}" for x in medians) + " |")
    lines += ["", "## Against the goals", ""]
    judge = (lambda ok: "within the goal, **not judged: busy machine**" if ok else "**missed** (busy machine)") if busy \
        else (lambda ok: "**met**" if ok else "**missed**")
    for app, o50, o95, first_delta in verdicts:
        # The first cold start's goal is that it pays no more than the later ones; one that comes out cheaper (its
        # direct start was the slow one) meets it.
        lines.append(f"- {app.label}: added p50 {o50 * 1000:.1f} ms (goal ≤ 20): {judge(o50 <= 0.020)}; p95 "
                     f"{o95 * 1000:.1f} ms (goal ≤ 50): {judge(o95 <= 0.050)}; first cold start {first_delta * 1000:+.0f} ms "
                     f"against the later p50 (goal: at most 50 ms over): {judge(first_delta <= 0.050)}.")
    lines += ["", f"Ebb's own start-up (not part of any cold start): {ebb.startup_seconds:.1f} s. Runs not cold "
              f"(no `Ebb-Cold-Start` header) and left out: {sum(len(results[a.name]['warm']) for a in apps)}.", ""]
    return "\n".join(lines)


def cs_instant(text: str) -> float:
    """Seconds since the epoch of an ISO-8601 instant as the API writes it (UTC, 'Z', up to nanoseconds)."""
    import datetime
    main, _, fraction = text.rstrip("Z").partition(".")
    base = datetime.datetime.fromisoformat(main).replace(tzinfo=datetime.timezone.utc).timestamp()
    return base + (float("0." + fraction) if fraction else 0.0)


QUICK = {"runs": 10}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="under 2 minutes: --runs 10")
    parser.add_argument("--jar", type=Path, default=cs.REPO_ROOT / "backend/target/ebb.jar")
    parser.add_argument("--model-server", type=Path, default=cs.REPO_ROOT / "examples/model-server/target/model-server.jar")
    parser.add_argument("--runs", type=int, default=20, help="cold starts per app (and as many direct starts)")
    parser.add_argument("--services", type=int, default=5, help="services per app taking turns")
    parser.add_argument("--batch-budget", type=float, default=3.0,
                        help=f"seconds after a batch's first cold start during which another may start ({WINDOW:g} s window)")
    common.Quiet.add_arguments(parser)
    parser.add_argument("--out", type=Path, help="also write the Markdown report to this file")
    parser.add_argument("--keep-logs", action="store_true", help="keep the working directory with Ebb's log")
    first = parser.parse_args(argv)
    if first.quick:
        parser.set_defaults(**QUICK)
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2: the first is reported apart")
    for path in (args.jar, args.model_server):
        if not path.is_file():
            raise BenchError(f"{path} is missing: build it first with `mvn -DskipTests package` at the repository root")
    command = shlex.join(["python3", "bench/coldstart/client.py", *argv])

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    python = cs.resolved_program("python3")
    java = cs.resolved_program("java")
    apps = [
        cs.App("trivial", "python3 -m http.server", [python, "-m", "http.server", "{PORT}", "--bind", HOST], "/", {}),
        cs.App("model", "sample model server (Java)", [java, "-jar", str(args.model_server.resolve())], "/healthz",
               {"LOG_REQUESTS": "false"}),
    ]
    facts = cs.machine_facts(args.jar)
    facts.insert(4, ("Kernel", Path("/proc/sys/kernel/osrelease").read_text().strip()))
    args.quiet = common.Quiet(args)
    workdir = Path(tempfile.mkdtemp(prefix="ebb-bench-coldclient-"))
    ebb = cs.Ebb(args.jar, workdir, ["--ebb.autoscaler.allow-zero-initial-scale=true"])
    results = {app.name: {"runs": [], "warm": []} for app in apps}
    failed = True
    try:
        for app in apps:
            progress(f"{app.label}: one direct start to warm the page cache (not counted): {ms(direct_start(app, workdir)[0])} ms")
        progress("starting Ebb")
        ebb.start()
        progress(f"Ebb healthy after {ebb.startup_seconds:.1f} s; deploying {args.services} services per app at zero")
        services = {app.name: [f"{app.name}{i}" for i in range(args.services)] for app in apps}
        for app in apps:
            for name in services[app.name]:
                template = app.template()
                template["scale"] = {"min": 0, "initial": 0, "window": f"{WINDOW:g}s"}
                cs.deploy(ebb, name, template)
        every = [name for names in services.values() for name in names]
        turn = {app.name: 0 for app in apps}
        batch = 0
        while any(len(results[a.name]["runs"]) < args.runs for a in apps):
            wait_zero(ebb, every)
            batch += 1
            batch_start = None
            for step in range(args.services):
                if batch_start is not None and time.monotonic() - batch_start > args.batch_budget:
                    break
                for app in apps if step % 2 == 0 else reversed(apps):
                    if len(results[app.name]["runs"]) >= args.runs or (
                            batch_start is not None and time.monotonic() - batch_start > args.batch_budget):
                        continue
                    service = services[app.name][turn[app.name] % args.services]
                    turn[app.name] += 1
                    direct, direct_status = direct_start(app, workdir)
                    request_id = f"bench-{secrets.token_hex(6)}"
                    if batch_start is None:
                        batch_start = time.monotonic()
                    through, status, cold = through_ebb(ebb, app, service, request_id)
                    if status != direct_status:
                        raise BenchError(f"{app.label}: {status} through Ebb but {direct_status} directly")
                    run = {"direct": direct, "ebb": through, "id": request_id, "service": service, "gateway_ms": cold}
                    if cold is None:
                        results[app.name]["warm"].append(run)
                        progress(f"  {service}: not a cold start (no Ebb-Cold-Start), left out")
                        continue
                    results[app.name]["runs"].append(run)
                    progress(f"  batch {batch}, {app.label} #{len(results[app.name]['runs'])}: direct {ms(direct)} ms, "
                             f"through Ebb {ms(through)} ms (gateway {cold} ms), overhead {ms(through - direct)} ms")
        phases = {}
        for name in every:
            for event in ebb.api("GET", cs.services_path(name) + "/coldstarts?limit=100")["items"]:
                phases[event["requestId"]] = event
        end_load = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
        facts.append(args.quiet.stop())
        text = report(args, apps, results, phases, facts, end_load, ebb, command)
        print(text)
        if args.out:
            args.out.write_text(text)
            progress(f"wrote {args.out}")
        failed = False
        return 0
    except KeyboardInterrupt:
        progress("interrupted; stopping everything")
        return 130
    finally:
        ebb.stop()
        if failed or args.keep_logs:
            progress(f"kept {workdir}; Ebb's log is {ebb.log_path}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        sys.exit(1)
