#!/usr/bin/env bash
# Runs the README's shell examples as written, in order, against Ebb on its embedded defaults, and fails loudly on
# the first command that fails (curl is run with --fail-with-body, so an HTTP error is a failure too).
#
# It starts Ebb the way the README does, with ./scripts/demo.sh, then runs every ```sh block of README.md in one
# shell, so that variables set in one block reach the next. Blocks right after an HTML comment
#   <!-- readme-examples: skip <why> -->        are not run (the reason is printed),
#   <!-- readme-examples: after-stop -->        run once Ebb has been stopped (SIGTERM, as "Stop and reset" says).
# Two things differ from a person following the README, so that it can run beside other Ebbs on a shared machine:
# EBB_DATA_DIR is a fresh temporary directory (removed at the end), and the ports are free ones (EBB_HTTP_PORT,
# EBB_GATEWAY_PORT, EBB_GATEWAY_PUBLIC_PORT), substituted for localhost:8080, :8081 and :8082 in the examples.
#
# Needs backend/target/ebb.jar and examples/model-server/target/model-server.jar (mvn -DskipTests package), curl
# and python3. e2e/pom.xml runs it in mvn verify. READMEEXAMPLES_KEEP=1 keeps the temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

for jar in backend/target/ebb.jar examples/model-server/target/model-server.jar; do
  [[ -f "$jar" ]] || { echo "readme-examples: $jar is missing; run mvn -DskipTests package first" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ebb-readme-examples.XXXXXX")
export EBB_DATA_DIR="$work/data"
read -r EBB_HTTP_PORT EBB_GATEWAY_PORT EBB_GATEWAY_PUBLIC_PORT < <(python3 - <<'PY'
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))
PY
)
export EBB_HTTP_PORT EBB_GATEWAY_PORT EBB_GATEWAY_PUBLIC_PORT
unset EBB_BOOTSTRAP_TOKEN

demo=""
stop_ebb() {
  if [[ -n "$demo" ]] && kill -0 "$demo" 2>/dev/null; then
    # The demo runs in a process group of its own (setsid): Ebb gets SIGTERM with it and stops its instances.
    kill -TERM -- "-$demo" 2>/dev/null || true
    for _ in $(seq 1 120); do kill -0 "$demo" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$demo" 2>/dev/null || true
  fi
  demo=""
}
finish() {
  status=$?
  stop_ebb
  if [[ $status -ne 0 ]]; then
    echo "readme-examples: FAILED (exit $status); Ebb's log:" >&2
    tail -n 60 "$work/data/ebb.log" 2>/dev/null >&2 || true
  fi
  if [[ "${READMEEXAMPLES_KEEP:-}" == "1" ]]; then echo "readme-examples: kept $work" >&2; else rm -rf "$work"; fi
  exit $status
}
trap finish EXIT

# The README's ```sh blocks, split into those to run with Ebb up and those to run after it stopped.
python3 - "$root/README.md" "$work" <<'PY'
import re, sys
readme, work = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().split("\n")
running, after, skipped = [], [], []
marker = None
i = 0
while i < len(lines):
    line = lines[i]
    m = re.match(r"<!-- readme-examples: (skip|after-stop)\s*(.*?)\s*-->", line.strip())
    if m:
        marker = (m.group(1), m.group(2), i + 1)
        i += 1
        continue
    if line.strip() == "```sh":
        start = i + 1
        j = start
        while lines[j].strip() != "```":
            j += 1
        block = "\n".join(lines[start:j])
        label = f"README.md:{start}"
        if marker and marker[2] == i and marker[0] == "skip":
            if not marker[1]:
                sys.exit(f"{label}: a skip marker must say why")
            skipped.append(f"{label}: {marker[1]}")
        elif marker and marker[2] == i and marker[0] == "after-stop":
            after.append((label, block))
        else:
            running.append((label, block))
        marker = None
        i = j + 1
        continue
    if line.strip():
        marker = None if not line.strip().startswith("<!--") else marker
    i += 1

def script(blocks):
    out = []
    for label, block in blocks:
        block = (block.replace("localhost:8080", "localhost:${EBB_HTTP_PORT}")
                      .replace("localhost:8081", "localhost:${EBB_GATEWAY_PORT}")
                      .replace("localhost:8082", "localhost:${EBB_GATEWAY_PUBLIC_PORT}"))
        out.append(f"echo; echo '== {label}'\n{block}\n")
    return "\n".join(out)

prelude = "set -euo pipefail\ncurl() { command curl --fail-with-body --silent --show-error \"$@\"; echo; }\nset -x\n"
open(f"{work}/running.sh", "w").write(prelude + script(running))
open(f"{work}/after-stop.sh", "w").write(prelude + script(after))
open(f"{work}/skipped.txt", "w").write("\n".join(skipped) + ("\n" if skipped else ""))
print(f"readme-examples: {len(running)} blocks to run with Ebb up, {len(after)} after it stops, {len(skipped)} skipped")
PY
while read -r reason; do [[ -n "$reason" ]] && echo "readme-examples: skipped $reason"; done < "$work/skipped.txt"

echo "readme-examples: ./scripts/demo.sh starts Ebb (API :$EBB_HTTP_PORT, gateway :$EBB_GATEWAY_PORT, data $EBB_DATA_DIR)"
setsid ./scripts/demo.sh > "$work/demo.log" 2>&1 &
demo=$!
deadline=$((SECONDS + 900))
until grep -q '^Ebb is running' "$work/demo.log"; do
  if ! kill -0 "$demo" 2>/dev/null; then
    echo "readme-examples: the demo stopped before Ebb was running:" >&2; cat "$work/demo.log" >&2; exit 1
  fi
  if (( SECONDS > deadline )); then
    echo "readme-examples: the demo did not finish within 15 minutes:" >&2; cat "$work/demo.log" >&2; exit 1
  fi
  sleep 1
done
if grep -Eq '^revision .* failed:|did not become ready|creating the user failed' "$work/demo.log"; then
  echo "readme-examples: the demo reported a failure:" >&2; cat "$work/demo.log" >&2; exit 1
fi
echo "readme-examples: the demo ran; the README's examples follow"

bash "$work/running.sh"

echo "readme-examples: stopping Ebb"
stop_ebb
if curl -s -o /dev/null "http://localhost:$EBB_HTTP_PORT/actuator/health"; then
  echo "readme-examples: Ebb still answers after SIGTERM" >&2; exit 1
fi
bash "$work/after-stop.sh"
echo "readme-examples: every example ran"
