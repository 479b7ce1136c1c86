#!/usr/bin/env python3
"""Cold-start benchmark of Ebb: how much Ebb adds to an app's own start-up when a request arrives for a
revision at zero, and how fast the autoscaler reacts to a step in concurrency. One run, one machine.

For each app (the sample model server, and `python3 -m http.server` as a trivial server):

1. direct: start the app 20 times as a plain child process and time spawn -> first successful answer to its
   readiness path (polled every 2 ms), which is the app's own start-to-ready time;
2. through Ebb: deploy it through the API and call `POST .../coldstart-probe` with 20 runs: each run takes
   the revision to zero, sends one request through the gateway and times it to the first byte of the
   response.

The overhead is "through Ebb" minus "direct", at p50 and p95 (nearest rank). Then, for the concurrency step,
a service with target 1 in-flight request per instance and one ready instance gets 8 concurrent slow
requests at once; the time until the revision's desired instance count rises (polled every 10 ms through
the API) is the step-to-decision time. Five steps, each on a fresh service.

Standard library only. Everything runs on 127.0.0.1, and everything started is stopped at the end (also on
errors and Ctrl-C). Nothing is judged: every number is reported. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import http.client
import json
import math
import os
import platform
import secrets
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
NAMESPACE = "coldbench"


class BenchError(Exception):
    """A condition that makes the run meaningless; the message says what happened."""


def progress(text: str):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get_status(port: int, path: str, host: str | None = None, timeout: float = 1.0) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host} if host else {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def resolved_program(name: str) -> str:
    """The absolute path of the binary that `name` runs, through symlinks and version-manager shims: pyenv's
    `python3` on the PATH is a shell script that costs about 100 ms per start, which would be charged to whichever
    side of a comparison used it. Both sides must start this path."""
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not on the PATH")
    if name.startswith("python"):
        found = subprocess.run([found, "-c", "import sys; print(sys.executable)"], capture_output=True, text=True,
                               check=True).stdout.strip()
    elif name == "java":
        found = subprocess.run([found, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
        found = next(line.split("=", 1)[1].strip() for line in found.splitlines() if "java.home =" in line) + "/bin/java"
    return os.path.realpath(found)


def nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent * len(ordered) / 100)) - 1]


class App:
    """An app as the benchmark starts it directly and as Ebb's template runs it."""

    def __init__(self, name: str, label: str, argv: list[str], readiness: str, env: dict[str, str]):
        self.name = name
        self.label = label
        self.argv = argv
        self.readiness = readiness
        self.env = env

    def template(self) -> dict:
        args = [a.replace("{PORT}", "$(PORT)") for a in self.argv[1:]]
        return {"command": [self.argv[0]], "args": args, "env": self.env,
                "readiness": {"path": self.readiness}}

    def start_to_ready(self, workdir: Path, timeout: float = 60.0) -> float:
        """Seconds from spawn to the first 2xx/3xx answer of the readiness path, then stops the app."""
        port = free_port()
        env = dict(os.environ)
        env.update(self.env)
        env["PORT"] = str(port)
        argv = [a.replace("{PORT}", str(port)) for a in self.argv]
        started = time.monotonic()
        process = subprocess.Popen(argv, env=env, cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            while time.monotonic() - started < timeout:
                if process.poll() is not None:
                    raise BenchError(f"{self.label} exited with code {process.returncode} before it was ready")
                try:
                    if 200 <= get_status(port, self.readiness, timeout=0.5) < 400:
                        return time.monotonic() - started
                except OSError:
                    pass
                time.sleep(0.002)
            raise BenchError(f"{self.label} was not ready within {timeout:.0f} s")
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


class Ebb:
    """One Ebb JVM on a fresh data dir with random ports and token, 127.0.0.1 only."""

    def __init__(self, jar: Path, workdir: Path, extra_args: list[str] | None = None):
        self.jar = jar
        self.extra_args = extra_args or []
        self.data_dir = Path(tempfile.mkdtemp(prefix="ebb-bench-cold-", dir=workdir))
        self.log_path = workdir / "ebb.log"
        self.http_port = free_port()
        self.gateway_port = free_port()
        self.token = secrets.token_urlsafe(32)
        self.process: subprocess.Popen | None = None
        self.startup_seconds = None

    def start(self, timeout: float = 180.0):
        env = dict(os.environ)
        env.update({
            "EBB_DATA_DIR": str(self.data_dir), "EBB_HTTP_PORT": str(self.http_port),
            "EBB_GATEWAY_PORT": str(self.gateway_port), "EBB_GATEWAY_PUBLIC_PORT": str(free_port()),
            "EBB_GATEWAY_HOST": HOST, "SERVER_ADDRESS": HOST, "EBB_BOOTSTRAP_TOKEN": self.token,
            # The step measurement wants a quick return to one instance; nothing here needs the grace.
            "EBB_SCALE_TO_ZERO_GRACE": "0s",
        })
        started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(["java", "-jar", str(self.jar), *self.extra_args], env=env, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise BenchError(f"Ebb exited with code {self.process.returncode} during start-up; see {self.log_path}")
            try:
                if get_status(self.http_port, "/actuator/health") == 200:
                    self.startup_seconds = time.monotonic() - started
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"Ebb did not become healthy within {timeout:.0f} s; see {self.log_path}")

    def api(self, method: str, path: str, body=None, expected=(200,), timeout: float = 30):
        conn = http.client.HTTPConnection(HOST, self.http_port, timeout=timeout)
        try:
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        if response.status not in expected:
            raise BenchError(f"{method} {path} answered {response.status}: {payload[:800].decode(errors='replace')}")
        return json.loads(payload) if payload else None

    def stop(self):
        """SIGTERM: Ebb stops its instances and its PostgreSQL; then whatever is left of its process group."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None


def services_path(name: str = "") -> str:
    return f"/api/v1/namespaces/{NAMESPACE}/services" + (f"/{name}" if name else "")


def deploy(ebb: Ebb, name: str, template: dict, timeout: float = 180.0):
    ebb.api("POST", services_path(), {"name": name, "template": template}, expected=(201,))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = ebb.api("GET", services_path(name))["status"]
        if status["conditions"][0]["status"] == "True":
            return
        if status["conditions"][0]["status"] == "False":
            raise BenchError(f"service {name} failed: {status['conditions'][0]}")
        time.sleep(0.2)
    raise BenchError(f"service {name} was not ready within {timeout:.0f} s")


def desired(ebb: Ebb, name: str) -> int:
    revision = ebb.api("GET", services_path(name) + f"/revisions/{name}-00001")
    return revision["status"]["instances"]["desired"]


def concurrency_step(ebb: Ebb, app: App, index: int, callers: int) -> float:
    """Seconds from firing `callers` slow requests at once to the autoscaler's higher instance count."""
    name = f"step{index}"
    template = app.template()
    template["env"] = dict(template["env"], LATENCY_MS="5000")
    template["concurrency"] = {"target": 1, "utilization": 100}
    # One instance stays up between steps, so the step meets a warm revision, not a cold start.
    template["scale"] = {"window": "6s", "min": 1}
    deploy(ebb, name, template)
    host = f"{name}.{NAMESPACE}.svc.cluster.local"
    # The API says Ready as soon as the revision is; the gateway gets the new route a moment later.
    deadline = time.monotonic() + 30
    while get_status(ebb.gateway_port, app.readiness, host=host, timeout=10) != 200:
        if time.monotonic() > deadline:
            raise BenchError(f"{name} is Ready but the gateway does not route it")
        time.sleep(0.05)
    while desired(ebb, name) != 1:
        time.sleep(0.05)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=callers)
    try:
        fired = time.monotonic()
        calls = [pool.submit(post_predict, ebb.gateway_port, host) for _ in range(callers)]
        while time.monotonic() - fired < 30:
            if desired(ebb, name) > 1:
                reacted = time.monotonic() - fired
                break
            time.sleep(0.01)
        else:
            statuses = [call.result(timeout=60) for call in calls]
            raise BenchError(f"{name}: no scale decision within 30 s of the step (requests answered {statuses})")
        statuses = [call.result(timeout=60) for call in calls]
        if any(status != 200 for status in statuses):
            raise BenchError(f"{name}: the step's requests answered {statuses}")
        return reacted
    finally:
        pool.shutdown(wait=True)
        ebb.api("DELETE", services_path(name), expected=(200, 204))


