#!/usr/bin/env bash
# On the demo data (`cargo run -- seed-demo`): sign in as finance and list the red forms with
# the reasons for each light.
set -euo pipefail
BM=${BM:-http://127.0.0.1:8080}
PASSWORD=${BM_DEMO_PASSWORD:-demo-password-2026}

# Every call stops the script at the first error and shows the problem+json body saying why.
api() {
  local out
  if ! out=$(curl --fail-with-body --silent --show-error "$@"); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
}

TOKEN=$(api -X POST "$BM/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg p "$PASSWORD" '{username: "finance", password: $p}')" | jq -r .access_token)

# The red forms, with the reasons for each light
api "$BM/api/v1/submissions?warning=red" -H "Authorization: Bearer $TOKEN" \
  | jq '.items[] | {form, status, late, warning, reasons: [.reasons[].code]}'
