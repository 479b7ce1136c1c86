#!/usr/bin/env bash
# Starts Ebb with its embedded defaults and walks through it: deploy the sample model server, call it
# through the gateway, roll out a new revision as a 10 % canary with the old one tagged, diff the two,
# stream tokens, and read the audit trail. Ebb keeps running afterwards (Ctrl-C stops it) unless --exit.
set -euo pipefail
cd "$(dirname "$0")/.."

export EBB_DATA_DIR="${EBB_DATA_DIR:-$PWD/.ebb}"
export EBB_BOOTSTRAP_TOKEN="${EBB_BOOTSTRAP_TOKEN:-demo-token}"
export EBB_HTTP_PORT="${EBB_HTTP_PORT:-8080}"
export EBB_GATEWAY_PORT="${EBB_GATEWAY_PORT:-8081}"
base="http://localhost:${EBB_HTTP_PORT}"
gateway="http://localhost:${EBB_GATEWAY_PORT}"
api="$base/api/v1/namespaces/demo/services"
auth="Authorization: Bearer ${EBB_BOOTSTRAP_TOKEN}"
model_server="$PWD/examples/model-server/target/model-server.jar"

if [[ ! -f backend/target/ebb.jar || ! -f "$model_server" ]]; then
  echo "== Building Ebb and the sample model server (mvn -DskipTests package)"
  mvn -B -q -DskipTests package
fi

mkdir -p "$EBB_DATA_DIR"
echo "== Starting Ebb: API on $base, gateway on $gateway (data in $EBB_DATA_DIR, log in $EBB_DATA_DIR/ebb.log)"
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
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
await_ready() {  # revision
  for _ in $(seq 1 120); do
    status=$(curl -sS -H "$auth" "$api/sentiment/revisions/$1" | field "['status']['conditions'][0]['status']")
    [[ "$status" == "True" ]] && return 0
    [[ "$status" == "False" ]] && { echo "revision $1 failed:"; curl -sS -H "$auth" "$api/sentiment/revisions/$1" | pretty; exit 1; }
    sleep 0.5
  done
  echo "revision $1 did not become ready in 60 s" >&2; exit 1
}
predict() {  # host
  curl -sS -H "Host: $1" -H 'Content-Type: application/json' "$gateway/v1/models/sentiment:predict" \
    -d '{"instances": ["what a great day", "not good"]}'
}

# A rerun starts the story over.
curl -sS -o /dev/null -X DELETE -H "$auth" "$api/sentiment"

step "Create the console user 'demo', an admin of every namespace"
answer=$(curl -sS -w '\n%{http_code}' -H "$auth" -H 'Content-Type: application/json' "$base/api/v1/users" \
  -d '{"username": "demo", "password": "demo-password-1", "grants": [{"namespace": "*", "role": "admin"}]}')
case "${answer##*$'\n'}" in
  201) echo "created" ;;
  409) echo "it exists already, from an earlier run against $EBB_DATA_DIR" ;;
  *) echo "creating the user failed: ${answer%$'\n'*}" >&2; exit 1 ;;
esac

step "Deploy the sample model server as service 'sentiment': revision sentiment-00001, cluster-local"
call -X POST "$api" -H 'Ebb-Change-Cause: first deployment' -d "{
  \"name\": \"sentiment\",
  \"labels\": {\"team\": \"ml\"},
  \"template\": {\"command\": [\"java\", \"-jar\", \"$model_server\"], \"env\": {\"MODEL_VERSION\": \"1.0\"},
               \"readiness\": {\"path\": \"/healthz\"}}
}" | field "['status']['url']"
await_ready sentiment-00001

step "Call it through the gateway by its cluster-local name"
predict sentiment.demo.svc.cluster.local | pretty

step "Roll out model 1.1 (a template change creates sentiment-00002) as a 10 % canary; the old one keeps 90 % and the tag 'stable'"
call -X PUT "$api/sentiment" -H 'Ebb-Change-Cause: canary model 1.1' -d "{
  \"labels\": {\"team\": \"ml\"},
  \"template\": {\"command\": [\"java\", \"-jar\", \"$model_server\"], \"env\": {\"MODEL_VERSION\": \"1.1\"},
               \"readiness\": {\"path\": \"/healthz\"}},
  \"traffic\": [{\"revision\": \"sentiment-00001\", \"percent\": 90, \"tag\": \"stable\"},
              {\"latestRevision\": true, \"percent\": 10}]
}" | field "['status']['traffic']"
await_ready sentiment-00002
sleep 0.5
echo "50 requests through the gateway, counted by the revision that answered:"
for _ in $(seq 1 50); do predict sentiment.demo.svc.cluster.local | field "['revision']"; done | sort | uniq -c
echo "The tag has its own name, which always reaches sentiment-00001:"
predict stable-sentiment.demo.svc.cluster.local | field "['revision']"

step "What changed between the two revisions"
call "$api/sentiment/revisions/sentiment-00001/diff/sentiment-00002" | pretty

step "Tokens streamed through the gateway as server-sent events, one by one"
curl -sS -N -H "Host: sentiment.demo.svc.cluster.local" "$gateway/v1/models/sentiment/generate?prompt=hello&tokens=5"

step "The canary did well: it takes all the traffic, and sentiment-00001 stays reachable at 0 % by its tag"
call -X PUT "$api/sentiment/traffic" -H 'Ebb-Change-Cause: promote model 1.1' \
  -d '{"traffic": [{"revision": "sentiment-00001", "percent": 0, "tag": "stable"}, {"latestRevision": true, "percent": 100}]}' \
  | field "['status']['traffic']"

step "Scale to zero and back: the probe takes sentiment-00001, which nobody calls now, to zero and measures the first request after it"
call -X POST "$api/sentiment/coldstart-probe" -d '{"runs": 2, "revision": "sentiment-00001"}' \
  | python3 -c "import json,sys; r=json.load(sys.stdin); print('cold starts (ms):', [run['coldStartMs'] for run in r['runs']], 'p50', r['p50Ms'], 'SLO', r['slo'], 'within', r['withinSlo'])"
echo "Every cold start is on record, phase by phase:"
call "$api/sentiment/coldstarts?limit=1" | python3 -c "import json,sys; e=json.load(sys.stdin)['items'][0]; print(e['revision'], e['totalMs'], 'ms:', e['phasesMs'])"

step "A typo is rejected with a suggestion, and nothing changes"
call -X PATCH "$api/sentiment" -H 'Content-Type: application/merge-patch+json' -d '{"label": {"tier": "gold"}}' | pretty

step "The last lines the canary's instance printed"
curl -sS -H "$auth" "$api/sentiment/revisions/sentiment-00002/logs?tail=3"

step "Who did what: the audit trail of the demo namespace"
call "$base/api/v1/audit?namespace=demo&limit=4" | python3 -c "import json,sys; [print(e['time'], e['actor'], e['action'], e['target']) for e in json.load(sys.stdin)['items']]"

echo
echo "Ebb is running: the API on $base/api/v1 (token: $EBB_BOOTSTRAP_TOKEN), its OpenAPI at $base/swagger-ui.html,"
echo "the console at $base/ (sign in as demo / demo-password-1), and the gateway on $gateway"
echo "(try: curl -H 'Host: sentiment.demo.svc.cluster.local' $gateway/healthz)."
if [[ "${1:-}" == "--exit" ]]; then exit 0; fi
echo "Ctrl-C stops it, and the instances it runs."
wait "$ebb"
