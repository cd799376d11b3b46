#!/usr/bin/env bash
# Checks a webhook delivery's signature (Standard Webhooks) with openssl: the raw body on
# standard input, the three headers as arguments, the endpoint's secret in WEBHOOK_SECRET:
#   WEBHOOK_SECRET=whsec_… examples/verify-webhook.sh "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP" \
#     "$WEBHOOK_SIGNATURE" <body.json
# Exit status 0 when one of the signatures fits and the timestamp is at most WEBHOOK_TOLERANCE
# seconds from now (300 by default; `none` skips that check, for a recorded delivery or a test
# vector, never for live traffic), 1 otherwise. It compares in plain shell, not in constant
# time: check deliveries by hand with it, and verify in the receiver as examples/verify-webhook.py does.
set -euo pipefail
: "${WEBHOOK_SECRET:?set WEBHOOK_SECRET to the secret of the endpoint (whsec_…)}"
if [ $# -ne 3 ]; then
  echo "usage: $0 WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE <body" >&2
  exit 2
fi
ID=$1 TIMESTAMP=$2
read -ra SIGNATURES <<<"$3"
TOLERANCE=${WEBHOOK_TOLERANCE:-300}

# A timestamp too far from now is a replay (or a clock to fix)
if [[ ! $TIMESTAMP =~ ^[0-9]{1,12}$ ]]; then
  echo "webhook-timestamp is not a Unix time" >&2
  exit 1
fi
AGE=$(($(date +%s) - 10#$TIMESTAMP))
if [ "$TOLERANCE" != none ] && [ "${AGE#-}" -gt "$TOLERANCE" ]; then
  echo "webhook-timestamp is $AGE s from now (more than $TOLERANCE)" >&2
  exit 1
fi

# The key is the base64 after whsec_, decoded; the signed content is "{id}.{timestamp}.{body}"
KEY=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
EXPECTED=v1,$({ printf '%s.%s.' "$ID" "$TIMESTAMP" && cat; } \
  | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64)

# The header may hold several signatures, space-separated (one per secret while it is rotated)
for SIGNATURE in "${SIGNATURES[@]}"; do
  if [ "$SIGNATURE" = "$EXPECTED" ]; then
    echo "valid"
    exit 0
  fi
done
echo "no signature fits" >&2
exit 1
