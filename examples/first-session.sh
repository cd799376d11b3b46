#!/usr/bin/env bash
# A first session: sign in as admin, create a unit, rename it, give it a reporter, read the
# audit trail. Run it against a server on an empty database:
#   BM_ADMIN_PASSWORD='the admin password' examples/first-session.sh
set -euo pipefail
BM=${BM:-http://127.0.0.1:8080}
: "${BM_ADMIN_PASSWORD:?set BM_ADMIN_PASSWORD to the admin password}"

# Every call stops the script at the first error and shows the problem+json body saying why.
api() {
  local out
  if ! out=$(curl --fail-with-body --silent --show-error "$@"); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
}

# Sign in (the token lives 8 hours)
ADMIN=$(api -X POST "$BM/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg p "$BM_ADMIN_PASSWORD" '{username: "admin", password: $p}')" | jq -r .access_token)

# Who am I
api "$BM/api/v1/me" -H "Authorization: Bearer $ADMIN" | jq .

# Create a unit (retry-safe with an Idempotency-Key: a retry returns the first answer)
UNIT=$(api -X POST "$BM/api/v1/units" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -H 'Idempotency-Key: create-xcb' \
  -d '{"code":"XCB","name":"宣传教育部","kind":"department"}' | jq -r .id)

# List units
api "$BM/api/v1/units?page=1&per_page=50" -H "Authorization: Bearer $ADMIN" | jq '.items[] | {code, name, version}'

# Rename it: send the ETag of your last read as If-Match (a stale one gets 412)
ETAG=$(api -D - -o /dev/null "$BM/api/v1/units/$UNIT" -H "Authorization: Bearer $ADMIN" \
  | tr -d '\r' | sed -n 's/^etag: //Ip')
api -X PATCH "$BM/api/v1/units/$UNIT" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -H "If-Match: $ETAG" -d '{"name":"宣传教育部（网络工作部）"}' | jq '{name, version}'

# Give the unit a reporter
api -X POST "$BM/api/v1/users" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$UNIT" '{username: "xcb.li", password: "a long secret 2026", role: "reporter", unit_id: $u}')" \
  | jq '{username, role, unit_id}'

# What changed, and who did it (admin and finance)
api "$BM/api/v1/audit-events?action=unit.update" -H "Authorization: Bearer $ADMIN" \
  | jq '.items[] | {action, actor_username, before: .before.name, after: .after.name}'
