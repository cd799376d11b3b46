#!/usr/bin/env bash
# An API client for the provincial platform's read-only pull: the admin creates a viewer client
# (its secret is shown once), the platform gets a 15-minute token with OAuth 2.0 client
# credentials and reads with it; the admin rotates the secret, then disables the client. Run it
# against a server on an empty database:
#   BM_ADMIN_PASSWORD='the admin password' examples/api-client.sh
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

# Admin: sign in and create the client. Keep its secret now: it is never shown again.
ADMIN=$(api -X POST "$BM/api/v1/auth/token" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg p "$BM_ADMIN_PASSWORD" '{username: "admin", password: $p}')" | jq -r .access_token)
CLIENT=$(api -X POST "$BM/api/v1/clients" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d '{"name":"province-platform","role":"viewer"}')
ID=$(jq -r .client_id <<<"$CLIENT")
SECRET=$(jq -r .client_secret <<<"$CLIENT")
jq '{client_id, name, role, enabled}' <<<"$CLIENT"

# The platform: a token with client credentials in HTTP Basic, then read as a viewer
TOKEN=$(api -u "$ID:$SECRET" -d grant_type=client_credentials "$BM/api/v1/auth/token" | jq -r .access_token)
api "$BM/api/v1/me" -H "Authorization: Bearer $TOKEN" | jq '{username, role}'
api "$BM/api/v1/units" -H "Authorization: Bearer $TOKEN" | jq '{total}'

# The same request with the id and secret in the form instead
api -d grant_type=client_credentials --data-urlencode "client_id=$ID" \
  --data-urlencode "client_secret=$SECRET" "$BM/api/v1/auth/token" | jq '{token_type, expires_in}'

# Admin: rotate the secret. The old secret and the tokens issued with it stop working at once.
SECRET=$(api -X POST "$BM/api/v1/clients/$ID/rotate" -H "Authorization: Bearer $ADMIN" | jq -r .client_secret)
TOKEN=$(api -u "$ID:$SECRET" -d grant_type=client_credentials "$BM/api/v1/auth/token" | jq -r .access_token)

# Admin: disable the client (If-Match with its ETag); its token is refused from the next request
ETAG=$(api -D - -o /dev/null "$BM/api/v1/clients/$ID" -H "Authorization: Bearer $ADMIN" \
  | tr -d '\r' | sed -n 's/^etag: //Ip')
api -X PATCH "$BM/api/v1/clients/$ID" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -H "If-Match: $ETAG" -d '{"enabled":false}' | jq '{name, enabled}'
if api "$BM/api/v1/units" -H "Authorization: Bearer $TOKEN" 2>/dev/null; then
  echo "the disabled client's token still works" >&2
  exit 1
fi

# Who did what: the client's tokens, by the client; the changes to it, by the admin
api "$BM/api/v1/audit-events?resource_id=$ID" -H "Authorization: Bearer $ADMIN" \
  | jq '.items[] | {action, actor_username, outcome}'
