#!/usr/bin/env bash
# Following the change feed, as the provincial platform does: a viewer API client reads the
# events after its saved cursor, 1000 at a time, handles each page and only then saves the page's
# next_cursor, so that a restart resumes where the last run stopped. Run it against a server (the
# first run creates the client with the admin's password; later runs reuse it):
#   BM_ADMIN_PASSWORD='the admin password' examples/feed-follow.sh
# It stops once it has caught up; with FOLLOW=30 it keeps asking every 30 seconds instead. The
# client's id and secret and the cursor are kept in FEED_STATE (default ./feed-state); with
# CLIENT_ID and CLIENT_SECRET set it uses that client and creates none.
set -euo pipefail
BM=${BM:-http://127.0.0.1:8080}
STATE=${FEED_STATE:-./feed-state}
FOLLOW=${FOLLOW:-}
LIMIT=1000
(umask 077 && mkdir -p "$STATE")

# Every call stops the script at the first error and shows the problem+json body saying why.
api() {
  local out
  if ! out=$(curl --fail-with-body --silent --show-error "$@"); then
    printf '%s\n' "$out" >&2
    return 1
  fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
}

# The client: given, kept from an earlier run, or created now by the admin. Its secret is shown
# once: keep it where only this script can read it.
if [ -z "${CLIENT_ID:-}" ]; then
  if [ ! -f "$STATE/client.json" ]; then
    : "${BM_ADMIN_PASSWORD:?set BM_ADMIN_PASSWORD (to create the client) or CLIENT_ID and CLIENT_SECRET}"
    ADMIN=$(api -X POST "$BM/api/v1/auth/token" -H 'Content-Type: application/json' \
      -d "$(jq -n --arg p "$BM_ADMIN_PASSWORD" '{username: "admin", password: $p}')" | jq -r .access_token)
    CLIENT=$(api -X POST "$BM/api/v1/clients" -H "Authorization: Bearer $ADMIN" \
      -H 'Content-Type: application/json' -d "{\"name\":\"feed-reader-$(date +%s)\",\"role\":\"viewer\"}")
    (umask 077 && printf '%s\n' "$CLIENT" >"$STATE/client.json")
  fi
  CLIENT_ID=$(jq -r .client_id "$STATE/client.json")
  CLIENT_SECRET=$(jq -r .client_secret "$STATE/client.json")
fi

# A token with client credentials. It lives 15 minutes: on a 401 the loop gets a new one.
token() {
  api -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "$BM/api/v1/auth/token" \
    | jq -r .access_token
}

# Handle one page of events: here, print each one. The cursor is saved after this, so the page
# a crash interrupted comes again after the restart: make it idempotent (`id` names an event).
handle() {
  jq -c '.events[] | {seq, type, subject}' "$1"
}

# What the feed no longer holds (410 cursor_expired): reconcile through the resources, here
# the periods and the count of forms in each, then read the feed again from its oldest event.
reconcile() {
  api "$BM/api/v1/periods" -H "Authorization: Bearer $TOKEN" | jq -r '.items[].id' \
    | while read -r PERIOD; do
      api "$BM/api/v1/submissions?period_id=$PERIOD" -H "Authorization: Bearer $TOKEN" \
        | jq -c --arg p "$PERIOD" '{period: $p, forms: .total}'
    done
}

TOKEN=$(token)
PAGE="$STATE/page.json"
RENEWED=""
while true; do
  QUERY=(-d "limit=$LIMIT")
  if [ -s "$STATE/cursor" ]; then QUERY+=(--data-urlencode "after=$(cat "$STATE/cursor")"); fi
  STATUS=$(curl --fail-with-body --silent -o "$PAGE" -w '%{http_code}' -G "$BM/api/v1/events" \
    "${QUERY[@]}" -H "Authorization: Bearer $TOKEN") || true
  case $STATUS in
    200)
      RENEWED=""
      handle "$PAGE"
      # Save the cursor only now that the page is handled (write and rename: never half a file)
      jq -r .next_cursor "$PAGE" >"$STATE/cursor.new"
      mv "$STATE/cursor.new" "$STATE/cursor"
      # A page shorter than the limit: caught up
      if [ "$(jq '.events | length' "$PAGE")" -lt "$LIMIT" ]; then
        if [ -z "$FOLLOW" ]; then break; fi
        sleep "$FOLLOW"
      fi
      ;;
    401)
      # The token expired: get a new one (twice in a row means the client was stopped)
      if [ -n "$RENEWED" ]; then cat "$PAGE" >&2; exit 1; fi
      RENEWED=1
      TOKEN=$(token)
      ;;
    410)
      jq -r .detail "$PAGE" >&2
      reconcile
      rm -f "$STATE/cursor"
      ;;
    000 | 5??)
      # The server is down or failing: retry when following, stop otherwise (the cursor is kept)
      if [ -z "$FOLLOW" ]; then echo "no answer from the feed (HTTP $STATUS)" >&2; exit 1; fi
      sleep "$FOLLOW"
      ;;
    *)
      cat "$PAGE" >&2
      exit 1
      ;;
  esac
done
echo "caught up: cursor $(cat "$STATE/cursor")"
