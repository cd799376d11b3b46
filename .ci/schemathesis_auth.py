"""Schemathesis hooks: sign in as several identities of the demo data (finance, a reporter, a
viewer and the admin) and send each generated request as the next of them in turn, so that
every list and read answers real objects, as each role sees them.

Reads BM_URL, BM_DEMO_PASSWORD and BM_ADMIN_PASSWORD from the environment.
"""

import itertools
import os

import requests
import schemathesis

BASE = os.environ["BM_URL"]
IDENTITIES = [
    ("finance", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("zzb.reporter", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("viewer", os.environ.get("BM_DEMO_PASSWORD", "demo-password-2026")),
    ("admin", os.environ["BM_ADMIN_PASSWORD"]),
]


def sign_in(username: str, password: str) -> str:
    r = requests.post(f"{BASE}/api/v1/auth/token", json={"username": username, "password": password}, timeout=10)
    r.raise_for_status()
    return r.json()["access_token"]


TOKENS = [sign_in(u, p) for u, p in IDENTITIES]
NEXT = itertools.cycle(TOKENS)


@schemathesis.auth(refresh_interval=None)
class Rotating:
    """Each request as the next identity."""

    def get(self, case, context):
        return next(NEXT)

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
