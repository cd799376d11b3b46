#!/usr/bin/env bash
# Sign-in throttling under attack, measured against a real server: 50 parallel wrong
# passwords, the right password from another address during the attack, 500 sequential wrong
# passwords, 30 unknown usernames from one address, and the audit rows they leave. Linux only
# (it sends from several 127.x addresses). Usage, from the repository root after `cargo build`:
#   benches/throttle.sh "sqlite:///tmp/throttle.db?mode=rwc"
#   benches/throttle.sh postgres://postgres@127.0.0.1:5432/an_empty_database
# PORT (default 18200) and BIN (default target/debug/budget-monitor) can be set.
set -euo pipefail
PORT=${PORT:-18200}
BIN=${BIN:-target/debug/budget-monitor}
BM=http://127.0.0.1:$PORT
PW='measure-admin-password'
DIR=$(mktemp -d)
DATABASE_URL="$1" BM_DATA_DIR="$DIR" BM_BIND=127.0.0.1:$PORT BM_ADMIN_PASSWORD="$PW" \
  BM_JWT_SECRET=measure-secret-0123456789-0123456789-abc RUST_LOG=warn \
  "$BIN" serve >"$DIR/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf $BM/healthz >/dev/null && break; sleep 0.2; done
login() { # from-address username password -> status
  curl -s -o /dev/null -w '%{http_code}\n' --interface "$1" -X POST $BM/api/v1/auth/token \
    -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$3\"}"
}
export -f login; export BM
echo "== 50 parallel wrong passwords for admin from 127.0.0.1"
seq 50 | xargs -P50 -I{} bash -c 'login 127.0.0.1 admin wrong-password!' | sort | uniq -c
echo "== right password for admin from 127.0.0.4 during that attack; then from 127.0.0.1"
login 127.0.0.4 admin "$PW"; login 127.0.0.1 admin "$PW"
echo "== 500 sequential wrong passwords for admin from 127.0.0.2"
start=$(date +%s.%N)
for _ in $(seq 500); do login 127.0.0.2 admin wrong-password!; done | sort | uniq -c
echo "   ($(echo "$(date +%s.%N) - $start" | bc) s)"
echo "== 30 unknown usernames from 127.0.0.3 (sequential)"
for i in $(seq 30); do login 127.0.0.3 "nobody$i" wrong-password!; done | uniq -c
TOKEN=$(curl -s --interface 127.0.0.9 -X POST $BM/api/v1/auth/token -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PW\"}" | jq -r .access_token)
echo "== audit rows per action and client address (auth.*)"
for a in auth.login_failed auth.login_throttled auth.login; do
  curl -s "$BM/api/v1/audit-events?action=$a&per_page=200" -H "Authorization: Bearer $TOKEN" |
    jq -r --arg a "$a" '.items | group_by(.client_addr)[] | "\($a) \(.[0].client_addr): \(length)"'
done
