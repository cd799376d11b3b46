#!/usr/bin/env bash
# The server's own cost of one request in instructions, which, unlike times, do not depend on
# what else the machine is doing: the release server runs under valgrind's callgrind on a fresh
# 0.1× province (seed-province --units 20) on PostgreSQL, with counting switched on only while
# a client (one connection, one request at a time) reads 200 forms as finance, and again while
# it creates and submits 30 20-indicator forms as a unit's reporter (the benchmark's body, as
# UTF-8 JSON; the items are made beforehand, uncounted). Prints the instructions per read and
# per form created and submitted, and leaves the callgrind files for callgrind_annotate when
# KEEP=1. Needs valgrind and python3; usage, from the repository root after
# `cargo build --release`:
#   benches/instructions.sh                 # PostgreSQL at postgres://postgres@127.0.0.1:5432
# BENCH_PG (default postgres://postgres@127.0.0.1:5432), PORT (default 18300) and BIN (default
# target/release/budget-monitor) can be set. About three minutes.
set -euo pipefail
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18300}
BIN=${BIN:-target/release/budget-monitor}
DB=bm_bench_instructions_$$
DIR=$(mktemp -d)
PW=instructions-password-2026
export BM_JWT_SECRET=instructions-secret-0123456789-0123456789 BM_ADMIN_PASSWORD=$PW \
  BM_DEMO_PASSWORD=$PW BM_DATA_DIR=$DIR
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
SERVER=
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  [ "${KEEP:-0}" = 1 ] && echo "callgrind files: $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
URL="$PG/$DB?sslmode=disable"
DATABASE_URL="$URL" "$BIN" seed-province --units 20 >"$DIR/seed.log"
# The webhook worker's poll (none are registered) at its slowest, so that it stays out of the count.
DATABASE_URL="$URL" BM_BIND=127.0.0.1:$PORT BM_WEBHOOK_POLL_MS=60000 RUST_LOG=warn \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$DIR/callgrind.%p" \
  "$BIN" serve >"$DIR/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

# One phase: `prepare` uncounted, then `run` counted; prints the instructions per request.
measure() { # name count prepare-args run-args
  python3 "$DIR/client.py" "$3"
  callgrind_control -i on "$SERVER" >/dev/null 2>&1
  python3 "$DIR/client.py" "$4"
  callgrind_control -i off "$SERVER" >/dev/null 2>&1
  callgrind_control -d "$SERVER" >/dev/null 2>&1
  sleep 1
  local total
  total=$(callgrind_annotate "$(ls -t "$DIR"/callgrind.*.* | head -1)" |
    awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  python3 -c "print(f'{\"$1\"}: {int($total) / $2:,.0f} instructions per request ({int($total):,} for $2)')"
}

cat >"$DIR/client.py" <<'EOF'
import http.client, json, os, sys
PORT, PW, DIR = int(os.environ["PORT"]), os.environ["PW"], os.environ["DIR"]
c = http.client.HTTPConnection("127.0.0.1", PORT)
def call(method, path, body=None, token=None, want=200):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    text = r.read()
    if r.status != want:
        sys.exit(f"{method} {path}: {r.status} {text[:300]!r}")
    return json.loads(text) if text else None
def token(user):
    return call("POST", "/api/v1/auth/token", {"username": user, "password": PW})["access_token"]
def saved(name, value=None):
    path = os.path.join(DIR, name + ".json")
    if value is not None:
        json.dump(value, open(path, "w"))
    return json.load(open(path))
step = sys.argv[1]
if step == "reads-prepare":
    fin = token("finance")
    ids = [s["id"] for s in call("GET", "/api/v1/submissions?per_page=200", token=fin)["items"]]
    saved("reads", {"token": fin, "ids": ids})
    for i in ids[:20]:
        call("GET", f"/api/v1/submissions/{i}", token=fin)
elif step == "reads":
    r = saved("reads")
    for i in range(200):
        call("GET", f"/api/v1/submissions/{r['ids'][i % len(r['ids'])]}", token=r["token"])
elif step == "forms-prepare":
    rep = token("p001.reporter")
    period = call("GET", "/api/v1/periods", token=rep)["items"][0]["id"]
    items = []
    for n in range(31):
        item = call("POST", "/api/v1/items", {
            "year": 2026, "kind": "project", "name": f"指令计数项目{n:05}",
            "budget": {"fiscal": "120.5", "union": "80.25"}, "annual_goal": "按计划完成年度目标",
            "start_year": 2026, "end_year": 2026}, rep, 201)
        inds = [call("POST", f"/api/v1/items/{item['id']}/indicators", {
            "level1": "output", "level2": "quantity", "name": f"服务人次{j}",
            "measure_unit": "人次", "direction": "higher_better", "target": "1000",
            "prorate": True}, rep, 201)["id"] for j in range(20)]
        items.append({"item_id": item["id"], "indicators": inds})
    saved("forms", {"token": rep, "period": period, "items": items})
if step in ("forms-prepare", "forms"):
    f = saved("forms")
    # The first item's form while preparing (a warm-up), the other 30 counted.
    for it in (f["items"][:1] if step == "forms-prepare" else f["items"][1:]):
        form = call("POST", "/api/v1/submissions", {
            "period_id": f["period"], "item_id": it["item_id"],
            "executed": {"fiscal": "60.25", "union": "40.125"},
            "expected_year_end": {"fiscal": "120.5", "union": "80.25"},
            "goal_progress": "上半年按计划推进",
            "indicator_values": [{"indicator_id": i, "actual": "520", "possibility": "certain"}
                                 for i in it["indicators"]],
            "outlook": "certain",
            "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}},
            f["token"], 201)
        call("POST", f"/api/v1/submissions/{form['id']}/submit", None, f["token"])
EOF
export PORT PW DIR
measure read 200 reads-prepare reads
measure form 30 forms-prepare forms
