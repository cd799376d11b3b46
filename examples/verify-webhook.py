#!/usr/bin/env python3
r"""Checks a webhook delivery's signature (Standard Webhooks), with the standard library only.

In a receiver, call verify() with the endpoint's secret, the three headers and the raw body
(bytes as received, before any JSON parsing). From a shell, like examples/verify-webhook.sh:
    WEBHOOK_SECRET=whsec_… examples/verify-webhook.py "$WEBHOOK_ID" "$WEBHOOK_TIMESTAMP" \
      "$WEBHOOK_SIGNATURE" <body.json
WEBHOOK_TOLERANCE (seconds, 300 by default) bounds the timestamp's distance from now; `none`
skips that check, for a recorded delivery or a test vector, never for live traffic.
"""
import base64
import hashlib
import hmac
import os
import sys
import time


def verify(secret, msg_id, timestamp, signatures, body, tolerance=300):
    """True when one of the space-separated signatures fits and the timestamp is at most
    `tolerance` seconds from now (not checked when `tolerance` is None)."""
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if tolerance is not None and abs(time.time() - int(timestamp)) > tolerance:
        return False  # a replay, or a clock to fix
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = b"v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    # compare_digest takes as long wherever the first difference is: no timing oracle
    return any(hmac.compare_digest(s.encode(), expected) for s in signatures.split())


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE <body")
    tolerance = os.environ.get("WEBHOOK_TOLERANCE", "300")
    ok = verify(os.environ["WEBHOOK_SECRET"], *sys.argv[1:], sys.stdin.buffer.read(),
                None if tolerance == "none" else int(tolerance))
    print("valid" if ok else "invalid: no signature fits, or the timestamp is too far from now",
          file=sys.stdout if ok else sys.stderr)
    sys.exit(0 if ok else 1)