def post_predict(port: int, host: str) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        body = json.dumps({"instances": [[1.0, 2.0]]}).encode()
        conn.request("POST", "/v1/models/bench:predict", body=body,
                     headers={"Host": host, "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def machine_facts(jar: Path) -> list[tuple[str, str]]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.lower().startswith("model name")), "unknown")
    memory = next((f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB" for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), "unknown")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return [
        ("nproc", str(len(os.sched_getaffinity(0)))), ("CPU", model), ("Memory", memory), ("Java", java),
        ("Python", platform.python_version()), ("OS", f"{platform.system()} {platform.release()}"),
        ("Jar", f"`{jar.relative_to(REPO_ROOT) if jar.is_relative_to(REPO_ROOT) else jar}` ({jar.stat().st_size / 1e6:.0f} MB)"),
        ("Load average before start (1/5/15 min)", " / ".join(Path("/proc/loadavg").read_text().split()[:3])),
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def report(results: dict, steps: list[float], facts, ebb: Ebb, command: str, runs: int) -> str:
    lines = ["# Cold-start benchmark results", "", f"Command: `{command}`", "", "| Machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in facts]
    lines += ["", f"Ebb's own start-up (JVM start to healthy, embedded PostgreSQL included): {ebb.startup_seconds:.1f} s", "",
              f"## Scale from zero, {runs} runs each", "",
              "| App | direct start-to-ready p50 / p95 ms | through Ebb, request to first byte p50 / p95 ms "
              "| gateway's Ebb-Cold-Start p50 / p95 ms | overhead p50 / p95 ms |",
              "|---|---:|---:|---:|---:|"]
    for label, r in results.items():
        d50, d95 = nearest_rank(r["direct"], 50), nearest_rank(r["direct"], 95)
        e50, e95 = nearest_rank(r["ebb"], 50), nearest_rank(r["ebb"], 95)
        g50, g95 = nearest_rank(r["gateway"], 50), nearest_rank(r["gateway"], 95)
        lines.append(f"| {label} | {ms(d50)} / {ms(d95)} | {ms(e50)} / {ms(e95)} | {ms(g50)} / {ms(g95)} "
                     f"| **{ms(e50 - d50)}** / **{ms(e95 - d95)}** |")
    lines += ["", "Where the wait goes, from the cold-start records (p50 / p95 ms of each phase's share; `instanceReady` "
              "is mostly the app's own start-up):", "",
              "| App | scale requested | instance started | instance ready | forwarded | first byte |",
              "|---|---:|---:|---:|---:|---:|"]
    for label, r in results.items():
        cells = [f"{ms(nearest_rank(v, 50))} / {ms(nearest_rank(v, 95))}" if v else "–" for v in r["phases"].values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "Every run, in ms:", ""]
    for label, r in results.items():
        for key in ("direct", "ebb", "gateway"):
            lines.append(f"- {label}, {key}: " + ", ".join(ms(v) for v in r[key]))
    lines += ["", "## Concurrency step to scale decision", "",
              f"Step to the first higher desired count, seconds: {', '.join(f'{s:.2f}' for s in steps)} "
              f"(p50 {nearest_rank(steps, 50):.2f}, max {max(steps):.2f}; polled every 10 ms through the API).", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", type=Path, default=REPO_ROOT / "backend/target/ebb.jar")
    parser.add_argument("--model-server", type=Path, default=REPO_ROOT / "examples/model-server/target/model-server.jar")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    for path in (args.jar, args.model_server):
        if not path.is_file():
            raise BenchError(f"{path} is missing: build it first with `mvn -DskipTests package` at the repository root")
    java = resolved_program("java")
    python = resolved_program("python3")
    apps = [
        App("model", "sample model server (Java)", [java, "-jar", str(args.model_server.resolve())], "/healthz",
            {"LOG_REQUESTS": "false"}),
        App("trivial", "python3 -m http.server", [python, "-m", "http.server", "{PORT}", "--bind", HOST], "/", {}),
    ]
    facts = machine_facts(args.jar)
    workdir = Path(tempfile.mkdtemp(prefix="ebb-bench-cold-"))
    ebb = Ebb(args.jar, workdir)
    results = {}
    try:
        for app in apps:
            progress(f"{app.label}: {args.runs} direct starts")
            direct = [app.start_to_ready(workdir) for _ in range(args.runs)]
            results[app.label] = {"direct": direct}
        progress("starting Ebb")
        ebb.start()
        for app in apps:
            template = app.template()
            deploy(ebb, app.name, template)
            progress(f"{app.label}: coldstart-probe with {args.runs} runs through Ebb")
            probe = ebb.api("POST", services_path(app.name) + "/coldstart-probe", {"runs": args.runs}, timeout=1800)
            cold = [run for run in probe["runs"] if run["coldStartMs"] is not None]
            if len(cold) < len(probe["runs"]):
                progress(f"{len(probe['runs']) - len(cold)} run(s) were not cold and are left out")
            results[app.label]["ebb"] = [run["totalMs"] / 1000 for run in cold]
            results[app.label]["gateway"] = [run["coldStartMs"] / 1000 for run in cold]
            events = ebb.api("GET", services_path(app.name) + f"/coldstarts?limit={len(cold)}")["items"]
            results[app.label]["phases"] = {
                phase: [e["phasesMs"][phase] / 1000 for e in events if e["phasesMs"].get(phase) is not None]
                for phase in ("scaleRequested", "instanceStarted", "instanceReady", "forwarded", "firstByte")}
        steps = []
        for i in range(args.steps):
            progress(f"concurrency step {i + 1}/{args.steps}")
            steps.append(concurrency_step(ebb, apps[0], i, callers=8))
        command = "python3 bench/coldstart/run.py" + ("" if argv is None else " " + " ".join(argv))
        text = report(results, steps, facts, ebb, command, args.runs)
        args.out.write_text(text + "\n")
        print(text)
        return 0
    except BaseException:
        progress(f"kept {workdir} for a look; Ebb's log is {ebb.log_path}")
        raise
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    finally:
        ebb.stop()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
