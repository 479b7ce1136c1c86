#!/usr/bin/env bash
# Starts Ebb with its embedded defaults and walks through the API: create a service, roll out a new
# revision, split traffic for a canary with a tag, diff the revisions, read the past, and read the audit
# trail. Ebb keeps running afterwards (Ctrl-C stops it) unless --exit is given.
set -euo pipefail
cd "$(dirname "$0")/.."

export EBB_DATA_DIR="${EBB_DATA_DIR:-$PWD/.ebb}"
export EBB_BOOTSTRAP_TOKEN="${EBB_BOOTSTRAP_TOKEN:-demo-token}"
export EBB_HTTP_PORT="${EBB_HTTP_PORT:-8080}"
base="http://localhost:${EBB_HTTP_PORT}"
api="$base/api/v1/namespaces/demo/services"
auth="Authorization: Bearer ${EBB_BOOTSTRAP_TOKEN}"

if [[ ! -f backend/target/ebb.jar ]]; then
  echo "== Building Ebb (mvn -DskipTests package)"
  mvn -B -q -DskipTests package
fi

mkdir -p "$EBB_DATA_DIR"
echo "== Starting Ebb on $base (data in $EBB_DATA_DIR, log in $EBB_DATA_DIR/ebb.log)"
java -jar backend/target/ebb.jar > "$EBB_DATA_DIR/ebb.log" 2>&1 &
ebb=$!
trap 'kill "$ebb" 2>/dev/null; wait "$ebb" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if curl -fsS "$base/actuator/health" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$ebb" 2>/dev/null; then echo "Ebb stopped during start-up; see $EBB_DATA_DIR/ebb.log" >&2; exit 1; fi
  sleep 1
done
curl -fsS "$base/actuator/health" > /dev/null || { echo "Ebb did not become healthy within 120 s; see $EBB_DATA_DIR/ebb.log" >&2; exit 1; }

pretty() { if command -v python3 > /dev/null; then python3 -m json.tool; else cat; fi; }
step() { echo; echo "== $1"; }
call() { curl -sS -H "$auth" -H 'Content-Type: application/json' "$@"; echo; }

# A rerun starts the story over.
curl -sS -o /dev/null -X DELETE -H "$auth" "$api/sentiment"

step "Create a service: revision sentiment-00001, cluster-local, 100 % to the latest ready revision"
call -X POST "$api" -H 'Ebb-Change-Cause: first deployment' -d '{
  "name": "sentiment",
  "labels": {"team": "ml"},
  "template": {"image": "ghcr.io/acme/sentiment:1.0", "env": {"MODEL_URI": "s3://models/sentiment/1.0"},
               "readiness": {"path": "/healthz"}, "scale": {"max": 5}}
}' | pretty

step "Roll out model 1.1: a template change creates revision sentiment-00002"
call -X PATCH "$api/sentiment" -H 'Content-Type: application/merge-patch+json' \
  -H 'Ebb-Change-Cause: promote model 1.1' -d '{
  "template": {"image": "ghcr.io/acme/sentiment:1.1", "env": {"MODEL_URI": "s3://models/sentiment/1.1"}}
}' > /dev/null
call "$api/sentiment/revisions" | pretty

step "Canary: 90 % to the new revision, 10 % to the old one, tagged 'stable' for its own URL"
call -X PUT "$api/sentiment/traffic" -d '{"traffic": [
  {"latestRevision": true, "percent": 90},
  {"revision": "sentiment-00001", "percent": 10, "tag": "stable"}]}' | pretty

step "What changed between the two revisions"
call "$api/sentiment/revisions/sentiment-00001/diff/sentiment-00002" | pretty

step "A typo is rejected with a suggestion, and nothing changes"
call -X PATCH "$api/sentiment" -H 'Content-Type: application/merge-patch+json' -d '{"label": {"tier": "gold"}}' | pretty

step "Percents must add up to 100"
call -X PUT "$api/sentiment/traffic" -d '{"traffic": [{"latestRevision": true, "percent": 80}]}' | pretty

step "The audit trail of the demo namespace"
call "$base/api/v1/audit?namespace=demo&limit=5" | pretty

echo
echo "Ebb is running at $base: the API under /api/v1 (token: $EBB_BOOTSTRAP_TOKEN), its OpenAPI at"
echo "$base/swagger-ui.html and the console at $base/. The demo's revisions name only an image, so the local"
echo "runtime reports them NoCommand: locally a revision runs its template.command."
if [[ "${1:-}" == "--exit" ]]; then exit 0; fi
echo "Ctrl-C stops it."
wait "$ebb"
