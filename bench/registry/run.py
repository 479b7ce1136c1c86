#!/usr/bin/env python3
"""Image resolution benchmark of Ebb: how long a new revision waits for its tag to be resolved to a digest,
next to the same run's baseline, a plain HEAD of the same manifest on the same registry.

Starts Debian's docker-registry (the Distribution registry) on 127.0.0.1 with a temporary storage directory,
pushes a small image through the registry's own API, starts the Ebb jar (embedded PostgreSQL, local runtime) with
EBB_REGISTRY_PLAIN_HTTP naming that registry, then alternates: a HEAD of the manifest from this script (on one
keep-alive connection, and on a fresh connection each time), and a service created with the image by tag, whose
resolution time is read from the server's own timestamps: the revision's ImageResolved lastTransitionTime minus
its createdAt (commit, wake, the registry round trip, up to the moment the digest is known). Standard library
only; asserts nothing about time. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SPEC = importlib.util.spec_from_file_location("control_plane_run", REPO_ROOT / "bench" / "control-plane" / "run.py")
RUN = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(RUN)

HOST = "127.0.0.1"
REGISTRY = "/usr/bin/docker-registry"
REPOSITORY = "bench/model"
TAG = "1.0"
NAMESPACE = "bench-registry"
ACCEPT = ", ".join([
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
])


class Registry:
    """docker-registry serving plain HTTP on a free loopback port from a temporary directory."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="ebb-bench-registry-"))
        self.port = RUN.free_port()
        self.process: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"{HOST}:{self.port}"

    def start(self):
        if not os.access(REGISTRY, os.X_OK):
            raise RUN.BenchError(f"no {REGISTRY}: install Debian's registry with 'apt-get install docker-registry'")
        config = self.directory / "config.yml"
        config.write_text(f"""version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {self.directory / 'storage'}
http:
  addr: {self.host}
  secret: {os.urandom(16).hex()}
""")
        log = (self.directory / "registry.log").open("w")
        self.process = subprocess.Popen([REGISTRY, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RUN.BenchError(f"docker-registry exited: {(self.directory / 'registry.log').read_text()}")
            try:
                status, _, _ = self.request("GET", "/v2/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RUN.BenchError("docker-registry did not answer GET /v2/ within 30 s")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def push_blob(self, content: bytes) -> str:
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        status, headers, body = self.request("POST", f"/v2/{REPOSITORY}/blobs/uploads/")
        if status != 202:
            raise RUN.BenchError(f"starting a blob upload answered {status}: {body[:200]!r}")
        location = headers["Location"]
        path = location.split(self.host, 1)[-1]
        path += ("&" if "?" in path else "?") + "digest=" + digest
        status, _, body = self.request("PUT", path, content, {"Content-Type": "application/octet-stream"})
        if status != 201:
            raise RUN.BenchError(f"uploading a blob answered {status}: {body[:200]!r}")
        return digest

    def push_image(self) -> str:
        layer = os.urandom(4096)
        layer_digest = self.push_blob(layer)
        config = json.dumps({"architecture": "amd64", "os": "linux",
                             "rootfs": {"type": "layers", "diff_ids": [layer_digest]}}).encode()
        config_digest = self.push_blob(config)
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest,
                        "size": len(layer)}],
        }).encode()
        status, headers, body = self.request("PUT", f"/v2/{REPOSITORY}/manifests/{TAG}", manifest,
                                             {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if status != 201:
            raise RUN.BenchError(f"pushing the manifest answered {status}: {body[:200]!r}")
        return headers.get("Docker-Content-Digest", "sha256:" + hashlib.sha256(manifest).hexdigest())

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def head_seconds(conn: http.client.HTTPConnection) -> tuple[float, str]:
    started = time.perf_counter()
    conn.request("HEAD", f"/v2/{REPOSITORY}/manifests/{TAG}", headers={"Accept": ACCEPT})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RUN.BenchError(f"HEAD of the manifest answered {response.status}")
    return elapsed, response.getheader("Docker-Content-Digest")


def parse_instant(text: str) -> datetime.datetime:
    # Java prints up to nanoseconds; Python keeps microseconds.
    text = text.rstrip("Z")
    if "." in text:
        whole, fraction = text.split(".")
        text = whole + "." + fraction[:6].ljust(6, "0")
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)


def image_condition(revision: dict) -> dict | None:
    for condition in revision.get("status", {}).get("conditions", []):
        if condition.get("type") == "ImageResolved":
            return condition
    return None


def resolve_once(client, registry: Registry, name: str, digest: str) -> tuple[float, float, float]:
    """Creates a service with the image by tag; returns the seconds from the revision's creation (server clock) and
    from the POST's answer (this machine's wall clock, which the server shares) to the digest known, and the seconds
    from sending the POST to seeing ImageResolved True."""
    image = f"{registry.host}/{REPOSITORY}:{TAG}"
    started = time.perf_counter()
    client.expect("POST", f"/api/v1/namespaces/{NAMESPACE}/services", 201, {"name": name, "template": {"image": image}})
    answered = datetime.datetime.now(datetime.timezone.utc)
    path = f"/api/v1/namespaces/{NAMESPACE}/services/{name}/revisions/{name}-00001"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _, payload, _ = client.request("GET", path)
        revision = json.loads(payload)
        condition = image_condition(revision)
        if condition and condition["status"] != "Unknown":
            seen = time.perf_counter() - started
            if condition["status"] != "True" or not revision["status"].get("image", "").endswith(digest):
                raise RUN.BenchError(f"{name} did not resolve to {digest}: {condition}")
            known = parse_instant(condition["lastTransitionTime"])
            created = known - parse_instant(revision["metadata"]["createdAt"])
            return created.total_seconds(), (known - answered).total_seconds(), seen
        time.sleep(0.002)
    raise RUN.BenchError(f"{name}'s image was not resolved within 30 s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--jar", type=Path, default=REPO_ROOT / "backend" / "target" / "ebb.jar")
    p.add_argument("--rounds", type=int, default=200, help="services created (each one resolution), default 200")
    p.add_argument("--warmup", type=int, default=30, help="resolutions not counted, default 30")
    p.add_argument("--out", type=Path, help="write the report (Markdown) here as well as to stdout")
    args = p.parse_args(argv)
    if not args.jar.is_file():
        p.error(f"no jar at {args.jar}; build it with 'mvn -DskipTests package' at {REPO_ROOT} or pass --jar")
    command = "python3 " + " ".join(shlex.quote(a) for a in [str(Path(sys.argv[0]))] + (argv or sys.argv[1:]))
    facts = RUN.machine_facts(args.jar)
    registry = Registry()
    server = None
    try:
        registry.start()
        digest = registry.push_image()
        os.environ["EBB_REGISTRY_PLAIN_HTTP"] = registry.host
        server = RUN.Server(args.jar)
        server.start()
        client = RUN.Client(server.port, server.token)
        kept = http.client.HTTPConnection(HOST, registry.port, timeout=30)
        ebb, committed, seen, head_kept, head_fresh = [], [], [], [], []
        for i in range(args.warmup + args.rounds):
            elapsed, got = head_seconds(kept)
            if got != digest:
                raise RUN.BenchError(f"the registry names {got}, not the pushed {digest}")
            fresh = http.client.HTTPConnection(HOST, registry.port, timeout=30)
            fresh_elapsed, _ = head_seconds(fresh)
            fresh.close()
            server_seconds, committed_seconds, seen_seconds = resolve_once(client, registry, f"r{i}", digest)
            if i >= args.warmup:
                head_kept.append(elapsed)
                head_fresh.append(fresh_elapsed)
                ebb.append(server_seconds)
                committed.append(committed_seconds)
                seen.append(seen_seconds)
        kept.close()
        load_after = " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    finally:
        if server is not None:
            server.stop()
        registry.stop()

    def row(label, values, baseline=None):
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        ratio = "" if baseline is None else (f"{p50 / percentile(baseline, 0.50):.1f} x / "
                                             f"{p99 / percentile(baseline, 0.99):.1f} x")
        return f"| {label} | {ms(p50)} | {ms(p99)} | {ms(max(values))} | {ratio} |"

    lines = [
        "# Image resolution: Ebb against the registry's own HEAD",
        "",
        f"Command: `{command}`",
        "",
        *[f"- {k}: {v}" for k, v in facts],
        f"- Load average at the end (1/5/15 min): {load_after}",
        f"- Registry: `{REGISTRY}` ({subprocess.run([REGISTRY, '--version'], capture_output=True, text=True).stdout.strip()}),"
        f" plain HTTP on {HOST}; one OCI manifest, {args.rounds} rounds after {args.warmup} of warm-up",
        "",
        "| figure | p50 | p99 | max | ratio to the HEAD on a kept connection (p50 / p99) |",
        "|---|---|---|---|---|",
        row("HEAD of the manifest, kept connection (baseline)", head_kept),
        row("HEAD of the manifest, fresh connection each time", head_fresh, head_kept),
        row("Ebb: revision created (its transaction's start) to digest known", ebb, head_kept),
        row("Ebb: POST answered (committed) to digest known", committed, head_kept),
        row("Ebb: POST sent to ImageResolved True seen by polling every 2 ms", seen, head_kept),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RUN.BenchError as e:
        print(f"bench failed: {e}", file=sys.stderr)
        sys.exit(1)
